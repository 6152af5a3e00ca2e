package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/triage-tools/triage/cmd/triage/internal/proctune"
	"github.com/triage-tools/triage/cmd/triage/internal/scanjsonl"
	"github.com/triage-tools/triage/cmd/triage/internal/scantable"
	"github.com/triage-tools/triage/internal/ingest"
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
		defer proctune.TuneScanGC()()
	}
	env, err := o.run.openEnv(o.db, o.trusted, o.noStore, nil)
	if err != nil {
		return err
	}
	defer env.close()
	w := bufio.NewWriterSize(stdout, 64<<10)
	defer w.Flush()
	jb := &scanjsonl.Batch{Store: env.st, Analyzer: env.an, Enc: newJSONEncoder(w, o.ascii)}
	if o.jsonl && env.st != nil {
		if jb.Model, err = env.st.Model(); err != nil {
			return err
		}
	}

	var sorted []store.Row
	tbl := scantable.New(w)
	opts := env.ingestOptions()
	opts.Stdin, opts.Workers, opts.Reanalyze, opts.NeedReports = stdin, o.workers, o.reanalyze, o.jsonl
	opts.OnSkip = func(s ingest.Skip) {
		fmt.Fprintln(stderr, "triage: "+textsafe.Clean(s.Error()))
	}
	opts.Emit = func(it ingest.Item) error {
		switch {
		case o.jsonl:
			return jb.Add(it)
		case o.sort == "score" || o.sort == "date":
			sorted = append(sorted, it.Row)
			return nil
		default:
			return tbl.Row(it.Row)
		}
	}
	restore := func() {}
	if env.st != nil {
		restore = proctune.BoundHeap()
	}
	stats, err := ingest.Run(ctx, o.paths, opts)
	restore()
	if ferr := jb.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	if len(sorted) > 0 {
		scantable.Sort(sorted, o.sort)
		for _, r := range sorted {
			if werr := tbl.Row(r); werr != nil {
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
