package analysis

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/testutil"
)

// threshold is the score at which `triage eval` flags mail on the
// development corpus (1% false positives).
const threshold = 21

// brandLoginMail is a brand's account notice asking the reader to log in:
// from fromAddr, links to link, with the receiver's verdicts ar.
func brandLoginMail(fromAddr, link, ar string) []byte {
	html := `<html><body><p>Dear customer,</p>` +
		`<p>We noticed a new sign-in to your account. Please log in within 24 hours to verify your account ` +
		`and confirm your payment details, or your account will be limited.</p>` +
		`<p><a href="` + link + `">Log in</a></p><p>Thank you.</p></body></html>`
	return []byte("Authentication-Results: " + ar + "\r\n" +
		"From: PayPal <" + fromAddr + ">\r\nTo: reader@example.net\r\nSubject: Confirm your account details\r\n" +
		"Date: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <n1@" + fromAddr[strings.IndexByte(fromAddr, '@')+1:] + ">\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n")
}

func ruleSet(rep *Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Rule)
	}
	return out
}

func TestAuthenticatedBrandLoginStaysLow(t *testing.T) {
	raw := brandLoginMail("service@paypal.com", "https://www.paypal.com/signin",
		"mx.example.net; spf=pass smtp.mailfrom=paypal.com; dkim=pass header.d=paypal.com; dmarc=pass header.from=paypal.com")
	rep := Analyze(raw, nil)
	t.Logf("score %d", rep.Score)
	if rep.Auth.Identity == nil || rep.Auth.Identity.Domain != "paypal.com" {
		t.Fatalf("identity = %+v, want paypal.com", rep.Auth.Identity)
	}
	if got, want := rep.Auth.Identity.String(), "authenticated as paypal.com (DMARC pass, aligned DKIM, aligned SPF)"; got != want {
		t.Errorf("identity line = %q, want %q", got, want)
	}
	if rep.Score >= threshold {
		t.Errorf("score %d ≥ %d for authenticated brand mail: %v", rep.Score, threshold, rep.Findings)
	}
	if !slices.Contains(ruleSet(rep), "content.brand_authenticated") {
		t.Errorf("no content.brand_authenticated discount: %v", ruleSet(rep))
	}
	// The same mail without any verdict is not discounted.
	plain := Analyze(brandLoginMail("service@paypal.com", "https://www.paypal.com/signin", "mx.example.net; none"), nil)
	if plain.Score <= rep.Score {
		t.Errorf("unauthenticated copy scores %d, not above the authenticated %d", plain.Score, rep.Score)
	}
}

func TestLookalikePassingItsOwnDMARCIsPhish(t *testing.T) {
	raw := brandLoginMail("service@paypa1-secure.com", "https://www.paypa1-secure.com/signin",
		"mx.example.net; spf=pass smtp.mailfrom=paypa1-secure.com; dkim=pass header.d=paypa1-secure.com; dmarc=pass header.from=paypa1-secure.com")
	rep := Analyze(raw, nil)
	t.Logf("score %d", rep.Score)
	rules := ruleSet(rep)
	if rep.Score < 80 {
		t.Errorf("score %d < 80 for a lookalike passing its own DMARC: %v", rep.Score, rep.Findings)
	}
	for _, r := range []string{"auth.dmarc_pass", "auth.dkim_aligned_pass", "content.brand_authenticated"} {
		if slices.Contains(rules, r) {
			t.Errorf("%s credited to a lookalike: %v", r, rules)
		}
	}
	if rep.Auth.Identity == nil || rep.Auth.Identity.Domain != "paypa1-secure.com" {
		t.Errorf("identity = %+v; the pass is still shown", rep.Auth.Identity)
	}
}

func TestARCForwardedSpamFirstHopFail(t *testing.T) {
	rep := analyzeTestdata(t, "system/arc-forwarded-spam.eml")
	rules := ruleSet(rep)
	if rep.Score < threshold {
		t.Errorf("score %d < %d: %v", rep.Score, threshold, rep.Findings)
	}
	if !rep.Auth.ARCFirstFail || rep.Auth.Identity != nil {
		t.Errorf("ARCFirstFail %v, identity %+v", rep.Auth.ARCFirstFail, rep.Auth.Identity)
	}
	for _, r := range []string{"auth.arc_first_hop_fail", "auth.dmarc_fail", "auth.spf_fail"} {
		if !slices.Contains(rules, r) {
			t.Errorf("%s missing: %v", r, rules)
		}
	}
	if slices.Contains(rules, "auth.dmarc_pass") {
		t.Errorf("outer pass credited: %v", rules)
	}
}

