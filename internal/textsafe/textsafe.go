// Package textsafe neutralises untrusted text before it reaches a terminal.
//
// Everything inside a message is hostile: a subject can carry escape
// sequences that move the cursor, set the window title or write the
// clipboard (OSC 52), C0/C1 controls, bidirectional overrides that reorder
// what the analyst reads, and zero-width characters that hide text. Clean
// replaces each of these with a visible placeholder such as ‹ESC›, ‹RLO› or
// ‹U+200B›, so the text is both harmless and honest about what it contained.
// Printable text, including wide (CJK) characters and emoji, passes through
// untouched.
//
// All functions are pure, safe for concurrent use, and run in time linear in
// the input. Clean and CleanMultiline return their argument without
// allocating when it needs no change.
package textsafe

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Untrusted is text taken from a message. Its String method returns the
// sanitised single-line form, so formatting it with %s or %v is safe.
type Untrusted string

// String returns Clean(string(u)).
func (u Untrusted) String() string { return Clean(string(u)) }

// Raw returns the text exactly as received. Never print it to a terminal.
func (u Untrusted) Raw() string { return string(u) }

// Kind is a bit set of the classes of unsafe content found by Inspect.
type Kind uint8

// Classes of unsafe content.
const (
	// Escape is an ESC-introduced sequence (CSI, OSC, DCS, SOS, PM, APC or a lone ESC).
	Escape Kind = 1 << iota
	// Control is a C0 control (other than tab and newline), DEL or a C1 control.
	Control
	// Bidi is a bidirectional override, embedding, isolate or mark.
	Bidi
	// Invisible is a zero-width, invisible or format character (ZWSP, BOM,
	// soft hyphen, tag characters, stray variation selectors…).
	Invisible
	// InvalidUTF8 is a byte that is not part of valid UTF-8.
	InvalidUTF8
	// Newline is a line feed or carriage return (unsafe only in single-line text).
	Newline
)

// String lists the classes, e.g. "escape|bidi".
func (k Kind) String() string {
	if k == 0 {
		return "none"
	}
	names := [...]string{"escape", "control", "bidi", "invisible", "invalid-utf8", "newline"}
	var b strings.Builder
	for i, n := range names {
		if k&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteByte('|')
			}
			b.WriteString(n)
		}
	}
	return b.String()
}

// Clean returns s made safe for a single line of a terminal. Escape
// sequences are consumed whole and replaced by ‹CSI›, ‹OSC›, ‹DCS›, ‹SOS›,
// ‹PM›, ‹APC› (or ‹ESC› for any other ESC); C0 controls by their names
// (‹NUL›, ‹BEL›, ‹LF›, ‹CR›…) except tab, which becomes one space; DEL by
// ‹DEL›; C1 controls by ‹U+0080›…‹U+009F›; bidi controls by ‹LRE› ‹RLE›
// ‹PDF› ‹LRO› ‹RLO› ‹LRI› ‹RLI› ‹FSI› ‹PDI› ‹LRM› ‹RLM› ‹ALM›; zero-width and
// invisible characters by ‹ZWSP› ‹ZWNJ› ‹ZWJ› ‹WJ› ‹BOM› ‹SHY› or ‹U+XXXX›;
// each invalid UTF-8 byte by ‹\xNN›.
//
// Legitimate uses of invisible characters are kept: ZWJ inside emoji
// sequences and ZWJ/ZWNJ between letters of Arabic and Indic scripts, tag
// characters in emoji flag sequences. VS15/VS16 directly after a visible
// character are dropped (they only switch text/emoji presentation and make
// the display width terminal-dependent); any other variation selector is
// shown.
func Clean(s string) string {
	i := firstUnsafe(s, false)
	if i < 0 {
		return s
	}
	return clean(s, i, false)
}

