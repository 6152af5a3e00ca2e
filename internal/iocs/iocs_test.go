package iocs

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
)

func day(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }

func has(ins []Indicator, typ, value string) *Indicator {
	for i := range ins {
		if ins[i].Type == typ && ins[i].Value == value {
			return &ins[i]
		}
	}
	return nil
}

func TestCollector(t *testing.T) {
	phish := &analysis.Report{
		Summary: analysis.Summary{From: analysis.Address{Address: "Alerts@Pay-Verify.example.net"}, Subject: " Verify your account "},
		Hops: []analysis.Hop{
			{FromIP: "10.0.0.2"},
			{FromIP: "198.18.7.9", Origin: true},
		},
		URLs: []analysis.URL{
			{URL: "http://login.pay-verify.example.net/x", Scheme: "http", Host: "login.pay-verify.example.net", Domain: "example.net", Source: "html-href"},
			{URL: "https://www.paypal.com/logo.png", Scheme: "https", Host: "www.paypal.com", Domain: "paypal.com", Source: "html-src"},
			{URL: "http://www.w3.org/1999/xhtml", Scheme: "http", Host: "www.w3.org", Domain: "w3.org", Source: "html-href"},
			{URL: "http://198.51.99.4/p", Scheme: "http", Host: "198.51.99.4", Source: "qr:code.png"},
			{URL: "mailto:x@example.org", Scheme: "mailto"},
		},
		Attachments: []analysis.Attachment{
			{Name: "invoice.html", SniffedType: "text/html", SHA256: strings.Repeat("AB", 32)},
			{Name: "logo.png", SniffedType: "image/png", SHA256: strings.Repeat("cd", 32)},
			{Name: "code.png", SniffedType: "image/png", SHA256: strings.Repeat("ef", 32)},
		},
	}
	freemail := &analysis.Report{
		Summary: analysis.Summary{From: analysis.Address{Address: "ceo.private@gmail.com"}, Subject: "Verify your account"},
		Auth:    analysis.Auth{Identity: &analysis.Identity{Domain: "gmail.com", Methods: []string{"dmarc"}}},
		Hops:    []analysis.Hop{{FromIP: "209.85.220.41", FromRDNS: "mail-sor-f41.google.com", Origin: true}},
	}
	c := New(nil, nil)
	c.Add(Message{ID: "a", Label: "phish", Time: day(3), Report: phish})
	c.Add(Message{ID: "b", Label: "bec", Time: day(1), Report: freemail, Campaigns: []string{"c:7"}})
	c.Add(Message{ID: "c", Label: "phish", Time: day(5), Report: phish})
	ins := c.Indicators()

	for _, want := range [][2]string{
		{TypeURL, "http://login.pay-verify.example.net/x"}, {TypeHostname, "login.pay-verify.example.net"},
		{TypeDomain, "example.net"}, {TypeIPSrc, "198.18.7.9"}, {TypeIPDst, "198.51.99.4"}, {TypeURL, "http://198.51.99.4/p"},
		{TypeEmailSrc, "alerts@pay-verify.example.net"}, {TypeEmailSrc, "ceo.private@gmail.com"},
		{TypeSHA256, strings.Repeat("ab", 32)}, {TypeSHA256, strings.Repeat("ef", 32)}, {TypeSubject, "Verify your account"},
	} {
		if has(ins, want[0], want[1]) == nil {
			t.Errorf("missing %s %s", want[0], want[1])
		}
	}
	for _, not := range [][2]string{
		{TypeDomain, "paypal.com"}, {TypeURL, "https://www.paypal.com/logo.png"}, {TypeDomain, "w3.org"},
		{TypeDomain, "gmail.com"}, {TypeIPSrc, "209.85.220.41"}, {TypeIPSrc, "10.0.0.2"},
		{TypeSHA256, strings.Repeat("cd", 32)},
	} {
		if has(ins, not[0], not[1]) != nil {
			t.Errorf("benign %s %s exported", not[0], not[1])
		}
	}
	s := has(ins, TypeSubject, "Verify your account")
	if s.Messages != 3 || !s.FirstSeen.Equal(day(1)) || !s.LastSeen.Equal(day(5)) ||
		!slices.Equal(s.Labels, []string{"bec", "phish"}) || !slices.Equal(s.Campaigns, []string{"c:7"}) {
		t.Errorf("subject indicator %+v", s)
	}
	if d := has(ins, TypeDomain, "example.net"); d.Messages != 2 { // sender and link domain count once per message
		t.Errorf("domain counted %d times", d.Messages)
	}
	for i := 1; i < len(ins); i++ {
		if slices.Index(typeOrder, ins[i-1].Type) > slices.Index(typeOrder, ins[i].Type) {
			t.Fatalf("not ordered by type: %v", ins)
		}
	}
}

func TestPatternQuoting(t *testing.T) {
	in := Indicator{Type: TypeSubject, Value: `it's a \ test`}
	if got, want := Pattern(in), `[email-message:subject = 'it\'s a \\ test']`; got != want {
		t.Errorf("Pattern = %s, want %s", got, want)
	}
	if got := Pattern(Indicator{Type: TypeIPSrc, Value: "2001:db8::1"}); !strings.HasPrefix(got, "[ipv6-addr:value") {
		t.Errorf("v6 pattern %s", got)
	}
}

func TestCSVDefangAndSafety(t *testing.T) {
	var b strings.Builder
	ins := []Indicator{
		{Type: TypeURL, Value: "http://evil.example/login", Messages: 1, Labels: []string{"phish"}, FirstSeen: day(1), LastSeen: day(2)},
		{Type: TypeSubject, Value: "hi\x1b]52;c;evil\x07 there", Messages: 1},
	}
	if err := WriteCSV(&b, ins, true); err != nil {
		t.Fatal(err)
	}
	want := "type,value,first_seen,last_seen,messages,labels,campaigns\n" +
		"url,hxxp://evil[.]example/login,2026-11-01T09:00:00Z,2026-11-02T09:00:00Z,1,phish,\n"
	if !strings.HasPrefix(b.String(), want) {
		t.Errorf("CSV:\n%s\nwant prefix\n%s", b.String(), want)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07") {
		t.Errorf("control characters reached the CSV: %q", b.String())
	}
}
