// Package charset decodes text in the charsets seen in mail to UTF-8:
// declared labels (IANA, WHATWG and common aliases), detection of
// undeclared or mislabelled 8-bit text, and UTF-7. It works on in-memory
// slices, never fails and never panics on hostile input.
package charset

import (
	"bytes"
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

// Lookup resolves a charset label. known is false when the label is
// not recognised; enc is nil for UTF-8 and US-ASCII (and unknown labels).
func Lookup(label string) (enc encoding.Encoding, known bool) {
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

// IsASCII reports whether b has no byte ≥ 0x80.
func IsASCII[T string | []byte](b T) bool {
	for i := 0; i < len(b); i++ {
		if b[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Decode converts b, declared to be in charset label, to UTF-8.
// It returns the text and, when the declaration could not be honoured, a
// "charset: ..." warning.
// Text that is not valid in its declared charset (ISO-2022-JP with 8-bit
// bytes, UTF-8 that is not, unknown labels) is decoded with Detect.
func Decode(b []byte, label string) (text string, warning string) {
	enc, known := Lookup(label)
	lname := strings.ToLower(strings.Trim(label, " \t\"'"))
	if !known && isUTF7(lname) {
		return DecodeUTF7(b), ""
	}
	if !known {
		t, name := Detect(b)
		return t, "charset: unknown charset " + Quote(label) + ", decoded as " + name
	}
	if enc == nil { // UTF-8 or ASCII
		if utf8.Valid(b) {
			return string(b), ""
		}
		t, name := Detect(b)
		if lname == "" {
			return t, "charset: undeclared 8-bit text, decoded as " + name
		}
		return t, "charset: declared " + lname + ", decoded as " + name
	}
	if enc == japanese.ISO2022JP && !IsASCII(b) {
		// 7-bit charset carrying 8-bit bytes: really Shift_JIS, EUC-JP or UTF-8.
		t, name := Detect(b)
		return t, "charset: declared " + lname + ", decoded as " + name
	}
	if IsASCII(b) && isASCIICompatible(enc) {
		return string(b), ""
	}
	bp := getScratch()
	defer putScratch(bp)
	out, err := decodeInto(bp, enc, b)
	if err != nil {
		t, name := Detect(b)
		return t, "charset: declared " + lname + " but invalid, decoded as " + name
	}
	if isMultiByteCJK(enc) && bytes.Count(out, replacementUTF8) > 0 {
		// Mislabelled CJK is common; prefer a decoding without errors.
		if t, name := Detect(b); !strings.ContainsRune(t, utf8.RuneError) {
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

// Detect decodes 8-bit text of unknown charset: UTF-8 when valid,
// else the best of Shift_JIS, EUC-JP, GB18030, EUC-KR, Big5 (fewest
// replacement characters, most plausible CJK), else windows-1252. It
// returns the text and the name of the charset used.
func Detect(b []byte) (string, string) {
	if utf8.Valid(b) {
		return string(b), "utf-8"
	}
	if bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff}) {
		if out, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(b); err == nil {
			return string(out), "utf-16"
		}
	}
	if bytes.IndexByte(b, 0x1b) >= 0 && IsASCII(b) {
		if out, err := japanese.ISO2022JP.NewDecoder().Bytes(b); err == nil {
			return string(out), "iso-2022-jp"
		}
	}
	type cand struct {
		name string
		enc  encoding.Encoding
	}
	latinScore := scoreLatin(b)
	cands := [...]cand{
		{"shift_jis", japanese.ShiftJIS},
		{"euc-jp", japanese.EUCJP},
		{"gb18030", simplifiedchinese.GB18030},
		{"euc-kr", korean.EUCKR},
		{"big5", traditionalchinese.Big5},
	}
	bestScore := -1 << 30
	var best []byte // in *bst
	found := false
	bestName := ""
	cur, bst := getScratch(), getScratch()
	defer func() { putScratch(cur); putScratch(bst) }()
	for _, c := range cands {
		out, err := decodeInto(cur, c.enc, b)
		if err != nil {
			continue
		}
		s := scoreCJK(out, c.name)
		if s > bestScore {
			bestScore, best, bestName, found = s, out, c.name, true
			cur, bst = bst, cur
		}
	}
	if found && bestScore > 0 && bestScore >= latinScore {
		return string(best), bestName
	}
	latin, err := decodeInto(cur, charmap.Windows1252, b)
	if err != nil {
		latin = nil
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

// DecodeUTF7 decodes RFC 2152 UTF-7: "+" base64(UTF-16BE) "-", "+-" is "+".
// Malformed shifts are kept literally.
func DecodeUTF7(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '+' {
			sb.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(b) && b64[b[j]] != 0xff {
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
			acc = acc<<6 | uint32(b64[d])
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

// TruncUTF8 cuts s to at most max bytes on a rune boundary.
func TruncUTF8(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// Quote quotes s for a warning, bounded to 64 bytes.
func Quote(s string) string {
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

// b64 maps a byte to its base64 value, 0xff when not in the alphabet.
var b64 = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alpha); i++ {
		t[alpha[i]] = byte(i)
	}
	return t
}()

// Base64Value returns the value of c in the standard base64 alphabet, or
// 0xff when c is not in it.
func Base64Value(c byte) byte { return b64[c] }
