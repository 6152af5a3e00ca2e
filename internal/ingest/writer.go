package ingest

import (
	"context"
	"time"

	"github.com/triage-tools/triage/store"
)

// Group commit. The store's message-keyed buckets (rows, locators, the
// Message-ID and report indexes) are keyed by hash, so every commit
// rewrites pages all over them: a commit costs about the same for 500
// messages as for 5,000, and that cost grows with the store. Committing
// every batch made ingest quadratic (a 100k-message scan spent most of
// its store time rewriting the same pages). So batches are encoded as
// they arrive, and a committer writes whatever has queued in one
// transaction, waiting between commits a few times as long as the last
// commit took: the committer's share of the time stays bounded whatever
// the store size, and commits stay frequent while they are cheap.
const (
	commitShare   = 3                     // wait this many times the last commit's duration
	maxCommitGap  = 2 * time.Second       // but never longer (rows appear in the UI at commit)
	maxGroupBytes = 8 << 20               // commit early when this much encoded data is queued
	queuedBatches = 4                     // encoded batches waiting for the committer
	minCommitGap  = 20 * time.Millisecond // floor, so tiny commits do not run back to back
)

// prepared is a batch encoded for the store, with its progress event.
type prepared struct {
	p    *store.Prepared
	rows []store.Row
	ev   Event
}

// write is the writer goroutine: it encodes each batch as it arrives
// (store.Prepare, off the commit path) and hands it to the committer. After
// a store error it cancels the run and drains. Without a store it only
// announces the rows.
func (r *runner) write(ctx context.Context, cancel context.CancelFunc, writes <-chan wbatch) error {
	if r.opts.Store == nil {
		for wb := range writes {
			ev := wb.ev
			ev.Rows = wb.rows
			r.send(ctx, ev)
		}
		return nil
	}
	queue := make(chan prepared, queuedBatches)
	cerr := make(chan error, 1)
	go func() { cerr <- r.commit(ctx, cancel, queue) }()
	var err error
	for wb := range writes {
		if err != nil || len(wb.entries) == 0 {
			continue // drain after a failure
		}
		var p *store.Prepared
		if p, err = r.opts.Store.Prepare(wb.entries); err != nil {
			cancel()
			continue
		}
		select {
		case queue <- prepared{p: p, rows: wb.rows, ev: wb.ev}:
		case <-ctx.Done():
		}
	}
	close(queue)
	if cer := <-cerr; err == nil {
		err = cer
	}
	return err
}

// commit is the committer goroutine: it commits the queued batches in
// groups (see the comment on commitShare) and announces each batch's rows
// once its group is durable.
func (r *runner) commit(ctx context.Context, cancel context.CancelFunc, queue <-chan prepared) error {
	var (
		err  error
		gap  = minCommitGap
		last time.Time
	)
	for {
		first, ok := <-queue
		if !ok {
			return err
		}
		group, open := gather(queue, first, last.Add(gap))
		if err == nil {
			ps := make([]*store.Prepared, len(group))
			for i := range group {
				ps[i] = group[i].p
			}
			start := time.Now()
			if err = r.opts.Store.Commit(ps...); err != nil {
				cancel()
			} else {
				last = time.Now()
				gap = min(max(minCommitGap, commitShare*last.Sub(start)), maxCommitGap)
				for _, pb := range group {
					reportedCounts(r.opts.Store, pb.rows)
					ev := pb.ev
					ev.Rows = pb.rows
					r.send(ctx, ev)
				}
			}
		}
		if !open {
			return err
		}
	}
}

// gather returns first and the batches that arrive on queue until
// deadline, until maxGroupBytes are gathered, or until queue is closed
// (open false).
func gather(queue <-chan prepared, first prepared, deadline time.Time) (group []prepared, open bool) {
	group = []prepared{first}
	size := first.p.Size()
	wait := time.Until(deadline)
	if wait <= 0 {
		wait = 0
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	expired := t.C // nil once the deadline has passed
	for size < maxGroupBytes {
		var pb prepared
		var ok bool
		if expired == nil {
			// Deadline passed: take what is already queued, then commit.
			select {
			case pb, ok = <-queue:
			default:
				return group, true
			}
		} else {
			select {
			case pb, ok = <-queue:
			case <-expired:
				expired = nil
				continue
			}
		}
		if !ok {
			return group, false
		}
		group = append(group, pb)
		size += pb.p.Size()
	}
	return group, true
}
