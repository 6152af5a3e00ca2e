package store

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// mappedKB returns the resident kilobytes of this process's mappings of
// the file path (from /proc/self/smaps).
func mappedKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip("/proc/self/smaps absent")
	}
	defer f.Close()
	kb, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			in = len(fields) >= 6 && fields[5] == path // a mapping's header line
		case in && len(fields) == 3 && fields[0] == "Rss:":
			n, _ := strconv.Atoi(fields[1])
			kb += n
		}
	}
	return kb
}

// TestSourceRowsLeavesPagesUnmapped checks that reading every row of a
// source does not leave the rows bucket's pages in the resident set.
func TestSourceRowsLeavesPagesUnmapped(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 2000, 3)
	ids := make([]string, len(reps))
	for i, r := range reps {
		ids[i] = r.ID
	}
	putTestSource(t, s, ids)
	before := mappedKB(t, s.Path())
	rr, err := s.SourceRows("/mail/src.mbox")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		rows, err := rr.Next(100)
		if err != nil {
			t.Fatal(err)
		}
		if rows == nil {
			break
		}
		n += len(rows)
	}
	after := mappedKB(t, s.Path())
	if n != len(ids) {
		t.Fatalf("%d rows, want %d", n, len(ids))
	}
	// 2,000 rows are about 300 pages (4 KB) of the rows bucket alone.
	if after > 64 {
		t.Errorf("after reading every row: %d KB of the store resident (before: %d KB), want at most 64", after, before)
	}
}

// A commit drops the pages of the store file that reads mapped into the
// process: reading every report maps most of the file, and after the
// next commit almost none of it stays resident in the process.
func TestCommitReleasesMappedPages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := openTestStoreAt(t, path)
	reps := fill(t, s, 2000, 11)
	for _, r := range reps {
		if _, err := s.Report(r.ID); err != nil {
			t.Fatal(err)
		}
	}
	before := mappedKB(t, path)
	if before < 1024 {
		t.Fatalf("reading every report mapped only %d kB of the store", before)
	}
	fill(t, s, 10, 12)
	if after := mappedKB(t, path); after > before/4 {
		t.Errorf("after a commit %d kB of the store stay mapped (%d kB before)", after, before)
	}
}
