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
	"time"

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
	id := strings.TrimPrefix(r.ID, "sha256:")
	if len(id) > 12 {
		id = id[:12]
	}
	// "%5d  %-16s  %s  %s  %s\n" without fmt (a tenth of listing an
	// unchanged mailbox); the date is ASCII, so bytes are columns.
	b := t.buf[:0]
	if r.Score >= 0 && r.Score < 10000 {
		b = append(b, "    "[:4-digits(r.Score)]...)
		b = strconv.AppendInt(b, int64(r.Score), 10)
	} else {
		b = padTo(b, 0, 5-len(strconv.Itoa(r.Score)))
		b = strconv.AppendInt(b, int64(r.Score), 10)
	}
	b = append(b, "  "...)
	at := len(b)
	if r.Date.IsZero() {
		b = append(b, '-')
	} else {
		b = appendDate(b, r.Date)
	}
	b = padTo(b, at, 16)
	b = append(b, "  "...)
	b = t.appendFrom(b, r.FromName, r.FromAddr)
	b = append(b, "  "...)
	b = t.appendFit(b, r.Subject, subjectCols)
	b = append(append(append(b, "  "...), id...), '\n')
	t.buf = b
	_, err := t.w.Write(b)
	return err
}

// digits returns the number of decimal digits of 0 ≤ n < 10000, minus one.
func digits(n int) int {
	switch {
	case n < 10:
		return 0
	case n < 100:
		return 1
	case n < 1000:
		return 2
	}
	return 3
}

// appendDate appends d in UTC as "2006-01-02 15:04" (time's AppendFormat
// for years 0 to 9999, which need no sign or fifth digit).
func appendDate(b []byte, d time.Time) []byte {
	d = d.UTC()
	y, mo, day := d.Date()
	if y < 0 || y > 9999 {
		return d.AppendFormat(b, "2006-01-02 15:04")
	}
	h, mi, _ := d.Clock()
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(mo)/10), byte('0'+int(mo)%10), '-', byte('0'+day/10), byte('0'+day%10), ' ',
		byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10))
}

// appendFrom appends the FROM column: "name <addr>", or addr alone.
// Plain ASCII is fitted in place, without building the string.
func (t *Table) appendFrom(b []byte, name, addr string) []byte {
	if name == "" {
		return t.appendFit(b, addr, fromCols)
	}
	if !isPlainASCII(name) || !isPlainASCII(addr) {
		return t.appendFit(b, name+" <"+addr+">", fromCols)
	}
	at := len(b)
	b = append(append(append(append(b, name...), " <"...), addr...), '>')
	return fitASCII(b, at, fromCols)
}

// appendFit appends fit(s, cols): plain ASCII in place, the rest through
// the memo.
func (t *Table) appendFit(b []byte, s string, cols int) []byte {
	if !isPlainASCII(s) {
		return append(b, t.fit(s, cols)...)
	}
	return fitASCII(append(b, s...), len(b), cols)
}

// fitASCII fits the plain ASCII text b[at:] to cols columns as fit does:
// cut to cols-1 bytes and "…" when longer, padded with spaces when
// shorter.
func fitASCII(b []byte, at, cols int) []byte {
	if len(b)-at > cols {
		return append(b[:at+cols-1], "…"...)
	}
	return padTo(b, at, cols)
}

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
