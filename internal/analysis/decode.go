package analysis

import (
	"bytes"
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// This file holds the byte-level decoders used by Parse: charsets (with
// detection of undeclared or mislabelled 8-bit text), RFC 2047 encoded
// words, and lenient base64 / quoted-printable transfer decoding. All of them
// work on in-memory slices, never fail and never panic on hostile input.

// charsetAliases maps charset labels seen in mail that the IANA and WHATWG
// indexes miss or map unhelpfully. A nil value means "UTF-8 / ASCII: no
// conversion needed".
var charsetAliases = map[string]encoding.Encoding{
	"":                 nil,
	"utf-8":            nil,
	"utf8":             nil,
	"us-ascii":         nil,
	"ascii":            nil,
	"x-utf_8j":         nil,
	"ansi_x3.4-1968":   nil,
	"iso-2022-jp":      japanese.ISO2022JP,
	"iso-2022-jp-2":    japanese.ISO2022JP,
	"iso-2022-jp-3":    japanese.ISO2022JP,
	"csiso2022jp":      japanese.ISO2022JP,
	"shift_jis":        japanese.ShiftJIS,
	"shift-jis":        japanese.ShiftJIS,
	"sjis":             japanese.ShiftJIS,
	"x-sjis":           japanese.ShiftJIS,
	"cp932":            japanese.ShiftJIS,
	"ms932":            japanese.ShiftJIS,
	"windows-31j":      japanese.ShiftJIS,
	"csshiftjis":       japanese.ShiftJIS,
	"euc-jp":           japanese.EUCJP,
	"x-euc-jp":         japanese.EUCJP,
	"gb2312":           simplifiedchinese.GBK,
	"gbk":              simplifiedchinese.GBK,
	"cp936":            simplifiedchinese.GBK,
	"x-gbk":            simplifiedchinese.GBK,
	"euc-cn":           simplifiedchinese.GBK,
	"gb18030":          simplifiedchinese.GB18030,
	"hz-gb-2312":       simplifiedchinese.HZGB2312,
	"big5":             traditionalchinese.Big5,
	"big5-hkscs":       traditionalchinese.Big5,
	"x-big5":           traditionalchinese.Big5,
	"cp950":            traditionalchinese.Big5,
	"euc-kr":           korean.EUCKR,
	"ks_c_5601-1987":   korean.EUCKR,
	"ks_c_5601":        korean.EUCKR,
	"ks_c_5601-1989":   korean.EUCKR,
	"cp949":            korean.EUCKR,
	"x-windows-949":    korean.EUCKR,
	"koi8-r":           charmap.KOI8R,
	"koi8-u":           charmap.KOI8U,
	"utf-16":           unicode.UTF16(unicode.BigEndian, unicode.UseBOM),
	"utf-16be":         unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM),
	"utf-16le":         unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM),
	"iso-8859-1":       charmap.Windows1252,
	"latin1":           charmap.Windows1252,
	"iso8859-1":        charmap.Windows1252,
	"windows-1252":     charmap.Windows1252,
	"cp1252":           charmap.Windows1252,
	"iso-8859-15":      charmap.ISO8859_15,
	"windows-1251":     charmap.Windows1251,
	"ansi_x3.110-1983": charmap.ISO8859_1,
}

// lookupCharset resolves a charset label. known is false when the label is
// not recognised; enc is nil for UTF-8 and US-ASCII (and unknown labels).
func lookupCharset(label string) (enc encoding.Encoding, known bool) {
	label = strings.ToLower(strings.Trim(label, " \t\"'"))
	if e, ok := charsetAliases[label]; ok {
		return e, true
	}
	if e, err := htmlindex.Get(label); err == nil && e != nil {
		if e == encoding.Replacement {
			return nil, false
		}
		return e, true
	}
	if e, err := ianaindex.MIME.Encoding(label); err == nil && e != nil {
		return e, true
	}
	if e, err := ianaindex.MIME.Encoding("cs" + label); err == nil && e != nil {
		return e, true
	}
	return nil, false
}

