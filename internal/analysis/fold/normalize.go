package fold

import (
	"fmt"
	"sync"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/width"
)

// This file holds the text folding used for matching brand names and
// lexicon terms: phishers hide brand names from filters with invisible
// characters ("Ama\u200bzon", "メ\u2061ルカリ"), full-width letters
// ("ＡＭＡＺＯＮ"), half-width katakana and mixed-script homoglyphs. The fold
// undoes those tricks so one byte-level Matcher sees a canonical form.

// Normalize returns s folded for matching: invisible and bidi-control
// characters are removed (see InvisibleChars), full-width ASCII becomes ASCII
// and half-width katakana becomes full-width (golang.org/x/text/width Fold,
// with a following half-width voiced sound mark composed onto its kana), and
// ASCII letters are lower-cased. Other characters are kept as they are;
// invalid UTF-8 bytes are kept unchanged.
//
// The result is for matching only, never for display. When nothing changes,
// s itself is returned without allocating.
func Normalize(s string) string {
	if !Needed(s, Lower) {
		return s
	}
	return string(Append(make([]byte, 0, len(s)), s, Lower))
}

// HasInvisible reports whether s contains a character listed by
// InvisibleChars.
func HasInvisible(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if isCtlByte(c) {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if _, ok := invisibleName(r); ok {
			return true
		}
		i += n
	}
	return false
}

// maxInvisibleNames bounds the result of InvisibleChars.
const maxInvisibleNames = 16

// InvisibleChars returns the distinct invisible, bidi-control and control
// characters present in s, in order of first appearance, each named like
// "U+202E RLO" or "U+200B ZWSP" for a finding's evidence. Tab, LF and CR are
// not reported. At most 16 names are returned; nil when there are none.
func InvisibleChars(s string) []string {
	var out []string
	var seen [8]rune // small dedupe window; out itself is checked beyond it
	nseen := 0
	for i := 0; i < len(s) && len(out) < maxInvisibleNames; {
		c := s[i]
		r, n := rune(c), 1
		if c >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		} else if !isCtlByte(c) {
			i++
			continue
		}
		i += n
		name, ok := invisibleName(r)
		if !ok {
			continue
		}
		dup := false
		for j := 0; j < nseen; j++ {
			if seen[j] == r {
				dup = true
				break
			}
		}
		if !dup && nseen == len(seen) {
			label := formatInvisible(r, name)
			for _, o := range out {
				if o == label {
					dup = true
					break
				}
			}
		}
		if dup {
			continue
		}
		if nseen < len(seen) {
			seen[nseen] = r
			nseen++
		}
		out = append(out, formatInvisible(r, name))
	}
	return out
}

func formatInvisible(r rune, name string) string {
	return fmt.Sprintf("%U %s", r, name)
}

// isCtlByte reports an ASCII control character other than TAB, LF and CR.
func isCtlByte(c byte) bool {
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f
}

