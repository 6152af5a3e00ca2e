package analysis

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	o := OriginHop(rep.Hops)
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
	raw, err := os.ReadFile("testdata/seed/activemail.eml")
	if err != nil {
		t.Fatal(err)
	}
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
	raw, err := os.ReadFile(filepath.Join(sharedDir(t), "fixtures", "seed", "kagoya-activemail.eml"))
	if err != nil {
		t.Skipf("shared seed fixture not available: %v", err)
	}
	seedFacts(t, Analyze(raw, nil))
}

// TestRulesTable checks the rule table: unique IDs of the form area.name,
// non-empty explanations.
func TestRulesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
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
	raw, err := os.ReadFile("testdata/seed/activemail.eml")
	if err != nil {
		t.Fatal(err)
	}
	zero := 0
	cfg := &Config{Rules: map[string]RuleOverride{
		"sender.brand_domain_mismatch": {Disabled: true},
		"content.pressure":             {Points: &zero},
	}}
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