// isASCII reports whether b has no byte ≥ 0x80.
func isASCII[T string | []byte](b T) bool {
	for i := 0; i < len(b); i++ {
		if b[i] >= 0x80 {
			return false
		}
	}
	return true
}

// decodeCharset converts b, declared to be in charset label, to UTF-8.
// It returns the text and, when the declaration could not be honoured, a
// "charset: ..." warning.
// Text that is not valid in its declared charset (ISO-2022-JP with 8-bit
// bytes, UTF-8 that is not, unknown labels) is decoded with detectDecode.
func decodeCharset(b []byte, label string) (text string, warning string) {
	enc, known := lookupCharset(label)
	lname := strings.ToLower(strings.Trim(label, " \t\"'"))
	if !known && isUTF7(lname) {
		return decodeUTF7(b), ""
	}
	if !known {
		t, name := detectDecode(b)
		return t, "charset: unknown charset " + quoteShort(label) + ", decoded as " + name
	}
	if enc == nil { // UTF-8 or ASCII
		if utf8.Valid(b) {
			return string(b), ""
		}
		t, name := detectDecode(b)
		if lname == "" {
			return t, "charset: undeclared 8-bit text, decoded as " + name
		}
		return t, "charset: declared " + lname + ", decoded as " + name
	}
	if enc == japanese.ISO2022JP && !isASCII(b) {
		// 7-bit charset carrying 8-bit bytes: really Shift_JIS, EUC-JP or UTF-8.
		t, name := detectDecode(b)
		return t, "charset: declared " + lname + ", decoded as " + name
	}
	if isASCII(b) && isASCIICompatible(enc) {
		return string(b), ""
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		t, name := detectDecode(b)
		return t, "charset: declared " + lname + " but invalid, decoded as " + name
	}
	if isMultiByteCJK(enc) && bytes.Count(out, replacementUTF8) > 0 {
		// Mislabelled CJK is common; prefer a decoding without errors.
		if t, name := detectDecode(b); !strings.ContainsRune(t, utf8.RuneError) {
			return t, "charset: declared " + lname + ", decoded as " + name
		}
	}
	return string(out), ""
}

var replacementUTF8 = []byte("\uFFFD")

// isASCIICompatible reports whether pure ASCII input decodes to itself.
func isASCIICompatible(enc encoding.Encoding) bool {
	if _, ok := enc.(*charmap.Charmap); ok {
		return true
	}
	switch enc {
	case japanese.ShiftJIS, japanese.EUCJP, simplifiedchinese.GBK,
		simplifiedchinese.GB18030, traditionalchinese.Big5, korean.EUCKR:
		return true
	}
	return false
}

func isMultiByteCJK(enc encoding.Encoding) bool {
	switch enc {
	case japanese.ShiftJIS, japanese.EUCJP, simplifiedchinese.GBK,
		simplifiedchinese.GB18030, traditionalchinese.Big5, korean.EUCKR:
		return true
	}
	return false
}

// detectDecode decodes 8-bit text of unknown charset: UTF-8 when valid,
// else the best of Shift_JIS, EUC-JP, GB18030, EUC-KR, Big5 (fewest
// replacement characters, most plausible CJK), else windows-1252. It
// returns the text and the name of the charset used.
func detectDecode(b []byte) (string, string) {
	if utf8.Valid(b) {
		return string(b), "utf-8"
	}
	if bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff}) {
		if out, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(b); err == nil {
			return string(out), "utf-16"
		}
	}
	if bytes.IndexByte(b, 0x1b) >= 0 && isASCII(b) {
		if out, err := japanese.ISO2022JP.NewDecoder().Bytes(b); err == nil {
			return string(out), "iso-2022-jp"
		}
	}
	type cand struct {
		name string
		enc  encoding.Encoding
	}
	latin, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	latinScore := scoreLatin(b)
	cands := [...]cand{
		{"shift_jis", japanese.ShiftJIS},
		{"euc-jp", japanese.EUCJP},
		{"gb18030", simplifiedchinese.GB18030},
		{"euc-kr", korean.EUCKR},
		{"big5", traditionalchinese.Big5},
	}
	bestScore := -1 << 30
	var best []byte
	bestName := ""
	for _, c := range cands {
		out, err := c.enc.NewDecoder().Bytes(b)
		if err != nil {
			continue
		}
		s := scoreCJK(out, c.name)
		if s > bestScore {
			bestScore, best, bestName = s, out, c.name
		}
	}
	if best != nil && bestScore > 0 && bestScore >= latinScore {
		return string(best), bestName
	}
	return string(latin), "windows-1252"
}

