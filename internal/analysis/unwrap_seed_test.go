package analysis

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/analysis/unwrap/unwraptest"
	"github.com/triage-tools/triage/internal/testutil"
)

var taro = unwraptest.Reporter{Name: "Taro Yamada", Addr: "taro@corp.example", Note: "This looks like phishing, please check."}

func readSeed(t *testing.T) []byte {
	t.Helper()
	return readTestdata(t, "seed/activemail.eml")
}

// readTestdata returns the file testdata/name.
func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	return testutil.ReadFile(t, filepath.Join("testdata", name))
}

// analyzeTestdata analyses the message testdata/name with the default
// configuration and logs its score.
func analyzeTestdata(t *testing.T, name string) *Report {
	t.Helper()
	rep := Analyze(readTestdata(t, name), nil)
	t.Logf("score %d", rep.Score)
	return rep
}

// TestUnwrapSeedWrappers: the seed reported as an attachment, an .eml, in
// an ARF report and forwarded twice is triaged as the seed itself: same
// ID, same findings, and the reporter is the wrapper's sender.
func TestUnwrapSeedWrappers(t *testing.T) {
	seed := readSeed(t)
	alone := Analyze(seed, nil)
	for _, tc := range []struct {
		name, kind string
		raw        []byte
		depth      int
	}{
		{"attached", report.WrapAttached, unwraptest.Attached(seed, taro), 1},
		{"octet-eml", report.WrapEML, unwraptest.OctetEML(seed, taro), 1},
		{"arf", report.WrapARF, unwraptest.ARF(seed, taro, false), 1},
		{"forward-of-forward", report.WrapAttached, unwraptest.Nest(seed, taro, 2), 2},
		{"eml-in-attached", report.WrapEML, unwraptest.Attached(unwraptest.OctetEML(seed, taro), taro), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := Analyze(tc.raw, nil)
			seedFacts(t, rep)
			if rep.ID != alone.ID || rep.Size != len(seed) {
				t.Errorf("ID = %s (size %d), want the seed's %s (%d)", rep.ID, rep.Size, alone.ID, len(seed))
			}
			if rep.Score != alone.Score || rep.RawScore != alone.RawScore {
				t.Errorf("score %d/%d, want the seed's %d/%d", rep.Score, rep.RawScore, alone.Score, alone.RawScore)
			}
			w := rep.Wrapper
			if w == nil {
				t.Fatal("no Wrapper")
			}
			if w.Kind != tc.kind || w.Depth != tc.depth || w.Incomplete {
				t.Errorf("wrapper = %+v", w)
			}
			if w.Reporter.From.Address != "taro@corp.example" || w.Reporter.From.Name != "Taro Yamada" ||
				w.Reporter.Date.IsZero() || w.Reporter.MessageID == "" {
				t.Errorf("reporter = %+v", w.Reporter)
			}
			if tc.kind != report.WrapARF && !strings.Contains(w.Reporter.Note, "looks like phishing") {
				t.Errorf("note = %q", w.Reporter.Note)
			}
			if w.ID == rep.ID || w.Size != len(tc.raw) {
				t.Errorf("wrapper id/size = %s/%d", w.ID, w.Size)
			}
		})
	}
}

// TestUnwrapSeedARFHeaders: an ARF report with the headers only keeps the
// header evidence (hops, authentication, sender) and says the body is
// missing.
func TestUnwrapSeedARFHeaders(t *testing.T) {
	rep := Analyze(unwraptest.ARF(readSeed(t), taro, true), nil)
	if rep.Wrapper == nil || rep.Wrapper.Kind != report.WrapARFHeaders || !rep.Wrapper.Incomplete {
		t.Fatalf("wrapper = %+v", rep.Wrapper)
	}
	for _, rule := range []string{"sender.brand_domain_mismatch", "hops.origin_helo_placeholder", "auth.spf_softfail", "auth.dmarc_fail"} {
		if !hasRule(rep, rule) {
			t.Errorf("no %s", rule)
		}
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "only the original's headers") {
		t.Errorf("warnings = %q", rep.Warnings)
	}
}

