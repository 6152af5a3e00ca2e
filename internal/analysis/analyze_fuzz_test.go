package analysis

import (
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/testutil"
)

// FuzzAnalyze checks Analyze's contract on arbitrary input: it never
// panics (not even one caught by its own recover), the score is exactly
// the clamped sum of the findings, and every finding names a rule of the
// table with the table's weight or 0 (a repeat).
func FuzzAnalyze(f *testing.F) {
	testutil.AddSeedFiles(f, "testdata/seed/*.eml", "testdata/parse/*.eml")
	for _, c := range ruleCases {
		f.Add([]byte(c.msg))
	}
	f.Add([]byte("From: a\r\n\r\n<a href=http://x>click</a>"))
	f.Add([]byte("Content-Type: text/html\n\n<img src=x><a href='http://1.2.3.4/login'>ログイン</a><style>"))
	domain.SetMemo(false)
	f.Cleanup(func() { domain.SetMemo(true) })
	f.Fuzz(func(t *testing.T, raw []byte) {
		rep := Analyze(raw, nil)
		for _, w := range rep.Warnings {
			if strings.HasPrefix(w, "analysis: internal error") {
				t.Fatalf("rule panicked: %s", w)
			}
		}
		if rep.Score != Score(rep.Findings) || rep.Score < 0 || rep.Score > 100 {
			t.Fatalf("score %d not explained by findings (%d)", rep.Score, Score(rep.Findings))
		}
		for _, fd := range rep.Findings {
			r, ok := New(nil).Rule(fd.Rule)
			if !ok {
				t.Fatalf("finding with unknown rule %q", fd.Rule)
			}
			if fd.Points != r.Points && fd.Points != 0 {
				t.Fatalf("finding %s has %d points, rule says %d", fd.Rule, fd.Points, r.Points)
			}
		}
	})
}
