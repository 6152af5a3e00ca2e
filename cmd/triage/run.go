package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
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

const usageHead = `triage — a terminal workbench for triaging suspicious email

Usage:
  triage [flags] MAILBOX...           open the workbench on mailboxes
  triage --demo [flags]               open the workbench on the built-in demo mailbox
`

const usageTail = `
MAILBOX is an mbox file (mboxo/mboxrd/mboxcl/mboxcl2, optionally .gz), a
maildir or Maildir++ folder, an .eml file, a folder of .eml and mbox files,
or - for standard input. Run "triage COMMAND -h" for a command's flags.
`

// command is one sub-command. Help, completions and the man page are
// generated from this table and each command's flag set.
type command struct {
	name     string
	synopsis string // usage line after "triage "
	summary  string // one line for the usage and the man page
	run      func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
	// flags registers the command's flags on fs, bound to options that are
	// thrown away; run registers the same flags through the same method.
	flags func(fs *flag.FlagSet)
}

func commands() []command {
	return []command{
		{"scan", "scan [--jsonl] PATH...", "analyse mailboxes, print one line per message",
			runScan, func(fs *flag.FlagSet) { new(scanOptions).register(fs) }},
		{"show", "show [--json] ID", "print a stored report, labels and notes",
			runShow, func(fs *flag.FlagSet) { new(showOptions).register(fs) }},
		{"label", "label ID|c:CAMPAIGN LABEL", "set an analyst label (on every member of a campaign)",
			runLabel, func(fs *flag.FlagSet) { new(labelOptions).register(fs) }},
		{"campaigns", "campaigns [--jsonl] [--min-size N] [MAILBOX...]", "list campaigns: groups of near-identical messages",
			runCampaigns, func(fs *flag.FlagSet) { new(campaignsOptions).register(fs) }},
		{"export", "export [-o FILE]", "export the labeled corpus as JSON",
			runExport, func(fs *flag.FlagSet) { new(exportOptions).register(fs) }},
		{"iocs", "iocs [--label L,...] [--format csv|stix|misp] [--defang] [-o FILE]", "export the indicators of labeled messages (CSV, STIX 2.1, MISP)",
			runIOCs, func(fs *flag.FlagSet) { new(iocsOptions).register(fs) }},
		{"report", "report [--to ADDR] [--online] [-o FILE] ID", "write an RFC 5965 abuse report (ARF email) for a labeled message",
			runReport, func(fs *flag.FlagSet) { new(reportOptions).register(fs) }},
		{"import", "import [--strict] FILE", "merge an export into the store",
			runImport, func(fs *flag.FlagSet) { new(importOptions).register(fs) }},
		{"check", "check [--repair]", "verify the store; salvage labels and notes if damaged",
			runCheck, func(fs *flag.FlagSet) { new(checkOptions).register(fs) }},
		{"eval", "eval [--phish DIR... --ham DIR...]", "measure the scoring on labeled mail (the store's labels or folders)",
			runEval, func(fs *flag.FlagSet) { new(evalOptions).register(fs) }},
		{"serve", "serve [--listen ADDR] MAILBOX...", "serve the workbench to a team over SSH",
			runServe, func(fs *flag.FlagSet) { new(serveOptions).register(fs) }},
		{"version", "version", "print the version, the commit and the analyzer version",
			runVersion, func(*flag.FlagSet) {}},
		{"completion", "completion bash|zsh|fish", "print a shell completion script",
			runCompletion, func(*flag.FlagSet) {}},
		{"man", "man", "print the manual page (roff)",
			runMan, func(*flag.FlagSet) {}},
	}
}

// printUsage writes the program's usage: the commands and the workbench's
// flags.
func printUsage(w io.Writer) {
	fmt.Fprint(w, usageHead)
	for _, c := range commands() {
		line := "  triage " + c.synopsis
		if len(line) > 36 {
			line += "\n" + strings.Repeat(" ", 38)
		}
		fmt.Fprintf(w, "%-38s%s\n", line, c.summary)
	}
	fmt.Fprint(w, usageTail)
	fmt.Fprint(w, "\nFlags (workbench):\n")
	fs := flag.NewFlagSet("triage", flag.ContinueOnError)
	fs.SetOutput(w)
	new(workbenchOptions).register(fs)
	fs.PrintDefaults()
}

// run is the whole program; main only maps its error to an exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			printUsage(stdout)
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

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
