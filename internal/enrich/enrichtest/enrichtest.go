// Package enrichtest writes the small MaxMind-format databases (GeoLite2
// ASN and Country, IPinfo Lite) that the tests of enrich and of the
// commands read.
package enrichtest

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Build returns the build time stamped into the test databases.
func Build() time.Time { return time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC) }

// network is one network of the test databases.
type network struct {
	cidr    string
	asn     uint32
	org     string
	country string
}

// networks: 121.50.46.57 is the kagoya fixture's origin (a made-up AS
// number for the Japanese ISP), 34.227.30.224 the address its link host
// spells (Amazon, real AS number).
func networks() []network {
	return []network{
		{"121.50.46.0/24", 65001, "TSUKAERUNET", "JP"},
		{"34.224.0.0/12", 14618, "AMAZON-AES", "US"},
		{"203.0.113.0/24", 0, "", ""}, // documentation range: no data
		{"198.51.100.0/24", 64500, "EXAMPLE-BANK-NET", "JP"},
		{"2001:db8:1::/48", 64501, "V6-HOSTING Cloud", "DE"},
	}
}

func writeTree(tb testing.TB, path, dbType string, value func(n network) mmdbtype.Map) {
	tb.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            dbType,
		RecordSize:              24,
		BuildEpoch:              Build().Unix(),
		IncludeReservedNetworks: true,
	})
	if err != nil {
		tb.Fatal(err)
	}
	for _, n := range networks() {
		if n.asn == 0 && n.country == "" {
			continue
		}
		_, ipn, err := net.ParseCIDR(n.cidr)
		if err != nil {
			tb.Fatal(err)
		}
		if err := tree.Insert(ipn, value(n)); err != nil {
			tb.Fatal(err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// WriteGeoLite writes GeoLite2-ASN.mmdb and GeoLite2-Country.mmdb into
// dir and returns their paths; it stops tb on an error.
func WriteGeoLite(tb testing.TB, dir string) (asnPath, countryPath string) {
	tb.Helper()
	asnPath = filepath.Join(dir, "GeoLite2-ASN.mmdb")
	countryPath = filepath.Join(dir, "GeoLite2-Country.mmdb")
	writeTree(tb, asnPath, "GeoLite2-ASN", func(n network) mmdbtype.Map {
		return mmdbtype.Map{
			"autonomous_system_number":       mmdbtype.Uint32(n.asn),
			"autonomous_system_organization": mmdbtype.String(n.org),
		}
	})
	writeTree(tb, countryPath, "GeoLite2-Country", func(n network) mmdbtype.Map {
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

// WriteIPinfo writes an IPinfo-Lite-layout file named name into dir and
// returns its path; dbType is the metadata type ("ipinfo lite.mmdb", or
// something unknown to force probing).
func WriteIPinfo(tb testing.TB, dir, name, dbType string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	writeTree(tb, p, dbType, func(n network) mmdbtype.Map {
		return mmdbtype.Map{
			"asn":            mmdbtype.String("AS" + strconv.FormatUint(uint64(n.asn), 10)),
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