// scoreLatin rates b read as windows-1252: accented letters next to ASCII
// letters (as in "Müller") score, C1 symbols and runs of high bytes cost.
func scoreLatin(b []byte) int {
	score := 0
	isLetter := func(i int) bool {
		if i < 0 || i >= len(b) {
			return false
		}
		c := b[i] | 0x20
		return c >= 'a' && c <= 'z'
	}
	for i, c := range b {
		if c < 0x80 {
			continue
		}
		switch {
		case c >= 0xc0 && c != 0xd7 && c != 0xf7:
			if isLetter(i-1) || isLetter(i+1) {
				score += 3
			} else {
				score--
			}
		case c == 0xa0 || c == 0xa9 || c == 0xae || c == 0xb0 || c == 0x80 || c == 0x92 || c == 0x93 || c == 0x94 || c == 0x96:
			// nbsp, ©, ®, °, €, smart quotes, dash
			score++
		default:
			score -= 3
		}
	}
	return score
}

func isUTF7(label string) bool {
	switch label {
	case "utf-7", "utf7", "unicode-1-1-utf-7", "x-unicode-1-1-utf-7", "csunicode11utf7", "x-utf-7":
		return true
	}
	return false
}

// decodeUTF7 decodes RFC 2152 UTF-7: "+" base64(UTF-16BE) "-", "+-" is "+".
// Malformed shifts are kept literally.
func decodeUTF7(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '+' {
			sb.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(b) && b64val[b[j]] != 0xff {
			j++
		}
		if j == i+1 {
			if j < len(b) && b[j] == '-' {
				sb.WriteByte('+')
				i = j
			} else {
				sb.WriteByte('+')
			}
			continue
		}
		// decode bits into UTF-16 units
		var acc uint32
		bits := 0
		var units []uint16
		for _, d := range b[i+1 : j] {
			acc = acc<<6 | uint32(b64val[d])
			bits += 6
			if bits >= 16 {
				bits -= 16
				units = append(units, uint16(acc>>uint(bits)))
			}
		}
		for k := 0; k < len(units); k++ {
			u := rune(units[k])
			if u >= 0xd800 && u < 0xdc00 && k+1 < len(units) && units[k+1] >= 0xdc00 && units[k+1] < 0xe000 {
				u = 0x10000 + (u-0xd800)<<10 + rune(units[k+1]-0xdc00)
				k++
			}
			sb.WriteRune(u)
		}
		i = j - 1
		if j < len(b) && b[j] == '-' {
			i = j
		}
	}
	return sb.String()
}

