package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/ui/detail"
)

// This file holds the root model's part of the evidence tools (issue 14
// item 8): loading the raw source for the built-in view (detail.ShowRaw)
// or the analyst's pager in a local session (detail.PagerCmd), and the
// jump to the next high-risk unlabeled message.

// riskyScore is the score from which "next high-risk unlabeled" stops.
const riskyScore = 70

// rawMsg carries a message's raw source, sanitised, for the raw view or
// the pager.
type rawMsg struct {
	id   string
	text string
	err  error
}

// pagerDoneMsg reports the end of the external pager.
type pagerDoneMsg struct{ err error }

// loadRaw reads the raw message id, bounded and sanitised
// (detail.ReadRaw).
func loadRaw(src RawSource, id string) tea.Cmd {
	return func() tea.Msg {
		text, err := detail.ReadRaw(src, id)
		return rawMsg{id: id, text: text, err: err}
	}
}

// onRaw shows the raw source: in the analyst's pager in a local session
// with a pager configured, else in the built-in view.
func (m *Model) onRaw(msg rawMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(fmt.Errorf("raw source: %w", msg.err))
		return nil
	}
	if r, ok := m.list.Selected(); !ok || r.ID != msg.id {
		return nil // the selection moved on
	}
	if m.c.Pager != "" && !m.c.Remote {
		if cmd := detail.PagerCmd(m.c.Pager, msg.text, func(err error) tea.Msg { return pagerDoneMsg{err} }); cmd != nil {
			return cmd
		}
	}
	m.detail.ShowRaw(msg.id, msg.text)
	m.focus = focusDetail
	m.layout()
	return nil
}

// NextRisky moves the cursor to the next shown row, after the cursor and
// wrapping around, that scores at least riskyScore and has no label; it
// reports false when there is none.
func (l *List) NextRisky() bool {
	n := len(l.shown)
	for k := 1; k <= n; k++ {
		p := (l.cursor + k) % n
		if r := &l.rows[l.shown[p]]; r.Label == "" && r.Score >= riskyScore {
			l.Move(p - l.cursor)
			return true
		}
	}
	return false
}

// DefaultPager returns the pager for the raw source of a local session
// (detail.DefaultPager).
func DefaultPager(env string) string { return detail.DefaultPager(env) }
