package message

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// Image and PDF parts are kept by their magic bytes, named by file name,
// Content-ID or part number, and bounded in number.
func TestMedia(t *testing.T) {
	png := base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\nrest"))
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.7\n%%EOF"))
	var b strings.Builder
	b.WriteString("From: a@b.example\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n")
	part := func(hdr, body string) {
		fmt.Fprintf(&b, "--X\r\n%s\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n", hdr, body)
	}
	// Part 1 is the multipart itself: the PDF below is part 5, as in the
	// "MIME part N" warnings.
	part("Content-Type: text/plain", base64.StdEncoding.EncodeToString([]byte("hello %PDF-1.7 in text")))
	part("Content-Type: application/octet-stream; name=scan.bin", png) // a PNG whatever its declared type
	part("Content-Type: image/png\r\nContent-ID: <logo@x>", png)
	part("Content-Type: application/pdf", pdf)
	part("Content-Type: image/png; name=fake.png", base64.StdEncoding.EncodeToString([]byte("GIF? no, text")))
	for range 12 {
		part("Content-Type: image/png; name=more.png", png)
	}
	b.WriteString("--X--\r\n")
	p := Parse([]byte(b.String()), DefaultLimits())
	if len(p.Media) != maxMediaParts {
		t.Fatalf("%d media kept, want %d", len(p.Media), maxMediaParts)
	}
	want := [][2]string{{"scan.bin", MediaPNG}, {"cid:logo@x", MediaPNG}, {"part 5", MediaPDF}, {"more.png", MediaPNG}}
	for i, w := range want {
		if p.Media[i].Name != w[0] || p.Media[i].Kind != w[1] {
			t.Errorf("media %d = %q %q, want %q", i, p.Media[i].Name, p.Media[i].Kind, w)
		}
	}
	if !strings.Contains(strings.Join(p.Warnings, "\n"), "limit: more than 10 image or PDF parts") {
		t.Errorf("warnings %q", p.Warnings)
	}
}
