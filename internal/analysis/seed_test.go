package analysis

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/received"
	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite golden files")

// seedFacts checks what DESIGN.md's seed-case table requires of a report of
// the KAGOYA Active! mail phish.
func seedFacts(t *testing.T, rep *Report) {
	t.Helper()
	if rep.Score < 80 {
		t.Errorf("score = %d, want >= 80", rep.Score)
	}
	want := []struct{ rule, contains string }{
		{"sender.brand_domain_mismatch", "KAGOYA"},
		{"sender.brand_domain_mismatch", "kagoya.jp"},
		{"sender.brand_lookalike_domain", "kagoya.com"},
		{"sender.msgid_placeholder", "localhost.localdomain"},
		{"hops.origin_helo_placeholder", "121.50.46.57"},
		{"auth.spf_softfail", "kagoya.jp"},
		{"auth.dmarc_fail", "kagoya.jp"},
		{"url.anchor_domain_mismatch", "kagoya"},
		{"url.http_credential", "cprapid"},
		{"url.ip_encoded_host", "34.227.30.224"},
		{"url.recipient_in_query", "cprapid"},
		{"url.long", "cprapid"},
		{"content.role_recipient", "admin@example.com"},
		{"content.pressure", "24時間以内"},
	}
	for _, w := range want {
		found := false
		for _, f := range rep.Findings {
			if f.Rule == w.rule && strings.Contains(f.Summary+" "+f.Evidence, w.contains) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no finding %s mentioning %q", w.rule, w.contains)
		}
	}
	o := received.OriginHop(rep.Hops)
	if o == nil || o.FromIP != "121.50.46.57" || o.FromHelo != "localhost.localdomain" {
		t.Errorf("origin hop = %+v, want 121.50.46.57 / localhost.localdomain", o)
	}
	if !strings.HasPrefix(rep.Summary.From.Name, "Active! mail – カゴヤ・ジャパン株式会社") {
		t.Errorf("From name = %q", rep.Summary.From.Name)
	}
	if !strings.HasPrefix(rep.Summary.Subject, "【重要なお知らせ】") {
		t.Errorf("Subject = %q", rep.Summary.Subject)
	}
	if rep.Score != Score(rep.Findings) {
		t.Errorf("score %d is not explained by the findings (%d)", rep.Score, Score(rep.Findings))
	}
}

type goldenFinding struct {
	Rule    string `json:"rule"`
	Points  int    `json:"points"`
	Summary string `json:"summary"`
}

// TestSeedGolden analyses our own reconstruction of the seed case and
// compares findings and score with a golden file (go test -update).
func TestSeedGolden(t *testing.T) {
	raw := readSeed(t)
	rep := Analyze(raw, nil)
	seedFacts(t, rep)

	got := struct {
		Score    int             `json:"score"`
		Findings []goldenFinding `json:"findings"`
	}{Score: rep.Score}
	for _, f := range rep.Findings {
		got.Findings = append(got.Findings, goldenFinding{f.Rule, f.Points, f.Summary})
	}
	b, _ := json.MarshalIndent(got, "", "  ")
	b = append(b, '\n')
	golden := filepath.Join("testdata", "seed", "activemail.golden.json")
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(b) {
		t.Errorf("findings differ from %s (go test -update to accept):\n%s", golden, b)
	}
}

// TestSeedFixture runs the same checks on the shared seed message.
func TestSeedFixture(t *testing.T) {
	raw, err := os.ReadFile(devdata.Dir(t, "fixtures", "seed", "kagoya-activemail.eml"))
	if err != nil {
		t.Skipf("shared seed fixture not available: %v", err)
	}
	seedFacts(t, Analyze(raw, nil))
}

// TestRulesTable checks the rule table: unique IDs of the form area.name,
// non-empty explanations.
func TestRulesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range DefaultRules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = true
		if area, name, ok := strings.Cut(r.ID, "."); !ok || area == "" || name == "" {
			t.Errorf("rule ID %q is not area.name", r.ID)
		}
		if r.Summary == "" {
			t.Errorf("rule %s has no explanation", r.ID)
		}
	}
}

