package ui

import (
	"strings"
	"testing"

	"github.com/triage-tools/triage/store"
)

// drop discards the changes waiting for the session, as the store does
// for a session whose feed lags.
func (s *session) drop() {
	for {
		select {
		case <-s.changes:
		default:
			return
		}
	}
}

// A session whose change feed lagged gets a resync instead of the changes
// it missed: it reads every label again and shows them, in one step.
func TestResyncUpdatesRowLabels(t *testing.T) {
	alice, bob, fs := twoSessions(t, 120, 30)
	alice.keys("j")
	first := alice.selected()
	alice.keys("p") // alice's own label, cleared by bob unseen
	alice.pump()
	bob.pump()
	bob.keys("j", "-", "j", "s", "j", "b")
	alice.drop() // the changes never reach alice
	for id, l := range fs.labels {
		if got := alice.m.list.Label(id); l != "" && got == l {
			t.Fatalf("setup: alice already shows %s as %q", id, got)
		}
	}
	if alice.m.list.Label(first) != "phish" {
		t.Fatalf("setup: alice shows %q on %s", alice.m.list.Label(first), first)
	}
	alice.send(changeMsg{ok: true, ch: store.Change{Kind: store.ChangeResync}})
	want, _ := fs.Labels()
	n := 0
	for _, r := range alice.m.list.rows {
		if r.Label != want[r.ID] {
			t.Errorf("after the resync %s shows %q, want %q", r.ID, r.Label, want[r.ID])
		}
		if r.Label != "" {
			n++
		}
	}
	if n != len(want) || n != 2 {
		t.Errorf("%d rows labeled, want 2 (%v)", n, want)
	}
	if scr := alice.screen(); !strings.Contains(scr, "s:spam 1") || strings.Contains(scr, "p:phish 1") {
		t.Errorf("label counts not updated:\n%s", scr)
	}
}

// A resync while rows read before it may still arrive: a row whose label
// was cleared in the changes the resync stands for arrives unlabeled.
func TestResyncBeforeRowsArrive(t *testing.T) {
	rows := bigRows(4)
	x, y := rows[1].ID, rows[3].ID
	rows[1].Label = "phish"
	h := newStreamingHarness(t, rows)
	stale, _ := h.fs.Rows() // read before the changes below
	h.fs.labels[x] = ""     // cleared, and y labeled, by changes this session missed
	h.fs.labels[y] = "bec"
	h.deliver(progressMsg{ok: true, ev: progressEvent(2, 4, unlabeledRows(rows[2:]))})
	h.send(changeMsg{ok: true, ch: store.Change{Kind: store.ChangeResync}})
	h.deliver(rowsMsg{rows: stale})
	h.deliver(progressMsg{ok: true, ev: progressEvent(4, 4, nil, true)})
	if got := h.m.list.Label(x); got != "" {
		t.Errorf("label cleared before the resync came back as %q", got)
	}
	if got := h.m.list.Label(y); got != "bec" {
		t.Errorf("label set before the resync shows as %q", got)
	}
}
