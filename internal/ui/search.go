package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/kit"
)

// newSearchInput returns the input of the pane search (/ in a focused
// pane), with a steady cursor like the filter's.
func newSearchInput() textinput.Model {
	in := textinput.New()
	in.Prompt = "search pane: "
	in.CharLimit = 128
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	return in
}

// onSearchKey handles the pane search input: enter searches, esc cancels,
// every other key is typed (never an action).
func (m *Model) onSearchKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.c.Keys
	switch {
	case key.Matches(msg, k.FilterAccept):
		m.searching = false
		m.search.Blur()
		q := m.search.Value()
		if q == "" {
			m.detail.Search("")
			return nil
		}
		if n := m.detail.Search(q); n == 0 {
			m.flash = "not found: " + textsafe.Clean(q)
		} else {
			m.flash = fmt.Sprintf("%d matching lines · n next · N previous", n)
		}
		return nil
	case key.Matches(msg, k.FilterCancel):
		m.searching = false
		m.search.Blur()
		return nil
	}
	var cmd tea.Cmd
	*m.search, cmd = m.search.Update(msg)
	return cmd
}

// onEvidenceKey handles the keys of evidence.go and search.go in browse
// mode; ok is false when msg is none of them. Esc closes the raw source
// view before it leaves the pane.
func (m *Model) onEvidenceKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	k := &m.c.Keys
	switch {
	case m.detail.RawOpen() && key.Matches(msg, k.Back):
		m.detail.CloseRaw()
		m.flash = "raw source closed"
	case key.Matches(msg, k.ViewRaw):
		if r, sel := m.list.Selected(); sel && m.c.Raw != nil {
			m.focus = focusDetail // ensureDetail loads the panes meanwhile
			m.layout()
			return loadRaw(m.c.Raw, r.ID), true
		}
	case key.Matches(msg, k.PaneSearch):
		m.searching = true
		m.search.SetValue(m.detail.Query())
		m.search.CursorEnd()
		return m.search.Focus(), true
	case key.Matches(msg, k.NextMatch):
		m.flash = m.detail.NextMatch(1)
	case key.Matches(msg, k.PrevMatch):
		m.flash = m.detail.NextMatch(-1)
	case key.Matches(msg, k.CopyID):
		if s := m.detail.CopyIDText(); s != "" {
			m.flash = "copied Message-ID, ID and locators"
			return tea.SetClipboard(s), true
		}
	case key.Matches(msg, k.CopyIOCs):
		if s := m.detail.IndicatorsText(); s != "" {
			m.flash = fmt.Sprintf("copied %d indicators (defanged)", strings.Count(s, "\n"))
			return tea.SetClipboard(s), true
		}
		m.flash = "no indicators in this message"
	case key.Matches(msg, k.LeastSure):
		m.leastSureKey()
	case key.Matches(msg, k.NextRisky):
		if !m.list.NextRisky() {
			m.flash = fmt.Sprintf("no unlabeled message scores ≥ %d", riskyScore)
		}
	default:
		return nil, false
	}
	return nil, true
}

// syncEvidenceKeys enables the keys of onEvidenceKey that can act in
// browse mode (called by syncKeys after the other browse keys).
func (m *Model) syncEvidenceKeys() {
	k := &m.c.Keys
	_, selected := m.list.Selected()
	on := func(b *key.Binding) { b.SetEnabled(len(b.Keys()) > 0) }
	if selected {
		on(&k.NextRisky)
		if m.c.Learned != nil {
			on(&k.LeastSure)
		}
		if m.c.Raw != nil {
			on(&k.ViewRaw)
		}
	}
	if m.focus != focusDetail || m.detail.Loaded() == nil {
		return
	}
	k.Filter.SetEnabled(false) // "/" searches the focused pane instead
	on(&k.PaneSearch)
	if m.detail.HasSearch() {
		on(&k.NextMatch)
		on(&k.PrevMatch)
	}
	if !m.detail.RawOpen() && m.detail.Pane() == kit.PaneSummary {
		on(&k.CopyID)
		on(&k.CopyIOCs)
	}
	if m.detail.RawOpen() {
		k.CopyURL.SetEnabled(false)
		k.CopyRawURL.SetEnabled(false)
		k.ToggleRaw.SetEnabled(false)
		k.Wrapper.SetEnabled(false)
		k.EditNote.SetEnabled(false)
	}
}