// CleanMultiline is Clean for multi-line text: "\n" and "\r\n" are kept as
// "\n", a lone "\r" is shown as ‹CR›, and tabs are expanded to spaces at
// 8-column tab stops.
func CleanMultiline(s string) string {
	i := firstUnsafe(s, true)
	if i < 0 {
		return s
	}
	return clean(s, i, true)
}

// Truncate cleans s and cuts it to at most width display columns, ending
// with "…" when it was cut. Wide characters are never split.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	c := Clean(s)
	if isASCII(c) { // cleaned ASCII is one column per byte
		if len(c) <= width {
			return c
		}
		return c[:width-1] + "…"
	}
	return ansi.Truncate(c, width, "…")
}

// Width returns the display width of a cleaned string.
func Width(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return ansi.StringWidth(s)
}

// Inspect reports which classes of unsafe content s contains. It is the
// check behind "hidden characters in the subject"-style findings and costs
// one pass over s without allocating.
func Inspect(s string) Kind {
	var k Kind
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case b == 0x1b:
				k |= Escape
			case b == '\n' || b == '\r':
				k |= Newline
			case b == '\t':
			case b < 0x20 || b == 0x7f:
				k |= Control
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			k |= InvalidUTF8
			i++
			continue
		}
		if maybeSpecial(r) {
			switch {
			case r >= 0x80 && r <= 0x9f:
				k |= Control
			case bidiName(r) != "":
				k |= Bidi
			default:
				if IsInvisible(r) {
					// Contextual keeps (emoji ZWJ, VS16) are not counted:
					// Clean would keep or silently drop them.
					if !contextOK(s, i, n, r) {
						k |= Invisible
					}
				}
			}
		}
		i += n
	}
	return k
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// firstUnsafe returns the byte offset of the first byte Clean must look at
// more closely, or -1 when s can be returned as is.
func firstUnsafe(s string, multiline bool) int {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b < 0x20 || b == 0x7f {
				if !(multiline && b == '\n') {
					return i
				}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || maybeSpecial(r) {
			return i
		}
		i += n
	}
	return -1
}

// maybeSpecial is a cheap pre-filter: false means r is certainly printable
// and needs no change.
func maybeSpecial(r rune) bool {
	switch {
	case r < 0xa0:
		return r >= 0x80
	case r == 0xad || r == 0x34f || r == 0x61c || r == 0x180e:
		return true
	case r >= 0x600 && r <= 0x6ff:
		return unicode.Is(unicode.Cf, r)
	case r < 0x1100:
		return unicode.Is(unicode.Cf, r)
	case r == 0x115f || r == 0x1160 || r == 0x3164 || r == 0xffa0:
		return true
	case r >= 0x2000 && r <= 0x206f:
		return (r >= 0x200b && r <= 0x200f) || (r >= 0x2028 && r <= 0x202e) || r >= 0x2060
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xfdd0 && r <= 0xfdef:
		return true
	case r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb) || r == 0xfffe || r == 0xffff:
		return true
	case r >= 0x10000:
		return (r >= 0xe0000 && r <= 0xe01ef) || unicode.Is(unicode.Cf, r) || r&0xfffe == 0xfffe
	}
	return false
}

var c0Names = [32]string{
	"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL",
	"BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
	"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
	"CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
}

func bidiName(r rune) string {
	switch r {
	case 0x202a:
		return "LRE"
	case 0x202b:
		return "RLE"
	case 0x202c:
		return "PDF"
	case 0x202d:
		return "LRO"
	case 0x202e:
		return "RLO"
	case 0x2066:
		return "LRI"
	case 0x2067:
		return "RLI"
	case 0x2068:
		return "FSI"
	case 0x2069:
		return "PDI"
	case 0x200e:
		return "LRM"
	case 0x200f:
		return "RLM"
	case 0x061c:
		return "ALM"
	}
	return ""
}

func invisibleName(r rune) string {
	switch r {
	case 0x200b:
		return "ZWSP"
	case 0x200c:
		return "ZWNJ"
	case 0x200d:
		return "ZWJ"
	case 0x2060:
		return "WJ"
	case 0xfeff:
		return "BOM"
	case 0x00ad:
		return "SHY"
	}
	return ""
}

