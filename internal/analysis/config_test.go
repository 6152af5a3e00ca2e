package analysis

import (
	"testing"
)

// TestConfigCopies checks that configurations share nothing mutable:
// DefaultConfig returns fresh tables, and an Analyzer keeps its own copy.
func TestConfigCopies(t *testing.T) {
	a, b := DefaultConfig(), DefaultConfig()
	a.Rules[0].Points = 99
	a.HostingASNs[0] = 1
	a.HostingOrgKeywords[0] = "x"
	if b.Rules[0].Points == 99 || b.HostingASNs[0] == 1 || b.HostingOrgKeywords[0] == "x" {
		t.Fatal("DefaultConfig copies share tables")
	}
	if DefaultRules()[0].Points == 99 {
		t.Fatal("DefaultRules shares its table")
	}

	raw := readSeed(t)
	cfg := DefaultConfig()
	an := New(cfg)
	before := an.Analyze(raw).Score
	for i := range cfg.Rules {
		cfg.Rules[i].Disabled = true
	}
	cfg.TrustedHosts = append(cfg.TrustedHosts, "kagoya.jp")
	if got := an.Analyze(raw).Score; got != before || before == 0 {
		t.Fatalf("changing the Config after New changed the analyzer: score %d, was %d", got, before)
	}
	if got := New(cfg).Analyze(raw); got.Score != 0 || len(got.Findings) != 0 {
		t.Fatalf("every rule disabled: score %d, findings %v", got.Score, got.Findings)
	}
	if r, ok := an.Rule("sender.brand_domain_mismatch"); !ok || r.Points != 35 {
		t.Fatalf("Rule = %+v, %v", r, ok)
	}
	c := an.Config()
	c.Rules[0].Points = -1
	if r, _ := an.Rule(c.Rules[0].ID); r.Points == -1 {
		t.Fatal("Analyzer.Config shares the rule table")
	}
}

// TestAnalyzerHostingASNs checks that the hosting-network lists come from
// the Config.
func TestAnalyzerHostingASNs(t *testing.T) {
	ni := &NetInfo{ASN: 64512, ASOrg: "Example Net"}
	if New(nil).IsHostingNetwork(ni) {
		t.Fatal("AS64512 is not in the default list")
	}
	cfg := DefaultConfig()
	cfg.HostingASNs = append(cfg.HostingASNs, 64512)
	if !New(cfg).IsHostingNetwork(ni) {
		t.Fatal("Config.HostingASNs ignored")
	}
	cfg = DefaultConfig()
	cfg.HostingOrgKeywords = []string{"example net"}
	if !New(cfg).IsHostingNetwork(ni) || New(cfg).IsHostingNetwork(&NetInfo{ASOrg: "DIGITALOCEAN-ASN"}) {
		t.Fatal("Config.HostingOrgKeywords ignored")
	}
}

// TestAddFindingsPoints checks that findings added after analysis are
// scored from the analyzer's table: the first of a rule gets its weight,
// later ones 0, disabled rules are dropped.
func TestAddFindingsPoints(t *testing.T) {
	cfg := DefaultConfig()
	seven := 7
	if err := cfg.Override("net.new_domain", RuleOverride{Points: &seven}); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Override(RuleURLCountryMismatch, RuleOverride{Disabled: true}); err != nil {
		t.Fatal(err)
	}
	rep := &Report{}
	New(cfg).AddFindings(rep, []Finding{
		{Rule: "net.new_domain", Summary: "a"},
		{Rule: "net.new_domain", Points: 20, Summary: "b"},
		{Rule: RuleURLCountryMismatch, Points: 5, Summary: "c"},
	})
	if len(rep.Findings) != 2 || rep.Findings[0].Points != 7 || rep.Findings[1].Points != 0 || rep.Score != 7 {
		t.Fatalf("findings %+v, score %d", rep.Findings, rep.Score)
	}
}
