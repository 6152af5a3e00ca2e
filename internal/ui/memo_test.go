package ui

import (
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/store"
)

// teamModel is a session at 120×30 with n rows listed, as in the SSH load
// test.
func teamModel(tb testing.TB, n int) Model {
	tb.Helper()
	m := New(Options{Location: time.UTC, NoSubscribe: true})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	nm, _ = nm.Update(rowsMsg{rows: bigRows(n)})
	return nm.(Model)
}

func colleagueLabel(id, label string) changeMsg {
	return changeMsg{ok: true, ch: store.Change{ID: id, Kind: "label", Label: label, Actor: store.Actor{Name: "bob"}}}
}

// TestMemoizedChromeFollowsChanges: the remembered chrome lines (label
// counts, status, flash, short help, list header) change as soon as what
// they show changes, and a change of styles renders them again.
func TestMemoizedChromeFollowsChanges(t *testing.T) {
	m := teamModel(t, 50)
	screen := func() string { return ansi.Strip(m.View().Content) }
	if s := screen(); !strings.Contains(s, "unlabeled 50") || !strings.Contains(s, "↓score") {
		t.Fatalf("first frame lacks the counts or the sort:\n%s", s)
	}
	last := bigRows(50)[49].ID // far below the screen
	nm, _ := m.Update(colleagueLabel(last, "phish"))
	m = nm.(Model)
	if s := screen(); !strings.Contains(s, "phish 1") || !strings.Contains(s, "unlabeled 49") {
		t.Fatalf("a colleague's label did not change the counts:\n%s", s)
	}
	nm, _ = m.Update(keyMsg("o")) // next sort
	m = nm.(Model)
	if s := screen(); strings.Contains(s, "↓score") || !strings.Contains(s, "sort "+m.list.sort.String()) {
		t.Fatalf("the header or status still shows the old sort:\n%s", s)
	}
	m.flash = "first flash"
	if s := screen(); !strings.Contains(s, "first flash") {
		t.Fatalf("flash not shown:\n%s", s)
	}
	m.flash = "second flash"
	if s := screen(); !strings.Contains(s, "second flash") || strings.Contains(s, "first flash") {
		t.Fatalf("the old flash is still shown:\n%s", s)
	}
	m.flash = ""
	dark := m.View().Content
	nm, _ = m.Update(tea.BackgroundColorMsg{Color: color.White})
	m = nm.(Model)
	light := m.View().Content
	if dark == light {
		t.Fatal("a light background did not restyle the frame")
	}
	for i, l := range strings.Split(light, "\n") {
		if w := ansi.StringWidth(l); w > 120 {
			t.Errorf("line %d is %d columns wide, more than the screen's 120", i, w)
		}
	}
}

// BenchmarkColleagueLabel: another analyst labels a message that is not
// on screen, and the session draws its next frame (120×30, 4,250 rows, as
// in TestServeLoad). In SSH mode every session pays this for every label
// any analyst commits.
func BenchmarkColleagueLabel(b *testing.B) {
	m := teamModel(b, 4250)
	rows := bigRows(4250)
	labels := []string{"phish", "spam", ""}
	b.ReportAllocs()
	k := 0
	for b.Loop() {
		nm, _ := m.Update(colleagueLabel(rows[4000+k%200].ID, labels[k%len(labels)]))
		m = nm.(Model)
		_ = m.View()
		k++
	}
}
