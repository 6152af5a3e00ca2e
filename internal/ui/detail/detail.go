// Package detail is the detail area of the workbench: the panes of the
// selected message (summary, headers, hops, URLs, body, notes), the raw
// source view and search inside a pane. Detail holds its own state and
// renders it; the root model (package ui) loads the Data, routes keys to
// Detail's methods and sizes it. Every value from a message arrives as a
// kit view (textsafe.Untrusted) and is sanitised as it is laid out.
package detail

import (
	"github.com/triage-tools/triage/internal/learn"

	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// Data is everything the panes show for one message, loaded by a
// command (which reads and parses the raw message once) and delivered in a
// detailMsg tagged with the generation of the selection. Display values are
// views (msgview.go); Notes keeps the stored notes for the editor.
type Data struct {
	ID        string
	Report    *kit.ReportView
	Label     untrusted
	LabelHist []kit.LabelEventView
	Notes     []store.Note
	NoteViews []kit.NoteView
	Body      untrusted
	Links     []untrusted
	BodyErr   error
	// Locators say where the message was found, sanitised (Locators).
	Locators []string

	// Reporters are the reports of a message found inside report
	// wrappers; Wrapper is the outermost wrapper's headers and hops (nil
	// when not reported or unreadable); Incomplete: rebuilt from quoted
	// text (reporters.go).
	Reporters  []ReporterView
	Wrapper    *kit.ReportView
	Incomplete bool
	// Indicators is the message's indicators as defanged text, one
	// "type value" line each (iocs.Text), for the clipboard.
	Indicators string
	// Campaign is the message's campaign (ID "" when it has none).
	Campaign store.CampaignRef
	// Model is the learned model's part (SetModel), nil when not known.
	Model *learn.Scored
}

// Detail holds the detail panes of the selected message. Pane content is
// built into lines when data or width change (not in View), each pane keeps
// its own scroll offset, and the URL pane has its own cursor.
type Detail struct {
	c *kit.Common

	data    *Data
	loading string // ID being loaded, "" when idle
	err     error

	pane      int
	rawHeader bool
	urlCursor int
	offset    [numViews]int
	lines     [numViews][]string
	rawOn     bool   // the raw source view covers the panes (evidence.go)
	rawText   string // sanitised raw source of rawID, "" until loaded
	rawID     string
	find      [numViews]paneFind
	urlStart  []int // first line of each URL in the URL pane
	width     int
	height    int

	// showWrapper: the headers and hops panes show the report wrapper's
	// (reporters.go).
	showWrapper bool
}

// New returns empty detail panes for the session of c.
func New(c *kit.Common) Detail { return Detail{c: c} }

// Loaded returns the data shown, nil while none is (or while another
// message is being loaded).
func (d *Detail) Loaded() *Data { return d.data }

// Lines returns the built lines of view v (a kit.Pane* constant, or the
// raw source view when Current says so).
func (d *Detail) Lines(v int) []string { return d.lines[v] }

// ID returns the message shown (or being loaded).
func (d *Detail) ID() string {
	if d.loading != "" {
		return d.loading
	}
	if d.data != nil {
		return d.data.ID
	}
	return ""
}

// SetLoading marks id as being loaded; the old content stays until the data
// arrives unless it belongs to another message.
func (d *Detail) SetLoading(id string) {
	d.loading = id
	if d.data != nil && d.data.ID != id {
		d.data = nil
		d.offset = [numViews]int{}
		d.urlCursor = 0
		d.CloseRaw()
		d.Rebuild()
	}
}

// SetData installs loaded data.
func (d *Detail) SetData(data *Data, err error) {
	same := d.data != nil && data != nil && d.data.ID == data.ID
	d.loading = ""
	d.data, d.err = data, err
	if !same {
		d.offset = [numViews]int{}
		d.urlCursor = 0
		d.showWrapper = false
		if data == nil || d.rawID != data.ID {
			d.CloseRaw()
		}
	}
	d.Rebuild()
}

// SetSize sets the pane area size (including the tab line) and rebuilds.
func (d *Detail) SetSize(w, h int) {
	if w == d.width && h == d.height {
		return
	}
	d.width, d.height = w, h
	d.Rebuild()
}

// SetPane switches the visible pane.
// It closes the raw source view.
func (d *Detail) SetPane(p int) {
	if d.rawOn {
		d.CloseRaw()
	}
	d.pane = (p%kit.NumPanes + kit.NumPanes) % kit.NumPanes
}

// Pane returns the visible pane.
func (d *Detail) Pane() int { return d.pane }

// ToggleRaw switches the Headers pane between decoded and raw values.
func (d *Detail) ToggleRaw() {
	d.rawHeader = !d.rawHeader
	d.Rebuild()
}

// BodyHeight is the height of the pane body (without the tab line).
func (d *Detail) BodyHeight() int { return max(d.height-1, 1) }

// Scroll moves the visible pane by delta lines; in the URL pane it moves the
// URL cursor instead.
func (d *Detail) Scroll(delta int) {
	if d.rawOn {
		maxOff := max(len(d.lines[paneRaw])-d.BodyHeight(), 0)
		d.offset[paneRaw] = min(max(d.offset[paneRaw]+delta, 0), maxOff)
		return
	}
	if d.pane == kit.PaneURLs && d.data != nil && d.data.Report != nil && len(d.data.Report.URLs) > 0 {
		n := len(d.data.Report.URLs)
		d.urlCursor = min(max(d.urlCursor+delta, 0), n-1)
		start := d.urlStart[d.urlCursor]
		end := len(d.lines[kit.PaneURLs])
		if d.urlCursor+1 < n {
			end = d.urlStart[d.urlCursor+1]
		}
		h := d.BodyHeight()
		if start < d.offset[kit.PaneURLs] {
			d.offset[kit.PaneURLs] = start
		} else if end > d.offset[kit.PaneURLs]+h {
			d.offset[kit.PaneURLs] = min(start, end-h)
		}
		return
	}
	maxOff := max(len(d.lines[d.pane])-d.BodyHeight(), 0)
	d.offset[d.pane] = min(max(d.offset[d.pane]+delta, 0), maxOff)
}

// SelectedURL returns the URL under the URL pane's cursor.
func (d *Detail) SelectedURL() (kit.URLView, bool) {
	if d.data == nil || d.data.Report == nil || d.urlCursor >= len(d.data.Report.URLs) {
		return kit.URLView{}, false
	}
	return d.data.Report.URLs[d.urlCursor], true
}

// HasNotes reports whether the message has at least one note.
func (d *Detail) HasNotes() bool { return d.data != nil && len(d.data.Notes) > 0 }

// LastNote returns the most recent note.
func (d *Detail) LastNote() (store.Note, bool) {
	if !d.HasNotes() {
		return store.Note{}, false
	}
	return d.data.Notes[len(d.data.Notes)-1], true
}

// SetNotes replaces the notes of the shown message.
func (d *Detail) SetNotes(id string, notes []store.Note) {
	if d.data == nil || d.data.ID != id {
		return
	}
	d.data.Notes = notes
	d.data.NoteViews = kit.NewNoteViews(notes)
	d.Rebuild()
}

// SetLabel updates the shown label and history.
func (d *Detail) SetLabel(id, label string, hist []store.LabelEvent) {
	if d.data == nil || d.data.ID != id {
		return
	}
	d.data.Label = untrusted(label)
	if hist != nil {
		d.data.LabelHist = kit.NewLabelEventViews(hist)
	}
	d.Rebuild()
}

// SetModel updates the learned model's part of message id.
func (d *Detail) SetModel(id string, r *learn.Scored) {
	if d.data == nil || d.data.ID != id {
		return
	}
	d.data.Model = r
	d.Rebuild()
}

// Rebuild lays out every pane again (after data, size or styles changed).
func (d *Detail) Rebuild() {
	w := max(d.width, 20)
	for p := range d.lines {
		d.lines[p] = nil
	}
	d.urlStart = nil
	if d.data == nil {
		return
	}
	b := &kit.LineBuilder{W: w, St: &d.c.Styles}
	for _, p := range []struct {
		pane  int
		build func(*kit.LineBuilder)
	}{
		{kit.PaneSummary, d.summary},
		{kit.PaneHeaders, d.headers},
		{kit.PaneHops, d.hops},
		{kit.PaneURLs, d.urls},
		{kit.PaneBody, d.body},
		{kit.PaneNotes, d.notes},
		{paneRaw, d.rawSource},
	} {
		p.build(b)
		d.lines[p.pane] = b.Take()
	}
	for p := range d.find {
		d.find[p].refresh(d.lines[p])
	}
	for p := range d.offset {
		d.offset[p] = min(d.offset[p], max(len(d.lines[p])-d.BodyHeight(), 0))
	}
}

// tabs renders the pane switcher line.
func (d *Detail) tabs(width int) string {
	st := &d.c.Styles
	var parts []string
	for i := range kit.NumPanes {
		n := kit.PaneName(i)
		t := " " + strconv.Itoa(i+1) + " " + n + " "
		if i == d.pane {
			parts = append(parts, st.TabActive.Render("["+strings.TrimSpace(t)+"]"))
		} else {
			parts = append(parts, st.Tab.Render(t))
		}
	}
	line := strings.Join(parts, "")
	if ansi.StringWidth(line) > width {
		line = ansi.Truncate(line, width, "…")
	}
	return line
}

// View renders the tab line and the visible part of the current pane in a
// width×height box.
func (d Detail) View(width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	st := &d.c.Styles
	out := make([]string, 0, height)
	if d.rawOn {
		out = append(out, st.TabActive.Render(kit.Pad("raw source · sanitised, not defanged · esc closes · / searches", width)))
	} else {
		out = append(out, d.tabs(width))
	}
	var lines []string
	switch {
	case d.err != nil:
		lines = []string{st.Error.Render(ansi.Truncate("error: "+textsafe.Clean(d.err.Error()), width, "…"))}
	case d.data == nil && d.loading != "":
		lines = []string{st.Dim.Render("loading…")}
	case d.data == nil:
		lines = []string{st.Dim.Render("no message selected")}
	default:
		lines = d.lines[d.view()]
	}
	off := min(d.offset[d.view()], max(len(lines)-1, 0))
	if d.err != nil || d.data == nil {
		off = 0
	}
	for k := 0; len(out) < height; k++ {
		i := off + k
		if i >= len(lines) {
			out = append(out, "")
			continue
		}
		l := lines[i]
		if d.data != nil && d.err == nil {
			l = d.find[d.view()].mark(st, l, i)
		}
		if d.view() == kit.PaneURLs && d.data != nil && d.urlCursor < len(d.urlStart) && d.data.Report != nil {
			start := d.urlStart[d.urlCursor]
			end := len(lines)
			if d.urlCursor+1 < len(d.urlStart) {
				end = d.urlStart[d.urlCursor+1]
			}
			if i == start {
				l = st.Selected.Render(kit.Pad("▸"+strings.TrimPrefix(ansi.Strip(l), " "), width))
			} else if i > start && i < end {
				l = "▏" + strings.TrimPrefix(l, " ")
			}
		}
		out = append(out, l)
	}
	if more := len(lines) - off - (height - 1); more > 0 && height > 2 {
		out[height-1] = st.Dim.Render(kit.Pad(fmt.Sprintf("  ↓ %d more lines", more), width))
	}
	return strings.Join(out, "\n")
}
