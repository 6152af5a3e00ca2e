package store

import (
	"slices"
	"time"
)

// subscriberBuffer is the channel capacity of one subscription.
const subscriberBuffer = 256

// ChangeResync is the Kind of a Change that stands for changes a
// subscriber missed (see Subscribe): re-read the current labels and notes.
const ChangeResync = "resync"

// subscriber is one subscription. Fields other than ch and done are
// guarded by Store.mu.
type subscriber struct {
	ch   chan Change
	done chan struct{} // closed when the subscription ends
	// owes is set when a change could not be delivered (the buffer was
	// full): from then on changes are not sent, and the resync goroutine
	// delivers one resync Change as soon as the buffer has room.
	owes bool
	// ended is set when the subscription ends while the resync goroutine
	// runs: the goroutine then closes ch.
	ended bool
}

// Subscribe returns a channel that receives a Change after every committed
// label or note change made through this Store (including imports), and a
// cancel func that closes it (idempotent). Delivery never delays writers:
// when a subscriber's buffer (256 changes) is full, the changes it cannot
// take are replaced by one Change with Kind ChangeResync, delivered as soon
// as the buffer has room again and after every change it replaces; on it
// the subscriber re-reads what it shows (Labels, Notes). No change is lost
// that way: every change committed before the resync is received is in
// what the subscriber reads after it. Close closes all channels. Changes
// made by other processes are not seen.
func (s *Store) Subscribe() (ch <-chan Change, cancel func()) {
	sub := &subscriber{ch: make(chan Change, subscriberBuffer), done: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		close(sub.ch)
		return sub.ch, func() {}
	}
	s.subs[sub] = struct{}{}
	return sub.ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.subs[sub]; ok {
			delete(s.subs, sub)
			s.endSubLocked(sub)
		}
	}
}

// endSubLocked ends a subscription already removed from s.subs: it closes
// the channel, or leaves that to the resync goroutine when one runs (it
// may be sending on the channel). s.mu is held.
func (s *Store) endSubLocked(sub *subscriber) {
	close(sub.done)
	if sub.owes {
		sub.ended = true
		return
	}
	close(sub.ch)
}

// publish fans c out to every subscriber without blocking (see
// publishLocked). Writers whose changes can race use stage and announce.
func (s *Store) publish(c Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publishLocked(c)
}

// publishLocked fans c out to every subscriber without blocking; a
// subscriber whose buffer is full is owed a resync (see Subscribe). s.mu
// is held.
func (s *Store) publishLocked(c Change) {
	for sub := range s.subs {
		if sub.owes {
			continue // the resync to come stands for c
		}
		select {
		case sub.ch <- c:
		default:
			sub.owes = true
			go s.resync(sub)
		}
	}
}

// ticket is a writer's place in the order in which changes are announced.
// Two sessions that label one message at about the same time commit in
// one order but could return from their transactions, and announce, in
// the other: subscribers then applied the older label last and kept it.
// A writer stages its ticket inside the write transaction, so the queue is
// in commit order (write transactions run one at a time), and announces
// after the transaction returns; changes go out in queue order.
type ticket struct {
	changes []Change
	queued  bool
	ready   bool
}

// stage puts t at the end of the queue of announcements. Call it inside
// the write transaction, where the change is made, on every run of the
// transaction's function (a batch may run it again after a rollback).
func (s *Store) stage(t *ticket) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unqueueLocked(t)
	t.queued = true
	s.pubq = append(s.pubq, t)
}

// announce publishes changes in t's place in the queue, once everything
// staged before it is announced or withdrawn; with no changes it withdraws
// t. Call it exactly once after the transaction returned, whatever its
// outcome.
func (s *Store) announce(t *ticket, changes ...Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(changes) == 0 {
		s.unqueueLocked(t)
	} else if !t.queued {
		for _, c := range changes {
			s.publishLocked(c)
		}
	} else {
		t.changes, t.ready = changes, true
	}
	n := 0
	for ; n < len(s.pubq) && s.pubq[n].ready; n++ {
		for _, c := range s.pubq[n].changes {
			s.publishLocked(c)
		}
		s.pubq[n].queued = false
		s.pubq[n] = nil
	}
	s.pubq = s.pubq[n:]
	if len(s.pubq) == 0 {
		s.pubq = nil
	}
}

// unqueueLocked removes t from the queue of announcements (the queue holds
// one ticket per writer in flight). s.mu is held.
func (s *Store) unqueueLocked(t *ticket) {
	if !t.queued {
		return
	}
	if i := slices.Index(s.pubq, t); i >= 0 {
		s.pubq = slices.Delete(s.pubq, i, i+1)
	}
	t.queued = false
}

// resyncPoll bounds the wait between two looks for room in a lagging
// subscriber's buffer.
const resyncPoll = 32 * time.Millisecond

// resync delivers the resync Change a lagging subscriber is owed. It
// looks for room in the buffer under s.mu, so the resync is ordered after
// every change it replaces and nothing is dropped between its delivery
// and the end of owes. The look is repeated at growing intervals (1 ms to
// resyncPoll): a channel cannot signal room, and a blocked send would be
// delivered outside s.mu.
func (s *Store) resync(sub *subscriber) {
	wait := time.Millisecond
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-sub.done:
		}
		s.mu.Lock()
		if sub.ended {
			close(sub.ch)
			s.mu.Unlock()
			return
		}
		select {
		case sub.ch <- Change{Kind: ChangeResync}:
			sub.owes = false
			s.mu.Unlock()
			return
		default:
		}
		s.mu.Unlock()
		wait = min(2*wait, resyncPoll)
		t.Reset(wait)
	}
}
