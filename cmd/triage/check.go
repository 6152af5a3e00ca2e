package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// checkOptions are the flags of "triage check".
type checkOptions struct {
	db     string
	repair bool
}

// register adds check's flags to fs.
func (o *checkOptions) register(fs *flag.FlagSet) {
	dbFlag(fs, &o.db)
	fs.BoolVar(&o.repair, "repair", false, "when damaged: salvage labels and notes into a fresh store (the damaged file is kept aside)")
}

func runCheck(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var o checkOptions
	if _, err := parseCommand("check", &o, args, 0, stderr); err != nil {
		return err
	}
	return checkStore(ctx, o, stdout, stderr)
}

// checkStore runs store.Check and, with o.repair on a damaged file, moves
// the file to PATH.damaged-TIME, writes what can be read to
// PATH.salvage-TIME.jsonl and imports it into a fresh store at PATH. It
// exits 1 when the file is damaged and was not repaired.
func checkStore(ctx context.Context, o checkOptions, stdout, stderr io.Writer) error {
	path := o.db
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return fmt.Errorf("check: %w", err)
		}
		path = p
	}
	name := textsafe.Clean(path)
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	res, err := store.Check(path, lockWait)
	if errors.Is(err, store.ErrLocked) {
		return exclusiveError(name, "check")
	}
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	for _, p := range res.Problems {
		fmt.Fprintf(stdout, "problem: %s\n", textsafe.Clean(p))
	}
	if len(res.Problems) == 0 {
		fmt.Fprintf(stdout, "%s: ok (%s, %d labeled, %d with notes)\n", name, plural(res.Messages, "message"), res.Labeled, res.Notes)
		return nil
	}
	if !o.repair {
		return exitError{code: 1, msg: fmt.Sprintf("%s is damaged (%s); run triage check --repair to salvage labels and notes", name, plural(len(res.Problems), "problem"))}
	}
	return repairStore(ctx, path, stdout)
}

func repairStore(ctx context.Context, path string, stdout io.Writer) error {
	name := textsafe.Clean(path)
	stamp := time.Now().UTC().Format("20060102T150405Z")
	salvage := path + ".salvage-" + stamp + ".jsonl"
	var sres store.SalvageResult
	err := store.WriteFileAtomic(salvage, func(w io.Writer) error {
		var err error
		sres, err = store.Salvage(path, 500*time.Millisecond, w)
		return err
	})
	if err != nil {
		return fmt.Errorf("check: repair: %w", err)
	}
	fmt.Fprintf(stdout, "salvaged labels and notes of %s to %s (%d records lost)\n",
		plural(sres.Messages, "message"), textsafe.Clean(salvage), sres.Lost)
	damaged := path + ".damaged-" + stamp
	if err := os.Rename(path, damaged); err != nil {
		return fmt.Errorf("check: repair: %w", err)
	}
	fmt.Fprintf(stdout, "moved the damaged store to %s\n", textsafe.Clean(damaged))
	f, err := os.Open(salvage)
	if err != nil {
		return fmt.Errorf("check: repair: %w", err)
	}
	defer f.Close()
	st, err := openStore(path, false)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := st.Import(ctx, f, store.Actor{Name: analystName(""), Source: "import"}, store.ImportOptions{})
	if err != nil {
		return fmt.Errorf("check: repair: import into %s: %w", name, err)
	}
	fmt.Fprintf(stdout, "new store %s: %s restored, %s; scan your mailboxes again to restore their reports\n",
		name, plural(sum.Messages, "message"), plural(sum.NotesAdded, "note"))
	return nil
}
