package received

import (
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/date"
)

// Byte-level helpers of the Received tokenizer.

// byteSet is a set of ASCII bytes.
type byteSet [2]uint64

func makeSet(chars string) (b byteSet) {
	for i := 0; i < len(chars); i++ {
		b[chars[i]>>6] |= 1 << (chars[i] & 63)
	}
	return b
}

func (b *byteSet) has(c byte) bool { return c < 128 && b[c>>6]&(1<<(c&63)) != 0 }

// The cutsets of the trims below.
var (
	setIDTrim     = makeSet("<>,;")
	setQuotes     = makeSet(`"',`)
	setAngles     = makeSet("<>")
	setLess       = makeSet("<")
	setEnvSep     = makeSet(" \t\r\n:=")
	setHeloTrim   = makeSet("[]?")
	setCommaParen = makeSet(",)")
	setHostTrim   = makeSet(",;:")
	setCommaSemi  = makeSet(",;")
)

// trimLeft, trimRight and trim are strings.TrimLeft, TrimRight
// and Trim for an ASCII cutset (given as a set), without building a set
// on each call.
func trimLeft(s string, cut *byteSet) string {
	for len(s) > 0 && cut.has(s[0]) {
		s = s[1:]
	}
	return s
}

func trimRight(s string, cut *byteSet) string {
	for len(s) > 0 && cut.has(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func trim(s string, cut *byteSet) string { return trimRight(trimLeft(s, cut), cut) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s starts with the ASCII prefix, ignoring
// case. This is strings.EqualFold(s[:len(prefix)], prefix): a rune of more
// than one byte in s[:len(prefix)] leaves it fewer runes than prefix, and
// an invalid byte folds to nothing.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if c, p := s[i], prefix[i]; c != p && (c|0x20 != p|0x20 || !isAlpha(p)) {
			return false
		}
	}
	return true
}

// equalFold is strings.EqualFold(s, lit) for an ASCII lit without 'k'
// or 's' (which the Kelvin sign and the long s fold to): only ASCII text of
// lit's length can match it.
func equalFold(s, lit string) bool {
	return len(s) == len(lit) && hasPrefixFold(s, lit)
}

func isSpaceByte(c byte) bool { return date.Class(c)&date.ClSpace != 0 }
func isDigit(c byte) bool     { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool     { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }
