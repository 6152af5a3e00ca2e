// Package jsonsafe makes JSON output safe to print on a terminal without
// changing what it decodes to.
//
// encoding/json writes most of Unicode raw inside strings: C1 controls such
// as U+009B (a one-character CSI), bidirectional overrides (U+202E),
// zero-width characters and other invisible format characters. That is valid
// JSON, but a consumer such as `jq -r` then prints them to a terminal. A
// Writer sits between an encoder and its destination and rewrites each such
// rune as a \uXXXX escape (a UTF-16 surrogate pair above U+FFFF). Outside
// strings, valid JSON holds only ASCII punctuation, digits, letters and
// white space, so every rune the Writer rewrites is inside a string and the
// decoded value is exactly the same.
package jsonsafe

import (
	"encoding/json"
	"io"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/textsafe"
)

// Writer escapes unsafe runes in the JSON written through it; see
// NeedsEscape. With ASCII set it escapes every non-ASCII rune, so the output
// is 7-bit clean. Bytes that are not valid UTF-8 (encoding/json never writes
// them) pass through unchanged. A rune split across two Write calls is held
// back until the next Write or Flush. A Writer is not safe for concurrent
// use.
type Writer struct {
	w       io.Writer
	ascii   bool
	pending [utf8.UTFMax]byte
	npend   int
	esc     [12]byte // scratch for one escape (a surrogate pair)
}

// NewWriter returns a Writer that writes to w. Call Flush after the last
// Write (it writes nothing when every Write ended on a rune boundary, as
// each json.Encoder.Encode call does).
func NewWriter(w io.Writer, ascii bool) *Writer {
	return &Writer{w: w, ascii: ascii}
}

// NewEncoder returns a json.Encoder that writes through a new Writer, with
// HTML escaping off (our output is never embedded in HTML), and that Writer.
func NewEncoder(w io.Writer, ascii bool) (*json.Encoder, *Writer) {
	jw := NewWriter(w, ascii)
	enc := json.NewEncoder(jw)
	enc.SetEscapeHTML(false)
	return enc, jw
}

// NeedsEscape reports whether r is written as \uXXXX by default: DEL and the
// C1 controls (Unicode Cc; encoding/json already escapes C0), format
// characters (Cf: bidi controls, zero-width space and joiners, soft hyphen,
// BOM, tag characters…), the line and paragraph separators U+2028/U+2029,
// and other characters that render as nothing: Hangul fillers, the
// combining grapheme joiner, variation selectors and noncharacters.
func NeedsEscape(r rune) bool {
	switch {
	case r < 0x7f:
		return r < 0x20
	case r <= 0x9f:
		return true
	case r < 0xad:
		return false
	}
	return textsafe.IsInvisible(r)
}

// Write escapes p into the underlying writer, in pieces: give it a
// buffered writer. It returns len(p) unless the underlying writer fails.
func (jw *Writer) Write(p []byte) (int, error) {
	n := len(p)
	if jw.npend > 0 {
		// Complete the rune held back by the previous Write.
		for len(p) > 0 && jw.npend < utf8.UTFMax && !utf8.FullRune(jw.pending[:jw.npend]) {
			jw.pending[jw.npend] = p[0]
			jw.npend++
			p = p[1:]
		}
		if !utf8.FullRune(jw.pending[:jw.npend]) && jw.npend < utf8.UTFMax {
			return n, nil // p is used up; wait for more
		}
		held := jw.pending[:jw.npend]
		jw.npend = 0
		if err := jw.escape(held, false); err != nil {
			return 0, err
		}
	}
	if err := jw.escape(p, true); err != nil {
		return 0, err
	}
	return n, nil
}

// Flush writes a partial rune held back by Write, unchanged.
func (jw *Writer) Flush() error {
	if jw.npend == 0 {
		return nil
	}
	held := jw.pending[:jw.npend]
	jw.npend = 0
	_, err := jw.w.Write(held)
	return err
}

// escape writes p with unsafe runes escaped. When hold is set, an
// incomplete rune at the end of p is kept in pending instead of written.
func (jw *Writer) escape(p []byte, hold bool) error {
	start := 0
	for i := 0; i < len(p); {
		b := p[i]
		if b < utf8.RuneSelf && b != 0x7f {
			i++
			continue
		}
		if hold && !utf8.FullRune(p[i:]) {
			jw.npend = copy(jw.pending[:], p[i:])
			p = p[:i]
			break
		}
		r, size := utf8.DecodeRune(p[i:])
		if (r == utf8.RuneError && size == 1) || !(jw.ascii || NeedsEscape(r)) {
			i += size
			continue
		}
		if err := jw.write(p[start:i]); err != nil {
			return err
		}
		if err := jw.write(appendEscape(jw.esc[:0], r)); err != nil {
			return err
		}
		i += size
		start = i
	}
	return jw.write(p[start:])
}

func (jw *Writer) write(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	_, err := jw.w.Write(p)
	return err
}

const hexDigits = "0123456789abcdef"

func appendEscape(b []byte, r rune) []byte {
	if r > 0xffff {
		r -= 0x10000
		b = appendU(b, 0xd800+(r>>10))
		return appendU(b, 0xdc00+(r&0x3ff))
	}
	return appendU(b, r)
}

func appendU(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}
