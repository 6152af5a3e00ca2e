// Package date parses the dates of mail headers leniently: the Date
// header and the date at the end of a Received header share one parser
// (RFC 5322 and obsolete forms, asctime, ISO 8601, numeric months, named
// and military zones).
package date

import (
	"strings"
	"time"
)

// zoneLocs caches fixed zones for offsets in 15-minute steps between
// -14:00 and +14:00 so that parsing a date does not allocate a Location.
var zoneLocs = func() [113]*time.Location {
	var z [113]*time.Location
	for i := range z {
		off := (i - 56) * 15 * 60
		if off == 0 {
			z[i] = time.UTC
			continue
		}
		z[i] = time.FixedZone("", off)
	}
	return z
}()

func zoneFor(off int) *time.Location {
	if off%(15*60) == 0 {
		if i := off/(15*60) + 56; i >= 0 && i < len(zoneLocs) {
			return zoneLocs[i]
		}
	}
	return time.FixedZone("", off)
}

// zoneAbbrev maps the zone names seen in Received dates to UTC offsets in
// seconds. RFC 5322 §4.3 defines UT, GMT and the North American names;
// the others are common in the wild and unambiguous enough.
var zoneAbbrev = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600,
	"BST": 3600, "CET": 3600, "MET": 3600, "WEST": 3600,
	"CEST": 2 * 3600, "MEST": 2 * 3600, "METDST": 2 * 3600, "EET": 2 * 3600,
	"EEST": 3 * 3600, "MSK": 3 * 3600,
	"JST": 9 * 3600, "KST": 9 * 3600, "HKT": 8 * 3600, "SGT": 8 * 3600,
	"AWST": 8 * 3600, "ACST": 9*3600 + 1800, "AEST": 10 * 3600, "AEDT": 11 * 3600,
	"NZST": 12 * 3600, "NZDT": 13 * 3600,
}

func zoneByName(w string) (int, bool) {
	// POSIX TZ style "EST5EDT": the standard-time name leads.
	k := 0
	for k < len(w) && !isDigit(w[k]) {
		k++
	}
	if k < len(w) && k >= 3 && k <= 4 {
		w = w[:k]
	}
	if len(w) == 0 || len(w) > 6 {
		return 0, false
	}
	var b [6]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !isAlpha(c) {
			return 0, false
		}
		b[i] = c &^ 0x20
	}
	off, ok := zoneAbbrev[string(b[:len(w)])]
	return off, ok
}

// MonthNum returns 1..12 for an English month name or abbreviation, else 0.
func MonthNum(w string) int {
	if len(w) < 3 || len(w) > 9 {
		return 0
	}
	for i := 0; i < len(w); i++ {
		if !isAlpha(w[i]) {
			return 0
		}
	}
	// w is ASCII letters: compare the lower-cased first three.
	switch uint32(w[0]|0x20)<<16 | uint32(w[1]|0x20)<<8 | uint32(w[2]|0x20) {
	case 'j'<<16 | 'a'<<8 | 'n':
		return 1
	case 'f'<<16 | 'e'<<8 | 'b':
		return 2
	case 'm'<<16 | 'a'<<8 | 'r':
		return 3
	case 'a'<<16 | 'p'<<8 | 'r':
		return 4
	case 'm'<<16 | 'a'<<8 | 'y':
		return 5
	case 'j'<<16 | 'u'<<8 | 'n':
		return 6
	case 'j'<<16 | 'u'<<8 | 'l':
		return 7
	case 'a'<<16 | 'u'<<8 | 'g':
		return 8
	case 's'<<16 | 'e'<<8 | 'p':
		return 9
	case 'o'<<16 | 'c'<<8 | 't':
		return 10
	case 'n'<<16 | 'o'<<8 | 'v':
		return 11
	case 'd'<<16 | 'e'<<8 | 'c':
		return 12
	}
	return 0
}

func IsWeekday(w string) bool {
	if len(w) < 3 || len(w) > 9 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !isAlpha(w[i]) {
			return false
		}
	}
	switch uint32(w[0]|0x20)<<16 | uint32(w[1]|0x20)<<8 | uint32(w[2]|0x20) {
	case 'm'<<16 | 'o'<<8 | 'n', 't'<<16 | 'u'<<8 | 'e', 'w'<<16 | 'e'<<8 | 'd', 't'<<16 | 'h'<<8 | 'u',
		'f'<<16 | 'r'<<8 | 'i', 's'<<16 | 'a'<<8 | 't', 's'<<16 | 'u'<<8 | 'n':
		return true
	}
	return false
}

