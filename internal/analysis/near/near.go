// Package near computes the near-duplicate features of a message that
// campaign clustering needs and that only the analysis sees: the subject
// skeleton and a SimHash fingerprint of the visible body text. Both are
// pure functions of their input, bounded in time by its length.
package near

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/fold"
)

// MaxNames is how many recipients' addresses and names a caller passes
// to Skeleton at most.
const MaxNames = 8

// MinShingles is the number of body shingles below which a SimHash is not
// computed: a two-line body says too little to tell waves apart.
const MinShingles = 12

// Bounds of one fingerprint: the tokens read from a body and the
// distinct shingles counted (the first ones: a wave's template starts
// the message).
const (
	maxTokens   = 512
	maxShingles = 256
)

// Skeleton returns the normalised subject: folded (case, width, invisible
// characters), reply and forward prefixes and leading bracket tags
// removed, the recipients' addresses, local parts and display names
// removed, any e-mail address replaced by "@", every word holding a digit
// (numbers, tracking IDs, dates) replaced by "#", and runs of white space
// and punctuation collapsed to one space. names are the recipients'
// addresses and display names; those shorter than 3 bytes are ignored.
func Skeleton(subject string, names []string) string {
	s := fold.Normalize(subject)
	s = strings.ToLower(s)
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(fold.Normalize(n)))
		if len(n) < 3 {
			continue
		}
		s = strings.ReplaceAll(s, n, " ")
		if local, _, ok := strings.Cut(n, "@"); ok && len(local) >= 3 {
			s = strings.ReplaceAll(s, local, " ")
		}
	}
	s = stripPrefixes(s)
	var b strings.Builder
	b.Grow(len(s))
	tokens(s, func(tok string, kind tokKind) bool {
		if b.Len() > 0 && kind != tokCJK {
			b.WriteByte(' ')
		}
		switch kind {
		case tokDigit:
			b.WriteByte('#')
		case tokAddr:
			b.WriteByte('@')
		default:
			b.WriteString(tok)
		}
		return b.Len() < 512
	})
	return strings.TrimSpace(b.String())
}

// stripPrefixes removes leading "re:", "fw:", "fwd:", "aw:", "sv:",
// "tr:", "wg:" and leading "[…]" or "【…】" tags, repeatedly.
func stripPrefixes(s string) string {
	for range 16 {
		t := strings.TrimLeft(s, " \t\r\n")
		switch {
		case strings.HasPrefix(t, "["):
			if i := strings.IndexByte(t, ']'); i > 0 && i < 64 {
				t = t[i+1:]
			}
		default:
			for _, p := range []string{"re:", "fw:", "fwd:", "aw:", "sv:", "tr:", "wg:", "re：", "fw：", "fwd："} {
				if strings.HasPrefix(t, p) {
					t = t[len(p):]
					break
				}
			}
		}
		if t == s {
			return s
		}
		s = t
	}
	return s
}

type tokKind uint8

const (
	tokWord  tokKind = iota // letters
	tokDigit                // a word holding a digit
	tokAddr                 // a word holding '@'
	tokCJK                  // one Han, kana or Hangul character
)

// tokens calls fn for each token of s (see tokenizer) until fn returns
// false.
func tokens(s string, fn func(tok string, kind tokKind) bool) {
	t := tokenizer{s: s}
	for {
		tok, kind, ok := t.next()
		if !ok || !fn(tok, kind) {
			return
		}
	}
}

// tokenizer reads the tokens of s: runs of letters and digits (with '@',
// '.', '_', '-' inside an address-like run), and each CJK character on
// its own. Other characters separate tokens. ASCII is handled without
// decoding runes.
type tokenizer struct {
	s string
	i int // where the next call starts
}

// next returns the next token, ok false at the end of s.
func (t *tokenizer) next() (tok string, kind tokKind, ok bool) {
	s := t.s
	start, digit, at := -1, false, false
	for i := t.i; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
				if start < 0 {
					start = i
				}
			case '0' <= c && c <= '9':
				if start < 0 {
					start = i
				}
				digit = true
			case start >= 0 && (c == '@' || isSep(c)):
				at = at || c == '@'
			case start >= 0:
				t.i = i + 1
				if tok, kind, ok = runToken(s[start:i], digit, at); ok {
					return tok, kind, true
				}
				start, digit, at = -1, false, false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isCJK(r):
			if start >= 0 { // the run first; the character on the next call
				t.i = i
				if tok, kind, ok = runToken(s[start:i], digit, at); ok {
					return tok, kind, true
				}
			}
			t.i = i + n
			return s[i : i+n], tokCJK, true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			digit = digit || unicode.IsDigit(r)
		case start >= 0:
			t.i = i + n
			if tok, kind, ok = runToken(s[start:i], digit, at); ok {
				return tok, kind, true
			}
			start, digit, at = -1, false, false
		}
		i += n
	}
	t.i = len(s)
	if start >= 0 {
		return runToken(s[start:], digit, at)
	}
	return "", 0, false
}

