package analysis

import (
	"slices"
	"strings"
	"testing"
)

func TestNetworkFindings(t *testing.T) {
	kagoyaNet := &NetInfo{IP: "121.50.46.57", ASN: 65001, ASOrg: "TSUKAERUNET", Country: "JP"}
	amazon := &NetInfo{IP: "34.227.30.224", ASN: 14618, ASOrg: "AMAZON-AES", Country: "US"}
	vpsByName := &NetInfo{IP: "192.0.2.1", ASN: 64999, ASOrg: "Example VPS Hosting Ltd", Country: "JP"}
	ownNet := &NetInfo{IP: "192.0.2.2", ASN: 24282, ASOrg: "KAGOYA", Country: "JP"}
	jpURL := URL{Host: "login.example.jp", Defanged: "hxxps://login[.]example[.]jp/", Net: &NetInfo{IP: "192.0.2.9", Country: "JP"}}
	usURL := URL{Host: "34-227-30-224.cprapid.com", Defanged: "hxxp://34-227-30-224[.]cprapid[.]com/", Net: amazon}
	dmarcPass := Auth{Trusted: true, Results: []AuthResult{{Method: "dmarc", Result: "pass", Domain: "smbc-card.com"}}}

	rep := func(name, from string, origin *NetInfo, urls ...URL) *Report {
		return &Report{
			Summary: Summary{From: Address{Name: name, Address: from}},
			Hops:    []Hop{{Index: 1, FromIP: "x", Origin: true, Raw: "from x", Net: origin}, {Index: 2, Raw: "by mx"}},
			URLs:    urls,
		}
	}
	cases := []struct {
		name string
		rep  *Report
		want []string
		in   string // substring of the first summary
	}{
		{"kagoya seed", rep("Active! mail – カゴヤ・ジャパン株式会社", "x@kagoya.jp", kagoyaNet, usURL),
			[]string{RuleOriginNotBrandNetwork, RuleURLCountryMismatch}, "AS65001 TSUKAERUNET (JP), not one of the brand's networks (AS24282)"},
		{"brand's own network", rep("カゴヤ・ジャパン", "x@kagoya.com", ownNet), nil, ""},
		{"brand without ASNs", rep("三井住友カード", "x@evil.example", kagoyaNet), nil, ""},
		{"card from amazon", rep("三井住友カード", "x@evil.example", amazon),
			[]string{RuleHostingOriginClaimsInstitution}, "claims to be 三井住友カード (card) but was sent from a hosting/cloud network: 34.227.30.224 AS14618"},
		{"card from vps by org name", rep("三井住友カード", "x@evil.example", vpsByName), []string{RuleHostingOriginClaimsInstitution}, "Example VPS Hosting"},
		{"hosting brand from amazon", rep("カゴヤ・ジャパン", "x@evil.example", amazon),
			[]string{RuleOriginNotBrandNetwork}, ""},
		{"no claim from amazon", rep("Alice", "alice@example.com", amazon), nil, ""},
		{"same country link", rep("Alice", "alice@example.com", kagoyaNet, jpURL), nil, ""},
		{"link without net", rep("Alice", "alice@example.com", kagoyaNet, URL{Host: "a.example"}), nil, ""},
		{"foreign link", rep("Alice", "alice@example.com", kagoyaNet, jpURL, usURL, usURL), []string{RuleURLCountryMismatch}, "link host 34-227-30-224[.]cprapid[.]com is in US"},
		{"no origin net", rep("三井住友カード", "x@evil.example", nil, usURL), nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := New(nil).NetworkFindings(c.rep)
			var got []string
			for _, f := range fs {
				got = append(got, f.Rule)
				if f.Points <= 0 || f.Evidence == "" || f.Summary == "" {
					t.Errorf("unexplained finding %+v", f)
				}
			}
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("rules = %v, want %v (%+v)", got, want, fs)
			}
			if c.in != "" && !strings.Contains(fs[0].Summary, c.in) {
				t.Errorf("summary %q does not contain %q", fs[0].Summary, c.in)
			}
		})
	}

	// The brand's official domain with DMARC pass, sent through a cloud
	// mail service: no network finding.
	r := rep("三井住友カード", "info@smbc-card.com", amazon)
	r.Auth = dmarcPass
	if fs := New(nil).NetworkFindings(r); len(fs) != 0 {
		t.Errorf("legitimate brand mail via cloud: %+v", fs)
	}
	r.Auth.Trusted = false
	if fs := New(nil).NetworkFindings(r); len(fs) != 1 {
		t.Errorf("untrusted DMARC pass credited: %+v", fs)
	}
	if New(nil).NetworkFindings(nil) != nil {
		t.Error("nil report")
	}
}

func TestIsHostingNetwork(t *testing.T) {
	cases := []struct {
		ni   *NetInfo
		want bool
	}{
		{nil, false},
		{&NetInfo{ASN: 16509}, true},
		{&NetInfo{ASN: 64999, ASOrg: "DIGITALOCEAN-ASN"}, true},
		{&NetInfo{ASN: 64999, ASOrg: "Hetzner Online GmbH"}, true},
		{&NetInfo{ASN: 64999, ASOrg: "TSUKAERUNET"}, false},
		{&NetInfo{ASN: 64999, ASOrg: "LAWSON, Inc."}, false},
		{&NetInfo{}, false},
	}
	for _, c := range cases {
		if got := New(nil).IsHostingNetwork(c.ni); got != c.want {
			t.Errorf("IsHostingNetwork(%+v) = %v, want %v", c.ni, got, c.want)
		}
	}
}
