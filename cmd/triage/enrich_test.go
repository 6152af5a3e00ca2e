package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// writeASNDB writes a small GeoLite2-ASN-layout database.
func writeASNDB(t *testing.T, path string, nets map[string][2]any) {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoLite2-ASN", RecordSize: 24, BuildEpoch: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	for cidr, v := range nets {
		_, ipn, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatal(err)
		}
		if err := tree.Insert(ipn, mmdbtype.Map{
			"autonomous_system_number":       mmdbtype.Uint32(v[0].(int)),
			"autonomous_system_organization": mmdbtype.String(v[1].(string)),
		}); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
}

// TestScanWithASNDatabase: with --asn-db the origin hop carries its network
// and the network rule explains that it is not the brand's.
func TestScanWithASNDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "GeoLite2-ASN.mmdb")
	writeASNDB(t, db, map[string][2]any{
		"121.50.46.0/24": {65001, "TSUKAERUNET"},
		"34.224.0.0/12":  {14618, "AMAZON-AES"},
	})
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
