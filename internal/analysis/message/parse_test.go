package message

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis/date"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/devdata"
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
	raw, err := os.ReadFile("testdata/parse/kagoya-like.eml")
	if err != nil {
		t.Fatal(err)
	}
	p := Parse(raw, DefaultLimits())
	checkKagoya(t, p, "198-51-100-7.example-host.test")
	if want := time.Date(2022, 3, 14, 0, 11, 58, 0, time.UTC); !p.Summary.Date.Equal(want) {
		t.Errorf("Date = %v", p.Summary.Date)
	}
	if len(p.Headers) != 9 || p.Headers[0].Key != "Return-Path" {
		t.Errorf("Headers: %d fields, first %+v", len(p.Headers), p.Headers[0])
	}
}

func TestParseKagoyaSeed(t *testing.T) {
	raw, err := os.ReadFile(devdata.Dir(t, "fixtures", "seed", "kagoya-activemail.eml"))
	if err != nil {
		t.Skip(err)
	}
	p := Parse(raw, DefaultLimits())
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

func TestParseDate(t *testing.T) {
	jst := 9 * 3600
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"Fri, 11 Feb 2022 01:42:10 +0000", time.Date(2022, 2, 11, 1, 42, 10, 0, time.UTC), true},
		{"11 Feb 2022 01:42:10 +0900", time.Date(2022, 2, 11, 1, 42, 10, 0, time.FixedZone("", jst)), true},
		{"Fri, 11 Feb 2022 01:42 +0900", time.Date(2022, 2, 11, 1, 42, 0, 0, time.FixedZone("", jst)), true},
		{"Fri, 11 Feb 2022 01:42:10 JST", time.Date(2022, 2, 11, 1, 42, 10, 0, time.FixedZone("", jst)), true},
		{"Fri, 11 Feb 2022 01:42:10 (JST)", time.Date(2022, 2, 11, 1, 42, 10, 0, time.FixedZone("", jst)), true},
		{"Fri, 11 Feb 2022 01:42:10 +0900 (JST)", time.Date(2022, 2, 11, 1, 42, 10, 0, time.FixedZone("", jst)), true},
		{"Fri,  11  Feb  22   01:42:10   GMT", time.Date(2022, 2, 11, 1, 42, 10, 0, time.UTC), true},
		{"11 Feb 99 01:42:10 EST", time.Date(1999, 2, 11, 1, 42, 10, 0, time.FixedZone("", -5*3600)), true},
		{"Fri Feb 11 01:42:10 2022", time.Date(2022, 2, 11, 1, 42, 10, 0, time.UTC), true},
		{"2022-02-11 01:42:10 +0000", time.Date(2022, 2, 11, 1, 42, 10, 0, time.UTC), true},
		{"Friday, February 11, 2022 1:42:10 PM +0000", time.Date(2022, 2, 11, 13, 42, 10, 0, time.UTC), true},
		{"", time.Time{}, false},
		{"yesterday", time.Time{}, false},
		{"13 zzz 2021 09:55:06 +0200", time.Time{}, false},
		{"Fri, 11 Feb 2022 (unterminated 01:42:10", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := date.ParseHeader(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("date.ParseHeader(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
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
