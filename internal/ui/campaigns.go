package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/campaigns"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// campaignSource is what the campaign view needs of the store beyond
// kit.Store (*store.Store has it; a store without it has no campaigns).
type campaignSource interface {
	CampaignSummaries(minSize int, only map[string]bool) ([]store.CampaignSummary, error)
	CampaignOf(id string) (store.CampaignRef, error)
	CampaignRefs() (map[string]store.CampaignRef, error)
	SetLabels(ids []string, label string, onlyUnlabeled bool, by store.Actor) ([]store.LabelChange, error)
	RevertLabels(ops []store.RevertOp, by store.Actor) (done, refused []store.LabelChange, err error)
}

// campaignRefsMsg carries every message's campaign, for the list's
// campaign: and size filters.
type campaignRefsMsg struct {
	refs map[string]store.CampaignRef
	err  error
}

// rowsCampaignsSource is a store that reads the rows with their
// campaigns (*store.Store has it): the list then needs no second read of
// every message's campaign when it loads.
type rowsCampaignsSource interface {
	RowsWithCampaigns() ([]store.Row, error)
}

// loadRows reads every row of the store, with its campaign when the store
// can (rowsMsg.campaigns).
func loadRows(st kit.Store) tea.Cmd {
	return func() tea.Msg {
		if src, ok := st.(rowsCampaignsSource); ok {
			rows, err := src.RowsWithCampaigns()
			return rowsMsg{rows: rows, err: err, campaigns: true}
		}
		rows, err := st.Rows()
		return rowsMsg{rows: rows, err: err}
	}
}

// loadCampaignRefs reads every message's campaign (nil when the store
// has no campaigns).
func loadCampaignRefs(st kit.Store) tea.Cmd {
	src, ok := st.(campaignSource)
	if !ok {
		return nil
	}
	return func() tea.Msg {
		refs, err := src.CampaignRefs()
		return campaignRefsMsg{refs, err}
	}
}

// SetCampaigns sets the campaign of each listed row in refs (the
// campaign: and size filters read it) and filters again.
func (l *List) SetCampaigns(refs map[string]store.CampaignRef) {
	for id, ref := range refs {
		if i, ok := l.byID[id]; ok {
			l.rows[i].Campaign = ref
		}
	}
	l.invalidate()
	l.refilter(false, true)
}

// Campaigns is the list's campaign mode as the root model holds it: the
// campaign room (rows, selection, pane; package campaigns) and whether the
// mode is on.
type Campaigns struct {
	campaigns.List
	on     bool
	iocGen int // generation of the last indicator copy (I)
}

func newCampaigns(c *kit.Common) Campaigns { return Campaigns{List: campaigns.New(c)} }

// load reads the store's campaigns (campaigns.List.Load).
func (cv *Campaigns) load() tea.Cmd { return cv.Load() }

// campaignsMsg carries a campaign list read for one generation.
type campaignsMsg = campaigns.Loaded

// labelCampaign labels the members of campaign c: the unlabeled ones, or
// all of them when all is set, in one store transaction. The result is a
// labeledMsg, so the list, the undo stack and the flash follow the usual
// path; its undo is one transaction too (revertLabels).
func (m *Model) labelCampaign(c *store.CampaignSummary, label string, all bool) tea.Cmd {
	src, ok := m.c.Store.(campaignSource)
	if !ok {
		return nil
	}
	ids, actor := c.Members, m.c.Actor
	return func() tea.Msg {
		chs, err := src.SetLabels(ids, label, !all, actor)
		res := labeledMsg{err: err}
		for _, ch := range chs {
			res.changes = append(res.changes, labelChange{id: ch.ID, label: ch.Event.Label, prev: ch.Event.Previous, ev: ch.Event})
		}
		return res
	}
}

// askLabelCampaign labels the selected campaign's unlabeled members, or,
// when some members already have a label, asks first, naming the counts:
// y labels all of them, n only the unlabeled ones.
func (m *Model) askLabelCampaign(label string) tea.Cmd {
	c, ok := m.camps.Selected()
	if !ok {
		return nil
	}
	unlabeled := c.Labels[""]
	if unlabeled == c.Size() {
		return m.labelCampaign(c, label, false)
	}
	name := textsafe.Clean(label)
	if name == "" {
		name = "no label"
	}
	cc := *c
	m.confirm = &confirmation{
		prompt: fmt.Sprintf("%s: label all %d messages %s (%d have a label)? y: all · n: only the %d unlabeled · esc: cancel",
			c.ID, c.Size(), name, c.Size()-unlabeled, unlabeled),
		yes: func(m *Model) tea.Cmd { return m.labelCampaign(&cc, label, true) },
		no: func(m *Model) tea.Cmd {
			if unlabeled == 0 {
				m.flash = "nothing to label: every message of " + cc.ID + " has a label"
				return nil
			}
			return m.labelCampaign(&cc, label, false)
		},
	}
	return nil
}

// revertLabels undoes one batch of this session's labels in one store
// transaction when the store can (only the messages whose label is still
// the one set, and set by this analyst); ok is false otherwise.
func (m *Model) revertLabels(last []labelChange) (tea.Cmd, bool) {
	src, ok := m.c.Store.(campaignSource)
	if !ok {
		return nil, false
	}
	ops := make([]store.RevertOp, len(last))
	for i, c := range last {
		ops[i] = store.RevertOp{ID: c.id, To: c.prev, Expect: c.label}
	}
	actor := m.c.Actor
	return func() tea.Msg {
		done, refused, err := src.RevertLabels(ops, actor)
		res := labeledMsg{undo: true, err: err}
		for _, d := range done {
			res.changes = append(res.changes, labelChange{id: d.ID, label: d.Event.Label, prev: d.Event.Previous, ev: d.Event})
		}
		for _, r := range refused {
			res.refused = append(res.refused, refusal{id: r.ID, cur: r.Event})
		}
		return res
	}, true
}