// IsInvisible reports whether r renders as nothing or as a format effect:
// every format character (Unicode Cf: bidi controls, zero-width
// characters, BOM, soft hyphen, tag characters), the line and paragraph
// separators, Hangul fillers, the combining grapheme joiner, the Mongolian
// vowel separator, variation selectors and noncharacters. C0 and C1
// controls are not included. Clean shows such a rune as a placeholder
// (unless its context makes it legitimate); package jsonsafe escapes it.
func IsInvisible(r rune) bool {
	switch {
	case r == 0x2028 || r == 0x2029: // line/paragraph separator
		return true
	case r == 0x115f || r == 0x1160 || r == 0x3164 || r == 0xffa0: // Hangul fillers
		return true
	case r == 0x34f || r == 0x180e:
		return true
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef: // variation selectors
		return true
	case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe: // noncharacters
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// contextOK reports whether the invisible rune r at s[i:i+n] is a
// legitimate part of the surrounding text and may be kept (ZWJ/ZWNJ, tags)
// or silently dropped (VS15/VS16).
func contextOK(s string, i, n int, r rune) bool {
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	next, _ := utf8.DecodeRuneInString(s[i+n:])
	switch {
	case r == 0x200d: // ZWJ
		if prev == 0xfe0f { // emoji presentation selector before ZWJ: look at its base
			_, vn := utf8.DecodeLastRuneInString(s[:i])
			prev, _ = utf8.DecodeLastRuneInString(s[:i-vn])
		}
		return (isEmoji(prev) && isEmoji(next)) || (joiningScript(prev) && joiningScript(next))
	case r == 0x200c: // ZWNJ
		return joiningScript(prev) && joiningScript(next)
	case r == 0xfe0e || r == 0xfe0f:
		return i > 0 && visibleBase(prev)
	case r >= 0xe0020 && r <= 0xe007f: // tags: only in an emoji flag sequence 🏴 + tags
		j := i
		for k := 0; k < 32; k++ {
			p, pn := utf8.DecodeLastRuneInString(s[:j])
			if p == 0x1f3f4 {
				return true
			}
			if p < 0xe0020 || p > 0xe007f {
				return false
			}
			j -= pn
		}
		return false
	}
	return false
}

// visibleBase reports whether a variation selector after r is a plain
// presentation selector on a visible character.
func visibleBase(r rune) bool {
	if r == utf8.RuneError || r <= ' ' || r == 0x7f {
		return false
	}
	return !maybeSpecial(r) || r == 0x200d
}

func isEmoji(r rune) bool {
	return (r >= 0x1f000 && r <= 0x1faff) || (r >= 0x2190 && r <= 0x2bff) ||
		r == 0x00a9 || r == 0x00ae || r == 0x203c || r == 0x2049 || r == 0x2122 || r == 0x2139 ||
		(r >= 0x3030 && r <= 0x303d) || r == 0x3297 || r == 0x3299
}

func joiningScript(r rune) bool {
	if unicode.Is(unicode.Cf, r) {
		return false
	}
	return (r >= 0x600 && r <= 0x6ff) || (r >= 0x750 && r <= 0x77f) || (r >= 0x8a0 && r <= 0x8ff) ||
		(r >= 0x900 && r <= 0xdff) || (r >= 0xfb50 && r <= 0xfdff) || (r >= 0xfe70 && r <= 0xfefe)
}

// clean is the slow path; s[:start] is known to be safe.
func clean(s string, start int, multiline bool) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:start])
	col := 0 // display column since the last newline, for tab expansion
	if multiline {
		if nl := strings.LastIndexByte(s[:start], '\n'); nl >= 0 {
			col = ansi.StringWidth(s[nl+1 : start])
		} else {
			col = ansi.StringWidth(s[:start])
		}
	}
	put := func(name string) {
		b.WriteString("‹")
		b.WriteString(name)
		b.WriteString("›")
		col += len(name) + 2
	}
	for i := start; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == 0x1b:
				name, n := escape(s[i:])
				put(name)
				i += n
				continue
			case c == '\n' && multiline:
				b.WriteByte('\n')
				col = 0
			case c == '\r' && multiline && i+1 < len(s) && s[i+1] == '\n':
				// CRLF: the LF is written on the next iteration.
			case c == '\t':
				if multiline {
					pad := 8 - col%8
					b.WriteString("        "[:pad])
					col += pad
				} else {
					b.WriteByte(' ')
					col++
				}
			case c < 0x20:
				put(c0Names[c])
			case c == 0x7f:
				put("DEL")
			default:
				b.WriteByte(c)
				col++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			put(`\x` + strconv.FormatUint(uint64(c)|0x100, 16)[1:])
			i++
			continue
		}
		if !maybeSpecial(r) {
			b.WriteString(s[i : i+n])
			if multiline {
				col += ansi.StringWidth(s[i : i+n])
			}
			i += n
			continue
		}
		switch {
		case r >= 0x80 && r <= 0x9f:
			put(codePoint(r))
		case bidiName(r) != "":
			put(bidiName(r))
		case IsInvisible(r):
			if contextOK(s, i, n, r) {
				if r != 0xfe0e && r != 0xfe0f {
					b.WriteString(s[i : i+n])
				}
			} else if name := invisibleName(r); name != "" {
				put(name)
			} else {
				put(codePoint(r))
			}
		default:
			b.WriteString(s[i : i+n])
			if multiline {
				col += ansi.StringWidth(s[i : i+n])
			}
		}
		i += n
	}
	return b.String()
}

