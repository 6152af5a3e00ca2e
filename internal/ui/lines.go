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
// prefixed by indent (the first by first).
func (b *lineBuilder) wrap(first, indent, safe string) {
	iw := ansi.StringWidth(indent)
	avail := max(b.w-iw, 8)
	pfx := first
	for _, para := range strings.Split(safe, "\n") {
		wrapped := ansi.Wrap(para, avail, " -/.,;")
		for _, line := range strings.Split(wrapped, "\n") {
			b.raw(pfx + line)
			pfx = indent
		}
	}
}

// field appends "Key:  value" with the value wrapped under itself.
func (b *lineBuilder) field(key string, keyW int, value untrusted) {
	k := pad(key+":", keyW)
	b.text(b.st.Bold.Render(k), strings.Repeat(" ", keyW), value)
}

// table appends a header line and rows of safe cells in columns separated
// by one space. Columns are as wide as their widest cell; while the table
// is wider than the pane, the widest column (down to 4) loses a column, and
// cells that no longer fit end in "…". highlight(i) styles row i.
func (b *lineBuilder) table(header []string, rows [][]string, highlight func(i int) bool) {
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = ansi.StringWidth(h)
	}
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	total := len(widths) - 1
	for _, w := range widths {
		total += w
	}
	for total > b.w {
		wi := 0
		for i := range widths {
			if widths[i] > widths[wi] {
				wi = i
			}
		}
		if widths[wi] <= 4 {
			break
		}
		widths[wi]--
		total--
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
