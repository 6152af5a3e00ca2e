package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

type scanOptions struct {
	jsonl     bool
	ascii     bool
	sort      string
	noStore   bool
	db        string
	reanalyze bool
	workers   int
	quiet     bool
	strict    bool
	paths     []string
	run       runFlags
	trusted   string
}

// scanRecord is one line of `scan --jsonl`.
type scanRecord struct {
	ID          string                `json:"id"`
	Locator     mailbox.Locator       `json:"locator"`
	MessageID   string                `json:"message_id"`
	Date        *time.Time            `json:"date"`
	From        analysis.Address      `json:"from"`
	To          []analysis.Address    `json:"to"`
	Subject     string                `json:"subject"`
	Size        int                   `json:"size"`
	Warnings    []string              `json:"warnings"`
	Score       int                   `json:"score"`
	RawScore    int                   `json:"raw_score"`
	Findings    []analysis.Finding    `json:"findings"`
	Hops        []analysis.Hop        `json:"hops"`
	Auth        analysis.Auth         `json:"auth"`
	System      string                `json:"system,omitempty"`
	URLs        []analysis.URL        `json:"urls"`
	Attachments []analysis.Attachment `json:"attachments"`
	Cached      bool                  `json:"cached,omitempty"`
	// Wrapper is set when the message is the original found inside a
	// report wrapper; Reporters then holds that wrapper's reporter (the
	// store counts the reports of the same original across lines).
	Wrapper   *analysis.Wrapper   `json:"wrapper,omitempty"`
	Reporters []analysis.Reporter `json:"reporters,omitempty"`
	// Model and Combined: the learned part (docs/learning.md).
	Model    learn.Result `json:"model"`
	Combined int          `json:"combined"`
}

func newScanRecord(it ingest.Item) scanRecord {
	r := it.Report
	rec := scanRecord{
		ID:          r.ID,
		Locator:     it.Loc,
		MessageID:   r.Summary.MessageID,
		From:        r.Summary.From,
		To:          r.Summary.To,
		Subject:     r.Summary.Subject,
		Size:        r.Size,
		Warnings:    r.Warnings,
		Score:       r.Score,
		RawScore:    r.RawScore,
		Findings:    r.Findings,
		Hops:        r.Hops,
		Auth:        r.Auth,
		System:      r.System,
		URLs:        r.URLs,
		Attachments: r.Attachments,
		Cached:      it.Cached,
	}
	if r.Wrapper != nil {
		rec.Wrapper = r.Wrapper
		rec.Reporters = []analysis.Reporter{r.Wrapper.Reporter}
	}
	if !r.Summary.Date.IsZero() {
		d := r.Summary.Date
		rec.Date = &d
	}
	for _, s := range []*[]string{&rec.Warnings} {
		if *s == nil {
			*s = []string{}
		}
	}
	if rec.To == nil {
		rec.To = []analysis.Address{}
	}
	if rec.Findings == nil {
		rec.Findings = []analysis.Finding{}
	}
	return rec
}

// register adds scan's flags to fs.
func (o *scanOptions) register(fs *flag.FlagSet) {
	fs.BoolVar(&o.jsonl, "jsonl", false, "print one JSON object per message (JSON Lines)")
	fs.BoolVar(&o.ascii, "ascii", false, "with --jsonl, escape every non-ASCII character as \\uXXXX")
	fs.StringVar(&o.sort, "sort", "", "sort the table by `score` or date (default: mailbox order)")
	fs.BoolVar(&o.noStore, "no-store", false, "analyse without writing to the store")
	fs.StringVar(&o.db, "db", "", "store `path` (default $TRIAGE_DB or $XDG_DATA_HOME/triage/triage.db)")
	fs.BoolVar(&o.reanalyze, "reanalyze", false, "analyse every message again, even when stored reports are current")
	fs.IntVar(&o.workers, "workers", 0, "analysis workers (default: number of CPUs)")
	fs.BoolVar(&o.quiet, "q", false, "do not print the summary line on stderr")
	fs.BoolVar(&o.strict, "strict", false, "exit with status 1 when a file or directory of a mailbox was skipped")
	o.run.register(fs)
	fs.StringVar(&o.trusted, "trusted-hosts", "", "comma-separated `hosts` of the receiving side (Received/Authentication-Results)")
}