func TestFakeBounceWithCredentialLink(t *testing.T) {
	rep := analyzeTestdata(t, "system/fake-bounce.eml")
	if rep.System != report.SystemDSN {
		t.Errorf("system = %q, want %q", rep.System, report.SystemDSN)
	}
	if !slices.Contains(ruleSet(rep), "content.system_lure") || rep.Score < 50 {
		t.Errorf("score %d: %v", rep.Score, rep.Findings)
	}
}

func TestRealDSNStaysLow(t *testing.T) {
	rep := analyzeTestdata(t, "system/dsn.eml")
	if rep.System != report.SystemDSN {
		t.Errorf("system = %q, want %q", rep.System, report.SystemDSN)
	}
	if rep.Score >= threshold || slices.Contains(ruleSet(rep), "content.system_lure") {
		t.Errorf("score %d: %v", rep.Score, rep.Findings)
	}
}

// dmarcReport builds an RFC 7489 aggregate report with a real gzip
// attachment; subject names a registry brand's word as the reported domain.
func dmarcReport(t *testing.T) []byte {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(`<?xml version="1.0"?><feedback><report_metadata><org_name>google.com</org_name></report_metadata></feedback>`))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	name := "google.com!shop.example.au!1700000000!1700086399.xml.gz"
	return []byte("Authentication-Results: mx.example.net; dkim=pass header.d=google.com; spf=pass smtp.mailfrom=google.com; dmarc=pass header.from=google.com\r\n" +
		"From: noreply-dmarc-support@google.com\r\nTo: dmarc@shop.example.au\r\n" +
		"Subject: Report domain: shop.example.au Submitter: google.com Report-ID: 123456789\r\n" +
		"Date: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <r1@google.com>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nThis is an aggregate report from google.com.\r\n" +
		"--b1\r\nContent-Type: application/gzip; name=\"" + name + "\"\r\nContent-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename=\"" + name + "\"\r\n\r\n" + base64.StdEncoding.EncodeToString(gz.Bytes()) + "\r\n--b1--\r\n")
}

func TestDMARCAggregateReportStaysLow(t *testing.T) {
	rep := Analyze(dmarcReport(t), nil)
	t.Logf("score %d", rep.Score)
	if rep.System != report.SystemDMARCReport {
		t.Errorf("system = %q, want %q", rep.System, report.SystemDMARCReport)
	}
	if rep.Score >= threshold || slices.Contains(ruleSet(rep), "attach.double_extension") {
		t.Errorf("score %d: %v", rep.Score, rep.Findings)
	}
}

func TestIsDMARCReportName(t *testing.T) {
	testutil.Cases(t, "isDMARCReportName", isDMARCReportName, map[string]bool{
		"google.com!example.org!1700000000!1700086399.xml.gz":          true,
		"mimecast.org!ab.id.au!1693353600!1693439999!157a5fe3.xml.gz":  true,
		"protection.outlook.com!example.org!1700000000!1700086399.zip": true,
		"invoice.pdf.zip":                     false,
		"a!b!c!d.xml":                         false,
		"google.com!example.org!17!x!y!z.xml": false,
		strings.Repeat("!", 600) + "1.xml.gz": false,
	})
}

// A real bounce returns the original message: its words are its author's,
// so a returned password-reset notice does not make the bounce a lure.
func TestBounceOfCredentialMailIsNotALure(t *testing.T) {
	raw := readTestdata(t, "system/dsn.eml")
	raw = bytes.Replace(raw, []byte("Hi Bob, are we still on for lunch tomorrow?"),
		[]byte("Hi Bob, log in with your password to verify your account: https://portal.example.org/login"), 1)
	rep := Analyze(raw, nil)
	if !slices.Contains(ruleSet(rep), "content.credential_request") {
		t.Fatalf("fixture lost its credential words: %v", ruleSet(rep))
	}
	if slices.Contains(ruleSet(rep), "content.system_lure") {
		t.Errorf("content.system_lure on the returned original: %v", rep.Findings)
	}
}

