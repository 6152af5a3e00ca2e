package main

import (
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/enrich/enrichtest"
)

// TestScanWithASNDatabase: with --asn-db the origin hop carries its network
// and the network rule explains that it is not the brand's.
func TestScanWithASNDatabase(t *testing.T) {
	db, _ := enrichtest.WriteGeoLite(t, t.TempDir())
	out, _, err := triage(t, "", "scan", "--no-store", "--jsonl", "--asn-db", db, seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"as_org":"TSUKAERUNET"`) {
		t.Errorf("origin hop not enriched:\n%.600s", out)
	}
	if !strings.Contains(out, `"rule":"net.origin_not_brand_network"`) {
		t.Errorf("network rule did not fire")
	}
	if !strings.Contains(out, `"as_org":"AMAZON-AES"`) {
		t.Errorf("IP-encoding URL host not enriched")
	}
}
