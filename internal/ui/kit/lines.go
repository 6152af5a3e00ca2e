package kit

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// lineBuilder accumulates the lines of a pane, each cut to the pane width.
// Untrusted values enter only through Text and Field, which sanitise them;
// Raw and Wrap take text that is already safe (constants, numbers and the
// String of untrusted values).
type LineBuilder struct {
	W     int     // the pane width
	St    *Styles // the session's styles
	lines []string
}

// Len returns the number of lines built since the last Take.
func (b *LineBuilder) Len() int { return len(b.lines) }

// Take returns the lines built and starts a new set.
func (b *LineBuilder) Take() []string {
	l := b.lines
	b.lines = nil
	return l
}

// Raw appends an already safe, styled line (truncated to the width).
func (b *LineBuilder) Raw(s string) {
	if ansi.StringWidth(s) > b.W {
		s = ansi.Truncate(s, b.W, "…")
	}
	b.lines = append(b.lines, s)
}

// Blank appends an empty line.
func (b *LineBuilder) Blank() { b.lines = append(b.lines, "") }

// Heading appends a heading (safe text).
func (b *LineBuilder) Heading(s string) { b.Raw(b.St.Heading.Render(s)) }

// Text appends untrusted multi-line text, sanitised and wrapped, each line
// prefixed by indent (the first by first).
func (b *LineBuilder) Text(first, indent string, s untrusted) {
	b.Wrap(first, indent, s.Multiline())
}

// Wrap appends safe multi-line text, wrapped at the width, each line
// prefixed by indent (the first by first). Nothing of safe is ever cut:
// the first line is wrapped at the width left by first, the others at the
// width left by indent, and a prefix that leaves less than minAvail columns
// goes on lines of its own.
func (b *LineBuilder) Wrap(first, indent, safe string) {
	const minAvail = 8
	iw := ansi.StringWidth(indent)
	if iw > b.W-minAvail {
		indent, iw = "", 0
	}
	fw := ansi.StringWidth(first)
	if fw > b.W-minAvail {
		b.lines = append(b.lines, strings.Split(ansi.Wrap(first, b.W, " "), "\n")...)
		first, fw = indent, iw
	}
	// ansi.Wrap lets a breakpoint character end a line one column past
	// the limit: wrap one column short.
	avail := max(b.W-iw-1, 1)
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

// Field appends "Key:  value" with the value wrapped under itself.
func (b *LineBuilder) Field(key string, keyW int, value untrusted) {
	k := Pad(key+":", keyW)
	b.Text(b.St.Bold.Render(k), strings.Repeat(" ", keyW), value)
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

// Table appends a header line and rows of safe cells in columns separated
// by one space, each column as wide as its widest cell, and reports true;
// when that is wider than the pane it appends nothing and reports false
// (the caller lays the rows out another way: cells are never cut).
// highlight(i) styles row i.
func (b *LineBuilder) Table(header []string, rows [][]string, highlight func(i int) bool) bool {
	widths := tableWidth(header, rows)
	total := len(widths) - 1
	for _, w := range widths {
		total += w
	}
	if total > b.W {
		return false
	}
	line := func(cells []string) string {
		parts := make([]string, len(cells))
		for i, c := range cells {
			parts[i] = Pad(c, widths[i])
		}
		return strings.TrimRight(strings.Join(parts, " "), " ")
	}
	b.Raw(b.St.Heading.Render(line(header)))
	for i, row := range rows {
		l := line(row)
		if highlight != nil && highlight(i) {
			l = b.St.Highlight.Render(l)
		}
		b.Raw(l)
	}
	return true
}

// wrapBreaks are the characters after which a long value may wrap besides
// spaces. Not ".": a defanged "[.]" must stay whole.
const wrapBreaks = " -/,;&?="
