package main

import (
	"strings"
	"testing"
)

// TestTableFitMemo checks that the table's memo of fitted strings gives
// what fit gives, for the same string in both columns (whose widths
// differ), for long and hostile strings, and that it stays bounded.
func TestTableFitMemo(t *testing.T) {
	var tb table
	for _, s := range []string{
		"Zoë Müller <zoe@example.com>", "Ünïcödé subject that is long enough to be cut somewhere in the middle of it, surely",
		"plain ascii", "\x1b[31mred\x1b[0m ü", strings.Repeat("é", 300), "日本語の件名",
	} {
		for range 2 {
			for _, cols := range []int{fromCols, subjectCols} {
				if got, want := tb.fit(s, cols), fit(s, cols); got != want {
					t.Errorf("fit(%q, %d) = %q, want %q", s, cols, got, want)
				}
			}
		}
	}
	for i := range maxFitMemo + 10 {
		tb.fit("é"+strings.Repeat("x", i%200)+string(rune('a'+i%26))+strings.Repeat("y", i/200), fromCols)
	}
	if len(tb.fits) > maxFitMemo {
		t.Errorf("memo holds %d strings, bound %d", len(tb.fits), maxFitMemo)
	}
}