func runScan(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var o scanOptions
	fs := newFlagSet("scan", stderr)
	o.register(fs)
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	o.paths = paths
	if len(o.paths) == 0 {
		fs.Usage()
		return errUsage
	}
	switch o.sort {
	case "", "score", "date", "none":
	default:
		return exitError{code: 2, msg: fmt.Sprintf("scan: unknown --sort %q (score, date)", o.sort)}
	}
	return scan(ctx, o, stdin, stdout, stderr)
}

func scan(ctx context.Context, o scanOptions, stdin io.Reader, stdout, stderr io.Writer) error {
	if o.noStore {
		defer tuneScanGC()()
	}
	env, err := o.run.openEnv(o.db, o.trusted, o.noStore, nil)
	if err != nil {
		return err
	}
	defer env.close()
	w := bufio.NewWriterSize(stdout, 64<<10)
	defer w.Flush()
	jb := &jsonlBatch{st: env.st, an: env.an, enc: newJSONEncoder(w, o.ascii)}
	if o.jsonl && env.st != nil {
		if jb.m, err = env.st.Model(); err != nil {
			return err
		}
	}

	var sorted []store.Row
	tbl := newTable(w)
	opts := env.ingestOptions()
	opts.Stdin, opts.Workers, opts.Reanalyze, opts.NeedReports = stdin, o.workers, o.reanalyze, o.jsonl
	opts.OnSkip = func(s ingest.Skip) {
		fmt.Fprintln(stderr, "triage: "+textsafe.Clean(s.Error()))
	}
	opts.Emit = func(it ingest.Item) error {
		switch {
		case o.jsonl:
			return jb.add(it)
		case o.sort == "score" || o.sort == "date":
			sorted = append(sorted, it.Row)
			return nil
		default:
			return tbl.row(it.Row)
		}
	}
	restore := func() {}
	if env.st != nil {
		restore = boundHeap()
	}
	stats, err := ingest.Run(ctx, o.paths, opts)
	restore()
	if ferr := jb.flush(); ferr != nil && err == nil {
		err = ferr
	}
	if len(sorted) > 0 {
		sortRows(sorted, o.sort)
		for _, r := range sorted {
			if werr := tbl.row(r); werr != nil {
				return werr
			}
		}
	}
	if ferr := w.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	if !o.quiet {
		fmt.Fprintln(stderr, summaryLine(stats))
	}
	if err != nil {
		var se *ingest.SourceError
		var msgs []string
		for _, e := range unjoin(err) {
			if errors.As(e, &se) {
				msgs = append(msgs, se.Error())
			} else {
				msgs = append(msgs, e.Error())
			}
		}
		return exitError{code: 1, msg: strings.Join(msgs, "\ntriage: ")}
	}
	if o.strict && stats.Skipped > 0 {
		return exitError{code: 1, msg: fmt.Sprintf("--strict: %s skipped", plural(stats.Skipped, "source"))}
	}
	return nil
}

