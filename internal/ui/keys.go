package ui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/filter"
	"github.com/triage-tools/triage/internal/ui/kit"
)

// onKey routes a key press to the handler of the current mode. ctrl+c
// always quits (an unsaved note is kept as a draft: see Persist);
// otherwise the first active mode of confirm, note editor, filter input,
// help overlay and browse takes the key.
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
		return m.onHelpKey(msg)
	}
	m.flash = ""
	m.touched = true
	if m.camps.on {
		if cmd, ok := m.onCampaignKey(msg); ok {
			return cmd
		}
	}
	switch {
	case key.Matches(msg, m.c.Keys.Campaigns):
		return m.toggleCampaigns()
	case key.Matches(msg, m.c.Keys.JumpCampaign):
		return m.jumpToCampaign()
	}
	if cmd, ok := m.onEvidenceKey(msg); ok {
		return cmd
	}
	if cmd, ok := m.onNavKey(msg); ok {
		return cmd
	}
	return m.onActionKey(msg)
}

// onHelpKey scrolls or closes the help overlay.
func (m *Model) onHelpKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.c.Keys
	page := max(m.height-6, 1)
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.CloseHelp):
		m.showHelp = false
	case key.Matches(msg, k.Up):
		m.helpOff--
	case key.Matches(msg, k.Down):
		m.helpOff++
	case key.Matches(msg, k.PageUp):
		m.helpOff -= page
	case key.Matches(msg, k.PageDown):
		m.helpOff += page
	case key.Matches(msg, k.Top):
		m.helpOff = 0
	case key.Matches(msg, k.Bottom):
		m.helpOff = 1 << 20
	}
	m.helpOff = min(max(m.helpOff, 0), m.helpMaxOff())
	return nil
}

// onConfirmKey answers the pending question: Confirm runs it, any other
// key cancels it.
func (m *Model) onConfirmKey(msg tea.KeyPressMsg) tea.Cmd {
	c := m.confirm
	m.confirm = nil
	if key.Matches(msg, m.c.Keys.Confirm) {
		return c.yes(m)
	}
	if c.no != nil && msg.String() == "n" {
		return c.no(m)
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
				id := m.editor.MsgID()
				m.editor.Close()
				m.flash = "note discarded"
				return m.dropDraft(id)
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
	if m.command {
		switch {
		case key.Matches(msg, k.CommandRun):
			line := m.filter.Value()
			m.closeInput()
			return m.runCommand(line)
		case key.Matches(msg, k.CommandCancel):
			m.closeInput()
			return nil
		}
		var cmd tea.Cmd
		*m.filter, cmd = m.filter.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.FilterAccept):
		if m.filterErr != nil {
			return nil // the error stays on screen; the input stays open
		}
		m.closeInput()
		return nil
	case key.Matches(msg, k.FilterCancel):
		_ = m.list.SetFilter(m.filterBefore) // it parsed before
		m.closeInput()
		m.filter.SetValue(m.filterBefore)
		return nil
	}
	return m.updateFilter(msg)
}

// closeInput leaves the filter or command input.
func (m *Model) closeInput() {
	m.filtering, m.command, m.filterErr = false, false, nil
	m.list.broken = false
	m.filter.Blur()
	m.filter.Prompt = "/ "
	m.filter.SetValue(m.list.Filter())
	m.layout()
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
	case key.Matches(msg, k.ClearFilter):
		m.setFilter("")
		m.flash = "filter cleared"
	case key.Matches(msg, k.Command):
		m.filtering, m.command = true, true
		m.filter.Prompt = ": "
		m.filter.SetValue("")
		m.layout()
		return m.filter.Focus(), true
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
		m.filter.Prompt = "/ "
		m.filterBefore = m.list.Filter()
		m.filter.SetValue(m.filterBefore)
		m.filter.CursorEnd()
		m.layout()
		return m.filter.Focus(), true
	case key.Matches(msg, k.Unlabeled):
		m.setFilter(filter.ToggleToken(m.list.Filter(), "label:none"))
	case key.Matches(msg, k.MinScore):
		m.setFilter(filter.CycleMinScore(m.list.Filter()))
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
	case key.Matches(msg, k.Wrapper):
		m.detail.ToggleWrapper()
	case key.Matches(msg, k.NewNote):
		if r, ok := m.list.Selected(); ok {
			m.layout()
			cmd := m.editor.Open(r.ID, "", "", textsafe.Untrusted(r.Subject))
			if text, ok := m.takeDraft(r.ID, ""); ok {
				m.editor.SetValue(text)
				m.flash = "unsaved draft restored"
			}
			return cmd
		}
	case key.Matches(msg, k.EditNote):
		if n, ok := m.detail.LastNote(); ok {
			r, _ := m.list.Selected()
			m.layout()
			cmd := m.editor.Open(m.detail.ID(), n.ID, n.Text, textsafe.Untrusted(r.Subject))
			if text, ok := m.takeDraft(m.detail.ID(), n.ID); ok {
				m.editor.SetValue(text)
				m.flash = "unsaved draft restored"
			}
			return cmd
		}
	default:
		for i, b := range k.Labels {
			if key.Matches(msg, b) {
				return m.labelTargets(m.c.Labels[i])
			}
		}
		if m.isLabelKey(msg) {
			m.refuseLabel()
		}
	}
	return nil
}

