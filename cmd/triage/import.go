package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// importOptions are the flags of "triage import".
type importOptions struct {
	db      string
	analyst string
	strict  bool
	file    string // "-" for standard input
}

// register adds import's flags to fs.
func (o *importOptions) register(fs *flag.FlagSet) {
	dbFlag(fs, &o.db)
	fs.StringVar(&o.analyst, "analyst", "", "analyst `name` recorded for the import")
	fs.BoolVar(&o.strict, "strict", false, "fail, writing nothing, when any item would be skipped")
}

func runImport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var o importOptions
	pos, err := parseCommand("import", &o, args, 1, stderr)
	if err != nil {
		return err
	}
	o.file = pos[0]
	return importFile(ctx, o, stdin, stdout, stderr)
}

// importFile merges an export into the store and prints a summary on
// stdout and every kind of skipped item, with its count, on stderr.
func importFile(ctx context.Context, o importOptions, stdin io.Reader, stdout, stderr io.Writer) error {
	var r io.Reader = stdin
	if o.file != "-" {
		f, err := os.Open(o.file)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		r = f
	}
	st, err := openExclusive(o.db, "import")
	if err != nil {
		return err
	}
	defer st.Close()
	by := store.Actor{Name: analystName(o.analyst), Source: "import"}
	sum, err := st.Import(ctx, r, by, store.ImportOptions{Strict: o.strict})
	for _, reason := range sum.SkipReasons() {
		fmt.Fprintf(stderr, "import: skipped %d: %s\n", sum.Skipped[reason], reason)
	}
	if sum.EventsDropped > 0 {
		fmt.Fprintf(stderr, "import: kept the newest %d label events per message, left out %d older ones (recorded in the history)\n",
			store.MaxImportEvents, sum.EventsDropped)
	}
	name := textsafe.Clean(o.file)
	if errors.Is(err, store.ErrImportRejected) {
		return exitError{code: 1, msg: fmt.Sprintf("import %s: nothing imported: %d items would be skipped (--strict)", name, sum.SkippedTotal())}
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", name, err)
	}
	fmt.Fprintf(stdout, "imported %s (%d new), %s applied, %s, %s added, %d skipped\n",
		plural(sum.Messages, "message"), sum.NewMessages, plural(sum.LabelsApplied, "label"),
		plural(sum.LabelConflicts, "conflict"), plural(sum.NotesAdded, "note"), sum.SkippedTotal())
	return nil
}
