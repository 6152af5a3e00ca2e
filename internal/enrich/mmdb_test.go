package enrich

import (
	"errors"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/enrich/enrichtest"
	"github.com/triage-tools/triage/internal/testutil"
)

func TestLookupLayouts(t *testing.T) {
	dir := t.TempDir()
	asnPath, countryPath := enrichtest.WriteGeoLite(t, dir)
	ipinfo := enrichtest.WriteIPinfo(t, dir, "ipinfo_lite.mmdb", "ipinfo lite.mmdb")
	probed := enrichtest.WriteIPinfo(t, dir, "mystery.mmdb", "Mystery-DB")

	type want struct {
		ok      bool
		asn     uint32
		org     string
		country string
		source  string
	}
	geo := "GeoLite2-ASN 2026-11-20 + GeoLite2-Country 2026-11-20"
	cases := []struct {
		name         string
		asn, country string
		ip           string
		want         want
	}{
		{"geolite origin", asnPath, countryPath, "121.50.46.57", want{true, 65001, "TSUKAERUNET", "JP", geo}},
		{"geolite amazon", asnPath, countryPath, "34.227.30.224", want{true, 14618, "AMAZON-AES", "US", geo}},
		{"geolite v6", asnPath, countryPath, "2001:db8:1::25", want{true, 64501, "V6-HOSTING Cloud", "DE", geo}},
		{"geolite mapped v4", asnPath, countryPath, "::ffff:34.227.30.224", want{true, 14618, "AMAZON-AES", "US", geo}},
		{"geolite no record", asnPath, countryPath, "203.0.113.7", want{}},
		{"private never looked up", asnPath, countryPath, "10.1.2.3", want{}},
		{"loopback", asnPath, countryPath, "127.0.0.1", want{}},
		{"cgnat", asnPath, countryPath, "100.64.1.1", want{}},
		{"asn only", asnPath, "", "34.227.30.224", want{true, 14618, "AMAZON-AES", "", "GeoLite2-ASN 2026-11-20"}},
		{"country only", "", countryPath, "34.227.30.224", want{true, 0, "", "US", "GeoLite2-Country 2026-11-20"}},
		{"country db in asn slot", countryPath, "", "121.50.46.57", want{true, 0, "", "JP", "GeoLite2-Country 2026-11-20"}},
		{"ipinfo both", ipinfo, ipinfo, "34.227.30.224", want{true, 14618, "AMAZON-AES", "US", "ipinfo lite.mmdb 2026-11-20"}},
		{"ipinfo as asn only", ipinfo, "", "121.50.46.57", want{true, 65001, "TSUKAERUNET", "JP", "ipinfo lite.mmdb 2026-11-20"}},
		{"ipinfo as country only", "", ipinfo, "121.50.46.57", want{true, 65001, "TSUKAERUNET", "JP", "ipinfo lite.mmdb 2026-11-20"}},
		{"unknown type probed", probed, "", "121.50.46.57", want{true, 65001, "TSUKAERUNET", "JP", "Mystery-DB 2026-11-20"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := OpenDatabases(c.asn, c.country)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			ni, ok := d.Lookup(netip.MustParseAddr(c.ip))
			if ok != c.want.ok {
				t.Fatalf("Lookup(%s) ok = %v, want %v (%+v)", c.ip, ok, c.want.ok, ni)
			}
			if !ok {
				return
			}
			if ni.ASN != c.want.asn || ni.ASOrg != c.want.org || ni.Country != c.want.country || ni.Source != c.want.source {
				t.Errorf("Lookup(%s) = %+v, want %+v", c.ip, ni, c.want)
			}
			if !ni.AsOf.Equal(enrichtest.Build()) {
				t.Errorf("AsOf = %v, want %v", ni.AsOf, enrichtest.Build())
			}
			if want := netip.MustParseAddr(c.ip).Unmap().String(); ni.IP != want {
				t.Errorf("IP = %q, want %q", ni.IP, want)
			}
		})
	}
}

func TestOpenDatabasesErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.mmdb")
	testutil.WriteFile(t, bad, []byte("not a database"))
	for _, p := range []string{bad, filepath.Join(dir, "missing.mmdb")} {
		if _, err := OpenDatabases(p, ""); !errors.Is(err, ErrDatabase) {
			t.Errorf("OpenDatabases(%s) error = %v, want ErrDatabase", p, err)
		}
		if _, err := OpenDatabases("", p); !errors.Is(err, ErrDatabase) {
			t.Errorf("OpenDatabases(country %s) error = %v, want ErrDatabase", p, err)
		}
	}
	// Nothing configured: a valid, empty set.
	d, err := OpenDatabases("", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Lookup(netip.MustParseAddr("34.227.30.224")); ok {
		t.Error("empty Databases answered")
	}
	if d.Describe() != "" {
		t.Errorf("Describe() = %q, want empty", d.Describe())
	}
	var nilDB *Databases
	if _, ok := nilDB.Lookup(netip.MustParseAddr("34.227.30.224")); ok || nilDB.Describe() != "" || nilDB.Close() != nil {
		t.Error("nil Databases is not inert")
	}
}

func TestDescribe(t *testing.T) {
	dir := t.TempDir()
	asnPath, countryPath := enrichtest.WriteGeoLite(t, dir)
	d, err := OpenDatabases(asnPath, countryPath)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	got := d.Describe()
	for _, w := range []string{"AS: GeoLite2-ASN 2026-11-20", "country: GeoLite2-Country 2026-11-20", asnPath, countryPath} {
		if !strings.Contains(got, w) {
			t.Errorf("Describe() = %q, missing %q", got, w)
		}
	}
	ip := enrichtest.WriteIPinfo(t, dir, "ipinfo_lite.mmdb", "ipinfo lite.mmdb")
	d2, err := OpenDatabases(ip, ip)
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	if got := d2.Describe(); !strings.HasPrefix(got, "AS+country: ipinfo lite.mmdb 2026-11-20") {
		t.Errorf("Describe() = %q", got)
	}
}

func TestFindDatabases(t *testing.T) {
	touch := func(dir string, names ...string) {
		for _, n := range names {
			testutil.WriteFile(t, filepath.Join(dir, n), nil)
		}
	}
	cases := []struct {
		name        string
		files       []string
		asn, contry string
	}{
		{"empty", nil, "", ""},
		{"geolite", []string{"GeoLite2-ASN.mmdb", "GeoLite2-Country.mmdb", "other.mmdb"}, "GeoLite2-ASN.mmdb", "GeoLite2-Country.mmdb"},
		{"geolite city", []string{"GeoLite2-City.mmdb"}, "", "GeoLite2-City.mmdb"},
		{"dbip newest wins", []string{"dbip-asn-lite-2026-10.mmdb", "dbip-asn-lite-2026-11.mmdb", "dbip-country-lite-2026-11.mmdb"}, "dbip-asn-lite-2026-11.mmdb", "dbip-country-lite-2026-11.mmdb"},
		{"ipinfo both", []string{"ipinfo_lite.mmdb"}, "ipinfo_lite.mmdb", "ipinfo_lite.mmdb"},
		{"ipinfo fills the gap", []string{"ipinfo_lite.mmdb", "GeoLite2-Country.mmdb"}, "ipinfo_lite.mmdb", "GeoLite2-Country.mmdb"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			touch(dir, c.files...)
			a, co := FindDatabases(dir)
			if filepath.Base(a) != c.asn && !(a == "" && c.asn == "") {
				t.Errorf("asn = %q, want %q", a, c.asn)
			}
			if filepath.Base(co) != c.contry && !(co == "" && c.contry == "") {
				t.Errorf("country = %q, want %q", co, c.contry)
			}
		})
	}
	if a, c := FindDatabases(""); a != "" || c != "" {
		t.Error("FindDatabases(\"\") found something")
	}
}

func TestParseASN(t *testing.T) {
	for in, want := range map[string]uint32{"AS13335": 13335, "as1": 1, "13335": 13335, "": 0, "AS": 0, "ASx": 0, "AS99999999999": 0} {
		if got := parseASN(in); got != want {
			t.Errorf("parseASN(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestLookupConcurrent(t *testing.T) {
	d := openTestDBs(t)
	ips := []netip.Addr{netip.MustParseAddr("121.50.46.57"), netip.MustParseAddr("34.227.30.224"), netip.MustParseAddr("2001:db8:1::1")}
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 200; i++ {
				if ni, ok := d.Lookup(ips[i%len(ips)]); !ok || ni.ASN == 0 {
					t.Errorf("Lookup(%s) = %+v, %v", ips[i%len(ips)], ni, ok)
					return
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}
