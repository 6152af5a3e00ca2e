package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/internal/ui/filter"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// An unknown or malformed term is an error that says so, never "no
// message matches"; the list keeps the last valid filter meanwhile.
func TestFilterErrors(t *testing.T) {
	tests := []struct{ query, want string }{
		{"bogus:x", `unknown term "bogus:x"`},
		{"score<abc", "needs a number"},
		{"score>=", "needs a number"},
		{"label:phsh", `unknown label "phsh"`},
		{"from:", "needs a value"},
		{"kagoya OR", "a term is missing at the end"},
		{"(kagoya", `missing ")"`},
		{"kagoya)", `unexpected ")"`},
		{"NOT", "nothing to negate"},
		{`"open quote`, "unclosed quote"},
		{"@monday", `no saved filter "monday"`},
		{strings.Repeat("(", 40) + "x", "nested too deep"},
		{strings.Repeat("a ", 300), "too many terms"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if _, err := filter.Parse(tt.query, store.DefaultLabels(), nil); !errors.Is(err, filter.ErrFilter) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("parse error = %v, want %q", err, tt.want)
			}
		})
	}
	h := newHarness(t, 80, 24)
	h.keys("/")
	h.typeText("kagoya")
	h.send(tea.PasteMsg{Content: " bogus:x"})
	scr := h.screen()
	if !strings.Contains(scr, `unknown term "bogus:x"`) || strings.Contains(scr, "no message matches") {
		t.Fatalf("screen does not name the unknown term:\n%s", scr)
	}
	if got := idsShown(h.m.list); !slices.Equal(got, []string{idKagoya}) {
		t.Errorf("list shows %v, want the last valid filter's result", got)
	}
	h.keys("enter") // refused: the error must be fixed first
	if !h.m.filtering {
		t.Fatal("enter applied a filter that does not parse")
	}
	h.keys("backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "enter")
	if h.m.filtering || h.m.list.Filter() != "kagoya " {
		t.Fatalf("after fixing: filtering=%v filter=%q", h.m.filtering, h.m.list.Filter())
	}
}

// Esc in the list clears an applied filter (and nothing else).
func TestEscClearsFilter(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("/")
	h.typeText("kestrel")
	h.keys("enter")
	if len(h.m.list.shown) != 1 {
		t.Fatalf("setup: shown %d", len(h.m.list.shown))
	}
	h.keys("esc")
	if h.m.list.Filter() != "" || len(h.m.list.shown) != 5 || h.selected() != idInvoice {
		t.Fatalf("esc: filter %q shown %d selected %s", h.m.list.Filter(), len(h.m.list.shown), h.selected())
	}
	if strings.Contains(h.screen(), "filter:") {
		t.Error("filter line still shown")
	}
}

// :save NAME keeps the current filter per analyst; @NAME and :load NAME
// recall it, also in a later session.
func TestSavedFilters(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("/")
	h.typeText("score>=50 -kagoya")
	h.keys("enter", ":")
	h.typeText("save Monday")
	h.keys("enter")
	if !strings.Contains(h.screen(), "saved filter @monday") {
		t.Fatalf("no confirmation:\n%s", h.screen())
	}
	if v, ok, _ := h.fs.UIState("filters/alice/monday"); !ok || string(v) != "score>=50 -kagoya" {
		t.Fatalf("stored = %q %v", v, ok)
	}
	// A new session of alice: @monday composes with other terms.
	b := newSession(t, h.fs, "alice", 80, 24)
	b.keys("esc", "/")
	b.typeText("@monday kestrel")
	b.keys("enter")
	if got := idsShown(b.m.list); !slices.Equal(got, []string{idInvoice}) {
		t.Fatalf("@monday kestrel = %v", got)
	}
	b.keys("esc", ":")
	b.typeText("load monday")
	b.keys("enter")
	if got := idsShown(b.m.list); !slices.Equal(got, []string{idHostile, idInvoice}) || b.m.list.Filter() != "score>=50 -kagoya" {
		t.Fatalf(":load monday = %v (filter %q)", got, b.m.list.Filter())
	}
	// bob has his own saved filters.
	c := newSession(t, h.fs, "bob", 80, 24)
	c.keys(":")
	c.typeText("load monday")
	c.keys("enter")
	if !strings.Contains(c.screen(), `no saved filter "monday"`) {
		t.Errorf("bob loaded alice's filter:\n%s", c.screen())
	}
	for _, bad := range []string{"save", "save a b", "save ../x", "frobnicate"} {
		c.keys(":")
		c.typeText(bad)
		c.keys("enter")
		if f := c.m.flash; !strings.Contains(f, "usage") && !strings.Contains(f, "unknown command") {
			t.Errorf(":%s flash = %q", bad, f)
		}
	}
	b.keys(":")
	b.typeText("delete monday")
	b.keys("enter")
	if _, ok, _ := h.fs.UIState("filters/alice/monday"); ok {
		t.Error(":delete kept the filter")
	}
}

