package message

import (
	"bytes"
	"encoding/base64"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/triage-tools/triage/internal/analysis/charset"
)

// This file holds the transfer decoders used by Parse: RFC 2047 encoded
// words and lenient base64 / quoted-printable bodies. They work on
// in-memory slices, never fail and never panic on hostile input.

// ---- RFC 2047 ----

// wordPool holds decodeHeader's scratch buffers.
var wordPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// decodeHeader decodes RFC 2047 encoded words in an unfolded header value.
// Adjacent encoded words separated only by linear whitespace are joined
// without the whitespace; consecutive words in the same charset are decoded
// together, so a multi-byte character split across words survives.
// Malformed words are kept literally. Raw 8-bit text outside encoded words
// is decoded as UTF-8 when valid, else detected (with a warning).
// The result has surrounding whitespace trimmed. warn is empty or a
// "charset: ..." warning.
func decodeHeader(s string) (out string, warn string) {
	if !strings.Contains(s, "=?") {
		if charset.IsASCII(s) || utf8.ValidString(s) {
			return s, ""
		}
		t, name := charset.Detect(bytesOf(s))
		return t, "charset: undeclared 8-bit header, decoded as " + name
	}
	// A word decodes to at most its text's length, so one buffer holds
	// both the pending bytes and the word being decoded. charset.Decode
	// copies what it returns, so the buffer goes back to the pool.
	bp := wordPool.Get().(*[]byte)
	if cap(*bp) < 2*len(s) {
		*bp = make([]byte, 0, max(2*len(s), 1024))
	}
	defer func() {
		if cap(*bp) <= 64<<10 {
			wordPool.Put(bp)
		}
	}()
	buf := (*bp)[:0]
	var (
		b        strings.Builder
		pending  = buf[:0:len(s)] // decoded bytes of consecutive words in pendCS
		word     = buf[len(s):len(s)]
		pendCS   string
		lastWord bool // the previous token was an encoded word
		closeAt  = -1 // cached index of the next "?=" (amortises the search)
	)
	b.Grow(len(s))
	flush := func() {
		if len(pending) == 0 {
			return
		}
		t, w := charset.Decode(pending, pendCS)
		if w != "" && warn == "" {
			warn = w
		}
		b.WriteString(t)
		pending = pending[:0]
	}
	writeLiteral := func(lit string) {
		if lit == "" {
			return
		}
		flush()
		if !charset.IsASCII(lit) && !utf8.ValidString(lit) {
			t, name := charset.Detect(bytesOf(lit))
			if warn == "" {
				warn = "charset: undeclared 8-bit header, decoded as " + name
			}
			lit = t
		}
		b.WriteString(lit)
	}
	i := 0
	for i < len(s) {
		j := strings.Index(s[i:], "=?")
		if j < 0 {
			writeLiteral(s[i:])
			break
		}
		j += i
		cs, raw, end, ok := parseEncodedWord(s, j, &closeAt, word[:0])
		if !ok {
			writeLiteral(s[i : j+2])
			lastWord = false
			i = j + 2
			continue
		}
		between := s[i:j]
		if !(lastWord && isLWSP(between)) {
			writeLiteral(between)
		}
		if !strings.EqualFold(cs, pendCS) {
			flush()
			pendCS = cs
		}
		pending = append(pending, raw...)
		lastWord = true
		i = end
	}
	flush()
	return strings.TrimSpace(b.String()), warn
}