// dateAcc accumulates date parts in any order.
type dateAcc struct {
	year, month, day   int
	hour, min, sec, ns int
	haveTime, zoneSet  bool
	yearDigits         int
	off                int
	pm, am             bool
}

func (d *dateAcc) complete(needTime bool) bool {
	return d.year >= 0 && d.month > 0 && d.day > 0 && (d.haveTime || !needTime)
}

// Parse parses a date leniently: RFC 5322 and obsolete forms, asctime,
// ISO 8601 ("2018-03-26 13:35:36.27 +0000 UTC"), US "4/20/2018 11:01 PM",
// missing seconds, 2- and 3-digit years, numeric and named zones (a comment
// zone such as "(JST)" is used only without a numeric one; a missing or
// unknown zone means UTC). Junk before the date is skipped; parsing stops at
// the first token that does not belong to a complete date. It returns the
// time, the number of bytes of s used, and whether a date was found. With
// needTime a time of day is required.
func Parse(s string, needTime bool) (time.Time, int, bool) {
	d := dateAcc{year: -1}
	end, steps := d.fastPrefix(s)
	for i := end; i < len(s) && steps < 32; {
		c := s[i]
		if class[c]&(ClSpace|ClComma) != 0 {
			i++
			continue
		}
		steps++
		full := d.complete(true)
		if c == '(' {
			j := SkipComment(s, i)
			inner := strings.TrimSpace(s[i+1 : j])
			if j < len(s) {
				j++
			}
			if off, ok := zoneByName(inner); ok && d.haveTime {
				if !d.zoneSet {
					d.off, d.zoneSet = off, true
				}
				end = j
				i = j
				continue
			}
			if d.complete(needTime) {
				break
			}
			i = j
			continue
		}
		j := i
		for j < len(s) && class[s[j]]&(ClSpace|ClComma|ClOpen|ClSemi) == 0 {
			j++
		}
		if j == i {
			// ';' or stray delimiter
			if d.complete(needTime) {
				break
			}
			i++
			continue
		}
		if d.token(s[i:j], full) {
			end = j
		} else if d.complete(needTime) {
			break
		}
		i = j
	}
	if !d.complete(needTime) {
		return time.Time{}, 0, false
	}
	y := d.year
	switch {
	case d.yearDigits <= 2 && y < 50:
		y += 2000
	case d.yearDigits <= 2:
		y += 1900
	case d.yearDigits == 3:
		y += 1900
	}
	h := d.hour
	if d.pm && h < 12 {
		h += 12
	} else if d.am && h == 12 {
		h = 0
	}
	if y < 1900 || y > 9999 || d.month > 12 || d.day > 31 || h > 23 || d.min > 59 || d.sec > 60 {
		return time.Time{}, 0, false
	}
	sec := d.sec
	if sec == 60 {
		sec = 59
	}
	t := time.Date(y, time.Month(d.month), d.day, h, d.min, sec, d.ns, zoneFor(d.off))
	if t.Day() != d.day {
		return time.Time{}, 0, false
	}
	return t, end, true
}

