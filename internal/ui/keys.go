package ui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/textsafe"
)

// onKey routes a key press to the handler of the current mode. ctrl+c
// always quits; otherwise the first active mode of confirm, note editor,
// filter input, help overlay and browse takes the key.
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	switch {
	case m.confirm != nil:
		return m.onConfirmKey(msg)
	case m.editor.Active():
		return m.onEditorKey(msg)
	case m.filtering:
		return m.onFilterKey(msg)
	case m.searching:
		return m.onSearchKey(msg)
	case m.showHelp:
		if key.Matches(msg, m.c.Keys.Quit) {
			return tea.Quit
		}
		m.showHelp = false
		return nil
	}
	m.flash = ""
	if cmd, ok := m.onEvidenceKey(msg); ok {
		return cmd
	}
	if cmd, ok := m.onNavKey(msg); ok {
		return cmd
	}
	return m.onActionKey(msg)
}

// onConfirmKey answers the pending question: Confirm runs it, any other
// key cancels it.
func (m *Model) onConfirmKey(msg tea.KeyPressMsg) tea.Cmd {
	c := m.confirm
	m.confirm = nil
	if key.Matches(msg, m.c.Keys.Confirm) {
		return c.yes(m)
	}
	m.flash = "cancelled"
	return nil
}

// onEditorKey handles save and cancel in the note editor and gives every
// other key to the textarea, so letters are typed, never actions.
func (m *Model) onEditorKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.c.Keys
	switch {
	case key.Matches(msg, k.SaveNote):
		return m.saveNote()
	case key.Matches(msg, k.CancelNote):
		if m.editor.Dirty() {
			m.confirm = &confirmation{prompt: "discard the unsaved note? (y/n)", yes: func(m *Model) tea.Cmd {
				m.editor.Close()
				m.flash = "note discarded"
				return nil
			}}
			return nil
		}
		m.editor.Close()
		return nil
	}
	return m.editor.Update(msg)
}

// onFilterKey applies or cancels the filter being typed and gives every
// other key to the input.
func (m *Model) onFilterKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.c.Keys
	switch {
	case key.Matches(msg, k.FilterAccept):
		m.filtering = false
		m.filter.Blur()
		m.layout()
		return nil
	case key.Matches(msg, k.FilterCancel):
		m.filtering = false
		m.filter.Blur()
		m.filter.SetValue(m.filterBefore)
		m.list.SetFilter(m.filterBefore)
		m.layout()
		return nil
	}
	return m.updateFilter(msg)
}

// onNavKey handles the browse keys that move, switch focus or panes, and
// change the filter or sort. ok is false when msg is none of them.
func (m *Model) onNavKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	k := &m.c.Keys
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit, true
	case key.Matches(msg, k.Help):
		m.showHelp = true
	case key.Matches(msg, k.Dismiss):
		m.err = nil
		m.layout()
	case key.Matches(msg, k.Back):
		m.focus = focusList
		m.layout()
	case key.Matches(msg, k.Open):
		m.focus = focusDetail
		m.layout()
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-m.pageSize())
	case key.Matches(msg, k.PageDown):
		m.move(m.pageSize())
	case key.Matches(msg, k.Top):
		m.move(-1 << 30)
	case key.Matches(msg, k.Bottom):
		m.move(1 << 30)
	case key.Matches(msg, k.Filter):
		m.filtering = true
		m.filterBefore = m.list.Filter()
		m.filter.SetValue(m.filterBefore)
		m.filter.CursorEnd()
		m.layout()
		return m.filter.Focus(), true
	case key.Matches(msg, k.Unlabeled):
		m.setFilter(toggleToken(m.list.Filter(), "label:none"))
	case key.Matches(msg, k.MinScore):
		m.setFilter(cycleMinScore(m.list.Filter()))
	case key.Matches(msg, k.Sort):
		m.list.CycleSort()
		m.flash = "sorted by " + m.list.sort.String()
	case key.Matches(msg, k.NextPane):
		m.detail.SetPane(m.detail.Pane() + 1)
	case key.Matches(msg, k.PrevPane):
		m.detail.SetPane(m.detail.Pane() - 1)
	default:
		for i, b := range k.Panes {
			if key.Matches(msg, b) {
				m.detail.SetPane(i)
				if !m.wide() {
					m.focus = focusDetail
					m.layout()
				}
				return nil, true
			}
		}
		return nil, false
	}
	return nil, true
}

// onActionKey handles the browse keys that act on messages: marks,
// labels, undo, copying URLs and notes.
func (m *Model) onActionKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.c.Keys
	switch {
	case key.Matches(msg, k.Mark):
		m.list.ToggleMark()
	case key.Matches(msg, k.MarkAll):
		m.list.MarkAll()
	case key.Matches(msg, k.AutoAdvance):
		m.autoAdvance = !m.autoAdvance
		m.flash = "auto-advance " + onOff(m.autoAdvance)
	case key.Matches(msg, k.Undo):
		return m.undoLast()
	case key.Matches(msg, k.ClearLabel):
		return m.labelTargets("")
	case key.Matches(msg, k.CopyURL):
		return m.copyDefangedURL()
	case key.Matches(msg, k.CopyRawURL):
		m.askCopyRawURL()
	case key.Matches(msg, k.ToggleRaw):
		m.detail.ToggleRaw()
	case key.Matches(msg, k.NewNote):
		if r, ok := m.list.Selected(); ok {
			m.layout()
			return m.editor.Open(r.ID, "", "", textsafe.Untrusted(r.Subject))
		}
	case key.Matches(msg, k.EditNote):
		if n, ok := m.detail.LastNote(); ok {
			r, _ := m.list.Selected()
			m.layout()
			return m.editor.Open(m.detail.ID(), n.ID, n.Text, textsafe.Untrusted(r.Subject))
		}
	default:
		for i, b := range k.Labels {
			if key.Matches(msg, b) {
				return m.labelTargets(m.c.Labels[i])
			}
		}
	}
	return nil
}

