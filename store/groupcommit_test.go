package store

import (
	"errors"
	"sync"
	"testing"
)

// Concurrent analyst writes share commits; a write that fails (an unknown
// message, an undo refused) gets its own error and takes nothing of the
// others down with it, and every other write is committed.
func TestGroupCommitFailuresAreTheirOwn(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 8, 11)
	var wg sync.WaitGroup
	errs := make([]error, 48)
	for i := range errs {
		wg.Go(func() {
			switch i % 3 {
			case 0:
				_, errs[i] = s.SetLabel(idOf("unknown"+string(rune('a'+i))), "phish", alice)
			case 1:
				_, errs[i] = s.SetLabel(reps[i%len(reps)].ID, "spam", alice)
			default:
				_, errs[i] = s.SetLabelIf(reps[(i+1)%len(reps)].ID, "benign", "nonsense", alice)
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		want := []error{ErrNotFound, nil, ErrLabelChanged}[i%3]
		if !errors.Is(err, want) || (want == nil && err != nil) {
			t.Errorf("write %d: err %v, want %v", i, err, want)
		}
	}
	all, err := s.Labels()
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(errs); i += 3 {
		if id := reps[i%len(reps)].ID; all[id] != "spam" {
			t.Errorf("%s labeled %q, want spam", id, all[id])
		}
	}
	checkInvariants(t, s)
}
