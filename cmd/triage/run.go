package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/triage-tools/triage/internal/ctl"
)

// exitError carries an exit status; an empty msg means the problem was
// already reported.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

// errUsage is returned after a usage message was printed.
var errUsage = exitError{code: 2}

const usage = `triage — a terminal workbench for triaging suspicious email

Usage:
  triage [--db PATH] MAILBOX...       open the workbench on mailboxes
  triage --demo [--db PATH]           open the workbench on the built-in demo mailbox
  triage scan [--jsonl] PATH...       analyse mailboxes, print one line per message
  triage show [--json] ID             print a stored report, labels and notes
  triage label ID LABEL               set an analyst label
  triage export [-o FILE]             export the labeled corpus as JSON
  triage import [--strict] FILE       merge an export into the store
  triage check [--repair]             verify the store; salvage labels and notes if damaged
  triage eval [--phish DIR... --ham DIR...]
                                      measure the scoring on labeled mail (the store's labels or folders)
  triage serve [--listen ADDR] MAILBOX...
                                      serve the workbench to a team over SSH
  triage version                      print the version

MAILBOX is an mbox file (mboxo/mboxrd/mboxcl/mboxcl2, optionally .gz), a
maildir or Maildir++ folder, an .eml file, a folder of .eml files, or - for
standard input. Run "triage COMMAND -h" for a command's flags.
`

type command struct {
	name string
	run  func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"scan", runScan},
		{"show", runShow},
		{"label", runLabel},
		{"export", runExport},
		{"import", runImport},
		{"check", runCheck},
		{"eval", runEval},
		{"serve", runServe},
		{"version", runVersion},
	}
}

// run is the whole program; main only maps its error to an exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "--help", "help":
			fmt.Fprint(stdout, usage)
			return nil
		}
		for _, c := range commands() {
			if c.name == args[0] {
				return c.run(ctx, args[1:], stdin, stdout, stderr)
			}
		}
	}
	return runWorkbench(ctx, args, stdin, stdout, stderr)
}

// parseFlags parses flags that may be interleaved with positional
// arguments ("scan a.mbox --jsonl b.mbox"); "--" ends flag parsing.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitError{code: 0}
			}
			return nil, errUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseArgs is parseFlags for a command that takes exactly n positional
// arguments; otherwise it prints the usage and returns errUsage.
func parseArgs(fs *flag.FlagSet, args []string, n int) ([]string, error) {
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != n {
		fs.Usage()
		return nil, errUsage
	}
	return pos, nil
}

// openAndResolve opens the store, or reaches its holder (openBackend), and
// resolves ref (an ID, an ID prefix or a Message-ID) to a message ID. The
// caller closes the backend.
func openAndResolve(db string, readOnly bool, ref string) (ctl.Backend, string, error) {
	st, err := openBackend(db, readOnly)
	if err != nil {
		return nil, "", err
	}
	id, err := resolve(st, ref)
	if err != nil {
		st.Close()
		return nil, "", err
	}
	return st, id, nil
}

func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(cleanWriter{stderr})
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
