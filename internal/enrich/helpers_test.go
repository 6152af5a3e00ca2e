package enrich

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// testBuild is the build time stamped into the test databases.
var testBuild = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// testNet is one network of the test databases.
type testNet struct {
	cidr    string
	asn     uint32
	org     string
	country string
}

// testNets: 121.50.46.57 is the kagoya fixture's origin (a made-up AS
// number for the Japanese ISP), 34.227.30.224 the address its link host
// spells (Amazon, real AS number).
var testNets = []testNet{
	{"121.50.46.0/24", 65001, "TSUKAERUNET", "JP"},
	{"34.224.0.0/12", 14618, "AMAZON-AES", "US"},
	{"203.0.113.0/24", 0, "", ""}, // documentation range: no data
	{"198.51.100.0/24", 64500, "EXAMPLE-BANK-NET", "JP"},
	{"2001:db8:1::/48", 64501, "V6-HOSTING Cloud", "DE"},
}

func writeTree(t testing.TB, path, dbType string, value func(n testNet) mmdbtype.Map) {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            dbType,
		RecordSize:              24,
		BuildEpoch:              testBuild.Unix(),
		IncludeReservedNetworks: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range testNets {
		if n.asn == 0 && n.country == "" {
			continue
		}
		_, ipn, err := net.ParseCIDR(n.cidr)
		if err != nil {
			t.Fatal(err)
		}
		if err := tree.Insert(ipn, value(n)); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeGeoLite writes GeoLite2-ASN.mmdb and GeoLite2-Country.mmdb into dir.
func writeGeoLite(t testing.TB, dir string) (asnPath, countryPath string) {
	asnPath = filepath.Join(dir, "GeoLite2-ASN.mmdb")
	countryPath = filepath.Join(dir, "GeoLite2-Country.mmdb")
	writeTree(t, asnPath, "GeoLite2-ASN", func(n testNet) mmdbtype.Map {
		return mmdbtype.Map{
			"autonomous_system_number":       mmdbtype.Uint32(n.asn),
			"autonomous_system_organization": mmdbtype.String(n.org),
		}
	})
	writeTree(t, countryPath, "GeoLite2-Country", func(n testNet) mmdbtype.Map {
		return mmdbtype.Map{
			"continent": mmdbtype.Map{"code": mmdbtype.String("XX")},
			"country": mmdbtype.Map{
				"iso_code": mmdbtype.String(n.country),
				"names":    mmdbtype.Map{"en": mmdbtype.String("Somewhere")},
			},
			"registered_country": mmdbtype.Map{"iso_code": mmdbtype.String(n.country)},
		}
	})
	return asnPath, countryPath
}

// writeIPinfo writes an IPinfo-Lite-layout file into dir; dbType is the
// metadata type ("ipinfo lite.mmdb", or something unknown to force
// probing).
func writeIPinfo(t testing.TB, dir, name, dbType string) string {
	p := filepath.Join(dir, name)
	writeTree(t, p, dbType, func(n testNet) mmdbtype.Map {
		return mmdbtype.Map{
			"asn":            mmdbtype.String("AS" + itoa(n.asn)),
			"as_name":        mmdbtype.String(n.org),
			"as_domain":      mmdbtype.String("example.net"),
			"country_code":   mmdbtype.String(n.country),
			"country":        mmdbtype.String("Somewhere"),
			"continent_code": mmdbtype.String("XX"),
			"continent":      mmdbtype.String("Somewhere"),
		}
	})
	return p
}

func itoa(n uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
