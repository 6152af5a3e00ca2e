package message

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis/date"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/internal/testutil"
)

func hasWarning(p *Parsed, prefix string) bool {
	for _, w := range p.Warnings {
		if strings.HasPrefix(w, prefix) {
			return true
		}
	}
	return false
}

func checkKagoya(t *testing.T, p *Parsed, host string) {
	t.Helper()
	if got, want := p.Summary.From.Name, "Active! mail – カゴヤ・ジャパン株式会社"; got != want {
		t.Errorf("From.Name = %q, want %q", got, want)
	}
	if !strings.HasSuffix(p.Summary.From.Address, "@kagoya.jp") {
		t.Errorf("From.Address = %q", p.Summary.From.Address)
	}
	if !strings.HasPrefix(p.Summary.Subject, "【重要なお知らせ】") {
		t.Errorf("Subject = %q", p.Summary.Subject)
	}
	if !strings.HasSuffix(p.Summary.MessageID, "@localhost.localdomain") {
		t.Errorf("MessageID = %q", p.Summary.MessageID)
	}
	if p.Summary.ReturnPath != p.Summary.From.Address {
		t.Errorf("ReturnPath = %q", p.Summary.ReturnPath)
	}
	if len(p.Summary.To) != 1 || p.Summary.To[0].Address != "admin@example.com" {
		t.Errorf("To = %+v", p.Summary.To)
	}
	if p.Summary.Date.IsZero() {
		t.Errorf("Date not parsed")
	}
	if len(p.TextParts) != 1 || !strings.Contains(p.TextParts[0].Text, "24時間以内") {
		t.Fatalf("TextParts = %+v", p.TextParts)
	}
	if p.TextParts[0].Charset != "iso-2022-jp" {
		t.Errorf("Charset = %q", p.TextParts[0].Charset)
	}
	if len(p.HTMLParts) != 1 || !strings.Contains(p.HTMLParts[0].Text, host) {
		t.Errorf("HTMLParts = %+v", p.HTMLParts)
	}
	if len(p.Attachments) != 0 {
		t.Errorf("Attachments = %+v", p.Attachments)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("Warnings = %q", p.Warnings)
	}
	var sawSubject bool
	for _, h := range p.Headers {
		if h.Key == "Subject" {
			sawSubject = true
			if strings.ContainsAny(h.Value, "\r\n") || !strings.HasPrefix(h.Value, "=?utf-8?b?") || h.Decoded != p.Summary.Subject {
				t.Errorf("Subject field = %+v", h)
			}
		}
	}
	if !sawSubject {
		t.Error("no Subject in Headers")
	}
}

func TestParseKagoyaFixture(t *testing.T) {
	p := Parse(testutil.ReadFile(t, "testdata/parse/kagoya-like.eml"), DefaultLimits())
	checkKagoya(t, p, "198-51-100-7.example-host.test")
	if want := time.Date(2022, 3, 14, 0, 11, 58, 0, time.UTC); !p.Summary.Date.Equal(want) {
		t.Errorf("Date = %v", p.Summary.Date)
	}
	if len(p.Headers) != 9 || p.Headers[0].Key != "Return-Path" {
		t.Errorf("Headers: %d fields, first %+v", len(p.Headers), p.Headers[0])
	}
}

func TestParseKagoyaSeed(t *testing.T) {
	p := Parse(testutil.ReadFile(t, devdata.Dir(t, "fixtures", "seed", "kagoya-activemail.eml")), DefaultLimits())
	checkKagoya(t, p, "34-227-30-224.cprapid.com")
}

