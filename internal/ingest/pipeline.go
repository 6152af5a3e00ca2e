package ingest

import (
	"context"
	"io"
	"sync"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/store"
)

// readBatch is the number of messages per job of the worker pool.
const readBatch = 32

// job is a run of messages in mailbox order; skips happened before them.
type job struct {
	seq   int
	skips []Skip
	msgs  []*mailbox.Message
	pos   int64 // mbox: offset after the job's last message
}

// result is a job analysed.
type result struct {
	seq   int
	skips []Skip
	items []Item
	bytes int64
	pos   int64           // the job's pos
	prep  *store.Prepared // the items encoded for the store (see prepare)
	err   error           // the store refused the items
}

// readEnd is how the reader stopped.
type readEnd struct {
	tail int64 // mbox: offset after the last message read
	err  error // a read error that ended the mailbox early
}

// wbatch is a batch of prepared jobs for the committer and its progress
// event.
type wbatch struct {
	preps []*store.Prepared
	rows  []store.Row
	ev    Event // progress after the batch (without rows)
}

// pipeline reads rd, analyses on the worker pool and delivers in order.
// It returns the IDs in mailbox order and, for mbox, the offset after the
// last message read. It closes rd.
//
// When ctx is cancelled it returns ctx.Err() without waiting for the
// reader, which may be blocked in a read that nothing can interrupt
// (standard input); the reader closes rd and exits when its read returns.
func (r *runner) pipeline(ctx context.Context, rd mailbox.Reader, skips *skipQueue) (ids []string, tail int64, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, r.opts.Workers*2)
	results := make(chan result, r.opts.Workers*2)
	readDone := make(chan readEnd, 1)
	go func() {
		defer rd.Close()
		readDone <- r.read(ctx, rd, skips, jobs)
	}()
	r.analyseAll(ctx, jobs, results)

	// Store commits run on their own goroutine (writer.go) so that
	// analysis goes on while batches are committed (fsync). The workers
	// encode (see prepare). Rows are announced only after their batch is
	// durable.
	writes := make(chan wbatch, queuedBatches)
	werr := make(chan error, 1)
	go func() { werr <- r.write(ctx, cancel, writes) }()

	ids, stopErr := r.collect(ctx, cancel, results, writes)
	close(writes)
	if err := <-werr; err != nil {
		return ids, 0, err
	}
	if stopErr != nil {
		return ids, 0, stopErr
	}
	if err := ctx.Err(); err != nil {
		return ids, 0, err
	}
	// Not cancelled: the workers ended because the reader closed jobs.
	end := <-readDone
	return ids, end.tail, end.err
}

// read is the reader goroutine: it batches the messages of rd into jobs,
// with the skips the mailbox reader reported before each message, and
// closes jobs at the end.
func (r *runner) read(ctx context.Context, rd mailbox.Reader, skips *skipQueue, jobs chan<- job) (end readEnd) {
	defer close(jobs)
	cur := job{}
	send := func() bool {
		if len(cur.msgs) == 0 && len(cur.skips) == 0 {
			return true
		}
		cur.pos = end.tail
		select {
		case jobs <- cur:
		case <-ctx.Done():
			return false
		}
		cur = job{seq: cur.seq + 1, msgs: make([]*mailbox.Message, 0, readBatch)}
		return true
	}
	for {
		m, err := rd.Next()
		if q := skips.take(); len(q) > 0 {
			// Keep mailbox order: the skips come after the messages read
			// so far and before m.
			if len(cur.msgs) > 0 && !send() {
				return end
			}
			cur.skips = append(cur.skips, q...)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			end.err = err
			break
		}
		if m.Loc.Length > 0 {
			end.tail = max(end.tail, m.Loc.Offset+m.Loc.Length)
		}
		cur.msgs = append(cur.msgs, m)
		if len(cur.msgs) == readBatch && !send() {
			return end
		}
	}
	send()
	return end
}