func hasRule(rep *Report, rule string) bool {
	for _, f := range rep.Findings {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

// TestUnwrapSeedInline: inline forwards keep what their text allows (the
// sender and its brand mismatch, the subject, the links and words) and
// say that the hops and authentication are missing.
func TestUnwrapSeedInline(t *testing.T) {
	seed := readSeed(t)
	for _, style := range []unwraptest.Style{unwraptest.GmailEN, unwraptest.GmailJA, unwraptest.OutlookEN,
		unwraptest.OutlookJA, unwraptest.OutlookOldEN, unwraptest.AppleEN} {
		rep := Analyze(unwraptest.Inline(seed, taro, style), nil)
		w := rep.Wrapper
		if w == nil || w.Kind != report.WrapInline || !w.Incomplete {
			t.Errorf("style %d: wrapper = %+v", style, w)
			continue
		}
		if rep.Summary.From.Address != "support.center.Activemail@kagoya.jp" ||
			!strings.HasPrefix(rep.Summary.From.Name, "Active! mail") ||
			!strings.HasPrefix(rep.Summary.Subject, "【重要なお知らせ】") {
			t.Errorf("style %d: summary = %+v", style, rep.Summary)
		}
		if len(rep.Summary.To) != 1 || rep.Summary.To[0].Address != "admin@example.com" {
			t.Errorf("style %d: to = %+v", style, rep.Summary.To)
		}
		if !hasRule(rep, "sender.brand_domain_mismatch") || !hasRule(rep, "content.pressure") {
			t.Errorf("style %d: findings %v", style, ruleSet(rep))
		}
		if hasRule(rep, "auth.dmarc_fail") || len(rep.Hops) != 0 {
			t.Errorf("style %d: an inline forward has no hops or authentication: %v", style, ruleSet(rep))
		}
		if !strings.Contains(strings.Join(rep.Warnings, "\n"), "inline forward: header evidence incomplete") {
			t.Errorf("style %d: warnings = %q", style, rep.Warnings)
		}
		if !strings.Contains(w.Reporter.Note, "looks like phishing") || strings.Contains(w.Reporter.Note, "kagoya") {
			t.Errorf("style %d: note = %q", style, w.Reporter.Note)
		}
		if rep.Summary.Date.IsZero() && style != unwraptest.GmailJA && style != unwraptest.OutlookJA {
			t.Errorf("style %d: date not recovered", style)
		}
	}
}

// TestUnwrapNoOriginal: a message to the report mailbox without an
// original stays an ordinary message.
func TestUnwrapNoOriginal(t *testing.T) {
	raw := unwraptest.NoOriginal(taro)
	rep := Analyze(raw, nil)
	if rep.Wrapper != nil || rep.Summary.From.Address != "taro@corp.example" || rep.Size != len(raw) {
		t.Errorf("wrapper %+v, from %+v", rep.Wrapper, rep.Summary.From)
	}
}

// TestUnwrapDeepNesting: 1,000 nested wrappers stop at the depth bound
// with a warning, in bounded time.
func TestUnwrapDeepNesting(t *testing.T) {
	raw := unwraptest.Nest(readSeed(t), taro, 1000)
	start := time.Now()
	rep := Analyze(raw, nil)
	d := time.Since(start)
	if d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	t.Logf("%d bytes, 1,000 wrappers deep: analysed in %v", len(raw), d)
	if rep.Wrapper == nil || rep.Wrapper.Depth != 8 {
		t.Fatalf("wrapper = %+v", rep.Wrapper)
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "nested deeper than 8") {
		t.Errorf("warnings = %q", rep.Warnings)
	}
}

// TestUnwrapSeedMSG: the seed reported as an Outlook .msg attachment is
// rebuilt from the transport headers and bodies, with the seed's header
// findings; without transport headers it keeps the sender and says what
// is missing; a broken FAT chain gives a warning in bounded time.
func TestUnwrapSeedMSG(t *testing.T) {
	seed := readSeed(t)
	rep := Analyze(unwraptest.AttachedMSG(unwraptest.MSG(seed, unwraptest.MSGOptions{}), taro), nil)
	if rep.Wrapper == nil || rep.Wrapper.Kind != report.WrapMSG || rep.Wrapper.Incomplete {
		t.Fatalf("wrapper = %+v, warnings %q", rep.Wrapper, rep.Warnings)
	}
	for _, rule := range []string{"sender.brand_domain_mismatch", "sender.msgid_placeholder", "hops.origin_helo_placeholder",
		"auth.spf_softfail", "auth.dmarc_fail", "content.pressure", "url.ip_encoded_host"} {
		if !hasRule(rep, rule) {
			t.Errorf("msg: no %s (%v)", rule, ruleSet(rep))
		}
	}
	if rep.Wrapper.Reporter.From.Address != "taro@corp.example" {
		t.Errorf("reporter = %+v", rep.Wrapper.Reporter)
	}

	rep = Analyze(unwraptest.AttachedMSG(unwraptest.MSG(seed, unwraptest.MSGOptions{NoTransportHeaders: true}), taro), nil)
	if rep.Wrapper == nil || !rep.Wrapper.Incomplete || rep.Summary.From.Address != "support.center.Activemail@kagoya.jp" {
		t.Fatalf("no headers: wrapper = %+v, from %+v", rep.Wrapper, rep.Summary.From)
	}
	if !hasRule(rep, "sender.brand_domain_mismatch") || len(rep.Hops) != 0 ||
		!strings.Contains(strings.Join(rep.Warnings, "\n"), "no transport headers") {
		t.Errorf("no headers: %v, warnings %q", ruleSet(rep), rep.Warnings)
	}

	start := time.Now()
	raw := unwraptest.AttachedMSG(unwraptest.MSG(seed, unwraptest.MSGOptions{BrokenFAT: true}), taro)
	rep = Analyze(raw, nil)
	if time.Since(start) > 5*time.Second {
		t.Errorf("broken FAT took %v", time.Since(start))
	}
	if rep.Wrapper != nil || rep.Summary.From.Address != "taro@corp.example" || rep.Size != len(raw) {
		t.Errorf("broken FAT: wrapper %+v, from %+v", rep.Wrapper, rep.Summary.From)
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "Outlook .msg unreadable") {
		t.Errorf("broken FAT: warnings %q", rep.Warnings)
	}
}

// TestUnwrapReportAddresses: with report_addresses configured, the report
// mailbox is neither the phish's role recipient nor the reporter when it
// forwards a report itself.
func TestUnwrapReportAddresses(t *testing.T) {
	raw := unwraptest.NoOriginal(unwraptest.Reporter{Addr: "taro@corp.example", To: "abuse@corp.example"})
	if rep := Analyze(raw, nil); !hasRule(rep, "content.role_recipient") {
		t.Fatalf("without report_addresses: %v", ruleSet(rep))
	}
	cfg := DefaultConfig()
	cfg.ReportAddresses = []string{"Abuse@corp.example"}
	an := New(cfg)
	if an.Version() == New(nil).Version() {
		t.Error("report_addresses is not part of the analyzer version")
	}
	if rep := an.Analyze(raw); hasRule(rep, "content.role_recipient") {
		t.Errorf("the report mailbox read as the phish's role recipient: %v", ruleSet(rep))
	}
	// The mailbox's automatic forward of Taro's report: Taro is the reporter.
	auto := unwraptest.Reporter{Addr: "abuse@corp.example", To: "tickets@corp.example", Note: "auto-forwarded"}
	wrapped := unwraptest.Attached(unwraptest.Attached(readSeed(t), taro), auto)
	rep := an.Analyze(wrapped)
	if rep.Wrapper == nil || rep.Wrapper.Depth != 2 || rep.Wrapper.Reporter.From.Address != "taro@corp.example" {
		t.Errorf("reporter = %+v", rep.Wrapper)
	}
	if rep := Analyze(wrapped, nil); rep.Wrapper.Reporter.From.Address != "abuse@corp.example" {
		t.Errorf("without report_addresses the outermost sender reports: %+v", rep.Wrapper.Reporter)
	}
}

// TestUnwrapInlineGuard: a phish posing as a forward (the quoted "original"
// is harmless, the delivered message fails authentication) is triaged as
// delivered, with a warning: unwrapping never hides evidence.
func TestUnwrapInlineGuard(t *testing.T) {
	seed := string(readSeed(t))
	hdr := seed[:strings.Index(seed, "\nSubject:")+1]
	raw := hdr + "Subject: Fwd: hello\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" +
		"see below\n\n---------- Forwarded message ---------\nFrom: Bob <bob@example.org>\nDate: Fri, 11 Feb 2022 09:00:00 +0900\n" +
		"Subject: hello\nTo: <admin@example.com>\n\nhi, lunch tomorrow?\n"
	rep := Analyze([]byte(raw), nil)
	if rep.Wrapper != nil || !hasRule(rep, "auth.dmarc_fail") || rep.Summary.From.Address != "support.center.Activemail@kagoya.jp" {
		t.Errorf("wrapper %+v, from %s, %v", rep.Wrapper, rep.Summary.From.Address, ruleSet(rep))
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "triaged as delivered") {
		t.Errorf("warnings = %q", rep.Warnings)
	}
}

// TestUnwrapAttachedGuard: a phish that carries a harmless message as an
// attachment is triaged as delivered, with a warning: the attachment does
// not hide the carrier's evidence. A real report of the seed (the
// reporter's wrapper is harmless, the original suspect) still unwraps.
func TestUnwrapAttachedGuard(t *testing.T) {
	seed := string(readSeed(t))
	hdr := seed[:strings.Index(seed, "\nSubject:")+1]
	raw := hdr + "Subject: Mailbox password expires today\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b1\n\n" +
		"--b1\nContent-Type: text/plain; charset=utf-8\n\nYour mailbox password expires today. Verify your account now or it will be suspended:\n" +
		"http://121.50.46.57/login.php?user=admin@example.com\n\n" +
		"--b1\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=\"note.eml\"\n\n" +
		"From: Bob <bob@example.org>\nTo: admin@example.com\nSubject: hello\nDate: Fri, 11 Feb 2022 09:00:00 +0900\nMessage-ID: <lunch@example.org>\n\nhi, lunch tomorrow?\n" +
		"--b1--\n"
	rep := Analyze([]byte(raw), nil)
	if rep.Wrapper != nil || !hasRule(rep, "auth.dmarc_fail") || rep.Summary.From.Address != "support.center.Activemail@kagoya.jp" {
		t.Errorf("wrapper %+v, from %s, %v", rep.Wrapper, rep.Summary.From.Address, ruleSet(rep))
	}
	if rep.RawScore < guardScore || !strings.Contains(strings.Join(rep.Warnings, "\n"), "cannot hide its carrier") {
		t.Errorf("raw score %d, warnings = %q", rep.RawScore, rep.Warnings)
	}
	if rep := Analyze(unwraptest.Attached([]byte(seed), taro), nil); rep.Wrapper == nil {
		t.Errorf("a real report of the seed is no longer unwrapped: %v", rep.Warnings)
	}
}