func codePoint(r rune) string {
	h := strings.ToUpper(strconv.FormatInt(int64(r), 16))
	for len(h) < 4 {
		h = "0" + h
	}
	return "U+" + h
}

// maxStringSeq bounds how far an unterminated OSC/DCS/… string is searched
// for its terminator; past it the introducer alone is replaced, so text after
// a stray ESC ] is never hidden.
const maxStringSeq = 4096

// escape classifies the escape sequence at the start of s (s[0] == ESC) and
// returns its placeholder name and its length in bytes. CSI sequences are
// consumed through their final byte; OSC, DCS, SOS, PM and APC strings
// through their terminator (BEL, ESC \ or the C1 ST), when one follows within
// maxStringSeq bytes. Any other ESC is replaced alone.
func escape(s string) (string, int) {
	if len(s) < 2 {
		return "ESC", 1
	}
	switch s[1] {
	case '[':
		i := 2
		for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f { // parameter bytes
			i++
		}
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f { // intermediate bytes
			i++
		}
		if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e { // final byte
			i++
		}
		return "CSI", i
	case ']':
		return "OSC", stringSeq(s)
	case 'P':
		return "DCS", stringSeq(s)
	case 'X':
		return "SOS", stringSeq(s)
	case '^':
		return "PM", stringSeq(s)
	case '_':
		return "APC", stringSeq(s)
	}
	return "ESC", 1
}

// stringSeq returns the length of the control string at s (ESC + introducer
// + payload + terminator), or 2 when no terminator is found.
func stringSeq(s string) int {
	end := min(len(s), maxStringSeq)
	for i := 2; i < end; i++ {
		switch s[i] {
		case 0x07:
			return i + 1
		case 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // another sequence starts: stop before it
		case 0xc2:
			if i+1 < len(s) && s[i+1] == 0x9c { // U+009C ST
				return i + 2
			}
		}
	}
	return 2
}

// Multiline returns CleanMultiline(string(u)), for text shown over several
// lines (bodies, notes, wrapped header values).
func (u Untrusted) Multiline() string { return CleanMultiline(string(u)) }

// Truncate returns Truncate(string(u), width).
func (u Untrusted) Truncate(width int) string { return Truncate(string(u), width) }
