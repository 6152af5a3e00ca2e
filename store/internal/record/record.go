// Package record holds the records the store hands out and takes in:
// who made a change, label events, notes, list rows, reporters, campaigns
// and their summaries. Package store re-exports them as type aliases
// (store.Row, store.Note, ...), so callers name them through store.
package record

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/campaign"
	"github.com/triage-tools/triage/internal/locator"
)

// Actor is who made a change: analyst name, SSH key fingerprint (may be
// empty) and the source of the change: "tui", "cli", "ssh" or "import".
type Actor struct {
	Name   string `json:"analyst"`
	Key    string `json:"key_fingerprint,omitempty"`
	Source string `json:"source"`
}

// LabelEvent is one entry of a message's label history.
type LabelEvent struct {
	Label    string    `json:"label"` // "" = label removed
	Previous string    `json:"previous"`
	Actor    Actor     `json:"actor"`
	Time     time.Time `json:"time"`
	// Dropped, when positive, marks an entry written by Import in place of
	// that many older imported events it did not keep (MaxImportEvents).
	Dropped int `json:"dropped,omitempty"`
}

// NoteVersion is one version of a note.
type NoteVersion struct {
	Text   string    `json:"text"`
	Author Actor     `json:"author"`
	Time   time.Time `json:"time"`
}

// Note is an analyst note on a message. Text/Author/Time are the current
// version; History holds earlier versions, oldest first.
type Note struct {
	ID      string        `json:"id"`
	Text    string        `json:"text"`
	Author  Actor         `json:"author"`
	Time    time.Time     `json:"time"`
	History []NoteVersion `json:"history,omitempty"`
}

// Row is the compact per-message summary the list view and filters need,
// kept in its own bucket so that listing 100k messages is fast.
type Row struct {
	ID        string    `json:"id"`
	Score     int       `json:"score"`
	RawScore  int       `json:"raw_score"` // uncapped; the order by score uses it (CompareByScore)
	Date      time.Time `json:"date"`
	FromName  string    `json:"from_name"`
	FromAddr  string    `json:"from_addr"`
	Subject   string    `json:"subject"`
	MessageID string    `json:"message_id"`
	Domains   []string  `json:"domains,omitempty"` // sender and URL registered domains
	Hosts     []string  `json:"hosts,omitempty"`   // URL hosts
	Rules     []string  `json:"rules,omitempty"`   // rule IDs of the findings
	Label     string    `json:"label,omitempty"`   // current label, filled in by the store
	// Reported is the number of reports of the message (reporters of a
	// report mailbox, see Store.Reporters), filled in by the store; 0 when
	// it never came inside a report wrapper.
	Reported int `json:"reported,omitempty"`
	// Campaign is the message's campaign, filled in by the caller that
	// needs it (CampaignRefs); not stored in the row.
	Campaign CampaignRef `json:"-"`
}

// LabelChange is one message's label change made by SetLabels or
// RevertLabels; Event.Previous is the label it replaced.
type LabelChange struct {
	ID    string
	Event LabelEvent
}

// RevertOp undoes one label change: set To when the message's label is
// still Expect and by set it last.
type RevertOp struct {
	ID, To, Expect string
}

// ReporterRecord is one report of a message: the reporter (sender, date,
// Message-ID, subject and note of the wrapper: untrusted text) and where
// the wrapper's own bytes live.
type ReporterRecord struct {
	analysis.Reporter
	Kind    string          `json:"kind"`    // wrapper kind of the innermost layer (report.Wrap*)
	Path    string          `json:"path"`    // unwrap path (Locator.Unwrap)
	Locator locator.Locator `json:"locator"` // the wrapper's locator (no unwrap path)
}

// CampaignRef names a message's campaign: its ID and its size.
type CampaignRef struct {
	ID   string `json:"id"`
	Size int    `json:"size"`
}

// Campaign is one campaign: its members, when it was created, and the
// campaigns merged into it.
type Campaign struct {
	ID      string
	Created time.Time
	Members []string       // message IDs, in ID order
	Sigs    []campaign.Sig // per member (when asked for)
	Merged  []CampaignMerge
}

// CampaignMerge records that campaign From was merged into another at At.
type CampaignMerge struct {
	From string    `json:"from"`
	At   time.Time `json:"at"`
}

// SortMembers puts the members (and their signatures) in ID order: the
// member records are stored in arrival order.
func (c *Campaign) SortMembers() {
	if slices.IsSorted(c.Members) {
		return
	}
	perm := make([]int, len(c.Members))
	for i := range perm {
		perm[i] = i
	}
	slices.SortFunc(perm, func(a, b int) int { return strings.Compare(c.Members[a], c.Members[b]) })
	members := make([]string, len(perm))
	var sigs []campaign.Sig
	if len(c.Sigs) == len(perm) {
		sigs = make([]campaign.Sig, len(perm))
	}
	for i, j := range perm {
		members[i] = c.Members[j]
		if sigs != nil {
			sigs[i] = c.Sigs[j]
		}
	}
	c.Members = members
	if sigs != nil {
		c.Sigs = sigs
	}
}