// runToken is the token of a run: separators trimmed from its ends, an
// address when it holds '@', else a number when it holds a digit; ok is
// false when nothing is left.
func runToken(tok string, digit, at bool) (string, tokKind, bool) {
	if tok != "" && (isSep(tok[0]) || isSep(tok[len(tok)-1])) {
		tok = strings.Trim(tok, ".-_")
	}
	k := tokWord
	switch {
	case at:
		k = tokAddr
	case digit:
		k = tokDigit
	}
	return tok, k, tok != ""
}

func isSep(c byte) bool { return c == '.' || c == '_' || c == '-' }

func isCJK(r rune) bool {
	switch {
	case r < 0x2e80:
		return false
	case r >= 0x3041 && r <= 0x3096 || r >= 0x30A1 && r <= 0x30FA || r == 0x30FC || r >= 0x4E00 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7A3:
		return true // the common kana, Han and Hangul blocks: no table look-up
	}
	return (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) || r == 'ー')
}

// SimHash returns the 64-bit SimHash of the set of word 3-shingles of
// text and the number of distinct shingles: a shingle repeated (a table
// of numbers, a repeated line) counts once, and shingles made only of
// placeholders are left out. Text is expected folded (fold.MatchMode): case
// is folded here, invisible characters are dropped by the fold, numbers
// and addresses become placeholders (so a tracking number or the
// recipient's address does not move the hash). It returns 0, n when there
// are fewer than MinShingles shingles.
func SimHash(text string) (uint64, int) {
	var c bitCounts
	var win [3]uint64
	var set shingleSet
	n, seen := 0, 0
	t := tokenizer{s: text}
	for seen < maxTokens && n < maxShingles {
		tok, kind, ok := t.next()
		if !ok {
			break
		}
		var h uint64
		switch kind {
		case tokDigit:
			h = 1
		case tokAddr:
			h = 2
		default:
			h = fnv64aLower(tok)
		}
		win[0], win[1], win[2] = win[1], win[2], h
		seen++
		if seen >= 3 && (win[0] > 2 || win[1] > 2 || win[2] > 2) {
			sh := mix(win[0]*0x9e3779b97f4a7c15 ^ bits.RotateLeft64(win[1], 21) ^ bits.RotateLeft64(win[2], 42))
			if set.add(sh) {
				c.add(sh)
				n++
			}
		}
	}
	if n < MinShingles {
		return 0, n
	}
	return c.majority(n), n
}

// bitCounts counts, for each of the 64 bits, the words added that have it
// set: lane j (16 bits) of counter k counts bit 16j+k, so that adding a
// word takes 16 shifts and adds instead of 64. A lane holds at most
// maxShingles < 1<<16.
type bitCounts [16]uint64

const lanes = 0x0001_0001_0001_0001

func (c *bitCounts) add(h uint64) {
	for k := range 16 {
		c[k] += h >> k & lanes
	}
}

// majority returns the word whose bit b is set when more than half of
// the n words added had it set: the sign of the SimHash vote sum.
func (c *bitCounts) majority(n int) uint64 {
	var out uint64
	for b := range 64 {
		if 2*int(c[b&15]>>(16*(b>>4))&0xffff) > n {
			out |= 1 << b
		}
	}
	return out
}

// shingleSet is an open-addressing set of shingle hashes, sized for
// maxShingles at a load of one half; 0 marks a free slot.
type shingleSet struct {
	slots [2 * maxShingles]uint64
}

// add inserts h and reports whether it was new.
func (s *shingleSet) add(h uint64) bool {
	if h == 0 {
		h = 1
	}
	for i := h & (2*maxShingles - 1); ; i = (i + 1) & (2*maxShingles - 1) {
		switch s.slots[i] {
		case h:
			return false
		case 0:
			s.slots[i] = h
			return true
		}
	}
}

// BodyHash is the 64-bit FNV-1a hash of the folded visible body text,
// never 0: two copies of one message (made unique by a header) have the
// same BodyHash whatever their length.
func BodyHash(text string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(text); i++ {
		h ^= uint64(text[i])
		h *= 1099511628211
	}
	return max(h, 1)
}

// Distance is the Hamming distance of two fingerprints.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// fnv64aLower is FNV-1a of s with ASCII letters lower-cased: fixed, so
// that fingerprints persisted by one process compare with those of
// another.
func fnv64aLower(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// mix is the SplitMix64 finaliser.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ (x >> 31)
}