// loadCampaignOf reads the campaign of message id for the summary pane.
func loadCampaignOf(st kit.Store, id string) store.CampaignRef {
	src, ok := st.(campaignSource)
	if !ok {
		return store.CampaignRef{}
	}
	ref, err := src.CampaignOf(id)
	if err != nil {
		return store.CampaignRef{}
	}
	return ref
}

// onCampaignKey handles a key in campaign mode. Keys that act on messages
// do nothing here; ok is false for the keys the other handlers keep
// (help, quit, dismiss).
func (m *Model) onCampaignKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := &m.c.Keys
	switch {
	case key.Matches(msg, k.Campaigns), key.Matches(msg, k.Back):
		m.camps.on = false
		m.layout()
	case key.Matches(msg, k.Up):
		m.camps.Move(-1)
	case key.Matches(msg, k.Down):
		m.camps.Move(1)
	case key.Matches(msg, k.PageUp):
		m.camps.Move(-m.pageSize())
	case key.Matches(msg, k.PageDown):
		m.camps.Move(m.pageSize())
	case key.Matches(msg, k.Top):
		m.camps.Move(-1 << 30)
	case key.Matches(msg, k.Bottom):
		m.camps.Move(1 << 30)
	case key.Matches(msg, k.Open):
		if c, ok := m.camps.Selected(); ok {
			m.camps.on = false
			m.setFilter("campaign:" + c.ID)
			m.flash = fmt.Sprintf("%s: %d messages (esc clears the filter)", c.ID, c.Size())
		}
	case key.Matches(msg, k.Undo):
		return m.undoLast(), true
	case key.Matches(msg, k.CopyIOCs):
		return m.copyCampaignIndicators(), true
	case key.Matches(msg, k.ClearLabel):
		return m.askLabelCampaign(""), true
	case key.Matches(msg, k.Help), key.Matches(msg, k.Quit), key.Matches(msg, k.Dismiss):
		return nil, false
	default:
		for i, b := range k.Labels {
			if key.Matches(msg, b) {
				return m.askLabelCampaign(m.c.Labels[i]), true
			}
		}
	}
	return nil, true
}

// toggleCampaigns switches the list between messages and campaigns.
func (m *Model) toggleCampaigns() tea.Cmd {
	m.camps.on = !m.camps.on
	m.focus = focusList
	m.layout()
	if m.camps.on {
		return m.camps.load()
	}
	return nil
}

// jumpToCampaign shows the campaign of the message in the detail panes.
func (m *Model) jumpToCampaign() tea.Cmd {
	d := m.detail.Loaded()
	if d == nil || d.Campaign.ID == "" {
		return nil
	}
	m.camps.on = true
	m.camps.SelectOnLoad(d.Campaign.ID)
	m.focus = focusList
	m.layout()
	return m.camps.load()
}

// onCampaigns takes a loaded campaign list; stale generations are dropped.
func (m *Model) onCampaigns(msg campaignsMsg) {
	refs, fresh, err := m.camps.Take(msg)
	switch {
	case !fresh:
	case err != nil:
		m.setErr(fmt.Errorf("loading campaigns: %w", err))
	default:
		m.list.SetCampaigns(refs)
	}
}

// campaignStatus is the status line in campaign mode.
func (m Model) campaignStatus() string {
	n, grouped := m.camps.Counts()
	return fmt.Sprintf("%s campaigns · %s messages in campaigns of 2 or more · C: messages", commas(n), commas(grouped))
}

// campaignBody renders the campaign list and, beside it (wide) or below
// it (narrow, when there is room), the campaign pane.
func (m Model) campaignBody(h int) []string {
	w := m.width
	if m.wide() {
		lw := m.listWidth()
		left := strings.Split(m.camps.View(lw, h), "\n")
		right := strings.Split(m.camps.PaneView(w-lw-1, h), "\n")
		return joinColumns(left, right, lw, h, m.c.Styles.Border.Render("│"))
	}
	if h < 12 {
		return fit(strings.Split(m.camps.View(w, h), "\n"), w, h)
	}
	top := h / 2
	out := fit(strings.Split(m.camps.View(w, top), "\n"), w, top)
	out = append(out, m.c.Styles.Border.Render(strings.Repeat("─", w)))
	return append(out, fit(strings.Split(m.camps.PaneView(w, h-top-1), "\n"), w, h-top-1)...)
}

// syncCampaignKeys enables the bindings of campaign mode.
func (m *Model) syncCampaignKeys(on func(...*key.Binding)) {
	k := &m.c.Keys
	on(&k.Campaigns, &k.Help, &k.Quit, &k.Back)
	if m.err != nil {
		on(&k.Dismiss)
	}
	if _, ok := m.camps.Selected(); ok {
		on(&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.Open, &k.ClearLabel, &k.CopyIOCs)
		for i := range k.Labels {
			on(&k.Labels[i])
		}
	}
	if len(m.undo) > 0 {
		on(&k.Undo)
	}
}