// fastPrefix feeds d the leading tokens of the usual date shape
// "[Mon,] 2 Jan 2006 15:04:05 -0700" exactly as the token loop of
// Parse would (same tokens, same effect on a fresh d), stopping
// before the first token that differs from that shape; the loop goes on
// from there. It returns the end of the last token taken (0 if none) and
// the number of tokens taken.
func (d *dateAcc) fastPrefix(s string) (end, steps int) {
	// Each token is checked in place: its bytes, then that the token ends
	// there (dateTokenEndsAt), as dateTokenEnd would find.
	i := skipDateSpace(s, 0)
	if i+3 <= len(s) && dateTokenEndsAt(s, i+3) && isAlpha(s[i]) && isAlpha(s[i+1]) && isAlpha(s[i+2]) &&
		IsWeekday(s[i:i+3]) {
		end, steps = i+3, 1
		i = skipDateSpace(s, i+3)
	}
	// Day of the month: one or two digits, 1 to 31.
	var v int
	switch {
	case i+1 <= len(s) && isDigit(s[i]) && dateTokenEndsAt(s, i+1):
		v, i = int(s[i]-'0'), i+1
	case i+2 <= len(s) && isDigit(s[i]) && isDigit(s[i+1]) && dateTokenEndsAt(s, i+2):
		v, i = int(s[i]-'0')*10+int(s[i+1]-'0'), i+2
	default:
		return end, steps
	}
	if v < 1 || v > 31 {
		return end, steps
	}
	d.day = v
	end, steps = i, steps+1
	// Month: a name (three letters or more).
	i = skipDateSpace(s, i)
	j := dateTokenEnd(s, i)
	m := MonthNum(s[i:j])
	if m == 0 {
		return end, steps
	}
	d.month = m
	end, steps = j, steps+1
	// Four-digit year.
	i = skipDateSpace(s, j)
	if i+4 > len(s) || !isDigit(s[i]) || !isDigit(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+3]) ||
		!dateTokenEndsAt(s, i+4) {
		return end, steps
	}
	d.year, d.yearDigits = atoiSmall(s[i:i+4]), 4
	end, steps = i+4, steps+1
	// hh:mm:ss
	i = skipDateSpace(s, i+4)
	if i+8 > len(s) || s[i+2] != ':' || s[i+5] != ':' || !isDigit(s[i]) || !isDigit(s[i+1]) ||
		!isDigit(s[i+3]) || !isDigit(s[i+4]) || !isDigit(s[i+6]) || !isDigit(s[i+7]) ||
		!dateTokenEndsAt(s, i+8) {
		return end, steps
	}
	d.hour, d.min, d.sec = atoiSmall(s[i:i+2]), atoiSmall(s[i+3:i+5]), atoiSmall(s[i+6:i+8])
	d.haveTime = true
	end, steps = i+8, steps+1
	// +hhmm / -hhmm
	i = skipDateSpace(s, i+8)
	if i+5 > len(s) || (s[i] != '+' && s[i] != '-') || !isDigit(s[i+1]) || !isDigit(s[i+2]) ||
		!isDigit(s[i+3]) || !isDigit(s[i+4]) || !dateTokenEndsAt(s, i+5) {
		return end, steps
	}
	off, ok := parseOffset(s[i : i+5])
	if !ok {
		return end, steps
	}
	d.off, d.zoneSet = off, true
	return i + 5, steps + 1
}

// dateTokenEndsAt reports whether a date token ends at i: at the end of
// s or before a space, ',', '(' or ';'.
func dateTokenEndsAt(s string, i int) bool {
	return i == len(s) || class[s[i]]&(ClSpace|ClComma|ClOpen|ClSemi) != 0
}

// skipDateSpace returns the index of the first byte at or after i that
// is not a space or comma.
func skipDateSpace(s string, i int) int {
	for i < len(s) && class[s[i]]&(ClSpace|ClComma) != 0 {
		i++
	}
	return i
}

// dateTokenEnd returns the end of the date token starting at i.
func dateTokenEnd(s string, i int) int {
	for i < len(s) && class[s[i]]&(ClSpace|ClComma|ClOpen|ClSemi) == 0 {
		i++
	}
	return i
}