// invisibleName names r when it is a character that renders as nothing (or
// reorders text) and is used to hide words from filters: zero-width
// characters, bidi controls, variation selectors, soft hyphen, Hangul
// fillers, tag characters, and C0/C1 controls other than TAB, LF and CR.
func invisibleName(r rune) (string, bool) {
	switch {
	case r < 0x20:
		if r == '\t' || r == '\n' || r == '\r' {
			return "", false
		}
		return "CTRL", true
	case r < 0x7f:
		return "", false
	case r <= 0x9f:
		if r == 0x7f {
			return "DEL", true
		}
		return "CTRL", true
	case r < 0xad:
		return "", false
	}
	switch r {
	case 0xad:
		return "SHY", true
	case 0x34f:
		return "CGJ", true
	case 0x61c:
		return "ALM", true
	case 0x115f, 0x1160, 0x3164, 0xffa0:
		return "HANGUL FILLER", true
	case 0x180e:
		return "MVS", true
	case 0x200b:
		return "ZWSP", true
	case 0x200c:
		return "ZWNJ", true
	case 0x200d:
		return "ZWJ", true
	case 0x200e:
		return "LRM", true
	case 0x200f:
		return "RLM", true
	case 0x202a:
		return "LRE", true
	case 0x202b:
		return "RLE", true
	case 0x202c:
		return "PDF", true
	case 0x202d:
		return "LRO", true
	case 0x202e:
		return "RLO", true
	case 0x2060:
		return "WJ", true
	case 0x2061:
		return "FUNCTION APPLICATION", true
	case 0x2062:
		return "INVISIBLE TIMES", true
	case 0x2063:
		return "INVISIBLE SEPARATOR", true
	case 0x2064:
		return "INVISIBLE PLUS", true
	case 0x2066:
		return "LRI", true
	case 0x2067:
		return "RLI", true
	case 0x2068:
		return "FSI", true
	case 0x2069:
		return "PDI", true
	case 0xfeff:
		return "ZWNBSP", true
	}
	switch {
	case r >= 0xfe00 && r <= 0xfe0f:
		return "VS", true
	case r >= 0xe0000 && r <= 0xe007f:
		return "TAG", true
	case r >= 0xe0100 && r <= 0xe01ef:
		return "VS", true
	}
	return "", false
}

// Mode selects the optional steps of Append.
type Mode uint8

const (
	// Lower lower-cases ASCII letters.
	Lower Mode = 1 << iota
	// Squeeze drops runs of spaces between two CJK characters
	// ("三 井 住 友" → "三井住友").
	Squeeze
	// Confusable maps Cyrillic and Greek letters that look like Latin
	// ones to Latin when they sit in a word that also has ASCII letters
	// ("Аmazon" with a Cyrillic А).
	Confusable
)

// Needed reports whether Append(s, mode) could differ from s. It
// errs on the side of true.
func Needed(s string, mode Mode) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if mode&Lower != 0 && 'A' <= c && c <= 'Z' {
				return true
			}
			continue
		}
		if (mode&Confusable != 0 && c >= 0xcd && c <= 0xd4) || (mode&Squeeze != 0 && c >= 0xe3) {
			return true // Greek/Cyrillic letters; CJK that may have spaces to squeeze
		}
		switch c {
		case 0xc2, 0xcd, 0xd8, 0xe1, 0xf3:
			return true
		case 0xe2: // U+2000–U+207F: zero-width and bidi controls
			if i+1 < len(s) && (s[i+1] == 0x80 || s[i+1] == 0x81) {
				return true
			}
		case 0xe3: // U+3000, U+3099/U+309A, U+3164
			if i+2 < len(s) {
				b1, b2 := s[i+1], s[i+2]
				if (b1 == 0x80 && b2 == 0x80) || (b1 == 0x82 && (b2 == 0x99 || b2 == 0x9a)) || (b1 == 0x85 && b2 == 0xa4) {
					return true
				}
			}
		case 0xef: // U+FE00–U+FFFF: variation selectors, BOM, half/full width
			if i+1 < len(s) && s[i+1] >= 0xb8 {
				return true
			}
		}
	}
	return false
}

