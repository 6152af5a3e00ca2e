// Package scantable writes the plain-text table of `triage scan`: the row
// layout, sanitised columns fitted by display width (with a memo of fitted
// strings), and the orders of --sort.
package scantable

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// Table prints rows as aligned plain text; every message string is
// sanitised and truncated by display width.
type Table struct {
	w      io.Writer
	header bool
	buf    []byte            // the row being written
	fits   map[string]string // fit memo: senders and subjects repeat across a mailbox
}

// New returns a table that writes to w; the header precedes the first row.
func New(w io.Writer) *Table { return &Table{w: w} }

const (
	fromCols    = 36
	subjectCols = 70
)

// Row writes r as one line of the table.
func (t *Table) Row(r store.Row) error {
	if !t.header {
		t.header = true
		if _, err := fmt.Fprintf(t.w, "%-5s  %-16s  %-*s  %s  %s\n", "SCORE", "DATE", fromCols, "FROM", "SUBJECT", "ID"); err != nil {
			return err
		}
	}
	from := r.FromAddr
	if r.FromName != "" {
		from = r.FromName + " <" + r.FromAddr + ">"
	}
	id := strings.TrimPrefix(r.ID, "sha256:")
	if len(id) > 12 {
		id = id[:12]
	}
	// "%5d  %-16s  %s  %s  %s\n" without fmt (a tenth of listing an
	// unchanged mailbox); the date is ASCII, so bytes are columns.
	b := padTo(t.buf[:0], 0, 5-len(strconv.Itoa(r.Score)))
	b = append(strconv.AppendInt(b, int64(r.Score), 10), "  "...)
	at := len(b)
	if r.Date.IsZero() {
		b = append(b, '-')
	} else {
		b = r.Date.UTC().AppendFormat(b, "2006-01-02 15:04")
	}
	b = padTo(b, at, 16)
	b = append(append(b, "  "...), t.fit(from, fromCols)...)
	b = append(append(b, "  "...), t.fit(r.Subject, subjectCols)...)
	b = append(append(append(b, "  "...), id...), '\n')
	t.buf = b
	_, err := t.w.Write(b)
	return err
}

// padTo appends spaces to b until it holds n bytes after offset at.
func padTo(b []byte, at, n int) []byte {
	for len(b)-at < n {
		b = append(b, ' ')
	}
	return b
}

// Bounds of the table's fit memo: entries, and bytes of a remembered string.
const (
	maxFitMemo    = 1 << 14
	maxFitMemoLen = 256
)

// fit is fit with a memo of non-ASCII strings (measuring their width by
// grapheme cluster was most of the time of listing an unchanged mailbox).
// cols is one of two constants, so it need not be part of the key.
func (t *Table) fit(s string, cols int) string {
	if len(s) > maxFitMemoLen || isPlainASCII(s) {
		return fit(s, cols)
	}
	key := s
	if cols == fromCols {
		key = "\x00" + s // keep the two columns apart
	}
	if f, ok := t.fits[key]; ok {
		return f
	}
	f := fit(s, cols)
	if t.fits == nil {
		t.fits = make(map[string]string)
	}
	if len(t.fits) < maxFitMemo {
		t.fits[key] = f
	}
	return f
}

// isPlainASCII reports whether s is printable ASCII only (fit's fast case).
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// fit sanitises s and pads or truncates it to exactly cols display columns.
func fit(s string, cols int) string {
	s = textsafe.Clean(s)
	w := textsafe.Width(s) // one pass over the graphemes when s fits
	if w > cols {
		s = textsafe.Truncate(s, cols)
		w = textsafe.Width(s)
	}
	if w < cols {
		s += strings.Repeat(" ", cols-w)
	}
	return s
}

// Sort orders rows stably by date (by "date") or, otherwise, as the store
// orders them (score first).
func Sort(rows []store.Row, by string) {
	slices.SortStableFunc(rows, func(a, b store.Row) int {
		if by == "date" {
			return a.Date.Compare(b.Date)
		}
		return store.CompareRows(&a, &b)
	})
}
