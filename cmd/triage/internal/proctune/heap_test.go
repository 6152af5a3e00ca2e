package proctune

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestBoundHeap checks the ingest's heap bound: it follows the live heap
// with headroom above a floor, is lifted at the end, and leaves a limit
// the user set alone.
func TestBoundHeap(t *testing.T) {
	if got := heapLimit(0); got != heapFloor {
		t.Errorf("heapLimit(0) = %d, want the floor %d", got, heapFloor)
	}
	if got := heapLimit(200 << 20); got != 300<<20 {
		t.Errorf("heapLimit(200 MiB) = %d MiB, want 300", got>>20)
	}
	if got := heapLimit(heapBoundMax + 1); got != math.MaxInt64 {
		t.Errorf("heapLimit above heapBoundMax = %d MiB, want no limit", got>>20)
	}
	prev := debug.SetMemoryLimit(-1)
	if prev != math.MaxInt64 {
		t.Skip("GOMEMLIMIT set for the test process")
	}
	restore := BoundHeap()
	if l := debug.SetMemoryLimit(-1); l < heapFloor || l == math.MaxInt64 {
		t.Errorf("limit during ingest = %d", l)
	}
	restore()
	if l := debug.SetMemoryLimit(-1); l != prev {
		t.Errorf("limit after ingest = %d, want %d", l, prev)
	}
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
