// Package campaigns is the campaign room of the workbench: the list's
// campaign mode, one row per campaign, and the campaign pane (what the
// selected campaign's messages share). The root model decides when the
// mode is on and routes keys; this package holds the rows, the selection
// and the loading of the list.
package campaigns

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/analysis/urls"
	"github.com/triage-tools/triage/internal/campaign"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// Lister is what the room needs of the store beyond kit.Store
// (*store.Store has it; a store without it has no campaigns).
type Lister interface {
	CampaignSummaries(minSize int, only map[string]bool) ([]store.CampaignSummary, error)
}

// Loaded carries a campaign list read for one generation of List.Load;
// the root model hands it back to List.Take.
type Loaded struct {
	gen  int
	list []store.CampaignSummary
	err  error
}

// List is the campaign rows with their selection and the campaign pane.
type List struct {
	c       *kit.Common
	list    []store.CampaignSummary
	sel     int
	off     int
	gen     int
	loading bool
	want    string // campaign to select when the list arrives (jump)
}

// New returns an empty campaign list drawn with c.
func New(c *kit.Common) List { return List{c: c} }

// Load reads the campaigns of the store (largest first), tagged with a
// new generation; older results are dropped by Take. It is nil when the
// store has no campaigns.
func (cv *List) Load() tea.Cmd {
	src, ok := cv.c.Store.(Lister)
	if !ok {
		return nil
	}
	cv.gen++
	cv.loading = true
	gen := cv.gen
	return func() tea.Msg {
		l, err := src.CampaignSummaries(1, nil)
		return Loaded{gen: gen, list: l, err: err}
	}
}

// Loading reports whether a Load is under way.
func (cv *List) Loading() bool { return cv.loading }

// SelectOnLoad makes the next loaded list select campaign id (or the
// campaign it was merged into).
func (cv *List) SelectOnLoad(id string) { cv.want = id }

// Take takes a loaded list unless a newer Load has started (fresh is false
// then and nothing changes). On success it returns every member's
// campaign, for the message list's campaign: and size filters.
func (cv *List) Take(msg Loaded) (refs map[string]store.CampaignRef, fresh bool, err error) {
	if msg.gen != cv.gen {
		return nil, false, nil
	}
	if msg.err != nil {
		cv.loading = false
		return nil, true, msg.err
	}
	cv.set(msg.list)
	refs = map[string]store.CampaignRef{}
	for i := range msg.list {
		c := &msg.list[i]
		for _, id := range c.Members {
			refs[id] = store.CampaignRef{ID: c.ID, Size: c.Size()}
		}
	}
	return refs, true, nil
}

// set takes a loaded list, keeping the selected campaign when it is still
// there (or selecting the one jumped to).
func (cv *List) set(l []store.CampaignSummary) {
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
func (cv *List) Selected() (*store.CampaignSummary, bool) {
	if cv.sel < 0 || cv.sel >= len(cv.list) {
		return nil, false
	}
	return &cv.list[cv.sel], true
}

// Move moves the selection by delta rows.
func (cv *List) Move(delta int) {
	cv.sel = min(max(cv.sel+delta, 0), max(len(cv.list)-1, 0))
}

// Counts returns the number of campaigns and of messages in campaigns of
// two or more.
func (cv *List) Counts() (n, grouped int) {
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
func (cv *List) View(width, height int) string {
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
func (cv *List) PaneView(width, height int) string {
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
