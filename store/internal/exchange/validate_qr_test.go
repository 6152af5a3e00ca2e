package exchange

import (
	"strings"
	"testing"
)

func TestValidURLSource(t *testing.T) {
	for s, want := range map[string]bool{
		"html-href": true, "qr:scan.png": true, "pdf:Invoice 1.pdf": true, "qr:cid:a@b": true,
		"qr:": false, "pdf:": false, "ocr:x": false, "": false, "qr:" + strings.Repeat("a", 300): false,
	} {
		if got := validURLSource(s); got != want {
			t.Errorf("validURLSource(%q) = %v, want %v", s, got, want)
		}
	}
}
