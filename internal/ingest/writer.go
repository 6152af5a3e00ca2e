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
	queuedBatches = 4                     // prepared batches waiting for the committer
	minCommitGap  = 20 * time.Millisecond // floor, so tiny commits do not run back to back
)

// write is the writer goroutine: it commits the batches (prepared by the
// workers) in groups, see commit. After a store error it cancels the run
// and drains. Without a store it only announces the rows.
func (r *runner) write(ctx context.Context, cancel context.CancelFunc, writes <-chan wbatch) error {
	if r.opts.Store == nil {
		for wb := range writes {
			ev := wb.ev
			ev.Rows = wb.rows
			r.send(ctx, ev)
		}
		return nil
	}
	return r.commit(ctx, cancel, writes)
}

// commit commits the queued batches in groups (see the comment on
// commitShare) and announces each batch's rows once its group is durable.
func (r *runner) commit(ctx context.Context, cancel context.CancelFunc, queue <-chan wbatch) error {
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
			var ps []*store.Prepared
			for _, wb := range group {
				ps = append(ps, wb.preps...)
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
func gather(queue <-chan wbatch, first wbatch, deadline time.Time) (group []wbatch, open bool) {
	group = []wbatch{first}
	size := first.size()
	wait := time.Until(deadline)
	if wait <= 0 {
		wait = 0
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	expired := t.C // nil once the deadline has passed
	for size < maxGroupBytes {
		var pb wbatch
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
		size += pb.size()
	}
	return group, true
}

// size is the encoded bytes the batch holds.
func (wb wbatch) size() int {
	n := 0
	for _, p := range wb.preps {
		n += p.Size()
	}
	return n
}
