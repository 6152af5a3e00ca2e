package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/store"
)

// newStreamingHarness is a session opened while an ingest run is going
// on: neither the initial Rows() read nor any progress event has arrived
// yet. Tests deliver them (deliver) in the order under test.
func newStreamingHarness(t *testing.T, rows []store.Row) *harness {
	t.Helper()
	fs := newFakeStore(rows, nil)
	m := New(Options{
		Store: fs, Progress: make(chan ingest.Event), Actor: store.Actor{Name: "alice", Source: "tui"},
		Title: "stream", Location: time.UTC, NoSubscribe: true,
	})
	h := &harness{t: t, m: m, fs: fs}
	h.deliver(tea.WindowSizeMsg{Width: 100, Height: 24})
	return h
}

// deliver feeds msg to the model and drops the commands it returns (the
// next progress wait, detail loads): the test delivers what comes next.
func (h *harness) deliver(msg tea.Msg) {
	h.t.Helper()
	nm, _ := h.m.Update(msg)
	h.m = nm.(Model)
}

// unlabeledRows returns rows as an ingest batch carries them: analysed
// again, without their label.
func unlabeledRows(rows []store.Row) []store.Row {
	out := append([]store.Row(nil), rows...)
	for i := range out {
		out[i].Label = ""
	}
	return out
}

// A label pressed between two ingest batches stays on the row when rows
// read before it arrive later: the initial Rows() read (made when the
// session opened) and further batches.
func TestLabelMidIngestSurvivesStaleRows(t *testing.T) {
	rows := bigRows(6)
	x := rows[2].ID // the highest score of the first batch
	rows[2].Label = "spam"
	h := newStreamingHarness(t, rows)
	stale, _ := h.fs.Rows() // the session's Rows() read, still on its way

	h.deliver(progressMsg{ok: true, ev: progressEvent(3, 6, unlabeledRows(rows[:3]))})
	if h.selected() != x {
		t.Fatalf("selected %s, want %s", h.selected(), x)
	}
	h.keys("p")
	if got := h.m.list.Label(x); got != "phish" {
		t.Fatalf("after p the row shows %q", got)
	}
	h.deliver(rowsMsg{rows: stale})
	h.deliver(progressMsg{ok: true, ev: progressEvent(6, 6, unlabeledRows(rows[2:]))})
	h.deliver(progressMsg{ok: true, ev: progressEvent(6, 6, nil, true)})
	if got := h.m.list.Label(x); got != "phish" {
		t.Errorf("row shows %q after later rows arrived, want phish (the store has %q)", got, h.fs.labels[x])
	}
	if h.fs.labels[x] != "phish" {
		t.Errorf("store label = %q", h.fs.labels[x])
	}
	if !strings.Contains(h.screen(), "p:phish 1") {
		t.Errorf("label line does not count the label:\n%s", h.screen())
	}
	if h.m.list.committed != nil {
		t.Error("committed labels still tracked after the rows loaded and the ingest finished")
	}
}

// A label cleared mid-ingest is not brought back by a row read before.
func TestClearedLabelNotRevivedByStaleRows(t *testing.T) {
	rows := bigRows(4)
	x := rows[2].ID
	rows[2].Label = "phish"
	h := newStreamingHarness(t, rows)
	stale, _ := h.fs.Rows()
	h.deliver(rowsMsg{rows: stale[:3]}) // e.g. cached rows that carry labels
	h.deliver(progressMsg{ok: true, ev: progressEvent(3, 4, stale)})
	if h.selected() != x || h.m.list.Label(x) != "phish" {
		t.Fatalf("selected %s (%q), want %s labeled phish", h.selected(), h.m.list.Label(x), x)
	}
	h.keys("-")
	h.deliver(progressMsg{ok: true, ev: progressEvent(4, 4, stale)})
	if got := h.m.list.Label(x); got != "" {
		t.Errorf("cleared label came back as %q", got)
	}
}

// Another analyst's label committed before the row reached this session
// is shown once the row arrives.
func TestLabelChangeBeforeRowArrives(t *testing.T) {
	rows := bigRows(4)
	y := rows[3].ID
	h := newStreamingHarness(t, rows)
	h.deliver(rowsMsg{})
	h.deliver(progressMsg{ok: true, ev: progressEvent(2, 4, rows[:2])})
	h.deliver(changeMsg{ok: true, ch: store.Change{ID: y, Kind: "label", Label: "bec", Actor: store.Actor{Name: "bob"}}})
	h.deliver(progressMsg{ok: true, ev: progressEvent(4, 4, unlabeledRows(rows[2:]))})
	if got := h.m.list.Label(y); got != "bec" {
		t.Errorf("row shows %q, want bob's bec", got)
	}
}

// A label key pressed before any row is listed does nothing to the store
// and says so; once rows are listed it labels the selected one.
func TestLabelKeyBeforeRowsIsRefusedVisibly(t *testing.T) {
	rows := bigRows(3)
	h := newStreamingHarness(t, rows)
	h.keys("p")
	if w := h.fs.writeLog(); len(w) != 0 {
		t.Fatalf("store writes %v", w)
	}
	if s := h.screen(); !strings.Contains(s, "not labeled: no message listed yet") {
		t.Fatalf("no refusal shown:\n%s", s)
	}
	h.deliver(progressMsg{ok: true, ev: progressEvent(3, 3, rows)})
	h.keys("p")
	if w := h.fs.writeLog(); len(w) != 1 || !strings.HasSuffix(w[0], " phish") {
		t.Fatalf("store writes %v", w)
	}
	// With a filter that matches nothing, the key says why it did nothing.
	h.deliver(progressMsg{ok: true, ev: progressEvent(3, 3, nil, true)})
	h.keys("/")
	h.typeText("zzz-nothing-matches")
	h.keys("enter", "s")
	if s := h.screen(); !strings.Contains(s, "not labeled: no message selected") {
		t.Fatalf("no refusal shown:\n%s", s)
	}
}
