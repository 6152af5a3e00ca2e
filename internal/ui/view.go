package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/kit"
)

// helpLines renders every binding of every screen and pane, grouped by
// where it works (KeyMap.Sections of a fresh keymap, so the overlay lists
// keys that are not live on the screen beneath it too), wrapped to width.
func (m Model) helpLines(width int) []string {
	st := &m.c.Styles
	var out []string
	for _, sec := range kit.DefaultKeyMap(m.c.Labels).Sections() {
		var items []string
		for _, b := range sec.Keys {
			if len(b.Keys()) == 0 {
				continue
			}
			items = append(items, st.HelpKey.Render(b.Help().Key)+" "+st.HelpDesc.Render(b.Help().Desc))
		}
		if len(items) == 0 {
			continue
		}
		out = append(out, st.Heading.Render(sec.Title))
		line := " "
		for _, it := range items {
			if ansi.StringWidth(line)+3+ansi.StringWidth(it) > width && line != " " {
				out = append(out, line)
				line = " "
			}
			line += "  " + it
		}
		out = append(out, line)
	}
	return out
}

// helpMaxOff is the largest scroll offset of the help overlay.
func (m *Model) helpMaxOff() int {
	if m.width <= 0 {
		return 0
	}
	top, bottom := m.chrome()
	h := max(m.height-top-bottom, 1)
	return max(len(m.helpLines(m.width))-(h-1), 0)
}

// shortHelp renders the live short-help bindings in width columns. When
// they do not fit, the least important (last) entries are dropped first;
// help and quit are always kept.
func (m Model) shortHelp(width int) string {
	k := m.c.Keys
	var live []key.Binding
	for _, b := range k.ShortHelp() {
		if b.Enabled() && len(b.Keys()) > 0 {
			live = append(live, b)
		}
	}
	keep := 0 // trailing entries that are never dropped
	for _, b := range live {
		if b.Help() == k.Help.Help() || b.Help() == k.Quit.Help() {
			keep++
		}
	}
	return m.memo.Line(m.c.StylesGen, kit.MemoKey("help", width, kit.BindingsKey(live)), func() string {
		return m.fitShortHelp(live, keep, width)
	})
}

// fitShortHelp renders live in width columns, dropping entries from the
// end (all but the last keep) until it fits.
func (m Model) fitShortHelp(live []key.Binding, keep, width int) string {
	hm := *m.help
	hm.SetWidth(0)
	for {
		s := hm.ShortHelpView(live)
		if ansi.StringWidth(s) <= width || len(live) <= keep {
			return kit.Pad(s, width)
		}
		i := len(live) - keep - 1
		if i < 0 {
			return kit.Pad(s, width)
		}
		live = slices.Delete(live, i, i+1)
	}
}

