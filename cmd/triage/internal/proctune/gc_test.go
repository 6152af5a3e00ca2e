package proctune

import (
	"runtime/debug"
	"testing"
)

func TestTuneScanGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	restore := TuneScanGC()
	if got := debug.SetGCPercent(scanGCPercent); got != scanGCPercent {
		t.Errorf("GC percent during scan = %d, want %d", got, scanGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != scanMemLimit {
		t.Errorf("memory limit during scan = %d, want %d", got, scanMemLimit)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent after scan = %d, want 100 restored", got)
	}

	t.Setenv("GOGC", "50") // the user's setting wins
	restore = TuneScanGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent with GOGC set = %d, want 100 untouched", got)
	}
	restore()
}
