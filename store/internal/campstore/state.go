package campstore

import (
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/campaign"
)

// State is a store's clustering index, built from the campaign buckets on
// first use and updated inside the write transactions that add members.
type State struct {
	mu sync.Mutex
	ix *campaign.Index
	// dirty is set while a write transaction changes ix and cleared when
	// it commits: a rolled-back batch leaves it set, and the index is
	// rebuilt from the store.
	dirty bool
	// builds counts the index builds from the store (tests).
	builds int
}

// WriteIndex locks the campaign index for changes in the write
// transaction tx and returns it with the unlock: the index is marked
// dirty until tx commits, so that a rolled-back transaction's changes are
// dropped by a rebuild from the store.
func (cs *State) WriteIndex(tx *bolt.Tx) (*campaign.Index, func()) {
	cs.mu.Lock()
	ix := cs.index(tx)
	cs.dirty = true
	tx.OnCommit(func() {
		cs.mu.Lock()
		if cs.ix == ix {
			cs.dirty = false
		}
		cs.mu.Unlock()
	})
	return ix, cs.mu.Unlock
}

// index returns the index, building it from tx when it is not loaded or a
// failed transaction left it stale. Call with cs.mu held.
func (cs *State) index(tx *bolt.Tx) *campaign.Index {
	if cs.ix != nil && !cs.dirty {
		return cs.ix
	}
	ix := BuildIndex(tx)
	cs.ix, cs.dirty = ix, false
	cs.builds++
	return ix
}

// Forget drops the index, as a re-open of the store does.
func (cs *State) Forget() {
	cs.mu.Lock()
	cs.ix = nil
	cs.mu.Unlock()
}

// Builds is the number of index builds from the store so far.
func (cs *State) Builds() int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.builds
}

// PrepareSigs prepares, in parallel and outside the write transaction,
// the signatures of the n messages whose report is report(i) and that
// have no campaign yet (need); the others get nil.
func PrepareSigs(n int, need []bool, report func(i int) *analysis.Report) []*PreparedSig {
	out := make([]*PreparedSig, n)
	workers := min(runtime.GOMAXPROCS(0), 4, 1+n/64)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				if need[i] {
					out[i] = PrepareSig(report(i))
				}
			}
		})
	}
	wg.Wait()
	return out
}