// View renders the whole screen. It is a pure function of the model; the
// frame is remembered for the messages that leave the screen as it was
// (frame.go).
func (m Model) View() tea.View {
	v := tea.NewView(m.frameContent())
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
		lines = append(lines, kit.Pad(m.filter.View(), w))
		if m.filterErr != nil {
			lines = append(lines, st.Error.Render(kit.Pad(textsafe.Clean(m.filterErr.Error()), w)))
		}
	} else if f := m.list.Filter(); f != "" {
		lines = append(lines, st.Dim.Render(kit.Pad("filter: "+textsafe.Clean(f)+"   (/ edits, esc clears)", w)))
	}
	if m.err != nil {
		lines = append(lines, st.Error.Render(kit.Pad("error: "+textsafe.Clean(m.err.Error())+"  · esc dismisses", w)))
	}
	top, bottom := m.chrome()
	bodyH := max(m.height-top-bottom, 1)
	lines = append(lines, m.body(bodyH)...)
	lines = append(lines, m.statusLine(), m.labelLine())
	switch {
	case m.searching:
		lines = append(lines, kit.Pad(m.search.View(), w))
	case m.confirm != nil:
		lines = append(lines, st.Error.Render(kit.Pad(m.confirm.prompt, w)))
	case m.flash != "":
		lines = append(lines, m.memo.Line(m.c.StylesGen, kit.MemoKey("flash", w, m.flash), func() string {
			return st.Flash.Render(kit.Pad(m.flash, w))
		}))
	default:
		lines = append(lines, m.shortHelp(w))
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

func (m Model) body(h int) []string {
	w := m.width
	if m.showHelp {
		all := m.helpLines(w)
		off := min(m.helpOff, max(len(all)-(h-1), 0))
		more := ""
		if len(all) > h-1 {
			more = fmt.Sprintf("  lines %d-%d of %d · ↑↓ pgup pgdn scroll", off+1, min(off+h-1, len(all)), len(all))
		}
		out := []string{kit.Pad(m.c.Styles.Heading.Render("Keys")+"  (esc or ? closes)"+more, w)}
		out = append(out, all[off:min(off+h-1, len(all))]...)
		return fit(out, w, h)
	}
	if m.camps.on {
		return m.campaignBody(h)
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
		return joinColumns(left, right, lw, h, sep)
	}
	var s string
	switch {
	case m.editor.Active():
		s = m.editor.View(w, h)
	case m.focus == focusDetail:
		s = m.detail.View(w, h)
	default:
		return exactLines(m.list.View(w, h), h) // List.View pads every line to w columns
	}
	return fit(strings.Split(s, "\n"), w, h)
}

// exactLines splits s, whose lines are known to be at most w columns wide,
// into exactly h lines: fit without measuring every line again.
func exactLines(s string, h int) []string {
	out := make([]string, h)
	for i := range out {
		line, rest, ok := strings.Cut(s, "\n")
		out[i] = line
		if !ok {
			break
		}
		s = rest
	}
	return out
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
	if m.c.Title != "" {
		left += " · " + textsafe.Clean(m.c.Title)
	}
	if m.c.Online {
		left += " · ONLINE look-ups on"
	}
	right := ""
	if len(m.online) > 0 {
		names := make([]string, len(m.online))
		for i, n := range m.online {
			names[i] = textsafe.Clean(n)
		}
		right = "online: " + strings.Join(names, " ")
		if len(m.online) > 4 || ansi.StringWidth(right) > m.width/3 {
			right = fmt.Sprintf("%d analysts online", len(m.online))
		}
	}
	if p := m.progress; p != nil {
		right = progressText(p)
	}
	return m.memo.Line(m.c.StylesGen, kit.MemoKey("title", m.width, left, right), func() string {
		lw := m.width - ansi.StringWidth(right) - 1
		out := st.Title.Render(kit.Pad(left, max(lw, 0)))
		if right != "" {
			out += " " + st.Progress.Render(right)
		}
		return out
	})
}

// progressText is the title bar's progress: messages done, the share of a
// file mailbox's bytes (or the message total of a maildir), the rate and
// the estimated time left.
func progressText(p *ingest.Event) string {
	s := "analysing " + commas(p.Done)
	switch {
	case p.TotalBytes > 0:
		s += fmt.Sprintf(" · %d%% of %s", p.Bytes*100/p.TotalBytes, sizeText(p.TotalBytes))
	case p.Total > 0:
		s += "/" + commas(p.Total)
	}
	s += " · " + commas(int(p.Rate)) + " msg/s"
	if p.ETA > 0 {
		s += " · " + etaText(p.ETA) + " left"
	}
	return s
}

// sizeText formats a byte count in kB, MB or GB (decimal units).
func sizeText(n int64) string {
	switch {
	case n >= 10e9:
		return fmt.Sprintf("%.0f GB", float64(n)/1e9)
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 10e6:
		return fmt.Sprintf("%.0f MB", float64(n)/1e6)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%d kB", (n+999)/1000)
}

// etaText formats a duration as m:ss or h:mm:ss, rounded up to a second.
func etaText(d time.Duration) string {
	sec := int64((d + time.Second - 1) / time.Second)
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

func (m Model) statusLine() string {
	if m.camps.on {
		return m.c.Styles.Status.Render(kit.Pad(m.campaignStatus(), m.width))
	}
	total, shown, marked := m.list.Counts()
	s := fmt.Sprintf("%s msgs · %s shown", commas(total), commas(shown))
	if marked > 0 {
		s += fmt.Sprintf(" · %s marked", commas(marked))
	}
	s += " · sort " + m.list.sort.String() + " · auto-advance " + onOff(m.autoAdvance)
	if m.focus == focusDetail || m.wide() {
		s += " · pane " + kit.PaneName(m.detail.Pane())
	}
	return m.memo.Line(m.c.StylesGen, kit.MemoKey("status", m.width, s), func() string {
		return m.c.Styles.Status.Render(kit.Pad(s, m.width))
	})
}

// labelLine shows each label's key and count, and the unlabeled count.
// When that is wider than the screen it drops zero counts and spacing,
// then all counts, then shortens the names, so every label key stays visible.
func (m Model) labelLine() string {
	shown := m.labelCounts()
	counts := make([]string, 0, len(m.c.Labels)+1)
	for _, l := range m.c.Labels {
		counts = append(counts, strconv.Itoa(shown[l]))
	}
	counts = append(counts, strconv.Itoa(shown[""]))
	return m.memo.Line(m.c.StylesGen, kit.MemoKey("labels", m.width, counts...), m.renderLabelLine)
}

// renderLabelLine is labelLine without the memo.
func (m Model) renderLabelLine() string {
	st := &m.c.Styles
	shown := m.labelCounts()
	for form := 0; ; form++ {
		var parts []string
		for i, l := range m.c.Labels {
			kb := m.c.Keys.Labels[i]
			k := "·"
			if len(kb.Keys()) > 0 {
				k = kb.Keys()[0]
			}
			name := textsafe.Clean(l)
			if form >= 3 {
				name = string([]rune(name)[:min(len([]rune(name)), 4)])
			}
			part := st.Key.Render(k) + ":" + name
			if n := shown[l]; form == 0 || form == 1 && n > 0 {
				part += " " + strconv.Itoa(n)
			}
			parts = append(parts, part)
		}
		sep := " "
		if form == 0 {
			sep = "  "
		}
		parts = append(parts, "unlabeled "+strconv.Itoa(shown[""]))
		s := strings.Join(parts, sep)
		if ansi.StringWidth(s) <= m.width || form >= 3 {
			return kit.Pad(s, m.width)
		}
	}
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

// joinColumns lays the lines left (padded to width lw) and right side by
// side, h lines, with sep between them.
func joinColumns(left, right []string, lw, h int, sep string) []string {
	out := make([]string, h)
	for i := range out {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = kit.Pad(l, lw) + sep + r
	}
	return out
}
