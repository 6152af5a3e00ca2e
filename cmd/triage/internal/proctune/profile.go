package proctune

import (
	"os"
	"runtime/pprof"
	"time"
)

// StartProfiles starts the profiles asked for by the hidden environment
// variables TRIAGE_CPUPROFILE (a CPU profile of the whole run) and
// TRIAGE_HEAPPROFILE (the heap profile, rewritten every 5 s and at the
// end, so that a profile taken during a long ingest shows what it holds).
// The returned func stops them. For measuring, not for users.
func StartProfiles() (stop func()) {
	var stops []func()
	if p := os.Getenv("TRIAGE_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil && pprof.StartCPUProfile(f) == nil {
			stops = append(stops, func() { pprof.StopCPUProfile(); _ = f.Close() })
		}
	}
	if p := os.Getenv("TRIAGE_HEAPPROFILE"); p != "" {
		write := func() {
			if f, err := os.Create(p); err == nil {
				_ = pprof.Lookup("heap").WriteTo(f, 0)
				_ = f.Close()
			}
		}
		t := time.NewTicker(5 * time.Second)
		done := make(chan struct{})
		go func() {
			for {
				select {
				case <-t.C:
					write()
				case <-done:
					return
				}
			}
		}()
		stops = append(stops, func() { t.Stop(); close(done); write() })
	}
	return func() {
		for _, s := range stops {
			s()
		}
	}
}
