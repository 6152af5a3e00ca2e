// Package enrich adds network context to a report: the autonomous system
// and country of hop and link IP addresses from offline MaxMind-format
// databases, and — only when the analyst opts in — online look-ups (reverse
// DNS, Team Cymru IP→ASN, A/AAAA of link hosts, RDAP registration dates).
//
// Every answer carries its provenance (NetInfo.Source, NetInfo.AsOf). With
// no database and online look-ups off, nothing here touches the network or
// the file system.
package enrich

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/triage-tools/triage/internal/analysis"
)

// ErrDatabase is wrapped by every error OpenDatabases returns for a file
// that cannot be opened or is not a usable MaxMind-format database.
var ErrDatabase = errors.New("enrich: ip database")

// layout is the record layout of a database file.
type layout int

const (
	layoutUnknown layout = iota
	layoutASN            // GeoLite2-ASN, DB-IP ASN Lite: autonomous_system_number/_organization
	layoutGeo            // GeoLite2-Country/City, DB-IP Country/City Lite: country.iso_code
	layoutIPinfo         // IPinfo Lite / country_asn: asn "AS13335", as_name, country_code
)

// db is one open database file.
type db struct {
	path   string
	r      *maxminddb.Reader
	layout layout
	source string // "GeoLite2-ASN 2026-11-20"
	built  time.Time
}

// Databases are the offline IP databases: one giving the AS, one giving
// the country (possibly the same file, as for IPinfo Lite). The zero value
// and nil are valid and know nothing. Safe for concurrent use; Close must
// not race with Lookup.
type Databases struct {
	asn, country *db // either may be nil; equal pointers when one file serves both
}

// OpenDatabases opens the AS database at asnPath and the country database
// at countryPath. Either may be ""; when both name the same file it is
// opened once. A file whose layout carries both AS and country (IPinfo
// Lite) given as only one of the two also serves the other. The layout is
// told from the metadata DatabaseType and, for unknown types, by probing a
// record. Errors wrap ErrDatabase.
func OpenDatabases(asnPath, countryPath string) (*Databases, error) {
	d := &Databases{}
	if asnPath != "" {
		x, err := openDB(asnPath)
		if err != nil {
			return nil, err
		}
		d.asn = x
	}
	if countryPath != "" {
		if d.asn != nil && sameFile(asnPath, countryPath) {
			d.country = d.asn
		} else {
			x, err := openDB(countryPath)
			if err != nil {
				_ = d.Close()
				return nil, err
			}
			d.country = x
		}
	}
	// A file of one kind given in the other slot: move it.
	if d.asn != nil && d.asn.layout == layoutGeo && d.country == nil {
		d.asn, d.country = nil, d.asn
	}
	if d.country != nil && d.country.layout == layoutASN && d.asn == nil {
		d.asn, d.country = d.country, nil
	}
	// IPinfo carries both.
	if d.asn != nil && d.asn.layout == layoutIPinfo && d.country == nil {
		d.country = d.asn
	}
	if d.country != nil && d.country.layout == layoutIPinfo && d.asn == nil {
		d.asn = d.country
	}
	return d, nil
}

func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

func openDB(path string) (*db, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrDatabase, path, err)
	}
	x := &db{path: path, r: r}
	x.layout = layoutOf(r)
	if x.layout == layoutUnknown {
		_ = r.Close()
		return nil, fmt.Errorf("%w: %s: unsupported database type %q (want an ASN or country database)", ErrDatabase, path, r.Metadata.DatabaseType)
	}
	x.built = r.Metadata.BuildTime().UTC()
	name := r.Metadata.DatabaseType
	if name == "" {
		name = filepath.Base(path)
	}
	x.source = name + " " + x.built.Format("2006-01-02")
	return x, nil
}

// layoutOf tells the record layout from the database type, probing the
// first few records when the type is not recognised.
func layoutOf(r *maxminddb.Reader) layout {
	t := strings.ToLower(r.Metadata.DatabaseType)
	switch {
	case strings.Contains(t, "ipinfo"):
		return layoutIPinfo
	case strings.Contains(t, "asn") && !strings.Contains(t, "country") && !strings.Contains(t, "city"):
		return layoutASN
	case strings.Contains(t, "country") || strings.Contains(t, "city"):
		return layoutGeo
	}
	n := 0
	for res := range r.Networks() {
		if n++; n > 8 {
			break
		}
		var m map[string]any
		if res.Decode(&m) != nil {
			continue
		}
		switch {
		case m["as_name"] != nil || m["country_code"] != nil:
			return layoutIPinfo
		case m["autonomous_system_number"] != nil:
			return layoutASN
		case m["country"] != nil || m["registered_country"] != nil:
			return layoutGeo
		}
	}
	return layoutUnknown
}

// Record layouts. Only the fields used are decoded.
type asnRecord struct {
	ASN   uint32 `maxminddb:"autonomous_system_number"`
	ASOrg string `maxminddb:"autonomous_system_organization"`
}

