package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/store"
)

// Options configure one ingest run.
type Options struct {
	// Analyzer analyses the messages; nil means analysis.New(nil).
	Analyzer *analysis.Analyzer
	// Store receives reports, rows and locators in batches; nil analyses
	// without storing.
	Store *store.Store
	// Workers is the number of analysis goroutines; 0 means GOMAXPROCS+1.
	Workers int
	// BatchSize is the number of messages per store transaction and per
	// progress event; 0 means 512.
	BatchSize int
	// Reanalyze analyses every message again even when the store already
	// holds a report for it made by the current analyzer version, and reads
	// unchanged sources again.
	Reanalyze bool
	// NeedReports makes Emit receive full reports and locators for messages
	// loaded from the store (unchanged sources); otherwise those items carry
	// only a Row.
	NeedReports bool
	// Enrich, when non-nil, is called by the workers on every new report
	// after analysis (network context, extra findings). It must be safe for
	// concurrent use.
	Enrich func(*analysis.Report)
	// Stdin is read for the path "-".
	Stdin io.Reader
	// NoCachedRows leaves the rows of unchanged sources out of the progress
	// events (when Emit is nil): for a consumer that reads Store.Rows()
	// itself, such as the workbench.
	NoCachedRows bool
	// Emit, when non-nil, is called for every message in mailbox order, from
	// a single goroutine. An error from Emit stops the run.
	Emit func(Item) error
	// parseOnly replaces analysis by parsing (benchmarks of the
	// read + parse ceiling).
	parseOnly bool
	// Progress, when non-nil, receives an Event per batch and a final event
	// with Finished set. Sends block (so rows are never lost) unless the
	// context is cancelled; the channel is not closed by Run.
	Progress chan<- Event
}

// Item is one message delivered to Options.Emit.
type Item struct {
	ID     string
	Loc    mailbox.Locator
	Row    store.Row
	Report *analysis.Report // nil for a cached item unless NeedReports
	Cached bool             // loaded from the store, not analysed in this run
}

// Stats summarise a run.
type Stats struct {
	Sources  int
	Messages int   // messages delivered (analysed + cached)
	Analyzed int   // messages analysed in this run
	Cached   int   // messages loaded from the store without analysis
	Bytes    int64 // raw bytes analysed
	Elapsed  time.Duration
}

// SourceError reports a mailbox that could not be read. Run goes on with
// the other sources and returns all SourceErrors joined.
type SourceError struct {
	Path string
	Err  error
}

func (e *SourceError) Error() string {
	msg := e.Err.Error()
	if strings.Contains(msg, e.Path) {
		return msg // the cause already names the mailbox
	}
	return e.Path + ": " + msg
}
func (e *SourceError) Unwrap() error { return e.Err }

type job struct {
	seq  int
	msgs []*mailbox.Message
}

type result struct {
	seq   int
	items []Item
	bytes int64
}

const readBatch = 32

// bulkRows is the source size from which cached rows are read with one
// walk over the whole rows bucket.
const bulkRows = 5000

// Run reads every source in turn, analyses new messages on a worker pool
// and delivers them in order to Emit and, batched, to the store. It stops
// early when ctx is cancelled; whatever was committed stays consistent
// (each batch is one transaction). The returned error joins the
// SourceErrors of unreadable mailboxes, plus ctx.Err() or an Emit/store
// error that stopped the run.
func Run(ctx context.Context, paths []string, opts Options) (Stats, error) {
	if opts.Analyzer == nil {
		opts.Analyzer = analysis.New(nil)
	}
	if opts.Workers <= 0 {
		// One worker more than cores: the reader, the in-order collector
		// and the store writer block now and then, and the spare worker
		// keeps both cores busy meanwhile.
		opts.Workers = runtime.GOMAXPROCS(0) + 1
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 512
	}
	r := &runner{opts: opts, start: time.Now()}
	var errs []error
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		r.stats.Sources++
		err := r.source(ctx, p)
		if err == nil {
			continue
		}
		var se *SourceError
		if errors.As(err, &se) {
			errs = append(errs, err)
			r.send(ctx, Event{Source: p, Err: err})
			continue
		}
		errs = append(errs, err)
		break
	}
	r.stats.Elapsed = time.Since(r.start)
	r.send(ctx, Event{Done: r.stats.Messages, Total: r.stats.Messages, Rate: r.rate(), Finished: true})
	return r.stats, errors.Join(errs...)
}

