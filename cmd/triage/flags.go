package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// How the commands parse their flags, and the flags several of them share.

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

// parseCommand parses args with the flag set of the named command holding
// o's flags and returns the positional arguments: exactly n of them, or
// any number when n < 0 (parseArgs, parseFlags).
func parseCommand(name string, o interface{ register(*flag.FlagSet) }, args []string, n int, stderr io.Writer) ([]string, error) {
	fs := newFlagSet(name, stderr)
	o.register(fs)
	if n < 0 {
		return parseFlags(fs, args)
	}
	return parseArgs(fs, args, n)
}

// newFlagSet returns the flag set of the named command (see commands),
// whose usage shows the command's synopsis and summary.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	synopsis, summary := name, ""
	for _, c := range commands() {
		if c.name == name {
			synopsis, summary = c.synopsis, c.summary
		}
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(cleanWriter{stderr})
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: triage %s\n\n%s.\n", synopsis, summary)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprint(fs.Output(), "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// dbFlag registers --db, the store of a command that reads or writes the
// default store unless told otherwise.
func dbFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "db", "", "store `path`")
}

// labelList is a repeatable, comma-separated --label flag; labels are
// lower-cased.
type labelList []string

func (l *labelList) String() string { return strings.Join(*l, ",") }
func (l *labelList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, strings.ToLower(s))
		}
	}
	return nil
}
