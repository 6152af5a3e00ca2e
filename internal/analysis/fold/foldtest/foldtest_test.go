package foldtest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMixedText(t *testing.T) {
	for _, n := range []int{1, 300, 64 << 10} {
		s := MixedText(n)
		if len(s) < n || len(s) > n+200 || !utf8.ValidString(s) || n > 300 && !strings.Contains(s, "Ama\u200bzon") {
			t.Errorf("MixedText(%d): %d bytes, valid UTF-8 %v", n, len(s), utf8.ValidString(s))
		}
	}
}