type runner struct {
	opts  Options
	start time.Time
	stats Stats
	total int // estimated total for progress
}

func (r *runner) rate() float64 {
	el := time.Since(r.start).Seconds()
	if el <= 0 {
		return 0
	}
	return float64(r.stats.Messages) / el
}

func (r *runner) send(ctx context.Context, ev Event) {
	if r.opts.Progress == nil {
		return
	}
	select {
	case r.opts.Progress <- ev:
	case <-ctx.Done():
	}
}

// fingerprint describes the current state of a source on disk.
func fingerprint(path string) (store.Fingerprint, bool) {
	if path == "-" {
		return store.Fingerprint{}, false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return store.Fingerprint{}, false
	}
	fi, err := os.Stat(abs)
	if err != nil || fi.IsDir() {
		// Directories (maildir, eml folders) change without their own
		// mtime changing reliably; always read them.
		return store.Fingerprint{}, false
	}
	return store.Fingerprint{
		Path:            abs,
		Size:            fi.Size(),
		ModTime:         fi.ModTime().UTC(),
		Inode:           inode(fi),
		AnalyzerVersion: analysis.Version,
	}, true
}

func (r *runner) source(ctx context.Context, path string) error {
	st := r.opts.Store
	cur, canFP := fingerprint(path)
	var prev store.Fingerprint
	var known bool
	if st != nil && canFP {
		var err error
		prev, known, err = st.Fingerprint(cur.Path)
		if err != nil {
			return err
		}
	}
	if known && !r.opts.Reanalyze && prev.AnalyzerVersion == analysis.Version &&
		prev.Size == cur.Size && prev.ModTime.Equal(cur.ModTime) && prev.Inode == cur.Inode {
		return r.cached(ctx, path, cur.Path)
	}
	var (
		rd       mailbox.Reader
		err      error
		appended bool
	)
	if known && !r.opts.Reanalyze && prev.AnalyzerVersion == analysis.Version &&
		prev.Inode == cur.Inode && prev.TailOffset > 0 && cur.Size > prev.Size {
		// An mbox that grew: deliver the known messages from the store and
		// analyse only the tail.
		rd, err = openMboxTail(cur.Path, prev.TailOffset)
		if err == nil {
			appended = true
			if err := r.cached(ctx, path, cur.Path); err != nil {
				rd.Close()
				return err
			}
		}
	}
	if rd == nil && path == "-" && r.opts.Stdin != nil {
		rd, err = mailbox.OpenReader("-", r.opts.Stdin)
	} else if rd == nil {
		open := path
		if abs, aerr := filepath.Abs(path); aerr == nil && path != "-" {
			open = abs // locators carry absolute paths so they stay valid
		}
		rd, err = mailbox.Open(open)
	}
	if err != nil {
		return &SourceError{Path: path, Err: err}
	}
	defer rd.Close()
	ids, tail, err := r.pipeline(ctx, rd)
	if err != nil {
		var se *SourceError
		if !errors.As(err, &se) && ctx.Err() == nil && !isEmitErr(err) {
			err = &SourceError{Path: path, Err: err}
		}
		return err
	}
	if st != nil && canFP {
		cur.Count = len(ids)
		if rd.Kind() == mailbox.KindMbox {
			cur.TailOffset = tail
		}
		if appended {
			cur.Count += prev.Count
			return st.AppendSource(cur, ids)
		}
		return st.PutSource(cur, ids)
	}
	return nil
}

