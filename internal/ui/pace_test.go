package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestColleagueLabelOffScreenIsPaced: another analyst's label on a row
// that is not on screen leaves the frame as it was (so the renderer has
// nothing to redraw) and shows in the counts after countsPace; a label on
// a row on screen shows at once, counts included.
func TestColleagueLabelOffScreenIsPaced(t *testing.T) {
	m := teamModel(t, 50)
	last := func(k int) string { return m.list.rows[m.list.shown[len(m.list.shown)-1-k]].ID } // below the screen
	before := m.View().Content

	nm, cmd := m.Update(colleagueLabel(last(0), "phish"))
	m = nm.(Model)
	if got := m.View().Content; got != before {
		t.Fatalf("a colleague's label off screen changed the frame at once:\n%s", ansi.Strip(got))
	}
	if m.list.Label(last(0)) != "phish" {
		t.Fatal("the label was not applied to the list")
	}
	if cmd == nil {
		t.Fatal("no catch-up of the counts was scheduled")
	}
	// A second quiet change does not schedule another catch-up.
	nm, _ = m.Update(colleagueLabel(last(1), "spam"))
	m = nm.(Model)
	if m.View().Content != before {
		t.Fatal("a second quiet change changed the frame")
	}
	nm, _ = m.Update(countsTickMsg{})
	m = nm.(Model)
	if s := ansi.Strip(m.View().Content); !strings.Contains(s, "phish 1") || !strings.Contains(s, "spam 1") || !strings.Contains(s, "unlabeled 48") {
		t.Fatalf("the counts did not catch up:\n%s", s)
	}

	// On screen: the row's mark and the counts show at once.
	top := m.list.rows[m.list.shown[1]].ID
	nm, _ = m.Update(colleagueLabel(top, "bec"))
	m = nm.(Model)
	if s := ansi.Strip(m.View().Content); !strings.Contains(s, "bec 1") || !strings.Contains(s, "unlabeled 47") {
		t.Fatalf("a colleague's label on screen did not show at once:\n%s", s)
	}

	// A quiet change, then the analyst's own key: the frame drawn for the
	// key shows the live counts.
	nm, _ = m.Update(colleagueLabel(last(2), "malware"))
	m = nm.(Model)
	nm, _ = m.Update(keyMsg("j"))
	m = nm.(Model)
	if s := ansi.Strip(m.View().Content); !strings.Contains(s, "malware 1") || !strings.Contains(s, "unlabeled 46") {
		t.Fatalf("the counts lag behind after a key press:\n%s", s)
	}
}
