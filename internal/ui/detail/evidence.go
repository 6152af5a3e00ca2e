package detail

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/kit"
)

// This file holds the evidence tools of the detail panes (issue 14 item 8):
// the raw source view, search inside a pane, and the message ID and
// locators that the summary copies. Reading the raw source, the pager and
// the locators' text are in rawsource.go; the jump to the next risky
// message belongs to the root model (package ui).

// paneRaw is the raw source view: a view of the detail area like a pane,
// but reached with ViewRaw, not with a tab.
const (
	paneRaw  = kit.NumPanes
	numViews = kit.NumPanes + 1
)

// Current returns the view on screen: the raw source or the current pane.
func (d *Detail) Current() int { return d.view() }

// RawOpen reports whether the raw source view covers the panes.
func (d *Detail) RawOpen() bool { return d.rawOn }

// Query returns the search query of the view on screen.
func (d *Detail) Query() string { return d.find[d.view()].query }

// Offset returns the first line of view v shown.
func (d *Detail) Offset(v int) int { return d.offset[v] }

// Matches returns the lines of the view on screen that match its search,
// ascending, and the index in them of the current match.
func (d *Detail) Matches() (lines []int, cur int) {
	f := &d.find[d.view()]
	return f.hits, f.cur
}

// view returns the view on screen: the raw source or the current pane.
func (d *Detail) view() int {
	if d.rawOn {
		return paneRaw
	}
	return d.pane
}

// CloseRaw leaves the raw source view and forgets its text.
func (d *Detail) CloseRaw() {
	d.rawOn, d.rawText, d.rawID = false, "", ""
	d.lines[paneRaw], d.offset[paneRaw], d.find[paneRaw] = nil, 0, paneFind{}
}

// ShowRaw opens the raw source view on text (already sanitised with
// textsafe.CleanMultiline) of message id, shown or being loaded; text for
// another message is dropped.
func (d *Detail) ShowRaw(id, text string) {
	if d.ID() != id {
		return
	}
	d.rawOn, d.rawText, d.rawID, d.offset[paneRaw] = true, text, id, 0
	d.find[paneRaw] = paneFind{}
	d.Rebuild()
}

// rawSource builds the raw source view: the message exactly as stored,
// sanitised (controls shown as placeholders), never defanged, wrapped
// without loss.
func (d *Detail) rawSource(b *kit.LineBuilder) {
	if !d.rawOn {
		return
	}
	for _, l := range strings.Split(d.rawText, "\n") {
		b.Wrap("", "", l)
	}
}

// paneFind is the search state of one view: the query and the lines that
// match it (case-insensitive, on the text without styles; a match split by
// wrapping is not found).
type paneFind struct {
	query string
	hits  []int // line numbers, ascending
	cur   int   // index into hits
}

func (f *paneFind) refresh(lines []string) {
	f.hits = f.hits[:0]
	if f.query == "" {
		return
	}
	q := strings.ToLower(f.query)
	for i, l := range lines {
		if strings.Contains(strings.ToLower(ansi.Strip(l)), q) {
			f.hits = append(f.hits, i)
		}
	}
	f.cur = min(f.cur, max(len(f.hits)-1, 0))
}

// mark highlights the query in line i when it matches; the current match's
// line gets a "▶" in its first column.
func (f *paneFind) mark(st *kit.Styles, l string, i int) string {
	if f.query == "" || len(f.hits) == 0 {
		return l
	}
	plain := ansi.Strip(l)
	lower, q := strings.ToLower(plain), strings.ToLower(f.query)
	if !strings.Contains(lower, q) || len(lower) != len(plain) {
		return l // ToLower changed byte offsets: leave the line as is
	}
	var b strings.Builder
	for {
		j := strings.Index(lower, q)
		if j < 0 {
			break
		}
		b.WriteString(plain[:j])
		b.WriteString(st.Selected.Render(plain[j : j+len(q)]))
		plain, lower = plain[j+len(q):], lower[j+len(q):]
	}
	b.WriteString(plain)
	s := b.String()
	if f.hits[f.cur] == i {
		s = st.Highlight.Render("▶") + strings.TrimPrefix(s, " ")
	}
	return s
}

// Search sets the query of the view on screen and jumps to its first match
// at or after the top line; it returns the number of matching lines.
func (d *Detail) Search(q string) int {
	v := d.view()
	f := &d.find[v]
	f.query, f.cur = q, 0
	f.refresh(d.lines[v])
	for k, ln := range f.hits {
		if ln >= d.offset[v] {
			f.cur = k
			break
		}
	}
	d.showHit()
	return len(f.hits)
}

// NextMatch moves to the next (delta 1) or previous (-1) match, wrapping
// around, and scrolls it into view. It returns "match i/n" or why not.
func (d *Detail) NextMatch(delta int) string {
	f := &d.find[d.view()]
	if f.query == "" {
		return "no search: / searches this pane"
	}
	if len(f.hits) == 0 {
		return "not found: " + textsafe.Clean(f.query)
	}
	f.cur = ((f.cur+delta)%len(f.hits) + len(f.hits)) % len(f.hits)
	d.showHit()
	return fmt.Sprintf("match %d/%d", f.cur+1, len(f.hits))
}

// HasSearch reports whether the view on screen has a query.
func (d *Detail) HasSearch() bool { return d.find[d.view()].query != "" }

func (d *Detail) showHit() {
	v := d.view()
	f := &d.find[v]
	if len(f.hits) == 0 {
		return
	}
	ln, h := f.hits[f.cur], d.BodyHeight()-1 // the last row may say "↓ more"
	if ln < d.offset[v] || ln >= d.offset[v]+h {
		d.offset[v] = max(ln-h/3, 0)
	}
}

// IndicatorsText is what I in the summary copies: the message's
// indicators, defanged, one "type value" line each; "" when none.
func (d *Detail) IndicatorsText() string {
	if d.data == nil {
		return ""
	}
	return d.data.Indicators
}

// CopyIDText is what y in the summary copies: the Message-ID, the triage
// ID and the locators, one per line (the Message-ID sanitised: it is
// pasted into tickets and terminals).
func (d *Detail) CopyIDText() string {
	if d.data == nil || d.data.Report == nil {
		return ""
	}
	lines := []string{"Message-ID: " + d.data.Report.MessageID.String(), "triage ID: " + d.data.ID}
	for _, l := range d.data.Locators {
		lines = append(lines, "found in: "+l)
	}
	return strings.Join(lines, "\n")
}