// undoLast reverts the last batch of labels this session committed.
func (m *Model) undoLast() tea.Cmd {
	if len(m.undo) == 0 {
		return nil
	}
	last := m.undo[len(m.undo)-1]
	m.undo = m.undo[:len(m.undo)-1]
	ids := make([]string, len(last))
	labels := make([]string, len(last))
	for i, c := range last {
		ids[i], labels[i] = c.id, c.prev
	}
	return m.setLabels(ids, labels, true)
}

// copyDefangedURL copies the selected URL, defanged. The defanged form is
// computed from the URL itself now, never taken from the report's stored
// Defanged field (an imported report could carry a live or hostile value
// there).
func (m *Model) copyDefangedURL() tea.Cmd {
	u, ok := m.detail.SelectedURL()
	if !ok {
		return nil
	}
	m.flash = "copied defanged URL"
	return tea.SetClipboard(defanged(u.Live).String())
}

// askCopyRawURL asks before copying the selected URL as it is (live).
func (m *Model) askCopyRawURL() {
	u, ok := m.detail.SelectedURL()
	if !ok {
		return
	}
	m.confirm = &confirmation{
		prompt: "copy the LIVE URL " + defanged(u.Live).Truncate(40) + " to the clipboard? (y/n)",
		yes: func(m *Model) tea.Cmd {
			m.flash = "copied raw URL — handle with care"
			return tea.SetClipboard(u.Live.String())
		},
	}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func (m *Model) labelTargets(label string) tea.Cmd {
	ids := m.list.Targets()
	labels := make([]string, len(ids))
	for i := range labels {
		labels[i] = label
	}
	return m.setLabels(ids, labels, false)
}

func (m *Model) updateFilter(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	before := m.filter.Value()
	m.filter, cmd = m.filter.Update(msg)
	if v := m.filter.Value(); v != before {
		m.list.SetFilter(v)
	}
	return cmd
}

func (m *Model) setFilter(q string) {
	m.filter.SetValue(q)
	m.list.SetFilter(q)
	m.layout()
}

// keysUnderHelp is the keymap of the screen the help overlay covers: the
// overlay itself only takes ? and q, but it describes what works once it
// is closed. It works on a copy, leaving m's keymap alone.
func (m Model) keysUnderHelp() KeyMap {
	c := *m.c
	c.Keys.Labels = slices.Clone(c.Keys.Labels) // shared backing array otherwise
	m.c = &c
	m.showHelp = false
	m.syncKeys()
	return c.Keys
}

// syncKeys enables exactly the bindings that can act now, so help is honest
// and disabled keys never fire.
func (m *Model) syncKeys() {
	k := &m.c.Keys
	for _, b := range k.all() {
		b.SetEnabled(false)
	}
	on := func(bs ...*key.Binding) {
		for _, b := range bs {
			b.SetEnabled(len(b.Keys()) > 0)
		}
	}
	switch {
	case m.confirm != nil:
		on(&k.Confirm, &k.Dismiss)
		return
	case m.editor.Active():
		on(&k.SaveNote, &k.CancelNote)
		return
	case m.filtering, m.searching:
		on(&k.FilterAccept, &k.FilterCancel)
		return
	case m.showHelp:
		on(&k.Help, &k.Quit)
		return
	}
	on(&k.Help, &k.Quit, &k.Filter, &k.Unlabeled, &k.MinScore, &k.Sort, &k.AutoAdvance)
	if m.err != nil {
		on(&k.Dismiss)
	}
	_, selected := m.list.Selected()
	if selected || m.focus == focusDetail {
		on(&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom)
	}
	if m.focus == focusDetail {
		if m.err == nil {
			on(&k.Back)
		}
	} else if selected {
		on(&k.Open, &k.Mark, &k.MarkAll)
	}
	if selected {
		on(&k.NextPane, &k.PrevPane, &k.ClearLabel, &k.NewNote)
		for i := range k.Panes {
			on(&k.Panes[i])
		}
		for i := range k.Labels {
			on(&k.Labels[i])
		}
	}
	if len(m.undo) > 0 {
		on(&k.Undo)
	}
	if m.detailVisible() && m.detail.data != nil {
		switch m.detail.Pane() {
		case PaneURLs:
			if _, ok := m.detail.SelectedURL(); ok {
				on(&k.CopyURL, &k.CopyRawURL)
			}
		case PaneHeaders:
			on(&k.ToggleRaw)
		case PaneNotes:
			if m.detail.HasNotes() {
				on(&k.EditNote)
			}
		}
	}
	m.syncEvidenceKeys()
}