func TestDecodeHeader(t *testing.T) {
	tests := []struct {
		name, in, want string
		warn           bool
	}{
		{"plain", "Hello world", "Hello world", false},
		{"b utf8", "=?UTF-8?B?5qCq5byP5Lya56S+?=", "株式会社", false},
		{"adjacent join", "=?UTF-8?B?5qCq5byP?= =?UTF-8?B?5Lya56S+?=", "株式会社", false},
		{"adjacent across fold", "=?UTF-8?B?5qCq5byP?=\t =?UTF-8?B?5Lya56S+?=", "株式会社", false},
		{"split multibyte char", "=?UTF-8?B?5qCq5Q==?= =?UTF-8?B?vI8=?=", "株式", false},
		{"middle of text", "Re: =?utf-8?q?caf=C3=A9?= now", "Re: café now", false},
		{"q underscore", "=?ISO-8859-1?Q?a_b?=", "a b", false},
		{"lowercase b", "=?utf-8?b?w6k=?=", "é", false},
		{"lowercase q", "=?iso-8859-1?q?caf=E9?=", "café", false},
		{"space kept between word and text", "=?utf-8?q?a?= b =?utf-8?q?c?=", "a b c", false},
		{"mixed charsets joined", "=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?b?=", "ab", false},
		{"iso-2022-jp", "=?ISO-2022-JP?B?GyRCJTUhPCVTJTkbKEI=?=", "サービス", false},
		{"shift_jis", "=?Shift_JIS?B?g1SBW4Nyg1g=?=", "サービス", false},
		{"gb2312", "=?gb2312?B?1tDOxA==?=", "中文", false},
		{"ks_c_5601", "=?ks_c_5601-1987?B?x9GxuQ==?=", "한국", false},
		{"malformed kept", "=?utf-8?x?abc?= tail", "=?utf-8?x?abc?= tail", false},
		{"unterminated kept", "=?utf-8?q?abc", "=?utf-8?q?abc", false},
		{"bad base64 kept", "=?utf-8?b?!!!?=", "=?utf-8?b?!!!?=", false},
		{"raw utf8", "重要なお知らせ", "重要なお知らせ", false},
		{"raw shift_jis", "\x83\x54\x81\x5b\x83\x72\x83\x58\x82\xcc\x82\xb2\x88\xc4\x93\xe0", "サービスのご案内", true},
		{"unknown charset", "=?x-bogus?q?abc?=", "abc", true},
		{"rfc2231 language", "=?utf-8*ja?b?5qCq?=", "株", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warn := decodeHeader(tt.in)
			if got != tt.want {
				t.Errorf("decodeHeader(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if (warn != "") != tt.warn {
				t.Errorf("warning = %q, want warning %v", warn, tt.warn)
			}
			if warn != "" && !strings.HasPrefix(warn, "charset: ") {
				t.Errorf("warning prefix: %q", warn)
			}
		})
	}
}

