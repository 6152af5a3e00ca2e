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
	w := width(s)
	if w > cols {
		s = textsafe.Truncate(s, cols)
		w = width(s)
	}
	if w < cols {
		s += strings.Repeat(" ", cols-w)
	}
	return s
}

// width is textsafe.Width of the cleaned string s, without measuring by
// grapheme cluster when every rune's width is its own (simpleWidth).
func width(s string) int {
	if w, ok := simpleWidth(s); ok {
		return w
	}
	return textsafe.Width(s) // one pass over the graphemes
}

// simpleWidth returns the display width of s when s holds only runes
// that never join a neighbour into one grapheme and whose width is fixed:
// printable ASCII, Latin-1 and Latin Extended letters, Cyrillic,
// punctuation such as dashes, quotes and "…", and currency signs (one
// column), CJK punctuation, kana, CJK ideographs, Hangul syllables and
// full-width forms (two columns). ok is false for any other rune. TestSimpleWidth checks
// every rune of these ranges against textsafe.Width.
func simpleWidth(s string) (w int, ok bool) {
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f, r >= 0xa1 && r < 0x300 && r != 0xad,
			r >= 0x400 && r < 0x483, r >= 0x48a && r < 0x530,
			r >= 0x2010 && r < 0x2028, r >= 0x2030 && r < 0x205f, r >= 0x20a0 && r < 0x20c1:
			w++
		case r >= 0x3001 && r < 0x302a, r >= 0x3041 && r < 0x3097, r >= 0x30a1 && r < 0x30ff,
			r >= 0x4e00 && r < 0xa000, r >= 0xac00 && r < 0xd7a4, r >= 0xff01 && r < 0xff61:
			w += 2
		default:
			return 0, false
		}
	}
	return w, true
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