// token consumes one date token and reports whether it was part of the date.
func (d *dateAcc) token(w string, full bool) bool {
	c := w[0]
	switch {
	case (c == '+' || c == '-') && len(w) >= 3 && isDigit(w[1]):
		if d.zoneSet || !d.haveTime {
			return false
		}
		off, ok := parseOffset(w)
		if !ok {
			return false
		}
		d.off, d.zoneSet = off, true
		return true
	case isAlpha(c):
		if strings.EqualFold(w, "PM") || strings.EqualFold(w, "AM") {
			if !d.haveTime {
				return false
			}
			d.pm = w[0]|0x20 == 'p'
			d.am = !d.pm
			return true
		}
		if m := MonthNum(w); m > 0 && d.month == 0 {
			d.month = m
			return true
		}
		if IsWeekday(w) && !full {
			return true
		}
		if off, ok := zoneByName(w); ok && d.haveTime {
			if !d.zoneSet {
				d.off, d.zoneSet = off, true
			}
			return true
		}
		return false
	case !isDigit(c):
		return false
	}
	if len(w) > 10 && w[4] == '-' && (w[10] == 'T' || w[10] == 't') {
		if d.month > 0 || d.day > 0 || d.haveTime {
			return false
		}
		return d.parseNumericDate(w)
	}
	// One pass for what the checks below need: a ':' (a clock), else a
	// '-', '/' or '.' (a numeric date, never at 0: w[0] is a digit), else
	// only digits (a number).
	colon, sep, digits := false, -1, true
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c == ':':
			colon = true
		case c == '-' || c == '/' || c == '.':
			if sep < 0 {
				sep = i
			}
			digits = false
		case !isDigit(c):
			digits = false
		}
		if colon {
			break
		}
	}
	if colon {
		if d.haveTime {
			return false
		}
		return d.parseClock(w)
	}
	if sep > 0 {
		if d.month > 0 || d.day > 0 {
			return false
		}
		return d.parseNumericDate(w)
	}
	if !digits || len(w) > 4 {
		return false
	}
	v := atoiSmall(w)
	switch {
	case len(w) >= 3 || v > 31:
		if d.year >= 0 {
			return false
		}
		d.year, d.yearDigits = v, len(w)
	case d.day == 0:
		if v == 0 {
			return false
		}
		d.day = v
	case d.month == 0 && d.year < 0 && v >= 1 && v <= 12:
		d.month = v // numeric month: "20 11 79 05:34:27"
	case d.year < 0:
		d.year, d.yearDigits = v, len(w)
	default:
		return false
	}
	return true
}

// parseClock parses "hh:mm[:ss[.frac]]" with an optional glued zone
// ("17:40:44-0500", "10:00:00Z").
func (d *dateAcc) parseClock(w string) bool {
	i := 0
	var parts [3]int
	np := 0
	for np < 3 {
		j := i
		for j < len(w) && isDigit(w[j]) {
			j++
		}
		if j == i || j-i > 2 {
			return false
		}
		parts[np] = atoiSmall(w[i:j])
		np++
		i = j
		if i < len(w) && w[i] == ':' && np < 3 {
			i++
			continue
		}
		break
	}
	if np < 2 {
		return false
	}
	d.hour, d.min = parts[0], parts[1]
	if np == 3 {
		d.sec = parts[2]
	}
	if i < len(w) && w[i] == '.' {
		i++
		j := i
		for j < len(w) && isDigit(w[j]) {
			j++
		}
		frac := w[i:j]
		ns := 0
		for k := 0; k < 9; k++ {
			ns *= 10
			if k < len(frac) {
				ns += int(frac[k] - '0')
			}
		}
		d.ns = ns
		i = j
	}
	d.haveTime = true
	if i < len(w) {
		rest := w[i:]
		switch {
		case rest == "Z" || rest == "z":
			d.zoneSet = true
		case rest[0] == '+' || rest[0] == '-':
			if off, ok := parseOffset(rest); ok {
				d.off, d.zoneSet = off, true
			}
		}
	}
	return true
}

// parseNumericDate parses "2018-03-26", "2018-4-20", "4/20/2018",
// "4-20-2018", "20.04.2018" and an ISO "2018-03-26T13:35:36Z".
func (d *dateAcc) parseNumericDate(w string) bool {
	if k := strings.IndexAny(w, "Tt"); k > 0 {
		if !d.parseClock(w[k+1:]) {
			return false
		}
		w = w[:k]
	}
	sep := w[indexDateSep(w)]
	var parts [3]string
	n := 0
	for n < 3 {
		k := strings.IndexByte(w, sep)
		if k < 0 {
			parts[n] = w
			n++
			break
		}
		parts[n] = w[:k]
		n++
		w = w[k+1:]
		if n == 3 {
			return false // too many parts
		}
	}
	if n != 3 || !AllDigits(parts[0]) || !AllDigits(parts[1]) || !AllDigits(parts[2]) ||
		len(parts[0]) > 4 || len(parts[1]) > 2 || len(parts[2]) > 4 {
		return false
	}
	a, b, c := atoiSmall(parts[0]), atoiSmall(parts[1]), atoiSmall(parts[2])
	switch {
	case len(parts[0]) == 4: // y-m-d
		d.year, d.yearDigits, d.month, d.day = a, 4, b, c
	case sep == '.' || a > 12: // d.m.y
		d.day, d.month, d.year, d.yearDigits = a, b, c, len(parts[2])
	default: // US m/d/y
		d.month, d.day, d.year, d.yearDigits = a, b, c, len(parts[2])
	}
	return d.month >= 1 && d.month <= 12 && d.day >= 1
}