// summaryLine is the line scan prints on stderr at the end, e.g. "scanned
// 3 messages from 1 mailbox in 0.01s (3 analysed, ...), skipped 1 source".
func summaryLine(stats ingest.Stats) string {
	secs := stats.Elapsed.Seconds()
	line := fmt.Sprintf("scanned %s from %s in %.2fs", plural(stats.Messages, "message"), plural(stats.Sources, "mailbox"), secs)
	if stats.Analyzed > 0 && secs > 0 {
		line += fmt.Sprintf(" (%d analysed, %.0f msg/s, %.1f MB/s", stats.Analyzed, float64(stats.Analyzed)/secs, float64(stats.Bytes)/1e6/secs)
		if stats.Cached > 0 {
			line += fmt.Sprintf(", %d unchanged from the store", stats.Cached)
		}
		line += ")"
	} else if stats.Cached > 0 {
		line += fmt.Sprintf(" (%d unchanged from the store)", stats.Cached)
	}
	if stats.Skipped > 0 {
		line += ", skipped " + plural(stats.Skipped, "source")
	}
	return line
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func sortRows(rows []store.Row, by string) {
	slices.SortStableFunc(rows, func(a, b store.Row) int {
		if by == "date" {
			return a.Date.Compare(b.Date)
		}
		return store.CompareRows(&a, &b)
	})
}

// table prints rows as aligned plain text; every message string is
// sanitised and truncated by display width.
type table struct {
	w      io.Writer
	header bool
	buf    []byte            // the row being written
	fits   map[string]string // fit memo: senders and subjects repeat across a mailbox
}

func newTable(w io.Writer) *table { return &table{w: w} }

const (
	fromCols    = 36
	subjectCols = 70
)

func (t *table) row(r store.Row) error {
	if !t.header {
		t.header = true
		if _, err := fmt.Fprintf(t.w, "%-5s  %-16s  %-*s  %s  %s\n", "SCORE", "DATE", fromCols, "FROM", "SUBJECT", "ID"); err != nil {
			return err
		}
	}
	from := r.FromAddr
	if r.FromName != "" {
		from = r.FromName + " <" + r.FromAddr + ">"
	}
	id := strings.TrimPrefix(r.ID, "sha256:")
	if len(id) > 12 {
		id = id[:12]
	}
	// "%5d  %-16s  %s  %s  %s\n" without fmt (a tenth of listing an
	// unchanged mailbox); the date is ASCII, so bytes are columns.
	b := padTo(t.buf[:0], 0, 5-len(strconv.Itoa(r.Score)))
	b = append(strconv.AppendInt(b, int64(r.Score), 10), "  "...)
	at := len(b)
	if r.Date.IsZero() {
		b = append(b, '-')
	} else {
		b = r.Date.UTC().AppendFormat(b, "2006-01-02 15:04")
	}
	b = padTo(b, at, 16)
	b = append(append(b, "  "...), t.fit(from, fromCols)...)
	b = append(append(b, "  "...), t.fit(r.Subject, subjectCols)...)
	b = append(append(append(b, "  "...), id...), '\n')
	t.buf = b
	_, err := t.w.Write(b)
	return err
}

// padTo appends spaces to b until it holds n bytes after offset at.
func padTo(b []byte, at, n int) []byte {
	for len(b)-at < n {
		b = append(b, ' ')
	}
	return b
}

// Bounds of the table's fit memo: entries, and bytes of a remembered string.
const (
	maxFitMemo    = 1 << 14
	maxFitMemoLen = 256
)

// fit is fit with a memo of non-ASCII strings (measuring their width by
// grapheme cluster was most of the time of listing an unchanged mailbox).
// cols is one of two constants, so it need not be part of the key.
func (t *table) fit(s string, cols int) string {
	if len(s) > maxFitMemoLen || isPlainASCII(s) {
		return fit(s, cols)
	}
	key := s
	if cols == fromCols {
		key = "\x00" + s // keep the two columns apart
	}
	if f, ok := t.fits[key]; ok {
		return f
	}
	f := fit(s, cols)
	if t.fits == nil {
		t.fits = make(map[string]string)
	}
	if len(t.fits) < maxFitMemo {
		t.fits[key] = f
	}
	return f
}

// isPlainASCII reports whether s is printable ASCII only (fit's fast case).
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// fit sanitises s and pads or truncates it to exactly cols display columns.
func fit(s string, cols int) string {
	s = textsafe.Clean(s)
	w := textsafe.Width(s) // one pass over the graphemes when s fits
	if w > cols {
		s = textsafe.Truncate(s, cols)
		w = textsafe.Width(s)
	}
	if w < cols {
		s += strings.Repeat(" ", cols-w)
	}
	return s
}

// Heap bounds of a scan into the store. With the default GOGC the heap
// grows to twice its live size before a collection: during a large
// ingest that headroom (about 150 MB at 100k messages) was a third of the
// peak RSS. boundHeap lets the heap grow above its live size by half of
// it, at least heapHeadroom, and never binds below heapFloor.
const (
	heapFloor    = 192 << 20
	heapHeadroom = 64 << 20
	heapPace     = 250 * time.Millisecond // how often the bound follows the live heap
)

// boundHeap sets a soft memory limit (debug.SetMemoryLimit) that follows
// the live heap while an ingest runs, and returns a func that restores
// the previous limit. A limit the user set (GOMEMLIMIT) is left alone.
func boundHeap() (restore func()) {
	prev := debug.SetMemoryLimit(-1)
	if prev != math.MaxInt64 {
		return func() {}
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	follow := func() {
		metrics.Read(sample)
		var live int64
		if sample[0].Value.Kind() == metrics.KindUint64 {
			live = int64(min(sample[0].Value.Uint64(), math.MaxInt64/4))
		}
		debug.SetMemoryLimit(heapLimit(live))
	}
	follow()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(heapPace)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				follow()
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		debug.SetMemoryLimit(prev)
	}
}

// heapLimit is the memory limit for a live heap of live bytes.
func heapLimit(live int64) int64 {
	return max(heapFloor, live+max(heapHeadroom, live/2))
}
