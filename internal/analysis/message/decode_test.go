package message

import (
	"bytes"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/testutil"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

func mustEncode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

// bodyMessage builds a single-part message with the given charset label and
// raw (8-bit) body.
func bodyMessage(ctype, cte string, body []byte) []byte {
	var b bytes.Buffer
	b.WriteString("From: a@example.com\r\nTo: b@example.com\r\nSubject: t\r\nMIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: " + ctype + "\r\n")
	if cte != "" {
		b.WriteString("Content-Transfer-Encoding: " + cte + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

func TestBodyCharsets(t *testing.T) {
	const ja = "お客様のアカウントは24時間以内に停止されます。"
	tests := []struct {
		label string
		enc   encoding.Encoding
		text  string
	}{
		{"ISO-2022-JP", japanese.ISO2022JP, ja},
		{"Shift_JIS", japanese.ShiftJIS, ja},
		{"x-sjis", japanese.ShiftJIS, ja},
		{"cp932", japanese.ShiftJIS, ja},
		{"EUC-JP", japanese.EUCJP, ja},
		{"GB2312", simplifiedchinese.GBK, "您的账户将被暂停"},
		{"GBK", simplifiedchinese.GBK, "您的账户将被暂停"},
		{"GB18030", simplifiedchinese.GB18030, "您的账户将被暂停"},
		{"Big5", traditionalchinese.Big5, "您的帳戶將被暫停"},
		{"EUC-KR", korean.EUCKR, "계정이 정지됩니다"},
		{"ks_c_5601-1987", korean.EUCKR, "계정이 정지됩니다"},
		{"KOI8-R", charmap.KOI8R, "Ваш аккаунт заблокирован"},
		{"windows-1251", charmap.Windows1251, "Ваш аккаунт заблокирован"},
		{"windows-1252", charmap.Windows1252, "Votre compte sera suspendu – été"},
		{"windows-1250", charmap.Windows1250, "Účet bude pozastaven"},
		{"ISO-8859-1", charmap.ISO8859_1, "Müller Straße"},
		{"ISO-8859-15", charmap.ISO8859_15, "Preis 10 €"},
		{"UTF-16", unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "アカウント停止"},
		{"UTF-16LE", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "アカウント停止"},
		{"UTF-8", unicode.UTF8, ja},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			for _, cte := range []string{"8bit", "base64", "quoted-printable"} {
				body := mustEncode(t, tt.enc, tt.text)
				switch cte {
				case "base64":
					body = []byte(testutil.Base64Lines(body))
				case "quoted-printable":
					body = encodeQP(body)
				}
				p := Parse(bodyMessage("text/plain; charset=\""+tt.label+"\"", cte, body), DefaultLimits())
				if len(p.TextParts) != 1 {
					t.Fatalf("%s: TextParts = %+v", cte, p.TextParts)
				}
				if got := strings.TrimSpace(p.TextParts[0].Text); got != tt.text {
					t.Errorf("%s: text = %q, want %q", cte, got, tt.text)
				}
				if len(p.Warnings) > 0 {
					t.Errorf("%s: warnings %q", cte, p.Warnings)
				}
			}
		})
	}
}

func encodeQP(b []byte) []byte {
	var out bytes.Buffer
	col := 0
	for _, c := range b {
		if col > 70 {
			out.WriteString("=\r\n")
			col = 0
		}
		if c >= 0x80 || c == '=' || c < 0x20 {
			out.WriteString("=" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
			col += 3
			continue
		}
		out.WriteByte(c)
		col++
	}
	return out.Bytes()
}

func TestMislabelledCharsets(t *testing.T) {
	const ja = "お客様のアカウントは24時間以内に停止されます。ご確認ください。"
	sjis, _ := japanese.ShiftJIS.NewEncoder().Bytes([]byte(ja))
	eucjp, _ := japanese.EUCJP.NewEncoder().Bytes([]byte(ja))
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("您的账户将被暂停，请立即验证。"))
	tests := []struct {
		name, ctype string
		body        []byte
		want, warn  string
	}{
		{"iso-2022-jp really shift_jis", `text/plain; charset=iso-2022-jp`, sjis, ja, "charset: declared iso-2022-jp, decoded as shift_jis"},
		{"iso-2022-jp really utf-8", `text/plain; charset=iso-2022-jp`, []byte(ja), ja, "charset: declared iso-2022-jp, decoded as utf-8"},
		{"utf-8 really euc-jp", `text/plain; charset=utf-8`, eucjp, ja, "charset: declared utf-8, decoded as euc-jp"},
		{"unknown charset", `text/plain; charset=x-unknown-42`, []byte(ja), ja, `charset: unknown charset "x-unknown-42", decoded as utf-8`},
		{"undeclared 8-bit", `text/plain`, sjis, ja, "charset: undeclared 8-bit text, decoded as shift_jis"},
		{"us-ascii really gb18030", `text/plain; charset=us-ascii`, gb, "您的账户将被暂停，请立即验证。", "charset: declared us-ascii, decoded as gb18030"},
		{"shift_jis really utf-8", `text/plain; charset=shift_jis`, []byte(ja), ja, "charset: declared shift_jis, decoded as utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Parse(bodyMessage(tt.ctype, "8bit", tt.body), DefaultLimits())
			if len(p.TextParts) != 1 || p.TextParts[0].Text != tt.want {
				t.Errorf("TextParts = %+v", p.TextParts)
			}
			if !hasWarning(p, tt.warn) {
				t.Errorf("warnings = %q, want %q", p.Warnings, tt.warn)
			}
		})
	}
}

func TestNoMIMEHeaders(t *testing.T) {
	p := Parse([]byte("From: a@b.test\nSubject: hi\n\nplain body \xe3\x81\x82\n"), DefaultLimits())
	if len(p.TextParts) != 1 || p.TextParts[0].Text != "plain body あ\n" || p.TextParts[0].ContentType != "text/plain" {
		t.Errorf("TextParts = %+v", p.TextParts)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings %q", p.Warnings)
	}
	p = Parse([]byte("just some text without any header\nsecond line\n"), DefaultLimits())
	if len(p.TextParts) != 1 || !strings.HasPrefix(p.TextParts[0].Text, "just some text") || !hasWarning(p, "header: ") {
		t.Errorf("headerless: %+v %q", p.TextParts, p.Warnings)
	}
}

func TestTransferDecoding(t *testing.T) {
	out, bad := decodeBase64Body(nil, []byte("SGVs bG8g\r\n  d29y\tbGQ=\r\n"))
	if string(out) != "Hello world" || bad {
		t.Errorf("base64 = %q %v", out, bad)
	}
	out, bad = decodeBase64Body(nil, []byte("SGVsbG8*gd29ybGQ"))
	if string(out) != "Hello world" || !bad {
		t.Errorf("base64 garbage = %q %v", out, bad)
	}
	out, _ = decodeBase64Body(nil, []byte("SGVsbA"))
	if string(out) != "Hell" {
		t.Errorf("base64 unpadded = %q", out)
	}
	qp := decodeQPBody(nil, []byte("caf=C3=A9 =3d=\r\nsoft=  \nbreak = kept =ZZ end="))
	if string(qp) != "café =softbreak = kept =ZZ end" {
		t.Errorf("qp = %q", qp)
	}
	if got := charset.DecodeUTF7([]byte("J+APw-rgen 1+-1 +ZeVnLIqe-")); got != "Jürgen 1+1 日本語" {
		t.Errorf("utf7 = %q", got)
	}
	if got, _ := decodeHeader("Die Fr\xf6sche"); got != "Die Frösche" {
		t.Errorf("latin-1 header = %q", got)
	}
}
