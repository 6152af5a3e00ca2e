package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/triage-tools/triage/store"
)

// preparedBatches analyses an mbox of n messages and prepares one store
// batch per message.
func preparedBatches(t *testing.T, st *store.Store, n int) []wbatch {
	t.Helper()
	var out []wbatch
	path := tempMbox(t, n)
	_, err := Run(context.Background(), []string{path}, Options{Emit: func(it Item) error {
		p, err := st.Prepare([]store.Entry{{Report: it.Report, Locator: it.Loc}})
		if err != nil {
			return err
		}
		out = append(out, wbatch{preps: []*store.Prepared{p}, rows: []store.Row{it.Row}})
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGatherGroupsQueuedBatches checks the group commit: everything
// already queued when the wait is over goes into one commit, and a closed
// queue ends the gathering.
func TestGatherGroupsQueuedBatches(t *testing.T) {
	st := openTemp(t)
	bs := preparedBatches(t, st, 5)
	queue := make(chan wbatch, 8)
	for _, b := range bs[1:4] {
		queue <- b
	}
	group, open := gather(queue, bs[0], time.Now().Add(-time.Second))
	if len(group) != 4 || !open {
		t.Fatalf("gathered %d batches (open %v), want the first and the 3 queued", len(group), open)
	}
	start := time.Now()
	group, open = gather(queue, bs[0], start.Add(20*time.Millisecond))
	if len(group) != 1 || !open || time.Since(start) < 20*time.Millisecond {
		t.Fatalf("empty open queue: gathered %d batches (open %v) after %v, want the first alone at the deadline", len(group), open, time.Since(start))
	}
	queue <- bs[4]
	close(queue)
	group, open = gather(queue, bs[0], time.Now().Add(time.Hour))
	if len(group) != 2 || open {
		t.Fatalf("gathered %d batches (open %v) from a closed queue, want 2 and closed", len(group), open)
	}
	ps := make([]*store.Prepared, 0, len(bs))
	for _, b := range bs {
		ps = append(ps, b.preps...)
	}
	if err := st.Commit(ps...); err != nil {
		t.Fatal(err)
	}
	if n, err := st.Count(); err != nil || n != 5 {
		t.Fatalf("one commit of 5 batches stored %d messages (%v)", n, err)
	}
}
