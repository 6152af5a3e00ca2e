package ingest

import (
	"cmp"
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
	"github.com/triage-tools/triage/internal/gcpercent"
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
	// BatchSize is the number of messages per progress event and per
	// encoded store batch (batches are committed in groups, see
	// writer.go); 0 means 128 (the reports of a batch stay on the heap
	// until it is encoded: 512 cost ~60 MB of peak RSS on 106k messages).
	BatchSize int
	// Reanalyze analyses every message again even when the store already
	// holds a report for it made by the current analyzer version, and reads
	// unchanged sources again.
	Reanalyze bool
	// NeedReports makes Emit receive full reports and locators for messages
	// loaded from the store (unchanged sources), and full reports for the
	// messages analysed into Store; otherwise those items carry only a Row
	// (and a Locator when analysed): the workers encode the reports for
	// the store and drop them (see runner.prepare).
	NeedReports bool
	// Enrich, when non-nil, is called by the workers on every new report
	// after analysis (network context, extra findings), with the run's
	// context: it must return soon after ctx is cancelled. It must be safe
	// for concurrent use.
	Enrich func(context.Context, *analysis.Report)
	// Stdin is read for the path "-".
	Stdin io.Reader
	// NoCachedRows leaves the rows of unchanged sources out of the progress
	// events (when Emit is nil): for a consumer that reads Store.Rows()
	// itself, such as the workbench.
	NoCachedRows bool
	// Emit, when non-nil, is called for every message in mailbox order, from
	// a single goroutine. An error from Emit stops the run.
	Emit func(Item) error
	// OnSkip, when non-nil, is called for every file or directory of a
	// mailbox that could not be read (see Skip), in mailbox order, from the
	// goroutine that calls Emit.
	OnSkip func(Skip)
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
	Report *analysis.Report // nil when storing or cached, unless NeedReports
	Cached bool             // loaded from the store, not analysed in this run
}

// Stats summarise a run.
type Stats struct {
	Sources  int
	Messages int   // messages delivered (analysed + cached)
	Analyzed int   // messages analysed in this run
	Cached   int   // messages loaded from the store without analysis
	Skipped  int   // mailboxes, files and directories that could not be read
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

// Skip is a file or directory inside a mailbox (a maildir or a folder of
// messages) that could not be read: unreadable, vanished while reading, or
// not a regular file (mailbox.ErrNotRegular). The run goes on without it.
// A mailbox that cannot be read at all is a SourceError instead.
type Skip struct {
	Mailbox string // the mailbox path as given to Run
	Path    string // the skipped file or directory
	Err     error
}

func (s Skip) Error() string { return "skipped " + s.Path + ": " + s.Err.Error() }

// Run reads every source in turn, analyses new messages on a worker pool
// and delivers them in order to Emit and, batched, to the store. It stops
// early when ctx is cancelled; whatever was committed stays consistent
// (each group of batches is one transaction). The returned error joins the
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
		opts.BatchSize = 128
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
			r.stats.Skipped++
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
	total int // messages expected (maildir: counted at its start); 0 when unknown
	src   srcProgress
}

// srcProgress is what the progress of the current source is measured
// against. It is set before the source's pipeline starts and only read
// while it runs.
type srcProgress struct {
	start time.Time
	size  int64 // file size of an uncompressed mbox; 0 otherwise
	base  int64 // offset where reading started (an appended mbox's old tail)
	done0 int   // messages done before this source
}

// startSource sets up the progress of a source about to be read: the
// file size of an uncompressed mbox (whose message offsets are file
// offsets), or the file count of a maildir from its directory listings.
func (r *runner) startSource(path string, kind mailbox.Kind, base int64) {
	r.src = srcProgress{start: time.Now(), base: base, done0: r.stats.Messages}
	r.total = 0
	switch {
	case path == "-":
	case kind == mailbox.KindMbox:
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && !isGzip(path) {
			r.src.size = fi.Size()
		}
	case kind == mailbox.KindMaildir:
		if n, ok := mailbox.CountMaildir(path); ok {
			r.total = r.stats.Messages + n
		}
	}
}

