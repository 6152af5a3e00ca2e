package store

import (
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Group commit of the small analyst writes (batch). bbolt's DB.Batch held
// every call for MaxBatchDelay (2 ms) in case others came: a lone label
// always waited, and in a team the wait added to the commit it queued
// behind. Here a write that finds no commit running starts one at once,
// and the writes that arrive while it runs (mostly its fsync) share the
// next transaction and fsync: the group grows with the load by itself.

// maxGroup bounds the writes of one transaction.
const maxGroup = 256

type groupCommit struct {
	mu      sync.Mutex
	pending []*groupCall
	running bool // a commitLoop goroutine runs
}

type groupCall struct {
	fn  func(tx *bolt.Tx) error
	err chan error
}

// batch is update for small analyst writes (labels, notes): concurrent
// calls, e.g. from many SSH sessions, share one commit and one fsync. It
// still returns only after its change is committed. fn may run more than
// once and must derive everything from tx.
func (s *Store) batch(fn func(tx *bolt.Tx) error) error {
	if s.readOnly {
		return ErrReadOnly
	}
	c := &groupCall{fn: s.guardTx(fn), err: make(chan error, 1)}
	g := &s.group
	g.mu.Lock()
	g.pending = append(g.pending, c)
	start := !g.running
	g.running = true
	g.mu.Unlock()
	if start {
		go s.commitLoop()
	}
	return <-c.err
}

// commitLoop commits the pending writes, a group at a time, until none is
// left.
func (s *Store) commitLoop() {
	g := &s.group
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
		s.commitGroup(calls)
	}
}

// commitGroup runs calls in one transaction and answers each. A call
// whose fn fails gets its error and no effect; the others are run again
// without it (they saw its writes), as DB.Batch does.
func (s *Store) commitGroup(calls []*groupCall) {
	for len(calls) > 0 {
		failed, ferr := -1, error(nil)
		err := s.guard(func() error {
			return s.db.Update(func(tx *bolt.Tx) error {
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
		calls[failed].err <- s.guard(func() error { return ferr })
		calls = append(calls[:failed:failed], calls[failed+1:]...)
	}
}