// Append appends the folded form of s to dst (see Normalize and
// Mode). Invalid UTF-8 bytes are copied unchanged.
func Append(dst []byte, s string, mode Mode) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// Copy a run of ASCII that needs no change in one go. A space
			// can only be squeezed right after a CJK character, that is
			// at the start of a run.
			if c != ' ' || len(dst) == 0 || dst[len(dst)-1] < utf8.RuneSelf {
				j := i
				for j < len(s) && s[j] < utf8.RuneSelf && (mode&Lower == 0 || s[j] < 'A' || s[j] > 'Z') {
					j++
				}
				if j > i {
					dst = append(dst, s[i:j]...)
					i = j
					continue
				}
			}
			if 'A' <= c && c <= 'Z' && mode&Lower != 0 {
				c += 'a' - 'A'
			} else if c == ' ' && mode&Squeeze != 0 {
				if j, ok := squeezeSpaces(dst, s, i); ok {
					i = j
					continue
				}
			}
			dst = append(dst, c)
			i++
			continue
		}
		// Fast paths by UTF-8 lead byte: only a few blocks need work.
		switch {
		case c >= 0xe4 && c <= 0xe9 && i+2 < len(s): // U+4000–U+9FFF: CJK ideographs
			dst = append(dst, s[i], s[i+1], s[i+2])
			i += 3
			continue
		case c == 0xe3 && i+2 < len(s) && s[i+1] != 0x80 && s[i+1] != 0x85: // U+3040–U+3FFF: kana
			if s[i+1] == 0x82 && (s[i+2] == 0x99 || s[i+2] == 0x9a) {
				break // combining voiced sound marks: compose below
			}
			dst = append(dst, s[i], s[i+1], s[i+2])
			i += 3
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, c)
			i++
			continue
		}
		if _, ok := invisibleName(r); ok {
			i += n
			continue
		}
		if r == 0x3000 || (r >= 0xff00 && r <= 0xffef) {
			if f := width.LookupRune(r).Folded(); f != 0 {
				r = f
				if r == ' ' && mode&Squeeze != 0 {
					if j, ok := squeezeSpaces(dst, s, i); ok {
						i = j
						continue
					}
				}
				if r < utf8.RuneSelf {
					b := byte(r)
					if 'A' <= b && b <= 'Z' && mode&Lower != 0 {
						b += 'a' - 'A'
					}
					dst = append(dst, b)
					i += n
					continue
				}
			}
		}
		if r == 0x3099 || r == 0x309a {
			if d, ok := composeKana(dst, r); ok {
				dst = d
				i += n
				continue
			}
		}
		if mode&Confusable != 0 && r >= 0x370 && r < 0x500 {
			if l := LatinLookalike(r); l != 0 && mixedScriptWord(dst, s, i+n) {
				if mode&Lower != 0 && 'A' <= l && l <= 'Z' {
					l += 'a' - 'A'
				}
				dst = append(dst, l)
				i += n
				continue
			}
		}
		dst = utf8.AppendRune(dst, r)
		i += n
	}
	return dst
}

// squeezeSpaces handles a run of ASCII or ideographic spaces starting at
// s[i] when the last output rune is CJK: if the run is followed by a CJK
// character, it returns the index after the run and true.
func squeezeSpaces(dst []byte, s string, i int) (int, bool) {
	if len(dst) == 0 {
		return i, false
	}
	if last, _ := utf8.DecodeLastRune(dst); !isCJKRune(last) {
		return i, false
	}
	j := i
	for j < len(s) && j-i < 16 {
		if s[j] == ' ' {
			j++
		} else if j+2 < len(s) && s[j] == 0xe3 && s[j+1] == 0x80 && s[j+2] == 0x80 {
			j += 3
		} else {
			break
		}
	}
	if j >= len(s) {
		return i, false
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	if !isCJKRune(r) {
		return i, false
	}
	return j, true
}

// isCJK reports kana, CJK ideographs and the CJK symbol blocks, where word
// spacing is not used.
func isCJKRune(r rune) bool {
	return (r >= 0x3001 && r <= 0x9fff) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0x20000 && r <= 0x3ffff)
}

// composeKana composes a combining (semi-)voiced sound mark with the
// katakana at the end of dst ("ｶﾞ" folds to "カ"+U+3099, composed to "ガ").
func composeKana(dst []byte, mark rune) ([]byte, bool) {
	if len(dst) < 3 {
		return dst, false
	}
	base, n := utf8.DecodeLastRune(dst)
	if n != 3 {
		return dst, false
	}
	var out rune
	switch {
	case base == 0x30a6 && mark == 0x3099: // ウ → ヴ
		out = 0x30f4
	case base >= 0x30ab && base <= 0x30c2 && base%2 == 1 && mark == 0x3099: // カ…チ
		out = base + 1
	case (base == 0x30c4 || base == 0x30c6 || base == 0x30c8) && mark == 0x3099: // ツテト
		out = base + 1
	case base >= 0x30cf && base <= 0x30db && (base-0x30cf)%3 == 0: // ハヒフヘホ
		out = base + 1
		if mark == 0x309a {
			out = base + 2
		}
	default:
		return dst, false
	}
	return utf8.AppendRune(dst[:len(dst)-n], out), true
}

