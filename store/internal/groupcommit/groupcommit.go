// Package groupcommit commits small concurrent bbolt writes together.
// bbolt's DB.Batch held every call for MaxBatchDelay (2 ms) in case
// others came: a lone label always waited, and in a team the wait added
// to the commit it queued behind. Here a write that finds no commit
// running starts one at once, and the writes that arrive while it runs
// (mostly its fsync) share the next transaction and fsync: the group
// grows with the load by itself.
package groupcommit

import (
	"sync"

	bolt "go.etcd.io/bbolt"
)

// maxGroup bounds the writes of one transaction.
const maxGroup = 256

// Committer commits the writes given to Do. Its zero value is not usable:
// set DB, and Guard when the transaction must be wrapped.
type Committer struct {
	DB *bolt.DB
	// Guard, when not nil, runs each commit (store's guard turns a bbolt
	// panic on a damaged page into an error).
	Guard func(func() error) error

	mu      sync.Mutex
	pending []*call
	running bool // a loop goroutine runs
}

type call struct {
	fn  func(tx *bolt.Tx) error
	err chan error
}

// Do runs fn in a write transaction shared with the calls that arrive
// while the previous commit runs, and returns once it is committed (or
// failed). fn may run more than once and must derive everything from tx.
func (g *Committer) Do(fn func(tx *bolt.Tx) error) error {
	c := &call{fn: fn, err: make(chan error, 1)}
	g.mu.Lock()
	g.pending = append(g.pending, c)
	start := !g.running
	g.running = true
	g.mu.Unlock()
	if start {
		go g.loop()
	}
	return <-c.err
}

// loop commits the pending writes, a group at a time, until none is left.
func (g *Committer) loop() {
	for {
		g.mu.Lock()
		n := min(len(g.pending), maxGroup)
		if n == 0 {
			g.pending, g.running = nil, false
			g.mu.Unlock()
			return
		}
		calls := g.pending[:n:n]
		g.pending = g.pending[n:]
		g.mu.Unlock()
		g.commit(calls)
	}
}

// guard runs f through Guard.
func (g *Committer) guard(f func() error) error {
	if g.Guard == nil {
		return f()
	}
	return g.Guard(f)
}

// commit runs calls in one transaction and answers each. A call whose fn
// fails gets its error and no effect; the others are run again without it
// (they saw its writes), as DB.Batch does.
func (g *Committer) commit(calls []*call) {
	for len(calls) > 0 {
		failed, ferr := -1, error(nil)
		err := g.guard(func() error {
			return g.DB.Update(func(tx *bolt.Tx) error {
				for i, c := range calls {
					if err := c.fn(tx); err != nil {
						failed, ferr = i, err
						return err
					}
				}
				return nil
			})
		})
		if failed < 0 {
			for _, c := range calls {
				c.err <- err
			}
			return
		}
		calls[failed].err <- g.guard(func() error { return ferr })
		calls = append(calls[:failed:failed], calls[failed+1:]...)
	}
}
