package analysis

import (
	"slices"
	"strings"
	"testing"
)

// An unauthenticated list mail whose links go through its own list
// server's click tracker (the host of List-Unsubscribe, bounces in the same
// domain) and whose link text shows the sender's own name, with or without
// umlauts, deceives no one; change any of those facts and the rules fire.
func TestListTrackerAndUmlautName(t *testing.T) {
	const (
		tracker = "https://news.listserver-example.net/lists/lt.php?tid=AbCdEf0123456789"
		unsub   = "<https://news.listserver-example.net/lists/?p=unsubscribe&uid=1>, <mailto:leave@listserver-example.net>"
	)
	type mail struct{ from, returnPath, unsub, anchor, ownLink string }
	build := func(m mail) []byte {
		var b strings.Builder
		b.WriteString("Return-Path: <" + m.returnPath + ">\r\nFrom: Verein <info@" + m.from + ">\r\n")
		if m.unsub != "" {
			b.WriteString("List-Unsubscribe: " + m.unsub + "\r\n")
		}
		b.WriteString("To: leser@example.org\r\nSubject: Rundbrief\r\nDate: Tue, 3 Jan 2023 00:30:03 +0100\r\n" +
			"Message-ID: <r1@listserver-example.net>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
			"<p>Liebe Leute, der neue Rundbrief ist da.</p>\r\n" +
			"<a href=\"" + tracker + "\">" + m.anchor + "</a>\r\n<a href=\"" + m.ownLink + "\">Archiv</a>\r\n")
		return []byte(b.String())
	}
	base := mail{from: "oekoverein-example.de", returnPath: "bounce-oeko@listserver-example.net", unsub: unsub,
		anchor: "www.ökoverein-example.de/rundbrief", ownLink: "https://www.xn--koverein-example-lwb.de/archiv"}
	for _, tt := range []struct {
		name      string
		edit      func(*mail)
		mismatch  bool // url.anchor_domain_mismatch
		unrelated bool // url.links_unrelated
	}{
		{"list tracker, umlaut twin", func(*mail) {}, false, false},
		{"list tracker, same spelling", func(m *mail) { m.anchor = "www.oekoverein-example.de/rundbrief" }, false, false},
		{"no List-Unsubscribe", func(m *mail) { m.unsub = "" }, true, false},
		{"unsubscribe on another host", func(m *mail) {
			m.unsub = "<https://other.listserver-example.net/u>"
		}, true, false},
		{"bounces elsewhere", func(m *mail) { m.returnPath = "bounce@elsewhere-example.com" }, true, false},
		{"text shows another name", func(m *mail) { m.anchor = "www.bank-example.de/login" }, true, false},
		{"own link to an unrelated name", func(m *mail) { m.ownLink = "https://www.ganz-anders-example.de/" }, false, true},
		{"brand sender: no umlaut twin", func(m *mail) {
			m.from, m.anchor = "sparkasse.de", "www.sparkaße.de/login"
			m.ownLink = "https://www.xn--sparkae-5va.de/login"
		}, true, true},
	} {
		m := base
		tt.edit(&m)
		rules := ruleSet(Analyze(build(m), nil))
		if got := slices.Contains(rules, "url.anchor_domain_mismatch"); got != tt.mismatch {
			t.Errorf("%s: url.anchor_domain_mismatch %v, want %v (%v)", tt.name, got, tt.mismatch, rules)
		}
		if got := slices.Contains(rules, "url.links_unrelated"); got != tt.unrelated {
			t.Errorf("%s: url.links_unrelated %v, want %v (%v)", tt.name, got, tt.unrelated, rules)
		}
	}
}