func TestRuleOverrides(t *testing.T) {
	raw := readSeed(t)
	zero := 0
	cfg := DefaultConfig()
	if err := cfg.Override("sender.brand_domain_mismatch", RuleOverride{Disabled: true}); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Override("content.pressure", RuleOverride{Points: &zero}); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Override("content.no_such_rule", RuleOverride{Disabled: true}); err == nil {
		t.Error("override of an unknown rule accepted")
	}
	rep := Analyze(raw, cfg)
	for _, f := range rep.Findings {
		if f.Rule == "sender.brand_domain_mismatch" {
			t.Errorf("disabled rule fired: %+v", f)
		}
		if f.Rule == "content.pressure" && f.Points != 0 {
			t.Errorf("overridden weight not applied: %+v", f)
		}
	}
}

// ruleCase is a small synthetic message and the rules that must (want) and
// must not (not) fire on it.
type ruleCase struct {
	name      string
	msg       string
	want, not []string
}

const htmlLure = "From: Service <info@shop-news.example.net>\r\nTo: bob@corp.test\r\n" +
	"Subject: Notice\r\nMessage-ID: <1@mail.shop-news.example.net>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n" +
	"Content-Type: text/html; charset=utf-8\r\n\r\n" +
	"<html><head><style>p{color:red}</style></head><body>" +
	"<div style=\"display: none\">preheader</div>" +
	"<a href=\"https://evil-landing.test/x\"><img src=\"https://cdn.evil-landing.test/b.png\"></a>" +
	"<a href=\"https://evil-landing.test/y\">Click here</a></body></html>\r\n"

var ruleCases = []ruleCase{
	{
		name: "html lure",
		msg:  htmlLure,
		want: []string{"content.html_only", "url.cta_unrelated", "url.links_unrelated", "content.hidden_text", "content.image_only"},
		not:  []string{"sender.msgid_placeholder"},
	},
	{
		name: "plain text with alternative is not html only",
		msg: "From: a@b.example.org\r\nTo: c@d.example.org\r\nSubject: hi\r\nMessage-ID: <x@pc>\r\n" +
			"Content-Type: multipart/alternative; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhello there, see the notes\r\n" +
			"--B\r\nContent-Type: text/html\r\n\r\n<p>hello there, see the notes</p>\r\n--B--\r\n",
		not: []string{"content.html_only", "content.image_only", "sender.msgid_placeholder", "url.links_unrelated"},
	},
	{
		name: "mailing list reply-to is not a diversion",
		msg: "From: Ann <ann@uni.example.edu>\r\nTo: dev@lists.example.org\r\nReply-To: dev@lists.example.org\r\n" +
			"List-Post: <mailto:dev@lists.example.org>\r\nSubject: patch\r\nMessage-ID: <a@uni.example.edu>\r\n\r\nbody\r\n",
		not: []string{"sender.reply_to_mismatch", "sender.reply_to_freemail"},
	},
	{
		name: "list rewriting From moves the author to Reply-To",
		msg: "From: Ann via Dev <dev@lists.example.org>\r\nTo: dev@lists.example.org\r\nReply-To: ann@gmail.com\r\n" +
			"List-Post: <mailto:dev@lists.example.org>\r\nSubject: patch\r\nMessage-ID: <a@lists.example.org>\r\n\r\nbody\r\n",
		not: []string{"sender.reply_to_mismatch", "sender.reply_to_freemail"},
	},
	{
		name: "reply-to freemail",
		msg: "From: Director <director@company.example.com>\r\nTo: undisclosed-recipients:;\r\nReply-To: director.private@gmail.com\r\n" +
			"Subject: donation\r\nMessage-ID: <a@company.example.com>\r\n\r\nYou are the beneficiary of a donation.\r\n",
		want: []string{"sender.reply_to_freemail", "sender.undisclosed_recipients", "content.lure"},
		not:  []string{"sender.reply_to_mismatch"},
	},
	{
		name: "brand in the subject of a reply is a topic",
		msg: "From: Bob <bob@news.example.org>\r\nTo: list@news.example.org\r\nSubject: Re: boycotting PayPal\r\n" +
			"In-Reply-To: <p@news.example.org>\r\nMessage-ID: <q@news.example.org>\r\n\r\nsee http://article.example.com/paypal\r\n",
		not: []string{"sender.brand_domain_mismatch", "sender.brand_subject_mismatch", "url.brand_unrelated"},
	},
	{
		name: "brand in the subject, plain-text article link",
		msg: "From: Bob <bob@news.example.org>\r\nTo: list@news.example.org\r\nSubject: PayPal buys a startup\r\n" +
			"Message-ID: <q@news.example.org>\r\n\r\nsee http://article.example.com/paypal\r\n",
		want: []string{"sender.brand_subject_mismatch"},
		not:  []string{"sender.brand_domain_mismatch", "url.brand_unrelated"},
	},
	{
		name: "brand in the display name",
		msg: "From: PayPal Service <service@secure-mail.example.net>\r\nTo: bob@corp.test\r\nSubject: Your account\r\n" +
			"Message-ID: <q@localhost>\r\nContent-Type: text/plain\r\n\r\n" +
			"Your account will be suspended. Verify your account: http://pp-verify.example.com/login\r\n",
		want: []string{"sender.brand_domain_mismatch", "url.brand_unrelated", "content.pressure_credential", "sender.msgid_placeholder"},
		not:  []string{"sender.brand_subject_mismatch"},
	},
	{
		name: "free-mail provider domain is not a lookalike",
		msg:  "From: Matt <matt@yahoo.co.uk>\r\nTo: list@linux.example\r\nSubject: hello\r\nMessage-ID: <a@web.yahoo.co.uk>\r\n\r\nhi\r\n",
		not:  []string{"sender.brand_lookalike_domain"},
	},
	{
		name: "small clock skew is not a negative delay",
		msg: "Received: from b.example.net (b.example.net [192.0.2.2]) by c.example.net; Mon, 1 Jan 2024 10:00:00 +0000\r\n" +
			"Received: from a.example.org (a.example.org [192.0.2.1]) by b.example.net; Mon, 1 Jan 2024 10:00:30 +0000\r\n" +
			"From: a@a.example.org\r\nTo: b@c.example.net\r\nSubject: x\r\nMessage-ID: <m@a.example.org>\r\n\r\nx\r\n",
		not: []string{"hops.negative_delay"},
	},
}

