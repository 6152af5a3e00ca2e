package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/analysis/urls"
	"github.com/triage-tools/triage/internal/campaign"
	"github.com/triage-tools/triage/internal/textsafe"
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

// campaignsMsg carries a campaign list read for generation gen.
type campaignsMsg struct {
	gen  int
	list []store.CampaignSummary
	err  error
}

// Campaigns is the list's campaign mode: one row per campaign, and the
// campaign pane (what the selected campaign's messages share).
type Campaigns struct {
	c       *kit.Common
	on      bool
	list    []store.CampaignSummary
	sel     int
	off     int
	gen     int
	loading bool
	want    string // campaign to select when the list arrives (jump)
	iocGen  int    // generation of the last indicator copy (I)
}

func newCampaigns(c *kit.Common) Campaigns { return Campaigns{c: c} }

// load reads the campaigns of the store (largest first), tagged with a
// new generation; older results are dropped.
func (cv *Campaigns) load() tea.Cmd {
	src, ok := cv.c.Store.(campaignSource)
	if !ok {
		return nil
	}
	cv.gen++
	cv.loading = true
	gen := cv.gen
	return func() tea.Msg {
		l, err := src.CampaignSummaries(1, nil)
		return campaignsMsg{gen: gen, list: l, err: err}
	}
}

// set takes a loaded list, keeping the selected campaign when it is still
// there (or selecting the one jumped to).
func (cv *Campaigns) set(l []store.CampaignSummary) {
	keep := cv.want
	if keep == "" {
		if c, ok := cv.Selected(); ok {
			keep = c.ID
		}
	}
	cv.list, cv.loading, cv.want = l, false, ""
	cv.sel = min(cv.sel, max(len(l)-1, 0))
	for i := range l {
		if l[i].ID == keep || containsMerged(&l[i], keep) {
			cv.sel = i
			break
		}
	}
}

func containsMerged(c *store.CampaignSummary, id string) bool {
	for _, m := range c.Merged {
		if m.From == id {
			return true
		}
	}
	return false
}

// Selected returns the selected campaign.
func (cv *Campaigns) Selected() (*store.CampaignSummary, bool) {
	if cv.sel < 0 || cv.sel >= len(cv.list) {
		return nil, false
	}
	return &cv.list[cv.sel], true
}

// Move moves the selection by delta rows.
func (cv *Campaigns) Move(delta int) {
	cv.sel = min(max(cv.sel+delta, 0), max(len(cv.list)-1, 0))
}

// Counts returns the number of campaigns and of messages in campaigns of
// two or more.
func (cv *Campaigns) Counts() (n, grouped int) {
	for i := range cv.list {
		if s := cv.list[i].Size(); s >= 2 {
			grouped += s
		}
	}
	return len(cv.list), grouped
}

// View renders the campaign rows in width×height: a header, then size,
// max and median score, first and last date, label mix and the
// representative subject.
func (cv *Campaigns) View(width, height int) string {
	st := &cv.c.Styles
	lines := []string{st.Dim.Render(kit.Pad(" size  max  med  first       last        labels · subject", width))}
	switch {
	case cv.loading && len(cv.list) == 0:
		return strings.Join(append(lines, " loading campaigns…"), "\n")
	case len(cv.list) == 0:
		return strings.Join(append(lines, " no campaigns: messages are grouped as they are analysed"), "\n")
	}
	rows := max(height-1, 1)
	if cv.sel < cv.off {
		cv.off = cv.sel
	} else if cv.sel >= cv.off+rows {
		cv.off = cv.sel - rows + 1
	}
	for i := cv.off; i < len(cv.list) && len(lines) < height; i++ {
		c := &cv.list[i]
		text := fmt.Sprintf("%5d  %3d  %3d  %-10s  %-10s  %s · %s", c.Size(), c.MaxScore, c.MedianScore,
			cv.c.Date(c.First), cv.c.Date(c.Last), textsafe.Clean(c.LabelMix()), textsafe.Clean(c.Subject))
		line := kit.Pad(ansi.Truncate(text, width, "…"), width)
		if i == cv.sel {
			line = st.Selected.Render(line)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// indicatorLimit bounds the values shown per kind in the campaign pane.
const indicatorLimit = 8

// PaneView renders the campaign pane of the selected campaign: its ID,
// size, merges and the indicators its members share, defanged, each with
// the number of members that carry it.
func (cv *Campaigns) PaneView(width, height int) string {
	st := &cv.c.Styles
	c, ok := cv.Selected()
	if !ok {
		return ""
	}
	b := kit.LineBuilder{St: st, W: width}
	b.Raw(st.Bold.Render(fmt.Sprintf("Campaign %s · %d messages", c.ID, c.Size())))
	b.Wrap("", "  ", "labels: "+textsafe.Clean(c.LabelMix()))
	if len(c.Merged) > 0 {
		var ids []string
		for _, m := range c.Merged {
			ids = append(ids, m.From)
		}
		b.Wrap("", "  ", "merged: "+strings.Join(ids, " "))
	}
	b.Raw(st.Dim.Render("enter lists the messages · a label key labels the unlabeled ones"))
	in := campaign.Shared(c.Sigs, indicatorLimit)
	for _, sec := range []struct {
		title  string
		list   []campaign.Count
		defang bool
	}{
		{"Sender addresses", in.SenderAddresses, true},
		{"Sender domains", in.SenderDomains, true},
		{"Link hosts", in.LinkHosts, true},
		{"Link domains", in.LinkDomains, true},
		{"Origin IPs", in.OriginIPs, false},
		{"Origin networks", in.OriginNetworks, false},
		{"Attachment SHA-256", in.AttachmentSHA256, false},
		{"Attachment names", in.AttachmentNames, false},
	} {
		if len(sec.list) == 0 {
			continue
		}
		b.Blank()
		b.Heading(sec.title)
		for _, v := range sec.list {
			val := v.Value
			if sec.defang {
				val = urls.Defang(val)
			}
			b.Text(fmt.Sprintf("%5d  ", v.Count), "       ", textsafe.Untrusted(val))
		}
	}
	lines := b.Take()
	if len(lines) > height {
		lines = lines[:height]
	}
	return strings.Join(lines, "\n")
}

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
	m.camps.on, m.camps.want = true, d.Campaign.ID
	m.focus = focusList
	m.layout()
	return m.camps.load()
}

// onCampaigns takes a loaded campaign list; stale generations are dropped.
func (m *Model) onCampaigns(msg campaignsMsg) {
	if msg.gen != m.camps.gen {
		return
	}
	if msg.err != nil {
		m.camps.loading = false
		m.setErr(fmt.Errorf("loading campaigns: %w", msg.err))
		return
	}
	m.camps.set(msg.list)
	refs := map[string]store.CampaignRef{}
	for i := range msg.list {
		c := &msg.list[i]
		for _, id := range c.Members {
			refs[id] = store.CampaignRef{ID: c.ID, Size: c.Size()}
		}
	}
	m.list.SetCampaigns(refs)
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
