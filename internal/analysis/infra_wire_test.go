package analysis

import (
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/infra"
)

// htmlMail builds a DKIM-less HTML message from sender with the given body.
func htmlMail(from, subject, html string) []byte {
	return []byte("From: " + from + "\r\nTo: reader@example.net\r\nSubject: " + subject +
		"\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <n1@mail.example.org>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n")
}

func fired(rep *Report) map[string]bool {
	m := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Points != 0 {
			m[f.Rule] = true
		}
	}
	return m
}

func TestESPTrackedNewsletterIsRelated(t *testing.T) {
	body := `<html><body><p>Our spring programme is out.</p>` +
		`<a href="https://u123.ct.sendgrid.net/ls/click?upn=abc">Read more</a> ` +
		`<a href="https://click.pstmrk.it/3s/example.org%2Fevents/x">See the events</a> ` +
		`<a href="https://u123.ct.sendgrid.net/ls/click?upn=def">Unsubscribe</a></body></html>`
	raw := htmlMail("Example Club <news@example.org>", "Spring programme", body)
	rep := Analyze(raw, &Config{Limits: DefaultLimits()})
	got := fired(rep)
	for _, r := range []string{"url.links_unrelated", "url.cta_unrelated"} {
		if got[r] {
			t.Errorf("%s fired on a newsletter whose links go through ESP trackers (score %d)", r, rep.Score)
		}
	}
	// The same links to an unknown tracker are unrelated.
	other := strings.NewReplacer("ct.sendgrid.net", "ct.tracker-unknown.example", "click.pstmrk.it", "click.tracker-unknown.example").Replace(string(raw))
	rep2 := Analyze([]byte(other), &Config{Limits: DefaultLimits()})
	if !fired(rep2)["url.links_unrelated"] {
		t.Errorf("links_unrelated did not fire on an unknown tracker: %v", fired(rep2))
	}
	// A user entry makes that tracker known too.
	user, err := infra.Load(strings.NewReader(`[{"kind":"esp","name":"Own","domains":["tracker-unknown.example"],"source":"https://intranet.example/"}]`))
	if err != nil {
		t.Fatal(err)
	}
	rep3 := Analyze([]byte(other), &Config{Limits: DefaultLimits(), Infra: infra.Default().Merge(user)})
	if fired(rep3)["url.links_unrelated"] {
		t.Error("a configured ESP domain is still unrelated")
	}
}

func TestSharedPlatformTenantIsNotTheBrand(t *testing.T) {
	body := `<html><body><p>A document was shared with you.</p>` +
		`<a href="https://evil-corp.sharepoint.com/:b:/g/doc">Open document</a></body></html>`
	raw := htmlMail("Microsoft SharePoint <share@contoso.example>", "Microsoft: document shared", body)
	rep := Analyze(raw, &Config{Limits: DefaultLimits()})
	if !fired(rep)["url.links_unrelated"] {
		t.Errorf("a SharePoint tenant link passed as Microsoft's own: %v", fired(rep))
	}
}

// withInfra returns a config whose infrastructure data is the default set
// plus the given entries, so a test does not depend on which vendors the
// shipped list happens to name.
func withInfra(t *testing.T, entries string) *Config {
	t.Helper()
	extra, err := infra.Load(strings.NewReader(entries))
	if err != nil {
		t.Fatal(err)
	}
	return &Config{Limits: DefaultLimits(), Infra: infra.Default().Merge(extra)}
}

func TestBrandAssetNotLookalike(t *testing.T) {
	body := `<html><body><p>New sign-in.</p><img src="https://ts-svc.inxserver.com/transparent.gif">` +
		`<a href="https://click.inxserver.com/x">View</a></body></html>`
	raw := htmlMail("News <news@example.org>", "News", body)
	rep := Analyze(raw, withInfra(t, `[{"kind":"esp","name":"Inxmail","domains":["inxserver.com"],"source":"https://docs.example/esp"}]`))
	if fired(rep)["url.brand_lookalike"] || fired(rep)["url.anchor_domain_mismatch"] {
		t.Errorf("ESP domain judged as a lookalike: %v", fired(rep))
	}
}
