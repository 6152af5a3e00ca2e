package ui

import (
	"maps"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/store"
)

// In SSH mode every label any analyst commits reaches every session. Most
// of them change nothing on a session's screen but the label counts at the
// bottom, yet a changed frame makes the renderer redraw every line that
// holds a wide character (CJK subjects, emoji), so with twenty analysts each
// session redrew its whole list twenty times a second and key presses
// queued behind those frames. So the counts shown follow other analysts'
// labels at most every countsPace: such a "quiet" change is applied to the
// list at once and shown with the next frame that has another cause, or
// after countsPace at the latest. A colleague's label on a row that is on
// screen (or in the detail panes, or that changes what is listed) is not
// quiet and shows at once, counts included.

// countsPace is how long the label counts may lag behind a quiet change.
const countsPace = 500 * time.Millisecond

// countsTickMsg asks for the counts shown to catch up.
type countsTickMsg struct{}

// labelCounts returns the counts the label line shows.
func (m *Model) labelCounts() map[string]int {
	if m.counts == nil || m.counts.shown == nil {
		return m.list.labelCount
	}
	return m.counts.shown
}

// countsState is the label line's copy of the counts, held by pointer (the
// model's copies share it).
type countsState struct {
	shown   map[string]int // nil: show the list's live counts
	pending bool           // a countsTickMsg is on its way
}

// countsEffect is what a message does to the counts shown.
type countsEffect int

const (
	countsRelease countsEffect = iota // show the live counts (the default)
	countsHold                        // a quiet change: keep the counts shown
	countsKeep                        // leave the counts shown as they are
)

// countsEffectOf classifies msg before it is handled.
func (m *Model) countsEffectOf(msg tea.Msg) countsEffect {
	switch msg := msg.(type) {
	case changeMsg:
		if msg.ok && m.quietChange(msg.ch) {
			return countsHold
		}
	case learnedMsg:
		if msg.err == nil && m.list.sort != sortModel && m.list.sort != sortCombined {
			return countsKeep // new scores that change nothing on screen
		}
	}
	return countsRelease
}

// holdCounts keeps the counts shown now (before a quiet change is
// applied).
func (m *Model) holdCounts() {
	if c := m.counts; c != nil && c.shown == nil {
		c.shown = maps.Clone(m.list.labelCount)
	}
}

// paceCounts runs after every message: after a quiet change it asks for a
// catch-up within countsPace; a message with another effect on the screen
// shows the live counts.
func (m *Model) paceCounts(msg tea.Msg, e countsEffect) tea.Cmd {
	c := m.counts
	if c == nil {
		return nil
	}
	if _, ok := msg.(countsTickMsg); ok {
		c.pending = false
	}
	switch {
	case e == countsRelease:
		c.shown = nil
	case c.shown != nil && !c.pending:
		c.pending = true
		return tea.Tick(countsPace, func(time.Time) tea.Msg { return countsTickMsg{} })
	}
	return nil
}

// quietChange reports whether a change another analyst committed changes
// nothing on screen but the label counts. It is called before the change
// is applied.
func (m *Model) quietChange(ch store.Change) bool {
	if ch.Kind != "label" || ch.Actor == m.c.Actor || m.camps.on || m.showHelp {
		return false
	}
	if m.detailVisible() && m.detail.ID() == ch.ID {
		return false
	}
	l := &m.list
	if l.sort == sortLabel || l.flt.UsesLabels() || l.committed != nil {
		return false // the change may move rows, or arrives while rows load
	}
	i, ok := l.byID[ch.ID]
	return ok && !l.onScreen(i)
}

// onScreen reports whether row i is in the list's visible window (as
// List.View draws it, for any height up to l.height+1).
func (l *List) onScreen(i int32) bool {
	if i == l.sel {
		return true
	}
	off := max(0, l.offset-1)
	for p := off; p < min(len(l.shown), l.offset+l.height+1); p++ {
		if l.shown[p] == i {
			return true
		}
	}
	return false
}
