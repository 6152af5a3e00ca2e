package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/textsafe"
)

// helpRows lays the help columns out in as many rows as the width needs:
// columns are packed left to right while they fit, so a narrow terminal
// gets every binding instead of a row cut at its right edge.
func helpRows(hm help.Model, groups [][]key.Binding, width int) []string {
	hm.SetWidth(0) // measure untruncated; rows are packed to fit instead
	var out []string
	var row [][]key.Binding
	flush := func() {
		if len(row) > 0 {
			out = append(out, strings.Split(hm.FullHelpView(row), "\n")...)
			row = nil
		}
	}
	for _, g := range groups {
		row = append(row, g)
		if len(row) > 1 && ansi.StringWidth(strings.Split(hm.FullHelpView(row), "\n")[0]) > width {
			row = row[:len(row)-1]
			flush()
			row = append(row, g)
		}
	}
	flush()
	return out
}

// View renders the whole screen. It is a pure function of the model.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion // wheel scrolls, click selects (mouse.go)
	v.WindowTitle = "triage"
	return v
}

func (m Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return "triage: starting…"
	}
	st := &m.c.Styles
	w := m.width
	lines := make([]string, 0, m.height)
	lines = append(lines, m.titleLine())
	if m.filtering {
		lines = append(lines, pad(m.filter.View(), w))
	} else if f := m.list.Filter(); f != "" {
		lines = append(lines, st.Dim.Render(pad("filter: "+textsafe.Clean(f)+"   (/ edits, esc in filter cancels)", w)))
	}
	if m.err != nil {
		lines = append(lines, st.Error.Render(pad("error: "+textsafe.Clean(m.err.Error())+"  · esc dismisses", w)))
	}
	top, bottom := m.chrome()
	bodyH := max(m.height-top-bottom, 1)
	lines = append(lines, m.body(bodyH)...)
	lines = append(lines, m.statusLine(), m.labelLine())
	switch {
	case m.searching:
		lines = append(lines, pad(m.search.View(), w))
	case m.confirm != nil:
		lines = append(lines, st.Error.Render(pad(m.confirm.prompt, w)))
	case m.flash != "":
		lines = append(lines, st.Flash.Render(pad(m.flash, w)))
	default:
		lines = append(lines, pad(m.help.ShortHelpView(m.c.Keys.ShortHelp()), w))
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

func (m Model) body(h int) []string {
	w := m.width
	if m.showHelp {
		hm := m.help
		hm.ShowAll = true
		out := []string{m.c.Styles.Heading.Render("Keys") + "  (any key closes)", ""}
		out = append(out, helpRows(hm, m.keysUnderHelp().FullHelp(), w)...)
		return fit(out, w, h)
	}
	if m.wide() {
		lw := m.listWidth()
		dw := w - lw - 1
		left := strings.Split(m.list.View(lw, h), "\n")
		var right []string
		if m.editor.Active() {
			right = strings.Split(m.editor.View(dw, h), "\n")
		} else {
			right = strings.Split(m.detail.View(dw, h), "\n")
		}
		sep := m.c.Styles.Border.Render("│")
		if m.focus == focusDetail {
			sep = m.c.Styles.Key.Render("┃")
		}
		out := make([]string, h)
		for i := range out {
			var l, r string
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			out[i] = pad(l, lw) + sep + r
		}
		return out
	}
	var s string
	switch {
	case m.editor.Active():
		s = m.editor.View(w, h)
	case m.focus == focusDetail:
		s = m.detail.View(w, h)
	default:
		s = m.list.View(w, h)
	}
	return fit(strings.Split(s, "\n"), w, h)
}

// fit pads or cuts lines to exactly h lines of at most w columns.
func fit(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			l := lines[i]
			if ansi.StringWidth(l) > w {
				l = ansi.Truncate(l, w, "")
			}
			out[i] = l
		}
	}
	return out
}

func (m Model) titleLine() string {
	st := &m.c.Styles
	left := "triage"
	if m.c.title != "" {
		left += " · " + textsafe.Clean(m.c.title)
	}
	if m.c.online {
		left += " · ONLINE look-ups on"
	}
	right := ""
	if p := m.progress; p != nil {
		if p.Total > 0 {
			right = fmt.Sprintf("analysing %s/%s · %s msg/s", commas(p.Done), commas(p.Total), commas(int(p.Rate)))
		} else {
			right = fmt.Sprintf("analysing %s · %s msg/s", commas(p.Done), commas(int(p.Rate)))
		}
	}
	lw := m.width - ansi.StringWidth(right) - 1
	out := st.Title.Render(pad(left, max(lw, 0)))
	if right != "" {
		out += " " + st.Progress.Render(right)
	}
	return out
}

func (m Model) statusLine() string {
	total, shown, marked := m.list.Counts()
	s := fmt.Sprintf("%s msgs · %s shown", commas(total), commas(shown))
	if marked > 0 {
		s += fmt.Sprintf(" · %s marked", commas(marked))
	}
	s += " · sort " + m.list.sort.String() + " · auto-advance " + onOff(m.autoAdvance)
	if m.focus == focusDetail || m.wide() {
		s += " · pane " + paneName(m.detail.Pane())
	}
	return m.c.Styles.Status.Render(pad(s, m.width))
}

// labelLine shows each label's key and count, and the unlabeled count.
func (m Model) labelLine() string {
	st := &m.c.Styles
	var parts []string
	for i, l := range m.c.Labels {
		kb := m.c.Keys.Labels[i]
		k := "·"
		if len(kb.Keys()) > 0 {
			k = kb.Keys()[0]
		}
		parts = append(parts, st.Key.Render(k)+":"+textsafe.Clean(l)+" "+strconv.Itoa(m.list.labelCount[l]))
	}
	parts = append(parts, "unlabeled "+strconv.Itoa(m.list.labelCount[""]))
	return pad(strings.Join(parts, "  "), m.width)
}

func commas(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
