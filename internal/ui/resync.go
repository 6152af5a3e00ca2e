package ui

import (
	"fmt"
	"maps"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/store"
)

// changeResync is the Kind of the Change that stands for changes this
// session's feed missed.
const changeResync = store.ChangeResync

// resyncMsg carries the labels read again after a store.ChangeResync.
type resyncMsg struct {
	labels map[string]string
	err    error
}

// resync re-reads every label after a store.ChangeResync: this session's
// feed lagged (a slow link) and the store replaced the changes it could
// not take by the resync. The next change is awaited only once the labels
// are applied (onResync), so no change that follows the read is
// overwritten by it.
func (m *Model) resync() tea.Cmd {
	st := m.c.Store
	return func() tea.Msg {
		labels, err := st.Labels()
		return resyncMsg{labels, err}
	}
}

// onResync applies the labels read by resync in one step, reloads what
// the open message's panes show, and awaits the next change.
func (m *Model) onResync(msg resyncMsg) tea.Cmd {
	var cmds []tea.Cmd
	if msg.err != nil {
		m.setErr(fmt.Errorf("reading labels again: %w", msg.err))
	} else {
		m.list.SetLabels(msg.labels)
		cmds = append(cmds, m.refreshLearned(), m.explainDetail())
		if m.camps.on && !m.camps.Loading() {
			cmds = append(cmds, m.camps.load())
		}
	}
	if id := m.detail.ID(); id != "" {
		cmds = append(cmds, m.loadLabel(id), m.loadNotes(id))
	}
	if m.changes != nil {
		cmds = append(cmds, waitChange(m.changes))
	}
	return tea.Batch(cmds...)
}

// SetLabels gives every row the label it has in labels (none when absent),
// the current labels read after a resync, and re-sorts and filters once.
// While rows read before may still arrive (until Settle), labels replaces
// the labels seen committed, and a row missing from it arrives unlabeled.
func (l *List) SetLabels(labels map[string]string) {
	if l.committed != nil {
		clear(l.committed)
		maps.Copy(l.committed, labels)
		l.resynced = true
	}
	changed := false
	for i := range l.rows {
		changed = l.relabel(int32(i), labels[l.rows[i].ID]) || changed
	}
	if changed {
		l.labelsChanged()
	}
}

// committedLabel returns the label committed for id since rows were read
// (see List.committed), and whether there is one.
func (l *List) committedLabel(id string) (string, bool) {
	if l.committed == nil {
		return "", false
	}
	label, ok := l.committed[id]
	if !ok && l.resynced {
		return "", true
	}
	return label, ok
}
