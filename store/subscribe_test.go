package store

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/store/internal/notify"
)

// subscribed opens a store of n filled messages (fill's seed) and
// subscribes to its changes.
func subscribed(t *testing.T, n int, seed uint64) (*Store, []*analysis.Report, <-chan Change, func()) {
	t.Helper()
	s := openTestStore(t)
	reps := fill(t, s, n, seed)
	ch, cancel := s.Subscribe()
	return s, reps, ch, cancel
}

// follow applies the changes a subscriber receives to labels, the way a
// workbench does: a label change sets one label, a resync re-reads them
// all. It reads until labels equal want or the deadline passes, and
// reports the number of resyncs seen.
func follow(t *testing.T, s *Store, ch <-chan Change, labels, want map[string]string, deadline time.Duration) int {
	t.Helper()
	resyncs := 0
	timeout := time.After(deadline)
	for !maps.Equal(labels, want) {
		select {
		case c, ok := <-ch:
			if !ok {
				t.Fatal("channel closed")
			}
			switch c.Kind {
			case "label":
				if c.Label == "" {
					delete(labels, c.ID)
				} else {
					labels[c.ID] = c.Label
				}
			case ChangeResync:
				resyncs++
				all, err := s.Labels()
				if err != nil {
					t.Fatal(err)
				}
				clear(labels)
				maps.Copy(labels, all)
			}
		case <-timeout:
			t.Fatalf("subscriber stuck with %d labels %v, want %v", len(labels), labels, want)
		}
	}
	return resyncs
}

// A subscriber that does not read while more changes are made than its
// buffer holds must still end with the true labels once it reads: the
// changes it could not take used to be dropped, so a lagging session kept
// showing stale labels.
func TestSubscribeLaggingResyncs(t *testing.T) {
	s, reps, ch, cancel := subscribed(t, 6, 8)
	defer cancel()
	start := time.Now()
	for i := range notify.Buffer + 38 { // nobody reads: must not block
		label := []string{"phish", "spam"}[(i/len(reps))%2]
		if i >= notify.Buffer+38-len(reps) { // the last word, never seen before the fix
			label = []string{"benign", ""}[i%2]
		}
		if _, err := s.SetLabel(reps[i%len(reps)].ID, label, alice); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddNote(reps[0].ID, "late note", alice); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d changes unread in %v", notify.Buffer+39, time.Since(start))
	want, err := s.Labels()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	if n := follow(t, s, ch, got, want, 5*time.Second); n != 1 {
		t.Errorf("%d resyncs, want 1", n)
	}
	// Caught up: the next change arrives as itself.
	if _, err := s.SetLabel(reps[5].ID, "phish", alice); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-ch:
		if c.Kind != "label" || c.ID != reps[5].ID || c.Label != "phish" {
			t.Errorf("change after the resync = %+v", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no change after the resync")
	}
}

// Changes are announced in commit order: writers labeling the same
// messages at once used to return from their batch, and announce, in
// another order than they committed, so a subscriber applied an older
// label last and kept it.
func TestSubscribeCommitOrder(t *testing.T) {
	s, reps, ch, cancel := subscribed(t, 2, 9)
	defer cancel()
	wantc := make(chan map[string]string, 1)
	result := make(chan error, 1)
	go func() { // a prompt reader (it may still lag: it then resyncs)
		got := map[string]string{}
		var want map[string]string
		var deadline <-chan time.Time
		for {
			if want != nil && maps.Equal(got, want) {
				result <- nil
				return
			}
			select {
			case c := <-ch:
				switch {
				case c.Kind == ChangeResync:
					all, err := s.Labels()
					if err != nil {
						result <- err
						return
					}
					clear(got)
					maps.Copy(got, all)
				case c.Label == "":
					delete(got, c.ID)
				default:
					got[c.ID] = c.Label
				}
			case want = <-wantc:
				deadline = time.After(2 * time.Second)
			case <-deadline:
				result <- fmt.Errorf("subscriber ended with %v, want %v", got, want)
				return
			}
		}
	}()
	cycle := []string{"phish", "spam", ""}
	const writers, each = 6, 100
	errc := make(chan error, writers)
	for w := range writers {
		go func() {
			for i := range each {
				_, err := s.SetLabel(reps[i%len(reps)].ID, cycle[(i+w)%len(cycle)], alice)
				if err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for range writers {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	want, err := s.Labels()
	if err != nil {
		t.Fatal(err)
	}
	wantc <- want
	if err := <-result; err != nil {
		t.Fatal(err)
	}
}

// Cancelling, or closing the store, while a resync is owed closes the
// channel and does not leave the resync goroutine behind.
func TestSubscribeCancelWhileOwed(t *testing.T) {
	for _, byClose := range []bool{false, true} {
		s, reps, ch, cancel := subscribed(t, 1, 10)
		for i := range notify.Buffer + 2 {
			if _, err := s.SetLabel(reps[0].ID, []string{"phish", "spam"}[i%2], alice); err != nil {
				t.Fatal(err)
			}
		}
		if byClose {
			s.Close()
		} else {
			cancel()
			cancel()
		}
		n := 0
		timeout := time.After(5 * time.Second)
	drain:
		for {
			select {
			case _, ok := <-ch:
				if !ok {
					break drain
				}
				n++
			case <-timeout:
				t.Fatalf("close=%v: channel not closed after %d changes", byClose, n)
			}
		}
		if n < notify.Buffer {
			t.Errorf("close=%v: %d changes before the close, want ≥ %d", byClose, n, notify.Buffer)
		}
		s.Close()
	}
}
