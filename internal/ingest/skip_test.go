package ingest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// A file of a maildir that cannot be read is reported in mailbox order
// (between the messages around it) through OnSkip, the stats and a
// progress event, and never as a warning of another message.
func TestSkippedFilesAreReported(t *testing.T) {
	root := testutil.Maildir(t, t.TempDir())
	msg := "From: a@example.com\nSubject: %s\n\nbody\n"
	for _, n := range []string{"1", "3"} {
		testutil.WriteFile(t, filepath.Join(root, "cur", n+".x"), []byte(strings.Replace(msg, "%s", n, 1)))
	}
	// Dangling links: root can read any file, not one that is not there.
	for _, n := range []string{"2.x", "9.x"} {
		if err := os.Symlink(filepath.Join(root, "nowhere"), filepath.Join(root, "cur", n)); err != nil {
			t.Fatal(err)
		}
	}
	var order []string
	progress := make(chan Event, 64)
	stats, err := Run(context.Background(), []string{root}, Options{
		Progress: progress,
		Emit: func(it Item) error {
			if len(it.Report.Warnings) != 0 {
				t.Errorf("%s: warnings %q", it.Loc.File, it.Report.Warnings)
			}
			order = append(order, it.Loc.File)
			return nil
		},
		OnSkip: func(s Skip) {
			if s.Mailbox != root || !errors.Is(s.Err, fs.ErrNotExist) {
				t.Errorf("skip %+v", s)
			}
			order = append(order, "skip "+filepath.Base(s.Path))
		},
	})
	if err != nil || stats.Messages != 2 || stats.Skipped != 2 {
		t.Fatalf("stats %+v, %v", stats, err)
	}
	if got := strings.Join(order, ","); got != "cur/1.x,skip 2.x,cur/3.x,skip 9.x" {
		t.Errorf("order %s", got)
	}
	close(progress)
	var events []string
	for ev := range progress {
		for _, s := range ev.Skipped {
			events = append(events, filepath.Base(s.Path))
			if ev.Source != root || ev.Err != nil {
				t.Errorf("skip event %+v", ev)
			}
		}
	}
	if strings.Join(events, ",") != "2.x,9.x" {
		t.Errorf("skip events %v", events)
	}
}

// Enrich receives the run's context: a cancelled run cancels online
// look-ups in progress.
func TestEnrichGetsRunContext(t *testing.T) {
	path := tempMbox(t, 50)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := Run(ctx, []string{path}, Options{Workers: 2, Enrich: func(ctx context.Context, _ *analysis.Report) {
		select { // an online look-up that would take a minute
		case <-ctx.Done():
		case <-time.After(time.Minute):
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("cancelled run took %v", el)
	}
}

// Identical copies of one message: one report, the first MaxLocators
// places kept, the others counted.
func TestIdenticalCopies(t *testing.T) {
	one := mboxOf(0, 1)
	path := filepath.Join(t.TempDir(), "dup.mbox")
	testutil.WriteFile(t, path, []byte(strings.Repeat(one, 500)))
	st := openTemp(t)
	var id string
	stats, err := Run(context.Background(), []string{path}, Options{Store: st, BatchSize: 64, Emit: func(it Item) error { id = it.ID; return nil }})
	if err != nil || stats.Messages != 500 {
		t.Fatalf("%+v, %v", stats, err)
	}
	locs, err := st.Locators(id)
	if err != nil || len(locs) != store.MaxLocators {
		t.Errorf("%d locators kept, %v; want %d", len(locs), err, store.MaxLocators)
	}
	if more, err := st.MoreLocators(id); more != 500-store.MaxLocators || err != nil {
		t.Errorf("MoreLocators = %d, %v", more, err)
	}
}
