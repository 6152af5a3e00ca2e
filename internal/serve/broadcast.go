package serve

import (
	"context"
	"maps"
	"sync"

	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/store"
)

// Broadcaster fans the progress events of one ingest run out to any number
// of sessions. Each subscriber first receives every row committed so far
// (one replay event), then the live events, and finally an event with
// Finished set; rows are never dropped, however slow a subscriber is, and a
// slow subscriber never delays the ingest run or the other subscribers
// (pending events are coalesced per subscriber instead of queued).
//
// The zero value is not usable; create one with NewBroadcaster. All methods
// are safe for concurrent use.
type Broadcaster struct {
	mu       sync.Mutex
	rows     []store.Row // every row published so far (append-only)
	last     ingest.Event
	errs     []ingest.Event // events that carried an Err, in order
	labels   map[string]string
	finished bool
	seq      uint64 // incremented by every Publish
	subs     map[*subscriber]struct{}
}

type subscriber struct {
	out     chan ingest.Event
	notify  chan struct{} // capacity 1: "there is something new"
	done    chan struct{} // closed by cancel
	next    int           // index into Broadcaster.rows of the next row to send
	nextErr int           // index into Broadcaster.errs
	seq     uint64        // Broadcaster.seq when s last received an event
	once    sync.Once
}

// NewBroadcaster returns an empty Broadcaster for a run that has not
// started yet.
func NewBroadcaster() *Broadcaster {
	return &Broadcaster{subs: map[*subscriber]struct{}{}, labels: map[string]string{}}
}

// Run publishes the events read from in until an event with Finished set
// arrives, in is closed, or ctx is cancelled. In the last two cases it
// publishes a final Finished event itself, so subscribers always end.
// Pass the same channel as ingest.Options.Progress.
func (b *Broadcaster) Run(ctx context.Context, in <-chan ingest.Event) {
	for {
		select {
		case ev, ok := <-in:
			if !ok {
				b.Publish(ingest.Event{Finished: true})
				return
			}
			b.Publish(ev)
			if ev.Finished {
				return
			}
		case <-ctx.Done():
			b.Publish(ingest.Event{Finished: true})
			return
		}
	}
}

// Publish records ev and wakes the subscribers. Events after one with
// Finished set are ignored. ev.Rows is copied; the caller may reuse it.
func (b *Broadcaster) Publish(ev ingest.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return
	}
	b.rows = append(b.rows, ev.Rows...)
	ev.Rows = nil
	if ev.Err != nil {
		b.errs = append(b.errs, ev)
	}
	if ev.Finished {
		b.finished = true
		if b.last.Total > ev.Total {
			ev.Total = b.last.Total
		}
	}
	ev.Err = nil
	b.last = ev
	b.seq++
	for s := range b.subs {
		s.wake()
	}
	b.releaseLocked()
}

// SetLabel records the current label of a message, so that rows replayed
// to later subscribers carry it rather than the label they had when they
// were committed. Feed it from store.Subscribe.
func (b *Broadcaster) SetLabel(id, label string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished && len(b.subs) == 0 {
		return
	}
	b.labels[id] = label
}

// ResetLabels replaces the labels recorded by SetLabel with labels, every
// current label (read after a store.ChangeResync, when label changes were
// missed): a replayed row then carries its label from labels, or none.
func (b *Broadcaster) ResetLabels(labels map[string]string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished && len(b.subs) == 0 {
		return
	}
	b.labels = maps.Clone(labels)
	for i := range b.rows {
		if r := &b.rows[i]; r.Label != "" && labels[r.ID] == "" {
			b.labels[r.ID] = ""
		}
	}
}

// Finished reports whether the run has ended.
func (b *Broadcaster) Finished() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.finished
}

// Subscribe returns a channel of events for one session and a cancel
// function (idempotent) that ends the subscription. When the run has
// already finished it returns a nil channel: the store then holds every
// row. The channel is never closed; the last event has Finished set.
func (b *Broadcaster) Subscribe() (<-chan ingest.Event, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return nil, func() {}
	}
	s := &subscriber{
		out:    make(chan ingest.Event),
		notify: make(chan struct{}, 1),
		done:   make(chan struct{}),
	}
	b.subs[s] = struct{}{}
	s.wake() // replay what was committed so far
	go b.deliver(s)
	return s.out, func() { b.unsubscribe(s) }
}

func (b *Broadcaster) unsubscribe(s *subscriber) {
	s.once.Do(func() { close(s.done) })
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs, s)
	b.releaseLocked()
}

// releaseLocked frees the replay buffer once nobody can need it again.
func (b *Broadcaster) releaseLocked() {
	if b.finished && len(b.subs) == 0 {
		b.rows = nil
		b.errs = nil
		b.labels = map[string]string{}
	}
}

func (s *subscriber) wake() {
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// deliver sends s everything it has not seen yet, coalesced, whenever it
// is woken, until it has sent the Finished event or is cancelled.
func (b *Broadcaster) deliver(s *subscriber) {
	defer b.unsubscribe(s)
	for {
		select {
		case <-s.notify:
		case <-s.done:
			return
		}
		for {
			ev, more, last := b.pending(s)
			if !more {
				break
			}
			select {
			case s.out <- ev:
			case <-s.done:
				return
			}
			if last {
				return
			}
		}
	}
}

// pending returns the next event for s: a source error first, else the
// rows s has not seen with the latest counters. more is false when there
// is nothing new; last is true for the Finished event.
func (b *Broadcaster) pending(s *subscriber) (ev ingest.Event, more, last bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s.nextErr < len(b.errs) {
		ev = b.errs[s.nextErr]
		s.nextErr++
		return ev, true, false
	}
	if s.seq == b.seq {
		return ev, false, false
	}
	s.seq = b.seq
	ev = b.last
	rows := b.rows[s.next:len(b.rows):len(b.rows)]
	s.next = len(b.rows)
	if len(rows) > 0 && len(b.labels) > 0 {
		rows = b.patchLabels(rows)
	}
	if len(rows) > 0 {
		ev.Rows = rows
	}
	return ev, true, b.finished
}

// patchLabels returns rows with the labels recorded by SetLabel, copying
// the slice only when a row needs a change.
func (b *Broadcaster) patchLabels(rows []store.Row) []store.Row {
	copied := false
	for i := range rows {
		l, ok := b.labels[rows[i].ID]
		if !ok || l == rows[i].Label {
			continue
		}
		if !copied {
			rows = append([]store.Row(nil), rows...)
			copied = true
		}
		rows[i].Label = l
	}
	return rows
}
