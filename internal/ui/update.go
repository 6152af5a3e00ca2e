package ui

import (
	"cmp"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/kit"
)

// Update routes a message and returns the commands to run.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	effect := m.countsEffectOf(msg)
	if effect == countsHold {
		m.holdCounts()
	}
	cmds = append(cmds, m.update(msg))
	cmds = append(cmds, m.ensureDetail())
	m.syncKeys()
	cmds = append(cmds, m.paceCounts(msg, effect))
	m.nextFrame(effect)
	return m, tea.Batch(cmds...)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return nil
	case tea.BackgroundColorMsg:
		m.c.Styles = kit.NewStyles(msg.IsDark())
		m.c.StylesGen++
		m.setHelpStyles()
		m.detail.Rebuild()
		return nil
	case rowsMsg:
		return m.onRows(msg)
	case campaignRefsMsg:
		m.onCampaignRefs(msg)
		return nil
	case learnedMsg:
		return m.onLearned(msg)
	case countsTickMsg:
		return nil // paceCounts shows the live counts
	case stateMsg:
		m.onState(msg)
		return nil
	case stateSavedMsg:
		m.onStateSaved(msg)
		return nil
	case presenceMsg:
		if !msg.ok {
			m.rosterCh = nil
			return nil
		}
		m.online = msg.names
		return waitPresence(m.roster, m.rosterCh)
	case progressMsg:
		return m.onProgress(msg)
	case changeMsg:
		return m.onChange(msg)
	case resyncMsg:
		return m.onResync(msg)
	case detailMsg:
		if msg.gen != m.detailGen {
			return nil // stale: the selection moved on
		}
		m.detail.SetData(msg.data, msg.err)
		return m.explainDetail()
	case explainMsg:
		if msg.gen == m.detailGen {
			if msg.err != nil {
				m.flash = "learned model: " + textsafe.Clean(msg.err.Error())
			}
			m.detail.SetModel(msg.id, msg.sc)
		}
		return nil
	case labeledMsg:
		cmd := m.onLabeled(msg)
		if m.camps.on && len(msg.changes) > 0 {
			return tea.Batch(cmd, m.camps.load())
		}
		return cmd
	case campaignsMsg:
		m.onCampaigns(msg)
		return nil
	case campaignIOCsMsg:
		return m.onCampaignIOCs(msg)
	case noteSavedMsg:
		return m.onNoteSaved(msg)
	case notesMsg:
		m.onNotes(msg)
		return nil
	case labelHistMsg:
		if msg.err == nil {
			m.detail.SetLabel(msg.id, msg.label, msg.hist)
		}
		return nil
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case rawMsg:
		return m.onRaw(msg)
	case pagerDoneMsg:
		if msg.err != nil {
			m.setErr(fmt.Errorf("pager: %w", msg.err))
		}
		return nil
	case tea.MouseWheelMsg, tea.MouseClickMsg:
		return m.onMouse(msg.(tea.MouseMsg))
	case tea.PasteMsg:
		if m.editor.Active() {
			return m.editor.Update(msg)
		}
		if m.filtering {
			return m.updateFilter(msg)
		}
		return nil
	}
	// Cursor blinks and other internal messages of the inputs.
	if m.editor.Active() {
		return m.editor.Update(msg)
	}
	if m.filtering {
		var cmd tea.Cmd
		*m.filter, cmd = m.filter.Update(msg)
		return cmd
	}
	return nil
}

// onRows shows the rows read from the store, then asks for their
// campaigns (unless they came with them) and learned scores.
func (m *Model) onRows(msg rowsMsg) tea.Cmd {
	m.rowsPending = false
	defer m.settle()
	if msg.err != nil {
		m.setErr(fmt.Errorf("loading messages: %w", msg.err))
		return nil
	}
	m.list.Load(msg.rows)
	m.applyRestoreSel()
	if msg.campaigns {
		return m.refreshLearned()
	}
	return tea.Batch(loadCampaignRefs(m.c.Store), m.refreshLearned())
}

// onCampaignRefs shows each row's campaign.
func (m *Model) onCampaignRefs(msg campaignRefsMsg) {
	if msg.err != nil {
		m.setErr(fmt.Errorf("loading campaigns: %w", msg.err))
		return
	}
	m.list.SetCampaigns(msg.refs)
}

func (m *Model) onProgress(msg progressMsg) tea.Cmd {
	if !msg.ok {
		m.progress = nil
		m.progressCh = nil
		m.settle()
		return nil
	}
	ev := msg.ev
	if len(ev.Rows) > 0 {
		m.ingested = true
		m.list.Add(ev.Rows)
		m.applyRestoreSel()
	}
	if ev.Err != nil {
		m.setErr(fmt.Errorf("%s: %w", textsafe.Clean(cmp.Or(ev.Source, "mailbox")), ev.Err))
	}
	if ev.Finished {
		m.progress = nil
		m.progressCh = nil
		m.settle()
		if !m.ingested {
			// An unchanged mailbox: the campaigns and scores read with
			// the rows are current (at a million messages, reading every
			// campaign again took seconds).
			return nil
		}
		return tea.Batch(loadCampaignRefs(m.c.Store), m.refreshLearned())
	}
	ev.Rows = nil
	m.progress = &ev
	return waitProgress(m.progressCh)
}