type geoRecord struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	Registered struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"registered_country"`
}

type ipinfoRecord struct {
	ASN         string `maxminddb:"asn"` // "AS13335"
	ASName      string `maxminddb:"as_name"`
	CountryCode string `maxminddb:"country_code"`
}

// lookup decodes ip from x into ni; it reports whether x had a record.
func (x *db) lookup(ip netip.Addr, ni *analysis.NetInfo) bool {
	res := x.r.Lookup(ip)
	if !res.Found() {
		return false
	}
	switch x.layout {
	case layoutASN:
		var rec asnRecord
		if res.Decode(&rec) != nil {
			return false
		}
		ni.ASN, ni.ASOrg = rec.ASN, rec.ASOrg
	case layoutGeo:
		var rec geoRecord
		if res.Decode(&rec) != nil {
			return false
		}
		ni.Country = rec.Country.ISOCode
		if ni.Country == "" {
			ni.Country = rec.Registered.ISOCode
		}
	case layoutIPinfo:
		var rec ipinfoRecord
		if res.Decode(&rec) != nil {
			return false
		}
		ni.ASN = parseASN(rec.ASN)
		ni.ASOrg = rec.ASName
		ni.Country = rec.CountryCode
	}
	return true
}

// parseASN turns "AS13335" (or "13335") into 13335; 0 when malformed.
func parseASN(s string) uint32 {
	s = strings.TrimSpace(s)
	if len(s) > 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's') {
		s = s[2:]
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0
	}
	return uint32(n)
}

// Lookup returns the AS and country of ip from the databases. It reports
// false when d is nil, ip is not a public unicast address, or no database
// has a record for it. Source names the database(s) that answered with
// their build dates ("GeoLite2-ASN 2026-11-20 + GeoLite2-Country
// 2026-11-18"); AsOf is the oldest of those build times. Safe for
// concurrent use.
func (d *Databases) Lookup(ip netip.Addr) (analysis.NetInfo, bool) {
	var ni analysis.NetInfo
	if d == nil || (d.asn == nil && d.country == nil) {
		return ni, false
	}
	ip = ip.Unmap()
	if !publicIP(ip) {
		return ni, false
	}
	var used [2]*db
	n := 0
	if d.asn != nil && d.asn.lookup(ip, &ni) {
		used[n] = d.asn
		n++
	}
	if d.country != nil && d.country != d.asn && d.country.lookup(ip, &ni) {
		used[n] = d.country
		n++
	}
	if n == 0 || (ni.ASN == 0 && ni.ASOrg == "" && ni.Country == "") {
		return analysis.NetInfo{}, false
	}
	ni.IP = ip.String()
	ni.Source = used[0].source
	ni.AsOf = used[0].built
	if n == 2 {
		ni.Source += " + " + used[1].source
		if used[1].built.Before(ni.AsOf) {
			ni.AsOf = used[1].built
		}
	}
	return ni, true
}

// publicIP reports whether ip is worth looking up: a valid global unicast
// address that is not private, loopback, link-local or unspecified.
func publicIP(ip netip.Addr) bool {
	return ip.IsValid() && ip.IsGlobalUnicast() && !ip.IsPrivate() && !ip.Is4In6() && !cgnat.Contains(ip)
}

// cgnat is the RFC 6598 shared address space.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// Close closes the database files. d must not be used afterwards.
func (d *Databases) Close() error {
	if d == nil {
		return nil
	}
	var errs []error
	if d.asn != nil {
		errs = append(errs, d.asn.r.Close())
	}
	if d.country != nil && d.country != d.asn {
		errs = append(errs, d.country.r.Close())
	}
	d.asn, d.country = nil, nil
	return errors.Join(errs...)
}

// Describe says which files are in use and how old they are, for the UI
// ("AS: GeoLite2-ASN 2026-11-20 (/path/GeoLite2-ASN.mmdb); country: …");
// "" when there is none.
func (d *Databases) Describe() string {
	if d == nil {
		return ""
	}
	var parts []string
	switch {
	case d.asn != nil && d.asn == d.country:
		parts = append(parts, "AS+country: "+d.asn.source+" ("+d.asn.path+")")
	default:
		if d.asn != nil {
			parts = append(parts, "AS: "+d.asn.source+" ("+d.asn.path+")")
		}
		if d.country != nil {
			parts = append(parts, "country: "+d.country.source+" ("+d.country.path+")")
		}
	}
	return strings.Join(parts, "; ")
}

// Well-known file names, best first.
var (
	asnNames     = []string{"GeoLite2-ASN.mmdb", "dbip-asn-lite*.mmdb", "dbip-asn*.mmdb", "GeoIP2-ISP.mmdb"}
	countryNames = []string{"GeoLite2-Country.mmdb", "GeoLite2-City.mmdb", "dbip-country-lite*.mmdb", "dbip-city-lite*.mmdb", "GeoIP2-Country.mmdb", "GeoIP2-City.mmdb"}
	bothNames    = []string{"ipinfo_lite.mmdb", "ipinfo-lite.mmdb", "ipinfo_lite*.mmdb", "country_asn.mmdb"}
)

// FindDatabases looks in dir (typically $XDG_DATA_HOME/triage) for the
// well-known database file names: GeoLite2-ASN.mmdb, GeoLite2-Country.mmdb
// or GeoLite2-City.mmdb, dbip-asn-lite-YYYY-MM.mmdb,
// dbip-country-lite-YYYY-MM.mmdb (the newest by name wins), and
// ipinfo_lite.mmdb or country_asn.mmdb (serving both). It returns "" for a
// kind not found; it only lists the directory, it does not open files.
func FindDatabases(dir string) (asnPath, countryPath string) {
	if dir == "" {
		return "", ""
	}
	find := func(pats []string) string {
		for _, p := range pats {
			m, _ := filepath.Glob(filepath.Join(dir, p))
			if len(m) > 0 {
				slices.Sort(m)
				return m[len(m)-1]
			}
		}
		return ""
	}
	asnPath, countryPath = find(asnNames), find(countryNames)
	if asnPath == "" || countryPath == "" {
		if both := find(bothNames); both != "" {
			if asnPath == "" {
				asnPath = both
			}
			if countryPath == "" {
				countryPath = both
			}
		}
	}
	return asnPath, countryPath
}

// DefaultDir is $XDG_DATA_HOME/triage, or ~/.local/share/triage; "" when
// neither can be determined.
func DefaultDir() string {
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "triage")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "triage")
	}
	return ""
}
