package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/store"
)

type exportOptions struct {
	db, format, out string
	all, raw, ascii bool
	labels          labelList
}

// register adds export's flags to fs.
func (o *exportOptions) register(fs *flag.FlagSet) {
	dbFlag(fs, &o.db)
	fs.BoolVar(&o.all, "all", false, "export every stored message, labeled or not (default: labeled messages only)")
	fs.Var(&o.labels, "label", "export only messages with this `label` (repeatable, comma-separated)")
	fs.StringVar(&o.format, "format", "json", "output `format`: json or jsonl")
	fs.BoolVar(&o.raw, "include-raw", false, "include each raw message (raw or raw_base64)")
	outFlag(fs, &o.out)
	asciiFlag(fs, &o.ascii)
}

func runExport(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var o exportOptions
	if _, err := parseCommand("export", &o, args, 0, stderr); err != nil {
		return err
	}
	if o.format != "json" && o.format != "jsonl" {
		return exitError{code: 2, msg: fmt.Sprintf("export: unknown --format %q (json, jsonl)", o.format)}
	}
	st, err := openBackend(o.db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := store.ExportOptions{
		All:             o.all,
		Labels:          o.labels,
		Format:          o.format,
		IncludeRaw:      o.raw,
		AnalyzerVersion: analysis.CodeVersion(), // each report carries its own full version
		Now:             time.Now,
		Raw:             readRaw,
	}
	var n int
	write := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		jw := jsonWriter(bw, o.ascii)
		n, err = st.Export(jw, opts)
		if err != nil {
			return err
		}
		if err := jw.Flush(); err != nil {
			return err
		}
		return bw.Flush()
	}
	if err := writeOutput(o.out, stdout, write); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if o.out != "" && o.out != "-" {
		textOut{stderr}.f("exported %s to %s\n", plural(n, "message"), o.out)
	}
	return nil
}

// readRaw reads a message's raw bytes from the first locator that still
// yields them.
func readRaw(id string, locs []store.Locator) ([]byte, error) {
	return firstRaw(locs, fmt.Errorf("no locator for %s", id))
}

// firstRaw reads the raw bytes of the first of locs that yields them. The
// error is the first read's, or none when locs is empty.
func firstRaw(locs []store.Locator, none error) ([]byte, error) {
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
		firstErr = none
	}
	return nil, firstErr
}