// LatinLookalike maps a Cyrillic or Greek letter to the ASCII letter it is
// drawn like, or 0.
func LatinLookalike(r rune) byte {
	switch r {
	case 'а':
		return 'a'
	case 'е', 'ё':
		return 'e'
	case 'о', 'ο':
		return 'o'
	case 'р', 'ρ':
		return 'p'
	case 'с', 'ϲ':
		return 'c'
	case 'х', 'χ':
		return 'x'
	case 'у':
		return 'y'
	case 'і', 'ι':
		return 'i'
	case 'ј':
		return 'j'
	case 'ѕ':
		return 's'
	case 'ԁ':
		return 'd'
	case 'ν':
		return 'v'
	case 'А', 'Α':
		return 'A'
	case 'В', 'Β':
		return 'B'
	case 'Е', 'Ε':
		return 'E'
	case 'К', 'Κ':
		return 'K'
	case 'М', 'Μ':
		return 'M'
	case 'Н', 'Η':
		return 'H'
	case 'О', 'Ο':
		return 'O'
	case 'Р', 'Ρ':
		return 'P'
	case 'С':
		return 'C'
	case 'Т', 'Τ':
		return 'T'
	case 'Х', 'Χ':
		return 'X'
	case 'І', 'Ι':
		return 'I'
	case 'Ѕ':
		return 'S'
	case 'Ј':
		return 'J'
	}
	return 0
}

// mixedWord reports whether the word around the current position has an
// ASCII letter: either the output so far ends in letters that include one,
// or the input from s[j] continues the word with one. Only letters count as
// word characters; at most 64 bytes are inspected each way.
func mixedScriptWord(dst []byte, s string, j int) bool {
	for k := len(dst) - 1; k >= 0 && len(dst)-k <= 64; k-- {
		c := dst[k]
		if IsLetter(c) {
			return true
		}
		if c < utf8.RuneSelf {
			break
		}
	}
	for k := j; k < len(s) && k-j <= 64; k++ {
		c := s[k]
		if IsLetter(c) {
			return true
		}
		if c < utf8.RuneSelf {
			break
		}
	}
	return false
}

func IsLetter(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func IsAlnum(c byte) bool {
	return IsLetter(c) || ('0' <= c && c <= '9')
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// ForMatch returns text folded by mode for the multi-pattern matchers,
// in a pooled buffer when folding changes anything. The result is valid
// until release is called.
func ForMatch(text string, mode Mode) (folded string, release func()) {
	if !Needed(text, mode) {
		return text, func() {}
	}
	bp := bufPool.Get().(*[]byte)
	b := Append((*bp)[:0], text, mode)
	*bp = b[:0]
	return unsafe.String(unsafe.SliceData(b), len(b)), func() { // b is not modified while in use
		if cap(*bp) <= 1<<20 {
			bufPool.Put(bp)
		}
	}
}

// MatchMode is how texts are folded before brand, lexicon and lure
// matching.
const MatchMode = Squeeze | Confusable

// GetBuf returns a pooled buffer for folded text; PutBuf gives it back.
func GetBuf() *[]byte { return bufPool.Get().(*[]byte) }

// PutBuf returns a buffer from GetBuf to the pool, emptied; buffers grown
// past 1 MiB are dropped.
func PutBuf(bp *[]byte) {
	if cap(*bp) <= 1<<20 {
		*bp = (*bp)[:0]
		bufPool.Put(bp)
	}
}