// isGzip reports whether the file starts with the gzip magic bytes.
func isGzip(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [2]byte
	n, _ := io.ReadFull(f, b[:])
	return n == 2 && b[0] == 0x1f && b[1] == 0x8b
}

// event returns a progress event for done messages in all, pos bytes into
// the current source (its file offset after the last message delivered).
// It reads only what the caller's goroutine may read: the stats are
// passed in.
func (r *runner) event(done int, rate float64, pos int64) Event {
	ev := Event{Done: done, Rate: rate}
	if r.total > 0 {
		ev.Total = max(r.total, done)
	}
	el := time.Since(r.src.start)
	switch {
	case r.src.size > 0 && pos > r.src.base:
		ev.Bytes, ev.TotalBytes = min(pos, r.src.size), r.src.size
		ev.ETA = eta(el, pos-r.src.base, r.src.size-pos)
	case ev.Total > 0 && done > r.src.done0:
		ev.ETA = eta(el, int64(done-r.src.done0), int64(ev.Total-done))
	}
	return ev
}

// eta extrapolates: el was spent on done units, left remain.
func eta(el time.Duration, done, left int64) time.Duration {
	if done <= 0 || left <= 0 {
		return 0
	}
	return time.Duration(float64(el) * float64(left) / float64(done))
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
func fingerprint(path, analyzerVersion string) (store.Fingerprint, bool) {
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
		AnalyzerVersion: analyzerVersion,
	}, true
}

func (r *runner) source(ctx context.Context, path string) error {
	st := r.opts.Store
	cur, canFP := fingerprint(path, r.opts.Analyzer.Version())
	var prev store.Fingerprint
	var known bool
	if st != nil && canFP {
		var err error
		prev, known, err = st.Fingerprint(cur.Path)
		if err != nil {
			return err
		}
	}
	if known && !r.opts.Reanalyze && prev.AnalyzerVersion == r.opts.Analyzer.Version() &&
		prev.Size == cur.Size && prev.ModTime.Equal(cur.ModTime) && prev.Inode == cur.Inode {
		return r.cached(ctx, path, cur.Path)
	}
	skips := &skipQueue{mailbox: path}
	mopts := mailbox.Options{OnSkip: skips.add}
	var (
		rd       mailbox.Reader
		err      error
		appended bool
	)
	if known && !r.opts.Reanalyze && prev.AnalyzerVersion == r.opts.Analyzer.Version() &&
		prev.Inode == cur.Inode && prev.TailOffset > 0 && cur.Size > prev.Size {
		// An mbox that grew: deliver the known messages from the store and
		// analyse only the tail.
		rd, err = mailbox.OpenMboxTail(cur.Path, prev.TailOffset, mopts)
		if err == nil {
			appended = true
			if err := r.cached(ctx, path, cur.Path); err != nil {
				rd.Close()
				return err
			}
		}
	}
	if rd == nil {
		rd, err = openCtx(ctx, func() (mailbox.Reader, error) {
			if path == "-" && r.opts.Stdin != nil {
				return mailbox.OpenReaderWith("-", r.opts.Stdin, mopts)
			}
			open := path
			if abs, aerr := filepath.Abs(path); aerr == nil && path != "-" {
				open = abs // locators carry absolute paths so they stay valid
			}
			return mailbox.OpenWith(open, mopts)
		})
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &SourceError{Path: path, Err: err}
	}
	kind := rd.Kind()
	var base int64
	if appended {
		base = prev.TailOffset
	}
	r.startSource(cmp.Or(cur.Path, path), kind, base)
	ids, tail, err := r.pipeline(ctx, rd, skips) // closes rd
	if err != nil {
		var se *SourceError
		if !errors.As(err, &se) && ctx.Err() == nil && !isEmitErr(err) {
			err = &SourceError{Path: path, Err: err}
		}
		return err
	}
	if st != nil && canFP {
		cur.Count = len(ids)
		if kind == mailbox.KindMbox {
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

// openCtx runs open on its own goroutine and returns its result, or
// ctx.Err() as soon as ctx is cancelled: opening standard input or a slow
// file system may block for ever. A reader opened after the
// cancellation is closed.
func openCtx(ctx context.Context, open func() (mailbox.Reader, error)) (mailbox.Reader, error) {
	type opened struct {
		rd  mailbox.Reader
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		rd, err := open()
		ch <- opened{rd, err}
	}()
	select {
	case o := <-ch:
		return o.rd, o.err
	case <-ctx.Done():
		go func() {
			if o := <-ch; o.rd != nil {
				o.rd.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// skipQueue collects the skips a mailbox reader reports until the
// pipeline's reader takes them.
type skipQueue struct {
	mailbox string
	mu      sync.Mutex
	q       []Skip
}

func (s *skipQueue) add(path string, err error) {
	s.mu.Lock()
	s.q = append(s.q, Skip{Mailbox: s.mailbox, Path: path, Err: err})
	s.mu.Unlock()
}

func (s *skipQueue) take() []Skip {
	s.mu.Lock()
	q := s.q
	s.q = nil
	s.mu.Unlock()
	return q
}

// cachedGCPercent is the collector's GOGC while the rows of an unchanged
// source are delivered from the store (held with internal/gcpercent,
// which also lets the ingest's heap bound and the user's GOGC have their
// say). The live heap is then a few batches of rows and the decoders'
// shared lists (some 10 MB), and at the default GOGC the collector ran
// every few MB of rows decoded. Measured on a re-open of 106,150 messages
// (perf stat, 3×10 runs): GOGC 100 0.34 s CPU, 200 and 400 0.28 s; RSS
// 50, 57 and 76 MB. At 1,000,000 messages 200 costs no CPU and RSS goes
// 130 → 167 MB.
const cachedGCPercent = 200

// cached delivers the messages of an unchanged source from the store,
// a batch at a time in mailbox order (store.RowReader): only one batch
// of rows is on the heap at once, not every row of the store.
func (r *runner) cached(ctx context.Context, path, abs string) error {
	st := r.opts.Store
	rr, err := st.SourceRows(abs)
	if err != nil {
		return err
	}
	if r.opts.Emit == nil && r.opts.NoCachedRows {
		r.stats.Messages += rr.Len()
		r.stats.Cached += rr.Len()
		r.send(ctx, Event{Source: path, Done: r.stats.Messages, Rate: r.rate()})
		return nil
	}
	defer gcpercent.Hold(cachedGCPercent)()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rows, err := rr.Next(r.opts.BatchSize)
		if err != nil {
			return err
		}
		if rows == nil {
			return nil
		}
		for _, row := range rows {
			it := Item{ID: row.ID, Row: row, Cached: true}
			if r.opts.Emit != nil && r.opts.NeedReports {
				if it.Loc, err = sourceLocator(st, row.ID, path, abs); err != nil {
					return err
				}
			}
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
		r.send(ctx, Event{Source: path, Done: r.stats.Messages, Rate: r.rate(), Rows: rows})
	}
}

// sourceLocator returns the locator of message id in the source path
// (given as typed or absolute), or a zero Locator.
func sourceLocator(st *store.Store, id, path, abs string) (mailbox.Locator, error) {
	ls, err := st.Locators(id)
	if err != nil {
		return mailbox.Locator{}, err
	}
	for _, l := range ls {
		if l.Path == path || l.Path == abs {
			return l, nil
		}
	}
	return mailbox.Locator{}, nil
}

type emitErr struct{ err error }

func (e emitErr) Error() string { return e.err.Error() }
func (e emitErr) Unwrap() error { return e.err }

func isEmitErr(err error) bool {
	var e emitErr
	return errors.As(err, &e)
}