// isLabelKey reports whether msg is a label key (or the clear-label key),
// enabled or not.
func (m *Model) isLabelKey(msg tea.KeyPressMsg) bool {
	k := &m.c.Keys
	s := msg.String()
	if slices.Contains(k.ClearLabel.Keys(), s) {
		return true
	}
	for _, b := range k.Labels {
		if slices.Contains(b.Keys(), s) {
			return true
		}
	}
	return false
}

// refuseLabel says why a label key did nothing: there is no message
// selected (none listed yet, or none matching the filter). A label key is
// never queued for a row the analyst has not seen.
func (m *Model) refuseLabel() {
	total, _, _ := m.list.Counts()
	switch {
	case total == 0 && (m.progressCh != nil || m.rowsPending):
		m.flash = "not labeled: no message listed yet (still loading)"
	case total == 0:
		m.flash = "not labeled: no message to label"
	default:
		m.flash = "not labeled: no message selected"
	}
}

// undoLast reverts the last batch of labels this session committed.
func (m *Model) undoLast() tea.Cmd {
	if len(m.undo) == 0 {
		return nil
	}
	last := m.undo[len(m.undo)-1]
	m.undo = m.undo[:len(m.undo)-1]
	if cmd, ok := m.revertLabels(last); ok {
		return cmd // one store transaction
	}
	ids := make([]string, len(last))
	labels := make([]string, len(last))
	expects := make([]string, len(last))
	for i, c := range last {
		ids[i], labels[i], expects[i] = c.id, c.prev, c.label
	}
	return m.setLabels(ids, labels, expects, true)
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
	return tea.SetClipboard(kit.Defanged(u.Live).String())
}

// askCopyRawURL asks before copying the selected URL as it is (live).
func (m *Model) askCopyRawURL() {
	u, ok := m.detail.SelectedURL()
	if !ok {
		return
	}
	m.confirm = &confirmation{
		prompt: "copy the LIVE URL " + kit.Defanged(u.Live).Truncate(40) + " to the clipboard? (y/n)",
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
	return m.setLabels(ids, labels, nil, false)
}

func (m *Model) updateFilter(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	before := m.filter.Value()
	*m.filter, cmd = m.filter.Update(msg)
	if v := m.filter.Value(); v != before && !m.command {
		hadErr := m.filterErr != nil
		m.filterErr = m.list.SetFilter(v)
		m.list.broken = m.filterErr != nil
		if hadErr != (m.filterErr != nil) {
			m.layout()
		}
	}
	return cmd
}

// setFilter applies q (from a quick key or a saved filter); a query that
// does not parse is shown as an error and changes nothing.
func (m *Model) setFilter(q string) {
	if err := m.list.SetFilter(q); err != nil {
		m.setErr(err)
		return
	}
	m.filter.SetValue(q)
	m.layout()
}

// syncKeys enables exactly the bindings that can act now, so help is honest
// and disabled keys never fire.
func (m *Model) syncKeys() {
	k := &m.c.Keys
	for _, b := range k.All() {
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
	case m.filtering && m.command:
		on(&k.CommandRun, &k.CommandCancel)
		return
	case m.searching:
		on(&k.FilterAccept, &k.FilterCancel)
	case m.filtering:
		if m.filterErr == nil {
			on(&k.FilterAccept)
		}
		on(&k.FilterCancel)
		return
	case m.showHelp:
		on(&k.CloseHelp, &k.Quit)
		if m.helpMaxOff() > 0 {
			on(&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom)
		}
		return
	}
	if m.camps.on {
		m.syncCampaignKeys(on)
		return
	}
	if _, ok := m.c.Store.(campaignSource); ok {
		on(&k.Campaigns)
		if d := m.detail.Loaded(); d != nil && d.Campaign.ID != "" && m.detailVisible() {
			on(&k.JumpCampaign)
		}
	}
	on(&k.Help, &k.Quit, &k.Filter, &k.Command, &k.Unlabeled, &k.MinScore, &k.Sort, &k.AutoAdvance)
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
	} else {
		if selected {
			on(&k.Open, &k.Mark, &k.MarkAll)
		}
		if m.list.Filter() != "" && m.err == nil {
			on(&k.ClearFilter)
		}
	}
	if selected && m.detailVisible() {
		on(&k.NextPane, &k.PrevPane) // Tab never changes a pane that is not on screen
	}
	if selected {
		on(&k.ClearLabel, &k.NewNote)
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
	if m.detailVisible() && m.detail.Loaded() != nil {
		switch m.detail.Pane() {
		case kit.PaneURLs:
			if _, ok := m.detail.SelectedURL(); ok {
				on(&k.CopyURL, &k.CopyRawURL)
			}
		case kit.PaneHeaders:
			on(&k.ToggleRaw)
		case kit.PaneNotes:
			if m.detail.HasNotes() {
				on(&k.EditNote)
			}
		}
		if p := m.detail.Pane(); (p == kit.PaneHeaders || p == kit.PaneHops) && m.detail.HasWrapper() {
			on(&k.Wrapper)
		}
	}
	m.syncEvidenceKeys()
}
