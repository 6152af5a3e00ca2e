package main

import (
	"math"
	"runtime/debug"
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

// TestBoundHeap checks the ingest's heap bound: it follows the live heap
// with headroom above a floor, is lifted at the end, and leaves a limit
// the user set alone.
func TestBoundHeap(t *testing.T) {
	if got := heapLimit(0); got != heapFloor {
		t.Errorf("heapLimit(0) = %d, want the floor %d", got, heapFloor)
	}
	if got := heapLimit(400 << 20); got != 600<<20 {
		t.Errorf("heapLimit(400 MiB) = %d MiB, want 600", got>>20)
	}
	prev := debug.SetMemoryLimit(-1)
	if prev != math.MaxInt64 {
		t.Skip("GOMEMLIMIT set for the test process")
	}
	restore := boundHeap()
	if l := debug.SetMemoryLimit(-1); l < heapFloor || l == math.MaxInt64 {
		t.Errorf("limit during ingest = %d", l)
	}
	restore()
	if l := debug.SetMemoryLimit(-1); l != prev {
		t.Errorf("limit after ingest = %d, want %d", l, prev)
	}
	debug.SetMemoryLimit(1 << 40)
	defer debug.SetMemoryLimit(prev)
	restore = boundHeap()
	if l := debug.SetMemoryLimit(-1); l != 1<<40 {
		t.Errorf("user limit replaced by %d", l)
	}
	restore()
	if l := debug.SetMemoryLimit(-1); l != 1<<40 {
		t.Errorf("user limit after ingest = %d", l)
	}
}