// bytesOf returns the bytes of s without copying, for callees that only
// read them and keep no reference.
func bytesOf(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

func isLWSP(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	return true
}

// parseEncodedWord parses "=?charset?enc?text?=" at s[i:]. It returns the
// charset (RFC 2231 language suffix removed), the decoded bytes and the
// index after the word; the decoded bytes are appended to dst. *closeAt caches the first "?=" at or after the
// last search start (len(s) when there is none) so that a header full of
// unterminated words costs linear time.
func parseEncodedWord(s string, i int, closeAt *int, dst []byte) (label string, decoded []byte, end int, ok bool) {
	p := i + 2
	q := strings.IndexByte(s[p:], '?')
	if q <= 0 || q > 64 {
		return "", nil, 0, false
	}
	label = s[p : p+q]
	if strings.ContainsAny(label, " \t=") {
		return "", nil, 0, false
	}
	if k := strings.IndexByte(label, '*'); k >= 0 {
		label = label[:k]
	}
	p += q + 1
	if p+2 > len(s) || s[p+1] != '?' {
		return "", nil, 0, false
	}
	encByte := s[p] | 0x20
	if encByte != 'b' && encByte != 'q' {
		return "", nil, 0, false
	}
	p += 2
	if *closeAt < p {
		if e := strings.Index(s[p:], "?="); e >= 0 {
			*closeAt = p + e
		} else {
			*closeAt = len(s)
		}
	}
	if *closeAt >= len(s) {
		return "", nil, 0, false
	}
	text := s[p:*closeAt]
	end = *closeAt + 2
	if encByte == 'b' {
		if decoded, ok = decodeBase64Word(dst, text); !ok {
			return "", nil, 0, false
		}
	} else {
		decoded = decodeQWord(dst, text)
	}
	return label, decoded, end, true
}

// decodeBase64Word decodes the text of a B word, lenient about padding and
// stray whitespace, appending to dst. ok is false when the text is not
// base64.
func decodeBase64Word(dst []byte, t string) (_ []byte, ok bool) {
	if len(t)%4 == 0 {
		// fast path: clean, padded base64
		n0 := len(dst)
		dst = slices.Grow(dst, base64.StdEncoding.DecodedLen(len(t)))
		out := dst[n0 : n0+base64.StdEncoding.DecodedLen(len(t))]
		if n, err := base64.StdEncoding.Decode(out, bytesOf(t)); err == nil {
			return dst[:n0+n], true
		}
	}
	buf := make([]byte, 0, len(t))
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case charset.Base64Value(c) != 0xff:
			buf = append(buf, c)
		case c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n':
		default:
			return nil, false
		}
	}
	if len(buf)%4 == 1 {
		buf = buf[:len(buf)-1]
	}
	n0 := len(dst)
	dst = slices.Grow(dst, base64.RawStdEncoding.DecodedLen(len(buf)))
	out := dst[n0 : n0+base64.RawStdEncoding.DecodedLen(len(buf))]
	n, err := base64.RawStdEncoding.Decode(out, buf)
	if err != nil {
		return nil, false
	}
	return dst[:n0+n], true
}

// decodeQWord decodes the text of a Q word: "_" is a space, "=XX" a byte;
// a malformed escape is kept literally. The bytes are appended to out.
func decodeQWord(out []byte, t string) []byte {
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(t) && unhex(t[i+1]) < 16 && unhex(t[i+2]) < 16:
			out = append(out, unhex(t[i+1])<<4|unhex(t[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0xff
}

// ---- transfer encodings ----

// decodeBase64Body appends the decoding of a base64 body to dst. Bytes
// outside the alphabet (whitespace, garbage) are skipped; decoding stops at
// the first "=" padding; a dangling final group is decoded as far as it goes.
// bad reports whether garbage was skipped.
func decodeBase64Body(dst, src []byte) (out []byte, bad bool) {
	var acc uint32
	n := 0
	out = dst
	if cap(out)-len(out) < len(src)/4*3+3 {
		nb := make([]byte, len(out), len(out)+len(src)/4*3+3)
		copy(nb, out)
		out = nb
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		v := charset.Base64Value(c)
		if v == 0xff {
			switch c {
			case '\r', '\n', ' ', '\t':
				continue
			case '=':
				// Padding: finish the current group; later data (a second
				// concatenated base64 stream) is also decoded.
				out = flushB64(out, acc, n)
				acc, n = 0, 0
				continue
			}
			bad = true
			continue
		}
		acc = acc<<6 | uint32(v)
		n++
		if n == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
	}
	out = flushB64(out, acc, n)
	return out, bad
}

func flushB64(out []byte, acc uint32, n int) []byte {
	switch n {
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return out
}

// decodeQPBody appends the decoding of a quoted-printable body to dst.
// "=XX" (either case) is a byte, "=" before a line break (optionally after
// trailing whitespace) is a soft break; any other "=" is kept literally.
func decodeQPBody(dst, src []byte) []byte {
	out := dst
	if cap(out)-len(out) < len(src) {
		nb := make([]byte, len(out), len(out)+len(src))
		copy(nb, out)
		out = nb
	}
	for len(src) > 0 {
		k := bytes.IndexByte(src, '=')
		if k < 0 {
			out = append(out, src...)
			break
		}
		out = append(out, src[:k]...)
		src = src[k+1:]
		if len(src) >= 2 && unhex(src[0]) < 16 && unhex(src[1]) < 16 {
			out = append(out, unhex(src[0])<<4|unhex(src[1]))
			src = src[2:]
			continue
		}
		// soft line break: "=" [WSP...] (CRLF | LF)
		j := 0
		for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		switch {
		case j < len(src) && src[j] == '\n':
			src = src[j+1:]
		case j+1 < len(src) && src[j] == '\r' && src[j+1] == '\n':
			src = src[j+2:]
		case j == len(src):
			src = src[j:]
		default:
			out = append(out, '=')
		}
	}
	return out
}
