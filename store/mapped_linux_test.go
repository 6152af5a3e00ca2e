package store

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// mappedKB returns the resident kilobytes of the process's mappings of
// file path (from /proc/self/smaps).
func mappedKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip("/proc/self/smaps unavailable")
	}
	defer f.Close()
	kb, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if fs := strings.Fields(line); len(fs) >= 5 && strings.Contains(fs[0], "-") && len(fs[1]) == 4 {
			in = len(fs) >= 6 && fs[len(fs)-1] == path // a mapping's first line
			continue
		}
		if v, ok := strings.CutPrefix(line, "Rss:"); ok && in {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			kb += n
		}
	}
	return kb
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
