package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// envCrashChild selects the child mode of the test binary: ingest the
// mailbox named by $TRIAGE_INGEST_CRASH_MBOX into the store at this path,
// slowly, printing "done N" after every committed batch, until killed.
const envCrashChild = "TRIAGE_INGEST_CRASH_CHILD"

// TestIngestChild is the entry point of the child mode; it does nothing
// in a normal run.
func TestIngestChild(t *testing.T) {
	db := os.Getenv(envCrashChild)
	if db == "" {
		t.Skip("child-process helper")
	}
	st, err := store.Open(db, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	ch := make(chan Event, 64)
	go func() {
		for ev := range ch {
			if len(ev.Rows) > 0 {
				fmt.Println("done", ev.Done) // the batch is committed
			}
		}
	}()
	opts := Options{Store: st, BatchSize: 64, Progress: ch, Emit: func(Item) error {
		time.Sleep(time.Millisecond) // keep the run long enough to be killed
		return nil
	}}
	_, err = Run(context.Background(), []string{os.Getenv("TRIAGE_INGEST_CRASH_MBOX")}, opts)
	fmt.Println("finished", err)
	os.Exit(0)
}

// TestSIGKILLDuringIngest kills a process in the middle of an ingest run:
// the store opens and checks clean afterwards, labels and notes made
// before keep their values, the committed batches are there, and a
// re-scan completes what was missing.
func TestSIGKILLDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	first := filepath.Join(dir, "first.mbox")
	big := filepath.Join(dir, "big.mbox")
	const n = 2000
	testutil.WriteFile(t, first, []byte(mboxOf(0, 3)))
	testutil.WriteFile(t, big, []byte(mboxOf(100, n)))

	// Analyst work before the crash.
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	if _, err := Run(context.Background(), []string{first}, Options{Store: st, Emit: func(it Item) error { ids = append(ids, it.ID); return nil }}); err != nil {
		t.Fatal(err)
	}
	who := store.Actor{Name: "alice", Source: "cli"}
	if _, err := st.SetLabel(ids[0], "phish", who); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddNote(ids[1], "seen before", who); err != nil {
		t.Fatal(err)
	}
	st.Close()

	committed := killMidIngest(t, db, big)

	res, err := store.Check(db, time.Second)
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("check after SIGKILL: %v, %v", res.Problems, err)
	}
	st, err = store.Open(db, store.Options{})
	if err != nil {
		t.Fatalf("open after SIGKILL: %v", err)
	}
	defer st.Close()
	count, err := st.Count()
	if err != nil || count < 3+committed || count >= 3+n {
		t.Fatalf("after SIGKILL: %d messages stored (%v); want at least the %d committed, fewer than all %d", count, err, 3+committed, 3+n)
	}
	if l, _, err := st.Label(ids[0]); err != nil || l != "phish" {
		t.Errorf("label after SIGKILL: %q, %v", l, err)
	}
	if notes, err := st.Notes(ids[1]); err != nil || len(notes) != 1 || notes[0].Text != "seen before" {
		t.Errorf("notes after SIGKILL: %+v, %v", notes, err)
	}

	stats, err := Run(context.Background(), []string{big}, Options{Store: st})
	if err != nil || stats.Messages != n {
		t.Fatalf("re-scan: %+v, %v", stats, err)
	}
	if count, err := st.Count(); err != nil || count != 3+n {
		t.Fatalf("after the re-scan: %d messages (%v), want %d", count, err, 3+n)
	}
	stats, err = Run(context.Background(), []string{big}, Options{Store: st})
	if err != nil || stats.Cached != n || stats.Analyzed != 0 {
		t.Fatalf("third run: %+v, %v; want every message from the store", stats, err)
	}
}

// killMidIngest runs the child on mbox into db, SIGKILLs it once a few
// batches are committed (and before the end) and returns the number of
// messages it reported committed.
func killMidIngest(t *testing.T, db, mbox string) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIngestChild$")
	cmd.Env = append(os.Environ(), envCrashChild+"="+db, "TRIAGE_INGEST_CRASH_MBOX="+mbox)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committed := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "done ") {
			fmt.Sscan(line[5:], &committed)
			if committed >= 256 {
				break
			}
			continue
		}
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child: %s", line)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if committed < 256 {
		t.Fatalf("child stopped after %d committed messages", committed)
	}
	return committed
}