// analyseAll starts the worker pool: jobs are analysed into results, and
// results is closed when every worker has stopped (jobs closed or ctx
// cancelled).
func (r *runner) analyseAll(ctx context.Context, jobs <-chan job, results chan<- result) {
	var wg sync.WaitGroup
	for range r.opts.Workers {
		wg.Go(func() {
			for {
				var j job
				var ok bool
				select {
				case j, ok = <-jobs:
				case <-ctx.Done():
					return
				}
				if !ok {
					return
				}
				res := result{seq: j.seq, skips: j.skips, items: make([]Item, len(j.msgs)), pos: j.pos}
				for i, m := range j.msgs {
					res.items[i] = r.analyse(ctx, m)
					res.bytes += int64(len(m.Raw))
				}
				if r.opts.Store != nil && len(res.items) > 0 {
					res.prep, res.err = r.prepare(res.items)
				}
				select {
				case results <- res:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() { wg.Wait(); close(results) }()
}

// collect puts results back in mailbox order, delivers skips and items
// (Emit, OnSkip, progress) and hands store batches to the writer. It
// returns the IDs delivered and the error of Emit that stopped the run.
func (r *runner) collect(ctx context.Context, cancel context.CancelFunc, results <-chan result, writes chan<- wbatch) (ids []string, stopErr error) {
	pending := map[int]result{}
	next := 0
	var preps []*store.Prepared
	var rows []store.Row
	var pos int64 // offset after the last message delivered
	flush := func() {
		if len(rows) == 0 {
			return
		}
		select {
		case writes <- wbatch{preps: preps, rows: rows, ev: r.event(r.stats.Messages, r.rate(), pos)}:
		case <-ctx.Done():
		}
		preps, rows = nil, nil
	}
	for res := range results {
		if stopErr != nil {
			continue // drain
		}
		pending[res.seq] = res
		for stopErr == nil {
			cur, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			r.skipped(ctx, cur.skips, pos)
			if cur.err != nil {
				stopErr = cur.err
				cancel()
				break
			}
			r.stats.Bytes += cur.bytes
			pos = max(pos, cur.pos)
			for _, it := range cur.items {
				ids = append(ids, it.ID)
				r.stats.Messages++
				r.stats.Analyzed++
				if r.opts.Emit != nil {
					if err := r.opts.Emit(it); err != nil {
						stopErr = emitErr{err}
						cancel()
						break
					}
				}
				rows = append(rows, it.Row)
			}
			if cur.prep != nil {
				preps = append(preps, cur.prep)
			}
			if stopErr == nil && len(rows) >= r.opts.BatchSize {
				flush()
			}
		}
	}
	if stopErr == nil {
		flush()
	}
	return ids, stopErr
}

// prepare encodes a job's analysed items for the store (store.Prepare) in
// the worker that analysed them, and drops their reports unless the run
// needs them (Options.NeedReports). A report shares buffers with its
// message's parse (header arena, decoded bodies): some 65 KB each on
// big.mbox. When the reports waited in the queues for a writer to encode
// them, an ingest's live heap was twice a scan's without a store, and the
// collector's cost with it.
func (r *runner) prepare(items []Item) (*store.Prepared, error) {
	entries := make([]store.Entry, len(items))
	for i := range items {
		if !r.opts.NeedReports {
			items[i].Report.Headers = nil // not stored (re-read from the message): no copy without them
		}
		entries[i] = store.Entry{Report: items[i].Report, Locator: items[i].Loc, Row: &items[i].Row}
	}
	p, err := r.opts.Store.Prepare(entries)
	if !r.opts.NeedReports {
		for i := range items {
			items[i].Report = nil
		}
	}
	return p, err
}

// skipped counts and announces skipped files.
func (r *runner) skipped(ctx context.Context, skips []Skip, pos int64) {
	for _, s := range skips {
		r.stats.Skipped++
		if r.opts.OnSkip != nil {
			r.opts.OnSkip(s)
		}
		ev := r.event(r.stats.Messages, r.rate(), pos)
		ev.Source, ev.Skipped = s.Mailbox, []Skip{s}
		r.send(ctx, ev)
	}
}

func (r *runner) analyse(ctx context.Context, m *mailbox.Message) Item {
	if r.opts.parseOnly {
		p := message.Parse(m.Raw, r.opts.Analyzer.Limits())
		rep := &analysis.Report{ID: m.ID(), Size: len(m.Raw), Summary: p.Summary, Warnings: p.Warnings}
		return Item{ID: rep.ID, Loc: m.Loc, Report: rep}
	}
	rep := r.opts.Analyzer.Analyze(m.Raw)
	if r.opts.Enrich != nil {
		r.opts.Enrich(ctx, rep)
	}
	if len(m.Warnings) > 0 {
		rep.Warnings = append(append([]string(nil), m.Warnings...), rep.Warnings...)
	}
	loc := m.Loc
	if rep.Wrapper != nil {
		loc.Unwrap = rep.Wrapper.Path // the original inside the wrapper at m.Loc
	}
	return Item{ID: rep.ID, Loc: loc, Report: rep, Row: store.RowFromReport(rep)}
}

// reportedCounts replaces the Reported of rows that came out of a report
// wrapper with the store's count of reports (the same original reported
// by many people is one row). A failed look-up keeps the rows as they are.
func reportedCounts(st *store.Store, rows []store.Row) {
	var ids []string
	for i := range rows {
		if rows[i].Reported > 0 {
			ids = append(ids, rows[i].ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	n, err := st.ReportedCount(ids)
	if err != nil {
		return
	}
	for i := range rows {
		if c := n[rows[i].ID]; c > 0 {
			rows[i].Reported = c
		}
	}
}
