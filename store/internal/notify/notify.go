// Package notify fans the store's committed changes out to subscribers
// (workbench sessions): never delaying a writer, never losing a change to
// a slow subscriber (it gets one resync instead), and announcing changes
// in the order they were committed.
package notify

import (
	"slices"
	"sync"
	"time"
)

// Buffer is the channel capacity of one subscription.
const Buffer = 256

// resyncPoll bounds the wait between two looks for room in a lagging
// subscriber's buffer.
const resyncPoll = 32 * time.Millisecond

// Hub holds the subscriptions of one store. Its zero value is not usable;
// call New.
type Hub[C any] struct {
	resync C // the change that stands for the changes a subscriber missed

	mu     sync.Mutex
	subs   map[*subscriber[C]]struct{}
	queue  []*Ticket[C] // changes committed or being committed, in commit order (see Stage)
	closed bool
}

// New returns a Hub whose lagging subscribers receive resync.
func New[C any](resync C) *Hub[C] {
	return &Hub[C]{resync: resync, subs: make(map[*subscriber[C]]struct{})}
}

// subscriber is one subscription. Fields other than ch and done are
// guarded by Hub.mu.
type subscriber[C any] struct {
	ch   chan C
	done chan struct{} // closed when the subscription ends
	// owes is set when a change could not be delivered (the buffer was
	// full): from then on changes are not sent, and the resync goroutine
	// delivers one resync change as soon as the buffer has room.
	owes bool
	// ended is set when the subscription ends while the resync goroutine
	// runs: the goroutine then closes ch.
	ended bool
}

// Subscribe returns a channel that receives every change announced from
// now on, and a cancel func that closes it (idempotent). Delivery never
// delays writers: when a subscriber's buffer (Buffer changes) is full,
// the changes it cannot take are replaced by one resync change, delivered
// as soon as the buffer has room again and after every change it
// replaces. After Close the channel is closed at once.
func (h *Hub[C]) Subscribe() (ch <-chan C, cancel func()) {
	sub := &subscriber[C]{ch: make(chan C, Buffer), done: make(chan struct{})}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(sub.ch)
		return sub.ch, func() {}
	}
	h.subs[sub] = struct{}{}
	return sub.ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.subs[sub]; ok {
			delete(h.subs, sub)
			h.endLocked(sub)
		}
	}
}

// Close ends every subscription; later ones are closed at once. It
// returns false when the Hub was already closed.
func (h *Hub[C]) Close() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.closed = true
	for sub := range h.subs {
		delete(h.subs, sub)
		h.endLocked(sub)
	}
	return true
}

// endLocked ends a subscription already removed from h.subs: it closes
// the channel, or leaves that to the resync goroutine when one runs (it
// may be sending on the channel). h.mu is held.
func (h *Hub[C]) endLocked(sub *subscriber[C]) {
	close(sub.done)
	if sub.owes {
		sub.ended = true
		return
	}
	close(sub.ch)
}

// publishLocked fans c out to every subscriber without blocking; a
// subscriber whose buffer is full is owed a resync (see Subscribe). h.mu
// is held.
func (h *Hub[C]) publishLocked(c C) {
	for sub := range h.subs {
		if sub.owes {
			continue // the resync to come stands for c
		}
		select {
		case sub.ch <- c:
		default:
			sub.owes = true
			go h.deliverResync(sub)
		}
	}
}

// Ticket is a writer's place in the order in which changes are announced.
// Two sessions that label one message at about the same time commit in
// one order but could return from their transactions, and announce, in
// the other: subscribers then applied the older label last and kept it.
// A writer stages its ticket inside the write transaction, so the queue is
// in commit order (write transactions run one at a time), and announces
// after the transaction returns; changes go out in queue order. The zero
// Ticket is ready to use.
type Ticket[C any] struct {
	changes []C
	queued  bool
	ready   bool
}

// Stage puts t at the end of the queue of announcements. Call it inside
// the write transaction, where the change is made, on every run of the
// transaction's function (a group commit may run it again after a
// rollback).
func (h *Hub[C]) Stage(t *Ticket[C]) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.unqueueLocked(t)
	t.queued = true
	h.queue = append(h.queue, t)
}

// Announce publishes changes in t's place in the queue, once everything
// staged before it is announced or withdrawn (at once when t was never
// staged); with no changes it withdraws t. Call it exactly once after the
// transaction returned, whatever its outcome.
func (h *Hub[C]) Announce(t *Ticket[C], changes ...C) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(changes) == 0 {
		h.unqueueLocked(t)
	} else if !t.queued {
		for _, c := range changes {
			h.publishLocked(c)
		}
	} else {
		t.changes, t.ready = changes, true
	}
	n := 0
	for ; n < len(h.queue) && h.queue[n].ready; n++ {
		for _, c := range h.queue[n].changes {
			h.publishLocked(c)
		}
		h.queue[n].queued = false
		h.queue[n] = nil
	}
	h.queue = h.queue[n:]
	if len(h.queue) == 0 {
		h.queue = nil
	}
}

// unqueueLocked removes t from the queue of announcements (the queue holds
// one ticket per writer in flight). h.mu is held.
func (h *Hub[C]) unqueueLocked(t *Ticket[C]) {
	if !t.queued {
		return
	}
	if i := slices.Index(h.queue, t); i >= 0 {
		h.queue = slices.Delete(h.queue, i, i+1)
	}
	t.queued = false
}

// deliverResync delivers the resync change a lagging subscriber is owed.
// It looks for room in the buffer under h.mu, so the resync is ordered
// after every change it replaces and nothing is dropped between its
// delivery and the end of owes. The look is repeated at growing intervals
// (1 ms to resyncPoll): a channel cannot signal room, and a blocked send
// would be delivered outside h.mu.
func (h *Hub[C]) deliverResync(sub *subscriber[C]) {
	wait := time.Millisecond
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-sub.done:
		}
		h.mu.Lock()
		if sub.ended {
			close(sub.ch)
			h.mu.Unlock()
			return
		}
		select {
		case sub.ch <- h.resync:
			sub.owes = false
			h.mu.Unlock()
			return
		default:
		}
		h.mu.Unlock()
		wait = min(2*wait, resyncPoll)
		t.Reset(wait)
	}
}
