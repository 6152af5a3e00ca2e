package message

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/attach"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/testutil"
)

// FuzzParse checks that Parse never panics, always returns a result, keeps
// its bounds and produces valid UTF-8 text.
func FuzzParse(f *testing.F) {
	testutil.AddSeedFiles(f, "testdata/parse/*.eml")
	f.Add([]byte("Subject: =?utf-8?b?5qCq?= =?iso-2022-jp?q?=1B$B?=\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: message/rfc822\r\n\r\nContent-Type: text/plain; charset*=x''%ff\r\n\r\nhi\r\n--a--"))
	f.Add([]byte("From: \"a\\\" <b@c>, (x <y@z>\r\nDate: Thu, 13 Feb 1969 23:32 -0330 (NST)\r\n\r\n"))
	lim := DefaultLimits()
	lim.MaxParts = 50
	lim.MaxBodyBytes = 4096
	domain.SetMemo(false)
	f.Cleanup(func() { domain.SetMemo(true) })
	f.Fuzz(func(t *testing.T, raw []byte) {
		p := Parse(raw, lim)
		if p == nil {
			t.Fatal("nil result")
		}
		for _, w := range p.Warnings {
			if strings.HasPrefix(w, "parse: internal error") {
				t.Fatalf("internal error: %s", w)
			}
		}
		for _, part := range append(append([]Part{}, p.TextParts...), p.HTMLParts...) {
			if len(part.Text) > lim.MaxBodyBytes {
				t.Fatalf("text %d bytes > %d", len(part.Text), lim.MaxBodyBytes)
			}
		}
		if len(p.TextParts)+len(p.HTMLParts)+len(p.Attachments) > lim.MaxParts {
			t.Fatalf("too many parts")
		}
		for _, a := range p.Attachments {
			if len(a.Entries) > attach.MaxEntries {
				t.Fatal("too many entries")
			}
		}
		if !utf8.ValidString(p.Summary.Subject) || !utf8.ValidString(p.Summary.From.Name) {
			t.Fatalf("invalid UTF-8 in summary: %q", p.Summary.Subject)
		}
	})
}
