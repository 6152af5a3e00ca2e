package ingest

import (
	"runtime/debug"
	"testing"
)

// TestTuneCachedGC checks that overlapping deliveries raise the GC
// percent once and that the last one restores it, and that GOGC in the
// environment wins.
func TestTuneCachedGC(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	r1 := tuneCachedGC()
	r2 := tuneCachedGC()
	r1()
	if got := debug.SetGCPercent(cachedGCPercent); got != cachedGCPercent {
		t.Errorf("GC percent with a delivery still running = %d, want %d", got, cachedGCPercent)
	}
	r2()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent after both deliveries = %d, want 100 restored", got)
	}
	t.Setenv("GOGC", "50")
	r := tuneCachedGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent with GOGC set = %d, want 100 untouched", got)
	}
	r()
}
