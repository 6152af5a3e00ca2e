package ingest

import (
	"context"
	"testing"

	"github.com/triage-tools/triage/internal/analysis"
)

// TestAnalyzerVersionChange: re-opening an unchanged mailbox with an
// analyzer of another version (one weight changed) analyses every message
// again, with progress events carrying the new rows, and stores reports
// of the new version; the same analyzer again loads them from the store.
func TestAnalyzerVersionChange(t *testing.T) {
	ctx := context.Background()
	path := tempMbox(t, 6)
	st := openTemp(t)
	base := analysis.New(nil)
	cfg := analysis.DefaultConfig()
	nine := 9
	if err := cfg.Override("sender.msgid_unrelated", analysis.RuleOverride{Points: &nine}); err != nil {
		t.Fatal(err)
	}
	changed := analysis.New(cfg)
	if base.Version() == changed.Version() {
		t.Fatalf("one weight changed, same version %q", base.Version())
	}
	run := func(an *analysis.Analyzer) (Stats, int) {
		t.Helper()
		ev := make(chan Event, 64)
		s, err := Run(ctx, []string{path}, Options{Store: st, Analyzer: an, Progress: ev})
		if err != nil {
			t.Fatal(err)
		}
		close(ev)
		rows := 0
		for e := range ev {
			rows += len(e.Rows)
		}
		return s, rows
	}
	if s, _ := run(base); s.Analyzed != 6 {
		t.Fatalf("first run: %+v", s)
	}
	if s, _ := run(base); s.Analyzed != 0 || s.Cached != 6 {
		t.Fatalf("same analyzer: %+v", s)
	}
	s, rows := run(changed)
	if s.Analyzed != 6 || s.Cached != 0 || rows != 6 {
		t.Fatalf("changed analyzer: %+v, %d rows in progress events", s, rows)
	}
	stored, err := st.Rows()
	if err != nil || len(stored) != 6 {
		t.Fatalf("%d rows, %v", len(stored), err)
	}
	for _, r := range stored {
		if v, _, _ := st.Has(r.ID); v != changed.Version() {
			t.Errorf("%s stored with version %q, want %q", r.ID, v, changed.Version())
		}
	}
	if s, _ := run(changed); s.Analyzed != 0 || s.Cached != 6 {
		t.Fatalf("changed analyzer again: %+v", s)
	}
}
