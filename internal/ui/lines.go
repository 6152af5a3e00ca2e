package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// lineBuilder accumulates the lines of a pane, each cut to the pane width.
// Untrusted values enter only through text and field, which sanitise them;
// raw and wrap take text that is already safe (constants, numbers and the
// String of untrusted values).
type lineBuilder struct {
	w     int
	st    *Styles
	lines []string
}

func (b *lineBuilder) take() []string {
	l := b.lines
	b.lines = nil
	return l
}

// raw appends an already safe, styled line (truncated to the width).
func (b *lineBuilder) raw(s string) {
	if ansi.StringWidth(s) > b.w {
		s = ansi.Truncate(s, b.w, "…")
	}
	b.lines = append(b.lines, s)
}

func (b *lineBuilder) blank() { b.lines = append(b.lines, "") }

func (b *lineBuilder) heading(s string) { b.raw(b.st.Heading.Render(s)) }

// text appends untrusted multi-line text, sanitised and wrapped, each line
// prefixed by indent (the first by first).
func (b *lineBuilder) text(first, indent string, s untrusted) {
	b.wrap(first, indent, s.Multiline())
}

// wrap appends safe multi-line text, wrapped at the width, each line
// prefixed by indent (the first by first). Nothing of safe is ever cut:
// the first line is wrapped at the width left by first, the others at the
// width left by indent, and a prefix that leaves less than minAvail columns
// goes on lines of its own.
func (b *lineBuilder) wrap(first, indent, safe string) {
	const minAvail = 8
	iw := ansi.StringWidth(indent)
	if iw > b.w-minAvail {
		indent, iw = "", 0
	}
	fw := ansi.StringWidth(first)
	if fw > b.w-minAvail {
		b.lines = append(b.lines, strings.Split(ansi.Wrap(first, b.w, " "), "\n")...)
		first, fw = indent, iw
	}
	// ansi.Wrap lets a breakpoint character end a line one column past
	// the limit: wrap one column short.
	avail := max(b.w-iw-1, 1)
	pfx := first
	for _, para := range strings.Split(safe, "\n") {
		// The first line's prefix may be wider (or narrower) than the
		// indent: glue that difference to the first word as placeholder
		// cells, wrap, then drop them.
		extra := 0
		if pfx == first {
			extra = fw - iw
			if extra < 0 {
				pfx = first + strings.Repeat(" ", -extra)
				extra = 0
			}
		}
		wrapped := ansi.Wrap(strings.Repeat("x", extra)+para, avail, wrapBreaks)
		for i, line := range strings.Split(wrapped, "\n") {
			if i == 0 && extra > 0 {
				line = line[extra:]
			}
			b.lines = append(b.lines, pfx+line)
			pfx = indent
		}
	}
}

// field appends "Key:  value" with the value wrapped under itself.
func (b *lineBuilder) field(key string, keyW int, value untrusted) {
	k := pad(key+":", keyW)
	b.text(b.st.Bold.Render(k), strings.Repeat(" ", keyW), value)
}

// tableWidth is the width of a table of header and rows with columns as
// wide as their widest cell, separated by one space.
func tableWidth(header []string, rows [][]string) []int {
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = ansi.StringWidth(h)
	}
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	return widths
}

// table appends a header line and rows of safe cells in columns separated
// by one space, each column as wide as its widest cell, and reports true;
// when that is wider than the pane it appends nothing and reports false
// (the caller lays the rows out another way: cells are never cut).
// highlight(i) styles row i.
func (b *lineBuilder) table(header []string, rows [][]string, highlight func(i int) bool) bool {
	widths := tableWidth(header, rows)
	total := len(widths) - 1
	for _, w := range widths {
		total += w
	}
	if total > b.w {
		return false
	}
	line := func(cells []string) string {
		parts := make([]string, len(cells))
		for i, c := range cells {
			parts[i] = pad(c, widths[i])
		}
		return strings.TrimRight(strings.Join(parts, " "), " ")
	}
	b.raw(b.st.Heading.Render(line(header)))
	for i, row := range rows {
		l := line(row)
		if highlight != nil && highlight(i) {
			l = b.st.Highlight.Render(l)
		}
		b.raw(l)
	}
	return true
}

// addr is "Name <address>", or the address alone, sanitised.
func addr(a addrView) string {
	if a.Name == "" {
		return a.Address.String()
	}
	return a.Name.String() + " <" + a.Address.String() + ">"
}

func addrs(as []addrView) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = addr(a)
	}
	return strings.Join(s, ", ")
}

// joinSafe sanitises each value and joins them with sep.
func joinSafe(us []untrusted, sep string) string {
	s := make([]string, len(us))
	for i, u := range us {
		s[i] = u.String()
	}
	return strings.Join(s, sep)
}

func (c *Common) timestamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(c.loc).Format("2006-01-02 15:04:05 -0700")
}

// actorName is "name (source)", sanitised; "?" for a nameless actor.
func actorName(a actorView) string {
	s := a.Name.String()
	if s == "" {
		s = "?"
	}
	if a.Source != "" {
		s += " (" + a.Source.String() + ")"
	}
	return s
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return strconv.FormatInt(n, 10) + " B"
}

// wrapBreaks are the characters after which a long value may wrap besides
// spaces. Not ".": a defanged "[.]" must stay whole.
const wrapBreaks = " -/,;&?="
