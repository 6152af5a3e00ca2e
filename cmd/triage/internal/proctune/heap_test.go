package proctune

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestBoundHeap checks the ingest's heap bound: it follows the live heap
// with headroom above a floor, paces the collector (GOGC raised) while it
// holds, is lifted at the end, and leaves a limit or a GOGC the user set
// alone.
func TestBoundHeap(t *testing.T) {
	if got := heapLimit(0); got != heapFloor {
		t.Errorf("heapLimit(0) = %d, want the floor %d", got, heapFloor)
	}
	if got := heapLimit(90 << 20); got != heapFloor {
		t.Errorf("heapLimit(90 MiB) = %d MiB, want the floor", got>>20)
	}
	if got := heapLimit(200 << 20); got != 400<<20 {
		t.Errorf("heapLimit(200 MiB) = %d MiB, want 400", got>>20)
	}
	if got := heapLimit(heapBoundMax + 1); got != math.MaxInt64 {
		t.Errorf("heapLimit above heapBoundMax = %d MiB, want no limit", got>>20)
	}
	prev := debug.SetMemoryLimit(-1)
	if prev != math.MaxInt64 {
		t.Skip("GOMEMLIMIT set for the test process")
	}
	t.Setenv("GOGC", "")
	pct := debug.SetGCPercent(100)
	defer debug.SetGCPercent(pct)
	restore := BoundHeap()
	if l := debug.SetMemoryLimit(-1); l < heapFloor || l == math.MaxInt64 {
		t.Errorf("limit during ingest = %d", l)
	}
	if p := gcPercent(); p != boundGCPercent {
		t.Errorf("GOGC during ingest = %d, want %d", p, boundGCPercent)
	}
	restore()
	if l := debug.SetMemoryLimit(-1); l != prev {
		t.Errorf("limit after ingest = %d, want %d", l, prev)
	}
	if p := gcPercent(); p != 100 {
		t.Errorf("GOGC after ingest = %d, want 100", p)
	}
	t.Setenv("GOGC", "100")
	restore = BoundHeap()
	if p := gcPercent(); p != 100 {
		t.Errorf("GOGC set by the user became %d during ingest", p)
	}
	restore()
	debug.SetMemoryLimit(1 << 40)
	defer debug.SetMemoryLimit(prev)
	restore = BoundHeap()
	if l := debug.SetMemoryLimit(-1); l != 1<<40 {
		t.Errorf("user limit replaced by %d", l)
	}
	restore()
	if l := debug.SetMemoryLimit(-1); l != 1<<40 {
		t.Errorf("user limit after ingest = %d", l)
	}
}

// gcPercent returns the current GOGC.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}
