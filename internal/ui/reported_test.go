package ui

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/unwrap/unwraptest"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// reportedFake is the fake store with reporter records and the wrappers'
// bytes, as *store.Store and the workbench's raw source provide them.
type reportedFake struct {
	*fakeStore
	reps     map[string][]store.ReporterRecord
	wrappers map[string][]byte
}

func (r reportedFake) Reporters(id string) ([]store.ReporterRecord, error) { return r.reps[id], nil }

func (r reportedFake) WrapperRaw(id string) ([]byte, error) {
	if b, ok := r.wrappers[id]; ok {
		return b, nil
	}
	return nil, store.ErrNotFound
}

// TestReportedWorkbench: the seed reported three times is one row showing
// the original's sender and subject with "reported ×3"; reported>=2
// filters, the reported sort puts it first; the summary lists the
// reporters (a hostile note sanitised); W switches the headers pane to the
// wrapper's.
func TestReportedWorkbench(t *testing.T) {
	seed, err := os.ReadFile("../analysis/testdata/seed/activemail.eml")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"Taro Yamada", "Hanako Sato", "Jiro Evil"}
	notes := []string{"looks fake", "got this too", "click?\x1b]0;pwned\a\u202e"}
	var recs []store.ReporterRecord
	var first []byte
	var rep *analysis.Report
	for i, n := range names {
		w := unwraptest.Attached(seed, unwraptest.Reporter{Name: n, Addr: strings.ToLower(strings.Fields(n)[0]) + "@corp.example",
			Note: notes[i], Date: time.Date(2026, 12, 1, 9, i, 0, 0, time.UTC)})
		r := analysis.Analyze(w, nil)
		if i == 0 {
			first, rep = w, r
		}
		recs = append(recs, store.ReporterRecord{Reporter: r.Wrapper.Reporter, Kind: r.Wrapper.Kind, Path: r.Wrapper.Path})
	}
	row := store.RowFromReport(rep)
	row.Reported = 3
	plain := &analysis.Report{ID: "sha256:0200000000000000000000000000000000000000000000000000000000000000", Score: 90, RawScore: 90,
		Summary: analysis.Summary{From: analysis.Address{Address: "other@example.org"}, Subject: "plain message"}}
	fs := newFakeStore([]store.Row{row, store.RowFromReport(plain)}, map[string]*analysis.Report{rep.ID: rep, plain.ID: plain})
	fs.raw[rep.ID] = seed
	rf := reportedFake{fs, map[string][]store.ReporterRecord{rep.ID: recs}, map[string][]byte{rep.ID: first}}
	h := openHarness(t, fs, Options{Store: rf, Raw: rf, Actor: store.Actor{Name: "alice", Source: "tui"},
		Location: time.UTC, NoSubscribe: true}, 160, 48)

	s := h.screen()
	if !strings.Contains(s, "reported ×3 【重要") || !strings.Contains(s, "Active! mail") {
		t.Errorf("list lacks the reported mark or the original's sender/subject:\n%s", s)
	}
	for h.m.list.sort != sortReported {
		h.m.list.CycleSort()
	}
	if got := idsShown(h.m.list); len(got) != 2 || got[0] != rep.ID {
		t.Errorf("reported sort = %v", got)
	}
	h.keys("/")
	h.typeText("reported>=2")
	h.keys("enter")
	if got := idsShown(h.m.list); len(got) != 1 || got[0] != rep.ID {
		t.Fatalf("reported>=2 shows %v", got)
	}
	h.keys("enter")
	d := &h.m.detail
	sum := paneText(d, 0)
	testutil.TextHas(t, "summary", sum, "Reported×3", "TaroYamada<taro@corp.example>", "note:looksfake", "hanako@corp.example")
	out := h.m.View().Content
	for _, bad := range []string{"\x1b]0;", "\a", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("a reporter's note leaks %q", bad)
		}
	}
	h.keys("2")
	if hdr := paneText(d, 1); !strings.Contains(hdr, "support.center.Activemail@kagoya.jp") || strings.Contains(hdr, "taro@corp.example") {
		t.Errorf("headers pane is not the original's:\n%.600s", hdr)
	}
	if !h.m.c.Keys.Wrapper.Enabled() {
		t.Fatal("W not enabled on the headers pane of a reported message")
	}
	h.keys("W")
	if hdr := paneText(d, 1); !strings.Contains(hdr, "taro@corp.example") || !strings.Contains(hdr, "reportwrapper's") {
		t.Errorf("W did not show the wrapper's headers:\n%.600s", hdr)
	}
	h.keys("3")
	if hops := paneText(d, 2); !strings.Contains(hops, "reportwrapper's") {
		t.Errorf("hops pane after W:\n%.300s", hops)
	}
}
