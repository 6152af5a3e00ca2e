package urls

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/fold"
)

// This file summarises HTML body parts for the content rules.

// HTMLStats summarises HTML body parts with one cheap byte scan (no
// tokenizer): enough to tell an image-only lure from a real text body and
// to spot text hidden by inline styles.
type HTMLStats struct {
	Visible int  // non-space bytes outside tags, comments, script, style and title
	Images  int  // <img> tags
	Hidden  bool // an inline style hides content (display:none, visibility:hidden, font-size:0)
}

// statsBytes bounds how much of each HTML part htmlStats reads.
const statsBytes = 256 << 10

func (st *HTMLStats) Add(h string) {
	if len(h) > statsBytes {
		h = h[:statsBytes]
	}
	for i := 0; i < len(h); {
		if h[i] != '<' {
			j := strings.IndexByte(h[i:], '<')
			if j < 0 {
				j = len(h) - i
			}
			st.Visible += countVisible(h[i : i+j])
			i += j
			continue
		}
		rest := h[i+1:]
		if strings.HasPrefix(rest, "!--") {
			j := strings.Index(rest[3:], "-->")
			if j < 0 {
				return
			}
			i += 1 + 3 + j + 3
			continue
		}
		j := strings.IndexByte(rest, '>')
		if j < 0 {
			return
		}
		tag := rest[:j]
		i += 1 + j + 1
		n := 0
		for n < len(tag) && fold.IsAlnum(tag[n]) {
			n++
		}
		name := tag[:n] // ASCII letters and digits: htmlEqualFold is EqualFold
		switch {
		case htmlEqualFold(name, "img"):
			st.Images++
		case htmlEqualFold(name, "script") || htmlEqualFold(name, "style") || htmlEqualFold(name, "title"):
			k := indexCloseTag(h[i:], name)
			if k < 0 {
				return
			}
			i += k
			continue
		}
		if !st.Hidden && len(tag) > 12 {
			st.Hidden = hidesContent(tag) && hiddenText(h[i:], name)
		}
	}
}

// hiddenLookBytes bounds how far hiddenText looks for the hidden text.
const hiddenLookBytes = 4 << 10

// hiddenText reports whether the element a hiding start tag opens (rest
// is the HTML after the tag, name the tag's name) may hold something: a
// letter or digit, or another element, before the first "</name" (within
// hiddenLookBytes; character references left out). An element with
// nothing in it to hide — a void element such as a tracking pixel, an
// empty caption, a zero-width space — hides nothing. Nested elements
// count as content: their own styles may show it again, which a byte
// scan cannot tell.
func hiddenText(rest, name string) bool {
	if voidElement(name) {
		return false
	}
	if len(rest) > hiddenLookBytes {
		rest = rest[:hiddenLookBytes]
	}
	if k := indexCloseTag(rest, name); k >= 0 {
		rest = rest[:k]
	}
	for i := 0; i < len(rest); {
		c := rest[i]
		switch {
		case c == '<':
			return true
		case c == '&':
			if k := strings.IndexByte(rest[i:min(len(rest), i+12)], ';'); k > 0 {
				i += k + 1
				continue
			}
		case c < utf8.RuneSelf:
			if fold.IsAlnum(c) {
				return true
			}
		default:
			r, n := utf8.DecodeRuneInString(rest[i:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return true
			}
			i += n
			continue
		}
		i++
	}
	return false
}

// voidElement reports an HTML element that has no content.
func voidElement(name string) bool {
	for _, v := range [...]string{"img", "br", "hr", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"} {
		if htmlEqualFold(name, v) {
			return true
		}
	}
	return false
}

// countVisible counts the bytes of s above ' ', eight at a time.
func countVisible(s string) int {
	const lo7, hi = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	n, i := 0, 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// A byte is above ' ' when its high bit is set or its low seven
		// bits plus 0x5f carry into the high bit (no carry crosses bytes);
		// the multiplication adds up the eight 0/1 bytes in the top one.
		m := ((w&lo7 + 0x5f5f5f5f5f5f5f5f) | w) & hi
		n += int((m >> 7) * 0x0101010101010101 >> 56)
	}
	for ; i < len(s); i++ {
		if s[i] > ' ' {
			n++
		}
	}
	return n
}

