package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/store"
)

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

func runExport(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "triage export [--all] [--label L]... [--format json|jsonl] [--include-raw] [--ascii] [-o FILE|-]", stderr)
	db := fs.String("db", "", "store `path`")
	all := fs.Bool("all", false, "export every stored message, labeled or not (default: labeled messages only)")
	var labels labelList
	fs.Var(&labels, "label", "export only messages with this `label` (repeatable, comma-separated)")
	format := fs.String("format", "json", "output `format`: json or jsonl")
	raw := fs.Bool("include-raw", false, "include each raw message (raw or raw_base64)")
	out := fs.String("o", "", "write to `file` instead of standard output (a regular file is replaced atomically; - is standard output)")
	ascii := asciiFlag(fs)
	_, err := parseArgs(fs, args, 0)
	if err != nil {
		return err
	}
	if *format != "json" && *format != "jsonl" {
		return exitError{code: 2, msg: fmt.Sprintf("export: unknown --format %q (json, jsonl)", *format)}
	}
	st, err := openBackend(*db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := store.ExportOptions{
		All:             *all,
		Labels:          labels,
		Format:          *format,
		IncludeRaw:      *raw,
		AnalyzerVersion: analysis.CodeVersion(), // each report carries its own full version
		Now:             time.Now,
		Raw:             readRaw,
	}
	var n int
	write := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		jw := jsonWriter(bw, *ascii)
		n, err = st.Export(jw, opts)
		if err != nil {
			return err
		}
		if err := jw.Flush(); err != nil {
			return err
		}
		return bw.Flush()
	}
	if err := writeOutput(*out, stdout, write); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if *out != "" && *out != "-" {
		textOut{stderr}.f("exported %s to %s\n", plural(n, "message"), *out)
	}
	return nil
}

// readRaw reads a message's raw bytes from the first locator that still
// yields them.
func readRaw(id string, locs []store.Locator) ([]byte, error) {
	var firstErr error
	for _, l := range locs {
		raw, err := mailbox.ReadRaw(l)
		if err == nil {
			return raw, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = fmt.Errorf("no locator for %s", id)
	}
	return nil, firstErr
}