// cached delivers the messages of an unchanged source from the store.
func (r *runner) cached(ctx context.Context, path, abs string) error {
	st := r.opts.Store
	ids, err := st.SourceIDs(abs)
	if err != nil {
		return err
	}
	if r.opts.Emit == nil && r.opts.NoCachedRows {
		r.stats.Messages += len(ids)
		r.stats.Cached += len(ids)
		r.send(ctx, Event{Source: path, Done: r.stats.Messages, Total: max(r.total, r.stats.Messages), Rate: r.rate()})
		return nil
	}
	locs := make(map[string]mailbox.Locator, len(ids))
	if r.opts.Emit != nil && r.opts.NeedReports {
		for _, id := range ids {
			ls, err := st.Locators(id)
			if err != nil {
				return err
			}
			for _, l := range ls {
				if l.Path == path || l.Path == abs {
					locs[id] = fromStoreLoc(l)
					break
				}
			}
		}
	}
	// For a large source one sequential walk over all rows beats as many
	// random look-ups (the rows bucket is keyed by hash).
	var all map[string]store.Row
	if len(ids) >= bulkRows {
		rows, err := st.Rows()
		if err != nil {
			return err
		}
		all = make(map[string]store.Row, len(rows))
		for _, row := range rows {
			all[row.ID] = row
		}
	}
	for start := 0; start < len(ids); start += r.opts.BatchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(start+r.opts.BatchSize, len(ids))
		var rows []store.Row
		if all != nil {
			rows = make([]store.Row, 0, end-start)
			for _, id := range ids[start:end] {
				if row, ok := all[id]; ok {
					rows = append(rows, row)
				}
			}
		} else if rows, err = st.RowsFor(ids[start:end]); err != nil {
			return err
		}
		for i, row := range rows {
			it := Item{ID: row.ID, Row: row, Cached: true, Loc: locs[ids[start+i]]}
			if r.opts.NeedReports {
				if it.Report, err = st.Report(row.ID); err != nil {
					return err
				}
			}
			if r.opts.Emit != nil {
				if err := r.opts.Emit(it); err != nil {
					return emitErr{err}
				}
			}
		}
		r.stats.Messages += len(rows)
		r.stats.Cached += len(rows)
		r.send(ctx, Event{Source: path, Done: r.stats.Messages, Total: max(r.total, r.stats.Messages), Rate: r.rate(), Rows: rows})
	}
	return nil
}

type emitErr struct{ err error }

func (e emitErr) Error() string { return e.err.Error() }
func (e emitErr) Unwrap() error { return e.err }

func isEmitErr(err error) bool {
	var e emitErr
	return errors.As(err, &e)
}

