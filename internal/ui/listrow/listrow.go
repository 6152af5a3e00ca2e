// Package listrow renders the workbench list's rows and column header:
// the column widths for a width, a row's score, bar, label mark, date,
// sender and subject, with every text of the row sanitised.
package listrow

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// Columns are the widths of the list columns for a total width.
type Columns struct {
	Bar, Label, Date, Sender, Subject int
}

// ColumnsFor returns the column widths for a list width wide.
func ColumnsFor(width int) Columns {
	c := Columns{Bar: 5, Label: 1, Date: 10}
	if width < 70 {
		c.Bar, c.Date = 0, 0
	}
	fixed := 2 + 3 + 1 + c.Label + 1
	if c.Bar > 0 {
		fixed += c.Bar + 1
	}
	if c.Date > 0 {
		fixed += c.Date + 1
	}
	rest := max(width-fixed, 10)
	c.Sender = min(max(rest*2/5, 8), 34)
	c.Subject = max(rest-c.Sender-1, 1)
	return c
}

// Header renders the list's column header for width, naming the sort.
func Header(c *kit.Common, width int, sort string) string {
	cols := ColumnsFor(width)
	hdr := "  " + kit.Pad("SCR", 3) + " "
	if cols.Bar > 0 {
		hdr += kit.Pad("", cols.Bar) + " "
	}
	hdr += kit.Pad("L", cols.Label) + " "
	if cols.Date > 0 {
		hdr += kit.Pad("DATE", cols.Date) + " "
	}
	hdr += kit.Pad("FROM", cols.Sender) + " " + "SUBJECT"
	hdr = kit.Pad(hdr+"  ↓"+sort, width)
	return c.Styles.Heading.Render(hdr)
}

// Render renders one row of the list (cur: under the cursor; marked:
// marked for a bulk action); every text of r is sanitised here.
func Render(c *kit.Common, r kit.RowView, cols Columns, width int, cur, marked bool) string {
	st := &c.Styles
	var prefix string
	switch {
	case cur && marked:
		prefix = "▸*"
	case cur:
		prefix = "▸ "
	case marked:
		prefix = " *"
	default:
		prefix = "  "
	}
	score := kit.Pad(strconv.Itoa(r.Score), 3)
	score = strings.Repeat(" ", 3-len(strings.TrimRight(score, " "))) + strings.TrimRight(score, " ")
	bar := ""
	if cols.Bar > 0 {
		bar = kit.ScoreBar(r.Score, cols.Bar)
	}
	label := kit.Pad(labelMark(c, r.Label.Raw()), cols.Label)
	date := ""
	if cols.Date > 0 {
		date = kit.Pad(c.Date(r.Date), cols.Date)
	}
	sender := r.FromAddr
	if r.FromName != "" {
		sender = r.FromName + " <" + r.FromAddr + ">"
	}
	sendCol := kit.Pad(sender.Truncate(cols.Sender), cols.Sender)
	subject := kit.Pad(r.Subject.Truncate(cols.Subject), cols.Subject)
	if mark := reportedMark(r.Reported); mark != "" && cols.Subject > len(mark)+4 {
		w := utf8.RuneCountInString(mark) // ASCII and ×: one column each
		subject = kit.Pad(mark+r.Subject.Truncate(cols.Subject-w), cols.Subject)
	}
	if cur {
		line := prefix + score + " "
		if bar != "" {
			line += bar + " "
		}
		line += label + " "
		if date != "" {
			line += date + " "
		}
		line += sendCol + " " + subject
		return st.Paint.Selected.Render(kit.Pad(line, width))
	}
	var b strings.Builder
	if marked {
		b.WriteString(st.Paint.Marked.Render(prefix))
	} else {
		b.WriteString(prefix)
	}
	sc := st.Paint.Score(r.Score)
	b.WriteString(sc.Render(score))
	b.WriteByte(' ')
	if bar != "" {
		b.WriteString(sc.Render(bar))
		b.WriteByte(' ')
	}
	b.WriteString(st.Paint.Label.Render(label))
	b.WriteByte(' ')
	if date != "" {
		b.WriteString(st.Paint.Dim.Render(date))
		b.WriteByte(' ')
	}
	b.WriteString(sendCol)
	b.WriteByte(' ')
	b.WriteString(subject)
	return b.String()
}

// labelMark is the one-character mark of a label in the list: the label's
// key (the label line at the bottom says which key is which label), "·"
// when unlabeled, and "?" for a label outside the label set.
func labelMark(c *kit.Common, label string) string {
	if label == "" {
		return "·"
	}
	for i, x := range c.Labels {
		if x == label && i < len(c.Keys.Labels) {
			if ks := c.Keys.Labels[i].Keys(); len(ks) > 0 {
				return ks[0]
			}
		}
	}
	return "?"
}

// reportedMark is the list's mark of a message reported by people of a
// report mailbox, "reported ×N " before the subject ("" when never
// reported).
func reportedMark(n int) string {
	if n <= 0 {
		return ""
	}
	return "reported ×" + strconv.Itoa(n) + " "
}

// Cache holds the renderings of rows by their index, so that redrawing
// the list renders only the rows that changed. A nil Cache caches
// nothing. The map may be shared by copies of the list: it is cleared,
// never replaced.
type Cache map[int32]cached

type cached struct {
	score       int
	reported    int
	label       string
	cur, marked bool
	width       int
	cols        Columns
	stylesGen   int
	s           string
}

// Row is Render of row i, from the cache when nothing that changes the
// output changed.
func (rc Cache) Row(c *kit.Common, i int32, r *store.Row, cols Columns, width int, cur, marked bool) string {
	if e, ok := rc[i]; ok && e.score == r.Score && e.reported == r.Reported && e.label == r.Label && e.cur == cur &&
		e.marked == marked && e.width == width && e.cols == cols && e.stylesGen == c.StylesGen {
		return e.s
	}
	s := Render(c, kit.NewRowView(r), cols, width, cur, marked)
	if rc == nil {
		return s
	}
	if len(rc) > 4096 {
		clear(rc)
	}
	rc[i] = cached{r.Score, r.Reported, r.Label, cur, marked, width, cols, c.StylesGen, s}
	return s
}
