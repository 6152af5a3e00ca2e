package ui

import (
	"testing"
	"unsafe"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestFrameReusedForQuietChanges: a colleague's label on a row off screen
// returns the frame already rendered (the same string, not a new
// rendering), and after every message of a mixed sequence the frame View
// returns is the one a fresh rendering of the model gives.
func TestFrameReusedForQuietChanges(t *testing.T) {
	m := teamModel(t, 200)
	below := func(k int) string { return m.list.rows[m.list.shown[len(m.list.shown)-1-k]].ID }
	onScreen := func() string { return m.list.rows[m.list.shown[m.list.cursor+1]].ID }
	first := m.View().Content

	nm, _ := m.Update(colleagueLabel(below(0), "phish"))
	m = nm.(Model)
	if got := m.View().Content; unsafe.StringData(got) != unsafe.StringData(first) {
		t.Fatal("a colleague's label off screen rendered the frame again")
	}

	steps := []struct {
		name string
		msg  func() tea.Msg
	}{
		{"quiet label", func() tea.Msg { return colleagueLabel(below(1), "spam") }},
		{"label on screen", func() tea.Msg { return colleagueLabel(onScreen(), "bec") }},
		{"quiet label", func() tea.Msg { return colleagueLabel(below(2), "malware") }},
		{"counts catch up", func() tea.Msg { return countsTickMsg{} }},
		{"cursor down", func() tea.Msg { return keyMsg("j") }},
		{"quiet label", func() tea.Msg { return colleagueLabel(below(3), "benign") }},
		{"own label", func() tea.Msg {
			r, _ := m.list.Selected()
			return labeledMsg{changes: []labelChange{{id: r.ID, label: "phish", prev: r.Label}}}
		}},
		{"quiet label", func() tea.Msg { return colleagueLabel(below(4), "phish") }},
		{"learned scores", func() tea.Msg { return learnedMsg{} }},
		{"resize", func() tea.Msg { return tea.WindowSizeMsg{Width: 100, Height: 24} }},
		{"quiet label", func() tea.Msg { return colleagueLabel(below(5), "spam") }},
		{"filter", func() tea.Msg { return keyMsg("/") }},
		{"colleague label while filtering", func() tea.Msg { return colleagueLabel(below(6), "spam") }},
	}
	for i, s := range steps {
		nm, _ := m.Update(s.msg())
		m = nm.(Model)
		got, want := m.View().Content, m.render()
		if got != want {
			t.Fatalf("step %d (%s): the frame shown is stale\n--- shown ---\n%s\n--- model ---\n%s", i, s.name, ansi.Strip(got), ansi.Strip(want))
		}
	}
}