// pipeline reads rd, analyses on the worker pool and delivers in order.
// It returns the IDs in mailbox order and, for mbox, the offset after the
// last message read.
func (r *runner) pipeline(ctx context.Context, rd mailbox.Reader) (ids []string, tail int64, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, r.opts.Workers*2)
	results := make(chan result, r.opts.Workers*2)

	var readErr error
	go func() {
		defer close(jobs)
		seq := 0
		batch := make([]*mailbox.Message, 0, readBatch)
		flush := func() bool {
			if len(batch) == 0 {
				return true
			}
			select {
			case jobs <- job{seq: seq, msgs: batch}:
			case <-ctx.Done():
				return false
			}
			seq++
			batch = make([]*mailbox.Message, 0, readBatch)
			return true
		}
		for {
			m, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				readErr = err
				break
			}
			if m.Loc.Length > 0 {
				tail = max(tail, m.Loc.Offset+m.Loc.Length)
			}
			batch = append(batch, m)
			if len(batch) == readBatch && !flush() {
				return
			}
		}
		flush()
	}()

	var wg sync.WaitGroup
	for range r.opts.Workers {
		wg.Go(func() {
			for j := range jobs {
				res := result{seq: j.seq, items: make([]Item, len(j.msgs))}
				for i, m := range j.msgs {
					res.items[i] = r.analyse(m)
					res.bytes += int64(len(m.Raw))
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

	// Store writes run on their own goroutine so that analysis goes on
	// while a batch is committed (fsync). Rows are announced only after
	// their batch is durable.
	type wbatch struct {
		entries []store.Entry
		rows    []store.Row
		done    int
		rate    float64
	}
	writes := make(chan wbatch, 1)
	werr := make(chan error, 1)
	go func() {
		var err error
		for wb := range writes {
			if err != nil {
				continue // drain after a failure
			}
			if r.opts.Store != nil && len(wb.entries) > 0 {
				if err = r.opts.Store.PutBatch(wb.entries); err != nil {
					cancel()
					continue
				}
			}
			r.send(ctx, Event{Done: wb.done, Total: max(r.total, wb.done), Rate: wb.rate, Rows: wb.rows})
		}
		werr <- err
	}()
	pending := map[int]result{}
	next := 0
	var batch []store.Entry
	var rows []store.Row
	flush := func() {
		if len(rows) == 0 {
			return
		}
		select {
		case writes <- wbatch{entries: batch, rows: rows, done: r.stats.Messages, rate: r.rate()}:
		case <-ctx.Done():
		}
		batch, rows = nil, nil
	}
	var stopErr error
	for res := range results {
		if stopErr != nil {
			continue // drain
		}
		pending[res.seq] = res
		for {
			cur, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			r.stats.Bytes += cur.bytes
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
				if r.opts.Store != nil {
					batch = append(batch, store.Entry{Report: it.Report, Locator: toStoreLoc(it.Loc), Row: &it.Row})
				}
				rows = append(rows, it.Row)
			}
			if stopErr == nil && len(rows) >= r.opts.BatchSize {
				flush()
			}
		}
	}
	if stopErr == nil {
		flush()
	}
	close(writes)
	if err := <-werr; err != nil {
		return ids, tail, err
	}
	if stopErr != nil {
		return ids, tail, stopErr
	}
	if err := ctx.Err(); err != nil {
		return ids, tail, err
	}
	if readErr != nil {
		return ids, tail, readErr
	}
	return ids, tail, nil
}

func (r *runner) analyse(m *mailbox.Message) Item {
	if r.opts.parseOnly {
		p := message.Parse(m.Raw, r.opts.Analyzer.Limits())
		rep := &analysis.Report{ID: m.ID(), Size: len(m.Raw), Summary: p.Summary, Warnings: p.Warnings}
		return Item{ID: rep.ID, Loc: m.Loc, Report: rep}
	}
	rep := r.opts.Analyzer.Analyze(m.Raw)
	if r.opts.Enrich != nil {
		r.opts.Enrich(rep)
	}
	if len(m.Warnings) > 0 {
		rep.Warnings = append(append([]string(nil), m.Warnings...), rep.Warnings...)
	}
	return Item{ID: rep.ID, Loc: m.Loc, Report: rep, Row: store.RowFromReport(rep)}
}

func toStoreLoc(l mailbox.Locator) store.Locator {
	return store.Locator{Path: l.Path, Offset: l.Offset, Length: l.Length, File: l.File, Flags: l.Flags, Folder: l.Folder}
}

func fromStoreLoc(l store.Locator) mailbox.Locator {
	return mailbox.Locator{Path: l.Path, Offset: l.Offset, Length: l.Length, File: l.File, Flags: l.Flags, Folder: l.Folder}
}

// ToStoreLocator converts a mailbox locator to the store's form.
func ToStoreLocator(l mailbox.Locator) store.Locator { return toStoreLoc(l) }

// FromStoreLocator converts a store locator to the mailbox's form.
func FromStoreLocator(l store.Locator) mailbox.Locator { return fromStoreLoc(l) }

// openMboxTail opens the part of an uncompressed mbox that starts at off
// (the end of the last message seen before). It fails unless a "From "
// separator starts there (possibly after blank lines), so a file that was
// rewritten rather than appended to is read in full instead.
func openMboxTail(path string, off int64) (mailbox.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 512)
	n, _ := f.ReadAt(head, off)
	head = head[:n]
	skip := 0
	for skip < len(head) && (head[skip] == '\n' || head[skip] == '\r') {
		skip++
	}
	if !bytes.HasPrefix(head[skip:], []byte("From ")) {
		f.Close()
		return nil, errors.New("mbox tail does not start with a separator")
	}
	start := off + int64(skip)
	rd, err := mailbox.OpenReader(path, io.NewSectionReader(f, start, 1<<62))
	if err != nil {
		f.Close()
		return nil, err
	}
	return &tailReader{Reader: rd, f: f, off: start}, nil
}

// tailReader shifts the locators of a reader over a file section back to
// file offsets.
type tailReader struct {
	mailbox.Reader
	f   *os.File
	off int64
}

func (t *tailReader) Next() (*mailbox.Message, error) {
	m, err := t.Reader.Next()
	if m != nil {
		m.Loc.Offset += t.off
	}
	return m, err
}

func (t *tailReader) Close() error {
	err := t.Reader.Close()
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	return err
}