// scoreCJK rates how plausible a decoding is: common CJK characters and
// kana score, replacement characters, half-width katakana (typical of EUC
// read as Shift_JIS), private-use and rare ranges cost.
func scoreCJK(s []byte, name string) int {
	score := 0
	for i := 0; i < len(s); {
		if s[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		i += n
		switch {
		case r == utf8.RuneError:
			score -= 20
		case r >= 0x3040 && r <= 0x30ff: // hiragana, katakana
			score += 3
			if name == "shift_jis" || name == "euc-jp" {
				score++
			}
		case r >= 0x3000 && r <= 0x303f, r >= 0xff01 && r <= 0xff5e: // CJK punctuation, full-width ASCII
			score += 2
		case r >= 0x4e00 && r <= 0x9fff: // CJK unified ideographs
			score += 2
		case r >= 0xac00 && r <= 0xd7a3: // Hangul
			score += 2
		case r >= 0xff61 && r <= 0xff9f: // half-width katakana
			score -= 2
		case r >= 0xe000 && r <= 0xf8ff, r >= 0x3400 && r <= 0x4dbf, r >= 0x20000:
			score -= 4
		default:
			score--
		}
	}
	return score
}

// quoteShort quotes s for a warning, bounded to 64 bytes.
func quoteShort(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return strings.ToValidUTF8(strconvQuote(s), "?")
}

func strconvQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			b.WriteString("\\x")
			b.WriteByte("0123456789abcdef"[c>>4])
			b.WriteByte("0123456789abcdef"[c&15])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// ---- RFC 2047 ----

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
		if isASCII(s) || utf8.ValidString(s) {
			return s, ""
		}
		t, name := detectDecode([]byte(s))
		return t, "charset: undeclared 8-bit header, decoded as " + name
	}
	var (
		b        strings.Builder
		pending  []byte // decoded bytes of consecutive words in pendCS
		pendCS   string
		lastWord bool // the previous token was an encoded word
		closeAt  = -1 // cached index of the next "?=" (amortises the search)
	)
	b.Grow(len(s))
	flush := func() {
		if len(pending) == 0 {
			return
		}
		t, w := decodeCharset(pending, pendCS)
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
		if !isASCII(lit) && !utf8.ValidString(lit) {
			t, name := detectDecode([]byte(lit))
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
		cs, raw, end, ok := parseEncodedWord(s, j, &closeAt)
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
// index after the word. *closeAt caches the first "?=" at or after the
// last search start (len(s) when there is none) so that a header full of
// unterminated words costs linear time.
func parseEncodedWord(s string, i int, closeAt *int) (charset string, decoded []byte, end int, ok bool) {
	p := i + 2
	q := strings.IndexByte(s[p:], '?')
	if q <= 0 || q > 64 {
		return "", nil, 0, false
	}
	charset = s[p : p+q]
	if strings.ContainsAny(charset, " \t=") {
		return "", nil, 0, false
	}
	if k := strings.IndexByte(charset, '*'); k >= 0 {
		charset = charset[:k]
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
		decoded = decodeBase64Word(text)
		if decoded == nil && text != "" {
			return "", nil, 0, false
		}
	} else {
		decoded = decodeQWord(text)
	}
	return charset, decoded, end, true
}

// decodeBase64Word decodes the text of a B word, lenient about padding and
// stray whitespace. It returns nil when the text is not base64.
func decodeBase64Word(t string) []byte {
	if len(t)%4 == 0 {
		// fast path: clean, padded base64
		out := make([]byte, base64.StdEncoding.DecodedLen(len(t)))
		if n, err := base64.StdEncoding.Decode(out, []byte(t)); err == nil {
			return out[:n]
		}
	}
	buf := make([]byte, 0, len(t))
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case b64val[c] != 0xff:
			buf = append(buf, c)
		case c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n':
		default:
			return nil
		}
	}
	if len(buf)%4 == 1 {
		buf = buf[:len(buf)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(buf)))
	n, err := base64.RawStdEncoding.Decode(out, buf)
	if err != nil {
		return nil
	}
	return out[:n]
}

// decodeQWord decodes the text of a Q word: "_" is a space, "=XX" a byte;
// a malformed escape is kept literally.
func decodeQWord(t string) []byte {
	out := make([]byte, 0, len(t))
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

// b64val maps a byte to its base64 value, 0xff when not in the alphabet.
var b64val = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alpha); i++ {
		t[alpha[i]] = byte(i)
	}
	return t
}()

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
		v := b64val[c]
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