func TestSystemKind(t *testing.T) {
	mail := func(headers, body string) []byte {
		return []byte("From: a@example.org\r\nTo: b@example.net\r\nSubject: s\r\nMessage-ID: <x@example.org>\r\n" +
			"Date: Mon, 2 Jun 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n" + headers + "\r\n" + body)
	}
	reportMail := func(kind, partType string) []byte {
		return mail("Content-Type: multipart/report; boundary=b;\r\n report-type="+kind+"\r\n",
			"--b\r\nContent-Type: text/plain\r\n\r\nnotice\r\n--b\r\nContent-Type: "+partType+"\r\n\r\nx: y\r\n--b--\r\n")
	}
	for _, tt := range []struct {
		name string
		raw  []byte
		want string
	}{
		{"dsn", reportMail("delivery-status", "message/delivery-status"), report.SystemDSN},
		{"mdn", reportMail("disposition-notification", "message/disposition-notification"), report.SystemMDN},
		{"tls report", reportMail("tlsrpt", "application/tlsrpt+json"), report.SystemTLSReport},
		{"dsn part without report-type", reportMail("other", "message/delivery-status"), report.SystemDSN},
		{"auto-submitted", mail("Auto-Submitted: auto-replied\r\nContent-Type: text/plain\r\n", "away\r\n"), report.SystemAutoReply},
		{"x-autoreply", mail("X-Autoreply: yes\r\nContent-Type: text/plain\r\n", "away\r\n"), report.SystemAutoReply},
		{"auto-submitted no", mail("Auto-Submitted: no\r\nContent-Type: text/plain\r\n", "hello\r\n"), ""},
		{"plain", mail("Content-Type: text/plain\r\n", "hello\r\n"), ""},
		{"broken report header", mail("Content-Type: multipart/report; report-type=\"\r\n", "x\r\n"), ""},
	} {
		if got := Analyze(tt.raw, nil).System; got != tt.want {
			t.Errorf("%s: system = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// A link text showing the authenticated sender's own domain through a
// click tracker is not a deception; the same without authentication, or
// showing another domain, still is.
func TestOwnAnchorThroughTracker(t *testing.T) {
	mk := func(ar, anchor string) []byte {
		return []byte("Authentication-Results: " + ar + "\r\n" +
			"From: Stiftung <news@stiftung-example.de>\r\nTo: reader@example.net\r\nSubject: Newsletter 01/2025\r\n" +
			"Date: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <n1@stiftung-example.de>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: text/html; charset=utf-8\r\n\r\n" +
			"<p>Unser Newsletter.</p><a href=\"https://t.tracker-example.net/c/abc\">" + anchor + "</a>\r\n")
	}
	pass := "mx.example.net; dkim=pass header.d=stiftung-example.de; dmarc=pass header.from=stiftung-example.de"
	for _, tt := range []struct {
		name, ar, anchor string
		want             bool
	}{
		{"own domain, authenticated", pass, "www.stiftung-example.de/programm", false},
		{"own domain, not authenticated", "mx.example.net; none", "www.stiftung-example.de/programm", true},
		{"other domain, authenticated", pass, "www.paypal.com/signin", true},
	} {
		rep := Analyze(mk(tt.ar, tt.anchor), nil)
		if got := slices.Contains(ruleSet(rep), "url.anchor_domain_mismatch"); got != tt.want {
			t.Errorf("%s: url.anchor_domain_mismatch %v, want %v (%v)", tt.name, got, tt.want, ruleSet(rep))
		}
	}
}

// Mail authenticated as a brand's asset domain (infrastructure data, not
// the registry) speaks for the brand: no brand rule fires on it, and the
// same mail unauthenticated is a brand mismatch.
func TestBrandAssetIdentity(t *testing.T) {
	mk := func(ar string) []byte {
		return []byte("Authentication-Results: " + ar + "\r\n" +
			"From: Netflix <info@nflxext.com>\r\nTo: reader@example.net\r\nSubject: Netflix: confirm your login\r\n" +
			"Date: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <f1@nflxext.com>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n\r\nWe noticed a new login. Please verify your account: https://www.netflix.com/login\r\n")
	}
	cfg := withInfra(t, `[{"kind":"brand_asset","name":"Netflix","domains":["nflxext.com"],"source":"https://docs.example/brand"}]`)
	rep := Analyze(mk("mx.example.net; dkim=pass header.d=nflxext.com; dmarc=pass header.from=nflxext.com"), cfg)
	for _, r := range ruleSet(rep) {
		if strings.HasPrefix(r, "sender.brand_") || r == "url.brand_unrelated" {
			t.Errorf("brand rule %s on mail authenticated as the brand: %v", r, rep.Findings)
		}
	}
	plain := Analyze(mk("mx.example.net; none"), cfg)
	if !slices.Contains(ruleSet(plain), "sender.brand_domain_mismatch") {
		t.Errorf("unauthenticated copy: no sender.brand_domain_mismatch: %v", ruleSet(plain))
	}
}