// settle tells the list that no row read before this session's label
// changes can arrive any more: the initial rows are loaded and the ingest
// run has ended.
func (m *Model) settle() {
	if !m.rowsPending && m.progressCh == nil {
		m.list.Settle()
	}
}

func (m *Model) onChange(msg changeMsg) tea.Cmd {
	if !msg.ok {
		m.changes = nil
		return nil
	}
	ch := msg.ch
	if ch.Kind == changeResync {
		return m.resync() // the next change is awaited once it is applied
	}
	var cmd tea.Cmd
	switch ch.Kind {
	case "label":
		m.list.SetLabel(ch.ID, ch.Label)
		cmd = tea.Batch(m.refreshLearned(), m.explainDetail())
		if m.camps.on && !m.camps.Loading() {
			cmd = tea.Batch(cmd, m.camps.load()) // another session's label changes a label mix
		}
		if m.detail.ID() == ch.ID {
			cmd = tea.Batch(cmd, m.loadLabel(ch.ID))
		}
		if r, ok := m.list.Selected(); ok && r.ID == ch.ID && ch.Actor != m.c.Actor {
			who := cmp.Or(textsafe.Clean(ch.Actor.Name), "another analyst")
			m.flash = fmt.Sprintf("%s labeled this message %s", who, textsafe.Clean(cmp.Or(ch.Label, "no label")))
		}
	case "note":
		if m.detail.ID() == ch.ID {
			cmd = m.loadNotes(ch.ID)
		}
	}
	if m.changes == nil {
		return cmd // a change delivered without a subscription (tests)
	}
	return tea.Batch(cmd, waitChange(m.changes))
}

func (m *Model) onLabeled(msg labeledMsg) tea.Cmd {
	cmds := []tea.Cmd{m.refreshLearned(), m.explainDetail()}
	for _, ch := range msg.changes {
		m.list.SetLabel(ch.id, ch.label)
		if m.detail.ID() == ch.id {
			cmds = append(cmds, m.loadLabel(ch.id))
		}
	}
	if msg.err != nil {
		m.setErr(fmt.Errorf("labeling: %w", msg.err))
	}
	if msg.undo {
		m.flash = undoFlash(msg)
		if len(msg.changes) > 0 {
			m.list.Select(msg.changes[0].id)
		} else if len(msg.refused) > 0 {
			m.list.Select(msg.refused[0].id)
		}
		return tea.Batch(cmds...)
	}
	if len(msg.changes) == 0 {
		return tea.Batch(cmds...)
	}
	m.undo = append(m.undo, msg.changes)
	if len(m.undo) > 100 {
		m.undo = m.undo[1:]
	}
	m.list.ClearMarks()
	m.flash = fmt.Sprintf("%d message(s) → %s", len(msg.changes), cmp.Or(msg.changes[0].label, "no label"))
	if m.autoAdvance {
		if r, ok := m.list.Selected(); ok && r.Label != "" {
			m.list.NextUnlabeled()
		}
	}
	return tea.Batch(cmds...)
}

// undoFlash says what an undo did, and why it left messages alone.
func undoFlash(msg labeledMsg) string {
	var parts []string
	if n := len(msg.changes); n > 0 {
		parts = append(parts, fmt.Sprintf("undone: %d message(s) restored", n))
	}
	if len(msg.refused) > 0 {
		r := msg.refused[0].cur
		label := textsafe.Clean(cmp.Or(r.Label, "no label"))
		who := cmp.Or(textsafe.Clean(r.Actor.Name), "someone else")
		s := fmt.Sprintf("not undone: %s changed the label since (now %s)", who, label)
		if n := len(msg.refused); n > 1 {
			s = fmt.Sprintf("not undone for %d messages: labels changed since (e.g. %s set %s)", n, who, label)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// ensureDetail starts loading the selected message when the panes are
// visible and show another message.
func (m *Model) ensureDetail() tea.Cmd {
	if !m.detailVisible() || m.c.Store == nil {
		return nil
	}
	r, ok := m.list.Selected()
	if !ok || m.detail.ID() == r.ID {
		return nil
	}
	m.detailGen++
	m.detail.SetLoading(r.ID)
	return loadDetail(m.c, r.ID, r.Campaign, m.detailGen)
}

func (m *Model) onStateSaved(msg stateSavedMsg) {
	if msg.err != nil {
		m.setErr(fmt.Errorf("saving: %w", msg.err))
	} else if msg.flash != "" {
		m.flash = msg.flash
	}
}

func (m *Model) onNoteSaved(msg noteSavedMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(fmt.Errorf("saving note: %w", msg.err))
		return nil // the editor stays open with the text
	}
	m.editor.Close()
	m.flash = "note saved"
	return tea.Batch(m.loadNotes(msg.id), m.dropDraft(msg.id))
}

func (m *Model) onNotes(msg notesMsg) {
	if msg.err != nil {
		m.setErr(fmt.Errorf("loading notes: %w", msg.err))
		return
	}
	m.detail.SetNotes(msg.id, msg.notes)
}