func TestParseAddressList(t *testing.T) {
	tests := []struct {
		in   string
		want []report.Address
	}{
		{"John Doe <jdoe@example.com>", []report.Address{{Name: "John Doe", Address: "jdoe@example.com"}}},
		{"jdoe@example.com", []report.Address{{Name: "", Address: "jdoe@example.com"}}},
		{"<jdoe@example.com>", []report.Address{{Name: "", Address: "jdoe@example.com"}}},
		{"jdoe@example.com (John Doe)", []report.Address{{Name: "John Doe", Address: "jdoe@example.com"}}},
		{`"Doe, John" <j@x.test>, b@y.test`, []report.Address{{Name: "Doe, John", Address: "j@x.test"}, {Name: "", Address: "b@y.test"}}},
		{`"=?UTF-8?B?5qCq5byP?= =?UTF-8?B?5Lya56S+?=" <a@b.test>`, []report.Address{{Name: "株式会社", Address: "a@b.test"}}},
		{`=?UTF-8?B?5qCq5byP?= =?UTF-8?B?5Lya56S+?= <a@b.test>`, []report.Address{{Name: "株式会社", Address: "a@b.test"}}},
		{"Group: a@b.test, C <c@d.test>;", []report.Address{{Name: "", Address: "a@b.test"}, {Name: "C", Address: "c@d.test"}}},
		{"undisclosed-recipients:;", nil},
		{"Broken <a@b.test", []report.Address{{Name: "Broken", Address: "a@b.test"}}},
		{`"Unterminated <a@b.test>`, []report.Address{{Name: "Unterminated", Address: "a@b.test"}}},
		{"a@b.test,,c@d.test", []report.Address{{Name: "", Address: "a@b.test"}, {Name: "", Address: "c@d.test"}}},
		{"Name a@b.test", []report.Address{{Name: "Name", Address: "a@b.test"}}},
		{`"Giant; \"Big\" Box" <sys@example.net>`, []report.Address{{Name: `Giant; Big Box`, Address: "sys@example.net"}}},
		{"重要 <a@b.test>", []report.Address{{Name: "重要", Address: "a@b.test"}}},
	}
	for _, tt := range tests {
		got, _ := parseAddressList(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("parseAddressList(%q) = %+v, want %+v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("parseAddressList(%q)[%d] = %+v, want %+v", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}

func TestParseParams(t *testing.T) {
	tests := []struct {
		in, key, want string
	}{
		{`; filename="a b.pdf"`, "filename", "a b.pdf"},
		{`; filename=a.pdf`, "filename", "a.pdf"},
		{`; FileName="x.pdf"; size=3`, "filename", "x.pdf"},
		{`; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf`, "filename", "請求書.pdf"},
		{`; filename*0*=UTF-8''%E8%AB%8B; filename*1*=%E6%B1%82; filename*2="書.pdf"`, "filename", "請求書.pdf"},
		{`; filename*=iso-2022-jp''%1B%24B%40A5a%3Dq%1B%28B.pdf`, "filename", "請求書.pdf"},
		{`; filename*=shift_jis'ja'%90%BF%8B%81%8F%91.pdf`, "filename", "請求書.pdf"},
		{`; filename*1="b.pdf"; filename*0="a"`, "filename", "ab.pdf"},
		{`; name="x"; name*=utf-8''y`, "name", "y"},
		{`; boundary=----=_Part_1`, "boundary", "----=_Part_1"},
		{`;; charset = "utf-8" ; junk; format=flowed`, "charset", "utf-8"},
	}
	for _, tt := range tests {
		got := parseParams(tt.in)[tt.key]
		if got != tt.want {
			t.Errorf("parseParams(%q)[%q] = %q, want %q", tt.in, tt.key, got, tt.want)
		}
	}
}

// TestParseCorpusNoPanic parses every file under corpus/mime and checks
// the basic invariants of the result.
func TestParseCorpusNoPanic(t *testing.T) {
	root := devdata.Dir(t, "corpus", "mime")
	n := 0
	devdata.EachFile(t, root, "", func(path string, raw []byte) {
		p := Parse(raw, DefaultLimits())
		n++
		for _, w := range p.Warnings {
			if strings.HasPrefix(w, "parse: internal error") {
				t.Errorf("%s: %s", path, w)
			}
		}
	})
	t.Logf("parsed %d files", n)
}

type stalwartAddr struct {
	Name    *string `json:"name"`
	Address *string `json:"address"`
}

type stalwartMsg struct {
	Parts []struct {
		Headers []struct {
			Name  json.RawMessage `json:"name"` // a string or {"other": name}
			Value json.RawMessage `json:"value"`
		} `json:"headers"`
	} `json:"parts"`
}

func (a stalwartAddr) toAddress() report.Address {
	var out report.Address
	if a.Name != nil {
		out.Name = *a.Name
	}
	if a.Address != nil {
		out.Address = *a.Address
	}
	return out
}

// TestParseStalwartExpectations compares the decoded Subject, From and To
// of the stalwart mail-parser sample messages with its expected output.
func TestParseStalwartExpectations(t *testing.T) {
	base := devdata.Dir(t, "corpus", "mime", "stalwart_mail_parser")
	files, _ := filepath.Glob(filepath.Join(base, "*", "*.eml"))
	if len(files) == 0 {
		t.Skip("no stalwart samples")
	}
	total, ok := 0, 0
	for _, f := range files {
		js, err := os.ReadFile(strings.TrimSuffix(f, ".eml") + ".json")
		if err != nil {
			continue
		}
		var exp stalwartMsg
		if err := json.Unmarshal(js, &exp); err != nil || len(exp.Parts) == 0 {
			continue
		}
		p := Parse(testutil.ReadFile(t, f), DefaultLimits())
		rel, _ := filepath.Rel(base, f)
		seen := map[string]bool{}
		for _, h := range exp.Parts[0].Headers {
			var name string
			if json.Unmarshal(h.Name, &name) != nil || seen[name] {
				continue
			}
			seen[name] = true
			switch name {
			case "subject":
				var v struct{ Text *string }
				if json.Unmarshal(h.Value, &v) != nil || v.Text == nil {
					continue
				}
				total++
				if sameText(p.Summary.Subject, *v.Text) {
					ok++
				} else {
					t.Logf("miss %s subject: got %q want %q", rel, p.Summary.Subject, *v.Text)
				}
			case "from", "to":
				var v struct {
					Address struct{ List []stalwartAddr }
				}
				if json.Unmarshal(h.Value, &v) != nil || v.Address.List == nil {
					continue
				}
				var want []report.Address
				for _, a := range v.Address.List {
					want = append(want, a.toAddress())
				}
				got := p.Summary.To
				if name == "from" {
					got = []report.Address{p.Summary.From}
					want = want[:1]
				}
				total++
				if addrListEqual(got, want) {
					ok++
				} else {
					t.Logf("miss %s %s: got %+v want %+v", rel, name, got, want)
				}
			}
		}
	}
	rate := float64(ok) / float64(total)
	t.Logf("stalwart header match: %d/%d = %.1f%%", ok, total, 100*rate)
	if rate < 0.95 {
		t.Errorf("match rate %.1f%% < 95%%", 100*rate)
	}
}

func addrListEqual(a, b []report.Address) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameText(a[i].Name, b[i].Name) ||
			!strings.EqualFold(a[i].Address, b[i].Address) {
			return false
		}
	}
	return true
}

func readVectors(t *testing.T, name string, v any) {
	t.Helper()
	testutil.LoadJSON(t, devdata.Dir(t, "corpus", "mime", "stalwart_mail_parser", "header-vectors", name), v)
}

// vectorValue unfolds a raw header vector the way readHeader does and
// drops a following field (some vectors include the next header line).
func vectorValue(h string) string {
	h = strings.ReplaceAll(h, "\r\n", "\n")
	lines := strings.Split(h, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 && (l == "" || (l[0] != ' ' && l[0] != '\t')) {
			break
		}
		b.WriteString(l)
	}
	return strings.TrimSpace(b.String())
}

func TestStalwartUnstructuredVectors(t *testing.T) {
	var vecs []struct{ Header, Expected string }
	readVectors(t, "unstructured.json", &vecs)
	ok := 0
	for _, v := range vecs {
		got, _ := decodeHeader(vectorValue(v.Header))
		if collapseWS(got) == collapseWS(v.Expected) {
			ok++
		} else {
			t.Logf("miss %q: got %q want %q", v.Header, got, v.Expected)
		}
	}
	checkVectorRate(t, "unstructured (RFC 2047)", ok, len(vecs), 9)
}

// checkVectorRate logs how many of n vectors of a kind passed and fails
// t when fewer than tenths/10 of them did.
func checkVectorRate(t *testing.T, kind string, ok, n, tenths int) {
	t.Helper()
	t.Logf("%s vectors: %d/%d", kind, ok, n)
	if ok*10 < n*tenths {
		t.Errorf("rate below %d0%%", tenths)
	}
}

func TestStalwartAddressVectors(t *testing.T) {
	var vecs []struct {
		Header   string
		Expected struct {
			List  []stalwartAddr
			Group []struct {
				Name      *string
				Addresses []stalwartAddr
			}
		}
	}
	readVectors(t, "address.json", &vecs)
	ok := 0
	for _, v := range vecs {
		var want []report.Address
		for _, a := range v.Expected.List {
			want = append(want, a.toAddress())
		}
		for _, g := range v.Expected.Group {
			for _, a := range g.Addresses {
				want = append(want, a.toAddress())
			}
		}
		got, _ := parseAddressList(vectorValue(v.Header))
		if addrListEqual(got, want) {
			ok++
		} else {
			t.Logf("miss %q: got %+v want %+v", v.Header, got, want)
		}
	}
	checkVectorRate(t, "address", ok, len(vecs), 8)
}

func TestStalwartDateVectors(t *testing.T) {
	var vecs []struct {
		Header   string
		Expected *struct {
			Year, Month, Day, Hour, Minute, Second int
			TzBeforeGMT                            bool `json:"tz_before_gmt"`
			TzHour                                 int  `json:"tz_hour"`
			TzMinute                               int  `json:"tz_minute"`
		}
	}
	readVectors(t, "date.json", &vecs)
	ok := 0
	for _, v := range vecs {
		got, gotOK := date.ParseHeader(v.Header)
		e := v.Expected
		good := false
		if e == nil {
			good = !gotOK
		} else if gotOK {
			off := e.TzHour*3600 + e.TzMinute*60
			if e.TzBeforeGMT {
				off = -off
			}
			want := time.Date(e.Year, time.Month(e.Month), e.Day, e.Hour, e.Minute, e.Second, 0, time.FixedZone("", off))
			good = got.Equal(want)
		}
		if good {
			ok++
		} else {
			t.Logf("miss %q: got %v %v want %+v", v.Header, got, gotOK, e)
		}
	}
	checkVectorRate(t, "date", ok, len(vecs), 8)
}

// sameText compares whitespace-normalised text; a U+FFFD in want (the
// reference parser's replacement for undeclared 8-bit bytes, which we
// decode by detection instead) matches any one rune.
func sameText(got, want string) bool {
	g := []rune(strings.Join(strings.Fields(got), " "))
	w := []rune(strings.Join(strings.Fields(want), " "))
	if len(g) != len(w) {
		return false
	}
	for i := range g {
		if g[i] != w[i] && w[i] != '\uFFFD' {
			return false
		}
	}
	return true
}