// indexDateSep is strings.IndexAny(w, "-/.").
func indexDateSep(w string) int {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c == '-' || c == '/' || c == '.' {
			return i
		}
	}
	return -1
}

// parseOffset parses "+0900", "-0000", "+09:00", "+9".
func parseOffset(w string) (int, bool) {
	sign := 1
	if w[0] == '-' {
		sign = -1
	}
	w = w[1:]
	var hh, mm int
	switch {
	case len(w) == 4 && AllDigits(w):
		hh, mm = atoiSmall(w[:2]), atoiSmall(w[2:])
	case len(w) == 5 && w[2] == ':' && AllDigits(w[:2]) && AllDigits(w[3:]):
		hh, mm = atoiSmall(w[:2]), atoiSmall(w[3:])
	case (len(w) == 1 || len(w) == 2) && AllDigits(w):
		hh = atoiSmall(w)
	default:
		return 0, false
	}
	if hh > 14 || mm > 59 {
		return 0, false
	}
	return sign * (hh*3600 + mm*60), true
}

func atoiSmall(s string) int {
	v := 0
	for i := 0; i < len(s) && i < 9; i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

// ParseHeader parses a Date header with the lenient date parser the
// Received headers use (Parse: RFC 5322 and obsolete forms,
// asctime, ISO, numeric months, named and military zones), after blanking
// comments between its tokens. A time of day is required. ok is false
// (and t the zero time) when no date is found.
func ParseHeader(v string) (t time.Time, ok bool) {
	t, _, ok = Parse(stripInnerComments(v), true)
	return t, ok
}

// stripInnerComments blanks out (nested) comments that stand between the
// tokens of a date, which the shared date parser does not expect there;
// a trailing comment, the usual "(JST)" zone hint, is kept.
func stripInnerComments(v string) string {
	if strings.IndexByte(v, '(') < 0 {
		return v
	}
	b := []byte(v)
	for i := 0; i < len(b); i++ {
		if b[i] != '(' {
			continue
		}
		depth, j := 0, i
		for ; j < len(b); j++ {
			if b[j] == '(' {
				depth++
			} else if b[j] == ')' {
				if depth--; depth == 0 {
					break
				}
			}
		}
		if j >= len(b) || strings.TrimSpace(string(b[j+1:])) == "" {
			break // unterminated or trailing: leave it
		}
		for k := i; k <= j; k++ {
			b[k] = ' '
		}
		i = j
	}
	return string(b)
}

// SkipComment returns the index of the ')' closing the '(' at s[i], or
// len(s) when unbalanced. Nesting is bounded.
func SkipComment(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '(':
			depth++
			if depth > 32 {
				return len(s)
			}
		case ')':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(s)
}

// Byte classes of header text: the separators of date tokens and of the
// Received tokenizer (package received), which shares this table through
// Class. A byte is in one class at most.
const (
	ClSpace = 1 << iota // ' ', \t, \r, \n, \v, \f
	ClOpen              // '('
	ClClose             // ')'
	ClSemi              // ';'
	ClComma             // ','
	ClEq                // '='
	ClColon             // ':'
)

var class = func() (t [256]uint8) {
	for _, c := range " \t\r\n\v\f" {
		t[c] = ClSpace
	}
	t['('], t[')'], t[';'], t[','] = ClOpen, ClClose, ClSemi, ClComma
	t['='], t[':'] = ClEq, ClColon
	return t
}()

// Class returns the byte class of c (one of the Cl constants), 0 for a
// byte of none.
func Class(c byte) uint8 { return class[c] }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// AllDigits reports whether s is made of ASCII digits only and is not
// empty. The Received parser tokenises the same way and uses it too.
func AllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