// TestRuleCases runs the synthetic rule cases and checks the score
// invariant on each.
func TestRuleCases(t *testing.T) {
	for _, c := range ruleCases {
		t.Run(c.name, func(t *testing.T) {
			rep := Analyze([]byte(c.msg), nil)
			fired := map[string]bool{}
			for _, f := range rep.Findings {
				fired[f.Rule] = true
			}
			for _, id := range c.want {
				if DefaultConfig().Rule(id) == nil {
					t.Fatalf("unknown rule %s in test", id)
				}
				if !fired[id] {
					t.Errorf("%s did not fire; findings: %v", id, rep.Findings)
				}
			}
			for _, id := range c.not {
				if fired[id] {
					t.Errorf("%s fired; findings: %v", id, rep.Findings)
				}
			}
			if rep.Score != Score(rep.Findings) {
				t.Errorf("score %d not explained by findings", rep.Score)
			}
		})
	}
}

func TestGenericRDNS(t *testing.T) {
	tests := []struct {
		rdns, ip string
		want     bool
	}{
		{"host217-36-23-185.in-addr.btopenworld.com", "217.36.23.185", true},
		{"c-73-15-2-9.hsd1.ca.comcast.net", "73.15.2.9", true},
		{"adsl-12.example.net", "198.51.100.12", true},
		{"example.net", "198.51.100.12", false}, // no host part
		{"mail.example.com", "198.51.100.12", false},
		{"mx1.example.com", "192.0.2.1", false},
		{"smtp-out-185.example.com", "203.0.113.185", false}, // one octet only
		{"x", "::1", false},
	}
	for _, tt := range tests {
		if got := genericRDNS(tt.rdns, tt.ip); got != tt.want {
			t.Errorf("genericRDNS(%q, %q) = %v, want %v", tt.rdns, tt.ip, got, tt.want)
		}
	}
}

func TestIsCallToAction(t *testing.T) {
	testutil.Cases(t, "isCallToAction", isCallToAction, map[string]bool{
		"Click here":                 true,
		"VERIFY NOW":                 true,
		"ログインはこちら":                   true,
		"Klik hier":                  true,
		"Quarterly report":           false,
		"":                           false,
		strings.Repeat("click ", 20): false, // a paragraph, not a button
	})
}
