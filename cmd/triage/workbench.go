package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/demo"
	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui"
	"github.com/triage-tools/triage/store"
)

type workbenchOptions struct {
	db      string
	demo    bool
	analyst string
	trusted string
	mailbox []string
	run     runFlags
}

// register adds the workbench's flags to fs.
func (o *workbenchOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.db, "db", "", "store `path` (default $TRIAGE_DB or $XDG_DATA_HOME/triage/triage.db; --demo: a temporary store)")
	fs.BoolVar(&o.demo, "demo", false, "open the built-in demo mailbox")
	fs.StringVar(&o.analyst, "analyst", "", "analyst `name` for labels and notes (default: the OS user)")
	o.run.register(fs)
	fs.StringVar(&o.trusted, "trusted-hosts", "", "comma-separated `hosts` of the receiving side (Received/Authentication-Results)")
}

// runWorkbench opens the TUI on the given mailboxes (or the demo mailbox),
// analysing them in the background while the list fills in.
func runWorkbench(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var o workbenchOptions
	fs := newFlagSet("triage", stderr)
	fs.Usage = func() { printUsage(cleanWriter{stderr}) }
	o.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	o.mailbox = pos
	if !o.demo && len(o.mailbox) == 0 {
		printUsage(cleanWriter{stderr})
		return errUsage
	}
	if err := checkMailboxPaths(o.mailbox); err != nil {
		return err
	}
	title := strings.Join(o.mailbox, " ")
	var adjust func(*analysis.Config)
	if o.demo {
		dir, err := os.MkdirTemp("", "triage-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		p, err := demo.WriteTemp(dir)
		if err != nil {
			return err
		}
		o.mailbox = append([]string{p}, o.mailbox...)
		title = "demo"
		if o.db == "" {
			// The store goes with the temporary folder: say so on screen.
			o.db = filepath.Join(dir, "demo.db")
			title = "demo: labels are not kept"
		}
		adjust = func(cfg *analysis.Config) {
			if cfg.TrustedHosts == nil {
				cfg.TrustedHosts = []string{"example.com"} // the demo's receiving side
			}
		}
	}
	env, err := o.run.openEnv(o.db, o.trusted, false, adjust)
	if err != nil {
		return err
	}
	defer env.close()
	// show, label and export reach this workbench through its socket.
	if srv, err := startCtl(env.st, nil); err != nil {
		fmt.Fprintf(stderr, "triage: show, label and export cannot reach this workbench: %s\n", textsafe.Clean(err.Error()))
	} else {
		defer srv.Close()
	}
	iopts := env.ingestOptions()
	iopts.NoCachedRows = true

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	progress := make(chan ingest.Event, 16)
	done := make(chan error, 1)
	// Skipped files reach the workbench as progress events (Event.Skipped);
	// the first ones are repeated on the terminal when it closes.
	var skips []ingest.Skip
	skipped := 0
	iopts.OnSkip = func(s ingest.Skip) {
		if skipped++; len(skips) < maxSkipLines {
			skips = append(skips, s)
		}
	}
	go func() {
		iopts.Progress = progress
		_, err := ingest.Run(ctx, o.mailbox, iopts)
		done <- err
	}()
	opts := env.uiOptions(title)
	opts.Progress = progress
	opts.Actor = store.Actor{Name: analystName(o.analyst), Source: "tui"}
	opts.Pager = ui.DefaultPager(os.Getenv("PAGER")) // raw source (v) in the local pager
	uerr := ui.Run(ctx, opts, stdin, stdout)
	cancel()
	ierr := <-done
	for _, sk := range skips {
		fmt.Fprintln(stderr, "triage: "+textsafe.Clean(sk.Error()))
	}
	if skipped > len(skips) {
		fmt.Fprintf(stderr, "triage: and %d more skipped\n", skipped-len(skips))
	}
	if uerr != nil {
		return uerr
	}
	// Unreadable mailboxes were shown in the workbench; say it again on the
	// terminal so the exit status is explained.
	if ierr != nil && !errors.Is(ierr, context.Canceled) {
		return exitError{code: 1, msg: ierr.Error()}
	}
	return nil
}

// checkMailboxPaths refuses, before the workbench starts, mailboxes it
// cannot open: standard input, and paths that do not exist or cannot be
// examined. What is inside is checked while the workbench runs.
func checkMailboxPaths(paths []string) error {
	for _, p := range paths {
		if p == "-" {
			return exitError{code: 2, msg: "the workbench cannot read a mailbox from standard input; save it to a file or use triage scan -"}
		}
		_, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return exitError{code: 1, msg: fmt.Sprintf("mailbox %s does not exist", p)}
		case err != nil:
			return exitError{code: 1, msg: fmt.Sprintf("mailbox %s: %v", p, err)}
		}
	}
	return nil
}

// maxSkipLines bounds the skipped files the workbench lists on exit.
const maxSkipLines = 20

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// rawSource reads a stored message's raw bytes through its locators.
type rawSource struct{ st *store.Store }

func (r rawSource) Raw(id string) ([]byte, error) {
	locs, err := r.st.Locators(id)
	if err != nil {
		return nil, err
	}
	return readRaw(id, locs)
}

// WrapperRaw reads the report wrapper a message was found in (its first
// locator with an unwrap path, read without it), for the workbench's
// wrapper view of the headers and hops.
func (r rawSource) WrapperRaw(id string) ([]byte, error) {
	locs, err := r.st.Locators(id)
	if err != nil {
		return nil, err
	}
	var wrappers []store.Locator
	for _, l := range locs {
		if l.Unwrap != "" {
			wrappers = append(wrappers, l.Wrapper())
		}
	}
	return firstRaw(wrappers, fmt.Errorf("%s was not found inside a report wrapper", id))
}
