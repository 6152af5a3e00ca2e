package message

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/attach/attachtest"
	"github.com/triage-tools/triage/internal/testutil"

	"github.com/triage-tools/triage/internal/analysis/attach"
)

func TestParseAttachments(t *testing.T) {
	z := attachtest.Zip(t, false, "factura.pdf.exe")
	msg := "From: a@b.test\r\nTo: c@d.test\r\nSubject: x\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n" +
		"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee attached\r\n" +
		"--XX\r\nContent-Type: application/zip; name=\"=?UTF-8?B?6KuL5rGC5pu4?=.zip\"\r\nContent-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.zip\r\n\r\n" +
		testutil.Base64Lines(z) +
		"--XX\r\nContent-Type: text/html; charset=utf-8\r\nContent-Disposition: attachment; filename=\"scan.pdf .html\"\r\n\r\n" +
		"<a href=\"http://evil.test/\">open</a>\r\n" +
		"--XX\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\ninline text\r\n" +
		"--XX--\r\n"
	p := Parse([]byte(msg), DefaultLimits())
	if len(p.TextParts) != 2 || p.TextParts[1].Text != "inline text" {
		t.Errorf("TextParts = %+v", p.TextParts)
	}
	if len(p.Attachments) != 2 {
		t.Fatalf("Attachments = %+v", p.Attachments)
	}
	a := p.Attachments[0]
	if a.Name != "請求書.zip" || a.DeclaredType != "application/zip" || a.SniffedType != "application/zip" || a.Size != int64(len(z)) ||
		!slices.Contains(a.Flags, attach.FlagArchiveContains+attach.FlagExecutable) || !slices.Equal(a.Entries, []string{"factura.pdf.exe"}) {
		t.Errorf("zip attachment = %+v", a)
	}
	h := p.Attachments[1]
	if h.Name != "scan.pdf .html" || !slices.Contains(h.Flags, attach.FlagDoubleExtension) || !slices.Contains(h.Flags, attach.FlagHTML) ||
		!strings.Contains(h.Text, "http://evil.test/") {
		t.Errorf("html attachment = %+v", h)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings %q", p.Warnings)
	}
}

func TestParseLimits(t *testing.T) {
	// deep nesting
	var b strings.Builder
	b.WriteString("Subject: deep\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n")
	for i := 0; i < 30; i++ {
		b.WriteString("--b" + itoa(i) + "\r\nContent-Type: multipart/mixed; boundary=b" + itoa(i+1) + "\r\n\r\n")
	}
	b.WriteString("--b30\r\nContent-Type: text/plain\r\n\r\nbottom\r\n")
	p := Parse([]byte(b.String()), DefaultLimits())
	if !hasWarning(p, "limit: MIME nesting") || len(p.TextParts) != 0 {
		t.Errorf("depth: %q %+v", p.Warnings, p.TextParts)
	}
	// many parts
	b.Reset()
	b.WriteString("Content-Type: multipart/mixed; boundary=z\r\n\r\n")
	for i := 0; i < 20; i++ {
		b.WriteString("--z\r\nContent-Type: text/plain\r\n\r\npart " + itoa(i) + "\r\n")
	}
	b.WriteString("--z--\r\n")
	lim := DefaultLimits()
	lim.MaxParts = 5
	p = Parse([]byte(b.String()), lim)
	if !hasWarning(p, "limit: more than 5 MIME parts") || len(p.TextParts) != 4 {
		t.Errorf("parts: %q %d", p.Warnings, len(p.TextParts))
	}
	// body and part size
	lim = DefaultLimits()
	lim.MaxBodyBytes = 10
	lim.MaxPartBytes = 100
	p = Parse([]byte("Subject: x\r\n\r\n"+strings.Repeat("あ", 50)), lim)
	if len(p.TextParts) != 1 || p.TextParts[0].Text != "あああ" || !hasWarning(p, "limit: part truncated") || !hasWarning(p, "limit: text truncated") {
		t.Errorf("size: %+v %q", p.TextParts, p.Warnings)
	}
	// header block
	lim = DefaultLimits()
	lim.MaxHeaderBytes = 100
	p = Parse([]byte("Subject: first\r\n"+strings.Repeat("X-Filler: 0123456789\r\n", 20)+"\r\nbody"), lim)
	if !hasWarning(p, "limit: header block truncated") || p.Summary.Subject != "first" || len(p.Headers) >= 20 || len(p.TextParts) != 1 || p.TextParts[0].Text != "body" {
		t.Errorf("header: %d headers %q %+v", len(p.Headers), p.Warnings, p.TextParts)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestNestedMessageScratch checks that a base64 message/rfc822 part whose
// own parts are base64 is decoded intact, and that the parts after it are
// unaffected by buffer reuse.
func TestNestedMessageScratch(t *testing.T) {
	inner := "Subject: inner\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n" +
		"--in\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n" + testutil.Base64Lines([]byte(strings.Repeat("inner text ", 50))) +
		"--in\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n" + testutil.Base64Lines([]byte("second inner")) +
		"--in--\r\n"
	msg := "Subject: outer\r\nContent-Type: multipart/mixed; boundary=out\r\n\r\n" +
		"--out\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n" + testutil.Base64Lines([]byte(inner)) +
		"--out\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n" + testutil.Base64Lines([]byte("outer text")) +
		"--out--\r\n"
	raw := []byte(msg)
	orig := append([]byte(nil), raw...)
	p := Parse(raw, DefaultLimits())
	var texts []string
	for _, tp := range p.TextParts {
		texts = append(texts, strings.TrimSpace(tp.Text))
	}
	want := []string{strings.TrimSpace(strings.Repeat("inner text ", 50)), "second inner", "outer text"}
	if !slices.Equal(texts, want) {
		t.Errorf("texts = %q", texts)
	}
	if len(p.Attachments) != 1 || p.Attachments[0].DeclaredType != "message/rfc822" {
		t.Errorf("attachments = %+v", p.Attachments)
	}
	if !bytes.Equal(raw, orig) {
		t.Error("Parse modified its input")
	}
}
