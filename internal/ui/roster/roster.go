// Package roster is the set of analysts connected to one server (SSH
// mode), shared by its sessions, who learn of changes through a watch.
package roster

import (
	"slices"
	"sync"
)

// Roster is the set of analysts connected to one server, shared by its
// sessions (serve creates one). It is safe for concurrent use; sessions
// learn of changes through Watch.
type Roster struct {
	mu    sync.Mutex
	count map[string]int
	subs  map[chan struct{}]struct{}
}

// New returns an empty roster.
func New() *Roster {
	return &Roster{count: map[string]int{}, subs: map[chan struct{}]struct{}{}}
}

// Join adds an analyst (a name may join several times) and returns the
// function that removes this entry again (idempotent).
func (r *Roster) Join(name string) (leave func()) {
	r.mu.Lock()
	r.count[name]++
	r.notifyLocked()
	r.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			if r.count[name]--; r.count[name] <= 0 {
				delete(r.count, name)
			}
			r.notifyLocked()
		})
	}
}

// Names returns the connected analysts, sorted, each once.
func (r *Roster) Names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.count))
	for n := range r.count {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Watch returns a channel that receives a value after the roster changed
// (changes coalesce), and a function that ends the watch.
func (r *Roster) Watch() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	r.mu.Lock()
	r.subs[ch] = struct{}{}
	r.mu.Unlock()
	return ch, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if _, ok := r.subs[ch]; ok {
			delete(r.subs, ch)
			close(ch)
		}
	}
}

func (r *Roster) notifyLocked() {
	for ch := range r.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
