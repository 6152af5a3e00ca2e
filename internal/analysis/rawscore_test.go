package analysis

import (
	"path/filepath"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// TestRawScore: the report keeps the uncapped sum of its findings' points
// beside the 0–100 score.
func TestRawScore(t *testing.T) {
	raw := testutil.ReadFile(t, filepath.Join("testdata", "seed", "activemail.eml"))
	rep := New(nil).Analyze(raw)
	sum := 0
	for _, f := range rep.Findings {
		sum += f.Points
	}
	if rep.Score != 100 || rep.RawScore != sum || sum <= 100 {
		t.Errorf("score %d raw %d, want 100 and the sum %d (> 100)", rep.Score, rep.RawScore, sum)
	}
	if ham := New(nil).Analyze([]byte("From: a@example.com\r\nMessage-ID: <1@example.com>\r\nSubject: lunch\r\n\r\nsee you\r\n")); ham.RawScore != RawScore(ham.Findings) || ham.Score != max(0, min(100, ham.RawScore)) {
		t.Errorf("plain mail: score %d raw %d", ham.Score, ham.RawScore)
	}
}
