// Package gcpercent is the one writer of the collector's GOGC in triage.
// Several parts of an ingest tune it for a while (the heap bound's pacer,
// the delivery of an unchanged source's rows from the store, scan
// --no-store), and their periods overlap in any order. Each asks with
// Hold; the setting in force is the lowest percentage held (the one that
// keeps memory tightest), and when nothing is held, the value from before
// the first hold. A GOGC set in the environment is the user's: then Hold
// changes nothing.
package gcpercent

import (
	"os"
	"runtime/debug"
	"slices"
	"sync"
)

var state struct {
	mu    sync.Mutex
	holds []*int // the percentages held, in no order
	prev  int    // GOGC before the first hold
}

// userSet reports whether GOGC is set in the environment (read on each
// Hold, so that tests can set it).
func userSet() bool { return os.Getenv("GOGC") != "" }

// Hold asks for GOGC pct until release is called (once; more calls do
// nothing).
func Hold(pct int) (release func()) {
	if userSet() {
		return func() {}
	}
	h := &pct
	state.mu.Lock()
	if len(state.holds) == 0 {
		state.prev = debug.SetGCPercent(pct)
	}
	state.holds = append(state.holds, h)
	apply()
	state.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			state.mu.Lock()
			defer state.mu.Unlock()
			state.holds = slices.DeleteFunc(state.holds, func(x *int) bool { return x == h })
			if len(state.holds) == 0 {
				debug.SetGCPercent(state.prev)
				return
			}
			apply()
		})
	}
}

// apply sets the lowest percentage held; state.mu is held.
func apply() {
	low := *state.holds[0]
	for _, h := range state.holds[1:] {
		low = min(low, *h)
	}
	debug.SetGCPercent(low)
}