// CampaignSummary is a campaign as the list and `triage campaigns` show
// it: its members' scores, labels, dates and most common subject, and the
// indicators they share.
type CampaignSummary struct {
	Campaign
	MaxScore    int
	MedianScore int
	Labels      map[string]int // current label ("" = unlabeled) → members
	First, Last time.Time      // zero when no member has a date
	Subject     string         // the most common subject (earliest member on a tie)
	MaxRaw      int            // highest raw score: the order by score
}

// Size is the number of members.
func (c *CampaignSummary) Size() int { return len(c.Members) }

// Summaries summarises the campaigns with at least minSize members from
// all, the rows of every message, largest first (then by score, then ID).
// With only, just the campaigns with a member in only are listed (all
// members still count).
func Summaries(camps []Campaign, all []Row, minSize int, only map[string]bool) []CampaignSummary {
	byID := make(map[string]int, len(all))
	for i := range all {
		byID[all[i].ID] = i
	}
	var out []CampaignSummary
	var rows []Row
	for _, c := range camps {
		if len(c.Members) < max(minSize, 1) {
			continue
		}
		if only != nil && !slices.ContainsFunc(c.Members, func(id string) bool { return only[id] }) {
			continue
		}
		rows = rows[:0]
		for _, id := range c.Members {
			if i, ok := byID[id]; ok {
				rows = append(rows, all[i])
			}
		}
		out = append(out, SummarizeCampaign(c, rows))
	}
	slices.SortFunc(out, func(a, b CampaignSummary) int {
		if a.Size() != b.Size() {
			return b.Size() - a.Size()
		}
		if a.MaxRaw != b.MaxRaw {
			return b.MaxRaw - a.MaxRaw
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// SummarizeCampaign summarises campaign c from its members' rows (rows of
// other messages are ignored; members without a row count as unlabeled
// with score 0).
func SummarizeCampaign(c Campaign, rows []Row) CampaignSummary {
	cs := CampaignSummary{Campaign: c, Labels: map[string]int{}}
	byID := make(map[string]*Row, len(rows))
	for i := range rows {
		byID[rows[i].ID] = &rows[i]
	}
	scores := make([]int, 0, len(c.Members))
	type subj struct {
		n     int
		first time.Time
		order int
	}
	subjects := map[string]*subj{}
	for i, id := range c.Members {
		r := byID[id]
		if r == nil {
			r = &Row{ID: id}
		}
		scores = append(scores, r.Score)
		cs.MaxScore = max(cs.MaxScore, r.Score)
		cs.MaxRaw = max(cs.MaxRaw, r.RawScore)
		cs.Labels[r.Label]++
		if !r.Date.IsZero() {
			if cs.First.IsZero() || r.Date.Before(cs.First) {
				cs.First = r.Date
			}
			if r.Date.After(cs.Last) {
				cs.Last = r.Date
			}
		}
		sj := subjects[r.Subject]
		if sj == nil {
			sj = &subj{first: r.Date, order: i}
			subjects[r.Subject] = sj
		}
		sj.n++
		if !r.Date.IsZero() && (sj.first.IsZero() || r.Date.Before(sj.first)) {
			sj.first = r.Date
		}
	}
	var best *subj
	for text, sj := range subjects {
		if best == nil || sj.n > best.n || (sj.n == best.n && earlier(sj.first, sj.order, best.first, best.order)) {
			best, cs.Subject = sj, text
		}
	}
	slices.Sort(scores)
	if len(scores) > 0 {
		cs.MedianScore = scores[(len(scores)-1)/2]
	}
	return cs
}

// earlier orders (date, position) pairs: dated before undated, then by
// date, then by position.
func earlier(a time.Time, ai int, b time.Time, bi int) bool {
	switch {
	case a.IsZero() != b.IsZero():
		return !a.IsZero()
	case !a.Equal(b):
		return a.Before(b)
	}
	return ai < bi
}

// LabelMix is the label mix in the analyst's words, most common first:
// "phish 12 · unlabeled 30".
func (c *CampaignSummary) LabelMix() string {
	type lc struct {
		label string
		n     int
	}
	var l []lc
	for k, n := range c.Labels {
		l = append(l, lc{k, n})
	}
	slices.SortFunc(l, func(a, b lc) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.label, b.label)
	})
	parts := make([]string, len(l))
	for i, x := range l {
		name := x.label
		if name == "" {
			name = "unlabeled"
		}
		parts[i] = fmt.Sprintf("%s %d", name, x.n)
	}
	return strings.Join(parts, " · ")
}
