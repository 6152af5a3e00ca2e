package ui

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// This file holds the evidence tools of the detail panes (issue 14 item 8):
// the raw source view (built in, or the analyst's pager in a local
// session), search inside a pane, the message ID and locator in the
// summary, and the jump to the next high-risk unlabeled message.

// paneRaw is the raw source view: a view of the detail area like a pane,
// but reached with ViewRaw, not with a tab.
const (
	paneRaw  = numPanes
	numViews = numPanes + 1
)

// maxRawView bounds the raw source shown or paged, in bytes.
const maxRawView = 4 << 20

// riskyScore is the score from which "next high-risk unlabeled" stops.
const riskyScore = 70

// view returns the view on screen: the raw source or the current pane.
func (d *Detail) view() int {
	if d.rawOn {
		return paneRaw
	}
	return d.pane
}

// closeRaw leaves the raw source view and forgets its text.
func (d *Detail) closeRaw() {
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
	d.rebuild()
}

// rawSource builds the raw source view: the message exactly as stored,
// sanitised (controls shown as placeholders), never defanged, wrapped
// without loss.
func (d *Detail) rawSource(b *lineBuilder) {
	if !d.rawOn {
		return
	}
	for _, l := range strings.Split(d.rawText, "\n") {
		b.wrap("", "", l)
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
func (f *paneFind) mark(st *Styles, l string, i int) string {
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
	ln, h := f.hits[f.cur], d.bodyHeight()-1 // the last row may say "↓ more"
	if ln < d.offset[v] || ln >= d.offset[v]+h {
		d.offset[v] = max(ln-h/3, 0)
	}
}

// rawMsg carries a message's raw source, sanitised, for the raw view or
// the pager.
type rawMsg struct {
	id   string
	text string
	err  error
}

// pagerDoneMsg reports the end of the external pager.
type pagerDoneMsg struct{ err error }

// loadRaw reads the raw message id and sanitises it with
// textsafe.CleanMultiline (bounded to maxRawView bytes).
func loadRaw(src RawSource, id string) tea.Cmd {
	return func() tea.Msg {
		b, err := src.Raw(id)
		if err != nil {
			return rawMsg{id: id, err: err}
		}
		tail := ""
		if len(b) > maxRawView {
			b, tail = b[:maxRawView], fmt.Sprintf("\n[… %d bytes not shown]", len(b)-maxRawView)
		}
		s := strings.ReplaceAll(string(b), "\r\n", "\n")
		return rawMsg{id: id, text: textsafe.CleanMultiline(s) + tail}
	}
}

// onRaw shows the raw source: in the analyst's pager in a local session
// with a pager configured, else in the built-in view.
func (m *Model) onRaw(msg rawMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(fmt.Errorf("raw source: %w", msg.err))
		return nil
	}
	if r, ok := m.list.Selected(); !ok || r.ID != msg.id {
		return nil // the selection moved on
	}
	if m.c.pager != "" && !m.c.remote {
		if cmd := pagerCmd(m.c.pager, msg.text); cmd != nil {
			return cmd
		}
	}
	m.detail.ShowRaw(msg.id, msg.text)
	m.focus = focusDetail
	m.layout()
	return nil
}

// pagerCmd runs pager (a command line such as "less -R") on text, fed
// through a private temporary file that is removed afterwards; nil when
// the file cannot be written (the built-in view is used then).
func pagerCmd(pager, text string) tea.Cmd {
	args := strings.Fields(pager)
	if len(args) == 0 {
		return nil
	}
	f, err := os.CreateTemp("", "triage-raw-*.txt")
	if err != nil {
		return nil
	}
	name := f.Name()
	_, werr := f.WriteString(text)
	if cerr := f.Close(); werr != nil || cerr != nil {
		_ = os.Remove(name)
		return nil
	}
	c := exec.Command(args[0], append(args[1:], name)...) // #nosec G204 -- the analyst's own $PAGER
	return tea.ExecProcess(c, func(err error) tea.Msg {
		_ = os.Remove(name)
		return pagerDoneMsg{err}
	})
}

// locatorSource is implemented by stores that know where a message was
// found (*store.Store does).
type locatorSource interface {
	Locators(id string) ([]store.Locator, error)
}

// locatorText is "path", "path @ offset +length" or "path/file", one per
// locator, sanitised.
func locatorText(ls []store.Locator) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		s := l.Path
		switch {
		case l.File != "":
			s += " · " + l.File
		case l.Length > 0:
			s += fmt.Sprintf(" @ byte %d +%d", l.Offset, l.Length)
		}
		if l.Folder != "" {
			s += " (folder " + l.Folder + ")"
		}
		out = append(out, textsafe.Clean(s))
	}
	return out
}

// copyIDText is what y in the summary copies: the Message-ID, the triage
// ID and the locators, one per line (the Message-ID sanitised: it is
// pasted into tickets and terminals).
func (d *Detail) copyIDText() string {
	if d.data == nil || d.data.Report == nil {
		return ""
	}
	lines := []string{"Message-ID: " + d.data.Report.MessageID.String(), "triage ID: " + d.data.ID}
	for _, l := range d.data.Locators {
		lines = append(lines, "found in: "+l)
	}
	return strings.Join(lines, "\n")
}

// NextRisky moves the cursor to the next shown row, after the cursor and
// wrapping around, that scores at least riskyScore and has no label; it
// reports false when there is none.
func (l *List) NextRisky() bool {
	n := len(l.shown)
	for k := 1; k <= n; k++ {
		p := (l.cursor + k) % n
		if r := &l.rows[l.shown[p]]; r.Label == "" && r.Score >= riskyScore {
			l.Move(p - l.cursor)
			return true
		}
	}
	return false
}

// DefaultPager returns the pager for the raw source of a local session:
// env (normally $PAGER) when set, else "less -R" when less is installed,
// else "" (the built-in view).
func DefaultPager(env string) string {
	if strings.TrimSpace(env) != "" {
		return env
	}
	if _, err := exec.LookPath("less"); err == nil {
		return "less -R"
	}
	return ""
}
