package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

func mboxOf(from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&b, "From sender%d@example.org Mon Nov  2 10:00:00 2026\n", i)
		fmt.Fprintf(&b, "From: Sender %d <sender%d@example.org>\nTo: a@example.com\nSubject: message %d\n", i, i, i)
		fmt.Fprintf(&b, "Message-ID: <m%d@example.org>\nDate: Mon, 2 Nov 2026 10:00:%02d +0000\n\nbody %d\n\n", i, i%60, i)
	}
	return b.String()
}

// tempMbox writes an mbox of n messages (mboxOf(0, n)) to a temporary
// file and returns its path.
func tempMbox(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "in.mbox")
	testutil.WriteFile(tb, path, []byte(mboxOf(0, n)))
	return path
}

func openTemp(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestIncremental checks the re-open rules: an unchanged mbox is not read
// again, an appended-to mbox has only its new tail analysed, and labels
// survive --reanalyze.
func TestIncremental(t *testing.T) {
	ctx := context.Background()
	path := tempMbox(t, 5)
	st := openTemp(t)
	var emitted []string
	opts := Options{Store: st, Emit: func(it Item) error { emitted = append(emitted, it.ID); return nil }}

	s1, err := Run(ctx, []string{path}, opts)
	if err != nil || s1.Analyzed != 5 || s1.Cached != 0 {
		t.Fatalf("first run: %+v, %v", s1, err)
	}
	first := append([]string(nil), emitted...)

	emitted = nil
	s2, err := Run(ctx, []string{path}, opts)
	if err != nil || s2.Analyzed != 0 || s2.Cached != 5 {
		t.Fatalf("unchanged re-open: %+v, %v", s2, err)
	}
	if strings.Join(emitted, ",") != strings.Join(first, ",") {
		t.Errorf("cached order %v, want %v", emitted, first)
	}

	// Append 10 messages.
	testutil.AppendFile(t, path, []byte(mboxOf(5, 10)))
	// Make sure the mtime differs even on coarse clocks.
	later := time.Now().Add(2 * time.Second)
	os.Chtimes(path, later, later)

	emitted = nil
	s3, err := Run(ctx, []string{path}, opts)
	if err != nil || s3.Analyzed != 10 || s3.Cached != 5 || s3.Messages != 15 {
		t.Fatalf("after append: %+v, %v", s3, err)
	}
	if strings.Join(emitted[:5], ",") != strings.Join(first, ",") {
		t.Errorf("the first five messages changed identity after the append")
	}
	if n, _ := st.Count(); n != 15 {
		t.Errorf("store holds %d messages, want 15", n)
	}

	// Labels stay through a re-analysis.
	if _, err := st.SetLabel(first[0], "phish", store.Actor{Name: "t", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	s4, err := Run(ctx, []string{path}, Options{Store: st, Reanalyze: true})
	if err != nil || s4.Analyzed != 15 {
		t.Fatalf("reanalyze: %+v, %v", s4, err)
	}
	if l, _, _ := st.Label(first[0]); l != "phish" {
		t.Errorf("label after reanalyze = %q", l)
	}
}

func TestSourceErrorsDoNotStopOthers(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.mbox")
	testutil.WriteFile(t, good, []byte(mboxOf(0, 3)))
	junk := filepath.Join(dir, "junk.bin")
	testutil.WriteFile(t, junk, []byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0})
	missing := filepath.Join(dir, "missing.mbox")
	n := 0
	stats, err := Run(context.Background(), []string{missing, junk, good}, Options{Emit: func(Item) error { n++; return nil }})
	if n != 3 || stats.Messages != 3 {
		t.Errorf("delivered %d messages, want 3", n)
	}
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), junk) {
		t.Errorf("error %v does not name both bad paths", err)
	}
}

func TestCancel(t *testing.T) {
	path := tempMbox(t, 2000)
	st := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := Run(ctx, []string{path}, Options{Store: st, BatchSize: 100, Emit: func(Item) error {
		n++
		if n == 500 {
			cancel()
		}
		return nil
	}})
	if err == nil {
		t.Fatal("cancelled run returned no error")
	}
	c, _ := st.Count()
	rows, _ := st.Rows()
	if c != len(rows) || c > 2000 {
		t.Errorf("store inconsistent after cancel: %d reports, %d rows", c, len(rows))
	}
	// Nothing half-written: every stored message is fully readable.
	for _, r := range rows {
		if _, err := st.Report(r.ID); err != nil {
			t.Fatal(err)
		}
	}
}
