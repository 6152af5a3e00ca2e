package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// TestScanSortByRawScore: two messages both score 100; --sort score
// ranks the one with more evidence (higher raw_score) first, whatever
// the mailbox order, and --jsonl carries raw_score.
func TestScanSortByRawScore(t *testing.T) {
	seed := testutil.ReadFile(t, seedFixture)
	// The same phish with a terminal escape in the subject: one finding more.
	more := []byte(strings.Replace(string(seed), "Subject:", "Subject: =?utf-8?q?evil=1B]52;c;aGk=07x?= ", 1))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.eml"), seed, 0o600)
	os.WriteFile(filepath.Join(dir, "b.eml"), more, 0o600)
	short := func(b []byte) string {
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:])[:12]
	}

	recs := decodeLines(t, mustScan(t, "--no-store", "--jsonl", dir))
	raw := map[string]float64{}
	for _, r := range recs {
		if r["score"].(float64) != 100 {
			t.Fatalf("score %v, want 100", r["score"])
		}
		raw[r["id"].(string)[len("sha256:"):][:12]] = r["raw_score"].(float64)
	}
	if !(raw[short(more)] > raw[short(seed)] && raw[short(seed)] > 100) {
		t.Fatalf("raw scores %v: want b > a > 100", raw)
	}

	out := mustScan(t, "--no-store", "--sort", "score", dir)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[1], short(more)) || !strings.HasSuffix(lines[2], short(seed)) {
		t.Errorf("--sort score order:\n%s\nwant %s (more evidence) first", out, short(more))
	}
}
