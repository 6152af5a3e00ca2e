package urls

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/testutil"
)

func urlFuzzSeeds(f *testing.F) {
	for _, b := range testutil.ReadGlob(f, "testdata/urls/activemail.txt", "testdata/urls/activemail.html") {
		f.Add(string(b))
	}
	for _, s := range urlFuzzSeedDocs {
		f.Add(s)
	}
}

// urlFuzzSeedDocs seed the URL and HTML fuzz targets.
var urlFuzzSeedDocs = []string{
	"see http://example.com/a_(b)). www.example.co.jp、https://例え.jp/パス",
	`<a href="https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fx.tk&data=1">https://paypal.com</a>`,
	`<base href="https://b.example/"><a href="x">y</a><form action="/p"><meta http-equiv=refresh content="0;url=//z">`,
	"https://urldefense.com/v3/__https://example.com/a*b**Ac__;IUAj!!xyz$",
	"https://urldefense.proofpoint.com/v2/url?u=https-3A__example.com_-2D-5F&d=1",
	"http://0x7f.1/ http://[::ffff:1.2.3.4]:99999/ http://a@b@c/ http://%zz/",
	"<pre>a<li><a href=http://x>\x00\xff</a></pre><template><p>",
}

func FuzzExtractURLs(f *testing.F) {
	urlFuzzSeeds(f)
	domain.SetMemo(false)
	f.Cleanup(func() { domain.SetMemo(true) })
	f.Fuzz(func(t *testing.T, s string) {
		p := &message.Parsed{
			TextParts:   []message.Part{{Text: s}},
			HTMLParts:   []message.Part{{Text: s}},
			Attachments: []report.Attachment{{Name: "a.htm", Text: s}},
		}
		us, _ := Extract(p, []string{"admin@example.com"}, 50)
		if len(us) > 50 {
			t.Fatalf("%d URLs > max", len(us))
		}
		for _, u := range us {
			if u.URL == "" || u.Host == "" || u.Source == "" || len(u.URL) > urlMaxLen+64 {
				t.Fatalf("bad URL %+v", u)
			}
			if !strings.HasPrefix(u.URL, u.Scheme+"://") && u.Unwrapped == "" {
				t.Fatalf("scheme %q vs %q", u.Scheme, u.URL)
			}
			if utf8.RuneCountInString(u.AnchorText) > urlMaxAnchor {
				t.Fatalf("anchor too long")
			}
			if d := Defang(u.URL); strings.HasPrefix(d, "http") {
				t.Fatalf("defang left a live scheme: %q", d)
			}
		}
	})
}

func FuzzHTMLToText(f *testing.F) {
	urlFuzzSeeds(f)
	domain.SetMemo(false)
	f.Cleanup(func() { domain.SetMemo(true) })
	f.Fuzz(func(t *testing.T, s string) {
		out, links := HTMLToText(s)
		if len(out) > 2*len(s)+1024+64+htmlMaxAlt*4 {
			t.Fatalf("output %d bytes for %d", len(out), len(s))
		}
		if len(links) > htmlMaxLinks {
			t.Fatalf("%d links", len(links))
		}
	})
}