// Reopening restores the filter, sort and selected message of the
// analyst's last session on that mailbox (per analyst).
func TestViewRestored(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("o") // sort by date
	h.keys("/")
	h.typeText("score<=50")
	h.keys("enter", "j")
	sel := h.selected()
	if err := h.m.Persist(); err != nil {
		t.Fatal(err)
	}
	a := newSession(t, h.fs, "alice", 80, 24)
	if a.m.list.sort != sortDate || a.m.list.Filter() != "score<=50" || a.selected() != sel {
		t.Fatalf("restored sort %v filter %q selected %s, want date, score<=50, %s", a.m.list.sort, a.m.list.Filter(), a.selected(), sel)
	}
	if !strings.Contains(a.screen(), "filter: score<=50") {
		t.Errorf("restored filter not shown:\n%s", a.screen())
	}
	b := newSession(t, h.fs, "bob", 80, 24)
	if b.m.list.sort != sortScore || b.m.list.Filter() != "" || b.selected() != idKagoya {
		t.Errorf("bob got alice's view: sort %v filter %q", b.m.list.sort, b.m.list.Filter())
	}
}

// Both bottom bars keep "? help" and "q quit" and every label key visible
// at every width, and the short bar lists only live keys.
func TestBottomBarsEveryWidth(t *testing.T) {
	for _, w := range []int{60, 70, 80, 100, 120, 160} {
		h := newHarness(t, w, 24)
		h.keys("enter", "4")
		lines := strings.Split(h.screen(), "\n")
		bar, labels := lines[len(lines)-1], lines[len(lines)-2]
		if !strings.Contains(bar, "? help") || !strings.Contains(bar, "q quit") {
			t.Errorf("%d columns: short bar %q", w, bar)
		}
		for _, k := range []string{"p:", "m:", "s:", "b:", "i:", "c:", "x:", "unlabeled"} {
			if !strings.Contains(labels, k) {
				t.Errorf("%d columns: label line %q lacks %q", w, labels, k)
			}
		}
		for _, it := range shortBar(h.screen()) {
			k, _, _ := strings.Cut(it, " ")
			found := false
			for _, b := range h.m.c.Keys.All() {
				if b.Enabled() && b.Help().Key == k {
					found = true
				}
			}
			if !found {
				t.Errorf("%d columns: %q in the bar is not a live key", w, it)
			}
		}
	}
}

// Below 140 columns the list hides the panes, so Tab does nothing there.
func TestTabNarrowList(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("tab")
	if h.m.detail.Pane() != kit.PaneSummary || h.m.c.Keys.NextPane.Enabled() {
		t.Fatalf("tab changed an invisible pane to %d", h.m.detail.Pane())
	}
	h.keys("enter", "tab")
	if h.m.detail.Pane() != kit.PaneHeaders {
		t.Fatalf("tab in the detail view: pane %d", h.m.detail.Pane())
	}
	w := newHarness(t, 160, 48)
	w.keys("tab")
	if w.m.detail.Pane() != kit.PaneHeaders {
		t.Fatalf("tab in the wide list: pane %d", w.m.detail.Pane())
	}
}

// The help overlay lists every binding of KeyMap under a heading of where
// it works, and scrolls when it does not fit.
func TestHelpSections(t *testing.T) {
	km := kit.DefaultKeyMap(store.DefaultLabels())
	var listed []string
	for _, sec := range km.Sections() {
		for _, b := range sec.Keys {
			listed = append(listed, b.Help().Key+" "+b.Help().Desc)
		}
	}
	for _, b := range km.All() {
		if !slices.Contains(listed, b.Help().Key+" "+b.Help().Desc) {
			t.Errorf("binding %q %q is in no help section", b.Help().Key, b.Help().Desc)
		}
	}
	h := newHarness(t, 80, 24)
	h.keys("?")
	first := h.screen()
	testutil.TextHas(t, "overlay page 1", first, "URLs pane", "y copy defanged URL", "Y copy raw URL", "Headers pane")
	if strings.Contains(first, "Note editor") {
		t.Fatal("everything fits at 80x24: the test does not exercise scrolling")
	}
	h.keys("G")
	last := h.screen()
	testutil.TextHas(t, "scrolled overlay", last, "Note editor", "ctrl+s save note", "Command line", "Filter input")
	h.keys("esc")
	if h.m.showHelp {
		t.Error("esc did not close the overlay")
	}
}