// indexCloseTag returns the offset of "</name" (ASCII case-insensitive) in
// s, or -1.
func indexCloseTag(s, name string) int {
	for off := 0; ; {
		k := strings.Index(s[off:], "</")
		if k < 0 {
			return -1
		}
		p := off + k + 2
		if len(s)-p >= len(name) && strings.EqualFold(s[p:p+len(name)], name) {
			return off + k
		}
		off = p
	}
}

// hidesContent reports whether a start tag's inline style hides its
// content.
func hidesContent(tag string) bool {
	k := indexFoldASCII(tag, "style")
	if k < 0 {
		return false
	}
	st := tag[k:]
	if len(st) > 400 {
		st = st[:400]
	}
	// The declarations looked for below, spaces and tabs aside, have a
	// "display:" before 'n', "visibility:" before 'h' or "font-size:"
	// before '0': most styles can be passed over without building b.
	for i := 0; ; {
		j := strings.IndexByte(st[i:], ':')
		if j < 0 {
			return false
		}
		colon := i + j
		for i = colon + 1; i < len(st) && (st[i] == ' ' || st[i] == '\t'); i++ {
		}
		if i == len(st) {
			return false
		}
		var prop string
		switch fold.LowerByte(st[i]) {
		case 'n':
			prop = "display"
		case 'h':
			prop = "visibility"
		case '0':
			prop = "font-size"
		}
		if prop != "" && endsSquashedFold(st[:colon], prop) {
			break
		}
	}
	var buf [400]byte
	b := buf[:0]
	for i := 0; i < len(st); i++ {
		if c := st[i]; c != ' ' && c != '\t' {
			b = append(b, fold.LowerByte(c))
		}
	}
	if bytes.Contains(b, []byte("display:none")) || bytes.Contains(b, []byte("visibility:hidden")) {
		return true
	}
	if k := bytes.Index(b, []byte("font-size:0")); k >= 0 {
		r := b[k+len("font-size:0"):]
		return len(r) == 0 || (r[0] != '.' && (r[0] < '0' || r[0] > '9'))
	}
	return false
}

// endsSquashedFold reports whether s ends with the lower-case word w once
// spaces and tabs are removed and ASCII letters lower-cased.
func endsSquashedFold(s, w string) bool {
	i := len(s)
	for k := len(w) - 1; k >= 0; k-- {
		for i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') {
			i--
		}
		if i == 0 || fold.LowerByte(s[i-1]) != w[k] {
			return false
		}
		i--
	}
	return true
}

// indexFoldASCII is strings.Index with ASCII case folding of s; sub must
// be lower-case and not empty.
func indexFoldASCII(s, sub string) int {
	if len(sub) == 0 || len(sub) > len(s) {
		return -1
	}
	c0, c1 := sub[0], sub[0]
	if 'a' <= c0 && c0 <= 'z' {
		c1 = c0 - ('a' - 'A')
	}
	t := s[:len(s)-len(sub)+1] // where a match can start
	next0, next1 := -2, -2     // next c0 and c1 at or after i (-1: none)
	for i := 0; i < len(t); i++ {
		if next0 != -1 && next0 < i {
			if next0 = strings.IndexByte(t[i:], c0); next0 >= 0 {
				next0 += i
			}
		}
		if c1 != c0 && next1 != -1 && next1 < i {
			if next1 = strings.IndexByte(t[i:], c1); next1 >= 0 {
				next1 += i
			}
		}
		switch {
		case next0 < 0 && (c1 == c0 || next1 < 0):
			return -1
		case c1 == c0 || next1 < 0 || next0 >= 0 && next0 < next1:
			i = next0
		default:
			i = next1
		}
		if htmlEqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
