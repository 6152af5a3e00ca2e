package enrich

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/received"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// testZone answers the test DNS server: name → records (zone-file text).
var testZone = map[string][]string{
	"57.46.50.121.in-addr.arpa.":          []string{"57.46.50.121.in-addr.arpa. 60 IN PTR ns57.tsukaeru.example."},
	"57.46.50.121.origin.asn.cymru.com.":  []string{`57.46.50.121.origin.asn.cymru.com. 60 IN TXT "65001 | 121.50.46.0/24 | JP | apnic | 2001-01-01"`},
	"AS65001.asn.cymru.com.":              []string{`AS65001.asn.cymru.com. 60 IN TXT "65001 | JP | apnic | 2001-01-01 | TSUKAERUNET Tsukaeru Net, JP"`},
	"224.30.227.34.origin.asn.cymru.com.": []string{`x. 60 IN TXT "14618 | 34.224.0.0/12 | US | arin | 2005-11-23"`},
	"AS14618.asn.cymru.com.":              []string{`x. 60 IN TXT "14618 | US | arin | 2005-11-23 | AMAZON-AES, US"`},
	"34-227-30-224.cprapid.com.":          []string{"34-227-30-224.cprapid.com. 60 IN A 34.227.30.224"},
	"www.example.org.":                    []string{"www.example.org. 60 IN A 198.51.100.9", "www.example.org. 60 IN AAAA 2001:db8:1::9"},
	"9.100.51.198.origin.asn.cymru.com.":  []string{`x. 60 IN TXT "64500 | 198.51.100.0/24 | JP | apnic | 2001-01-01"`},
	"AS64500.asn.cymru.com.":              []string{`x. 60 IN TXT "64500 | JP | apnic | 2001-01-01 | EXAMPLE-BANK-NET"`},
	"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.": []string{"x. 60 IN PTR v6.example.net."},
}

// startDNS starts a UDP DNS server on 127.0.0.1 answering from testZone
// (NXDOMAIN otherwise) and returns its address and a query counter.
func startDNS(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		n.Add(1)
		m := new(dns.Msg)
		m.SetReply(r)
		q := r.Question[0]
		recs, ok := testZone[q.Name]
		if !ok {
			m.Rcode = dns.RcodeNameError
		}
		for _, s := range recs {
			rr, err := dns.NewRR(s)
			if err != nil {
				t.Errorf("zone %q: %v", s, err)
				continue
			}
			if rr.Header().Rrtype == q.Qtype {
				rr.Header().Name = q.Name
				m.Answer = append(m.Answer, rr)
			}
		}
		_ = w.WriteMsg(m)
	})}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown() })
	return pc.LocalAddr().String(), &n
}

// startSilentDNS returns the address of a UDP socket that never answers.
func startSilentDNS(t *testing.T) string {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	return pc.LocalAddr().String()
}

// rdapDoc is an RDAP domain answer registered at reg.
func rdapDoc(name string, reg time.Time) string {
	return fmt.Sprintf(`{"objectClassName":"domain","ldhName":%q,
	 "events":[{"eventAction":"last changed","eventDate":"2026-11-24T00:00:00Z"},
	           {"eventAction":"registration","eventDate":%q}],
	 "entities":[{"objectClassName":"entity","roles":["registrar"],
	   "vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","Example Registrar, Inc."]]]}]}`,
		name, reg.Format(time.RFC3339))
}

// startRDAP serves /domain/{name} for cprapid.com (registered 10 days
// before testNow) and kagoya.jp (in 2001); 404 otherwise; /domain/slow.example
// never answers before the client gives up.
func startRDAP(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		name := strings.TrimPrefix(r.URL.Path, "/domain/")
		switch name {
		case "cprapid.com":
			w.Header().Set("Content-Type", "application/rdap+json")
			fmt.Fprint(w, rdapDoc(name, testNow.Add(-10*24*time.Hour)))
		case "kagoya.jp":
			fmt.Fprint(w, rdapDoc(name, time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC)))
		case "redirect.example":
			http.Redirect(w, r, "/domain/cprapid.com", http.StatusFound)
		case "slow.example":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		case "garbage.example":
			fmt.Fprint(w, "{not json")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// memCache is an in-memory Cache.
type memCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *memCache) PutEnrichment(k string, v []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]byte{}
	}
	c.m[k] = append([]byte(nil), v...)
	return nil
}

func (c *memCache) Enrichment(k string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok, nil
}

// failDialer fails the test on any dial.
type failDialer struct{ t *testing.T }

func (d failDialer) DialContext(_ context.Context, network, addr string) (net.Conn, error) {
	d.t.Errorf("unexpected network use: %s %s", network, addr)
	return nil, errors.New("no network in this test")
}

func TestOnlineDNS(t *testing.T) {
	addr, served := startDNS(t)
	cache := &memCache{}
	o := NewOnline(OnlineOptions{Enabled: true, DNSServer: addr, Cache: cache, Now: func() time.Time { return testNow }})
	defer o.Close()
	ctx := context.Background()

	p, ok := o.PTR(ctx, netip.MustParseAddr("121.50.46.57"))
	if !ok || p.Name != "ns57.tsukaeru.example" || p.Source != "dns PTR via "+addr || !p.AsOf.Equal(testNow) {
		t.Errorf("PTR = %+v, %v", p, ok)
	}
	p, ok = o.PTR(ctx, netip.MustParseAddr("2001:db8:1::1"))
	if !ok || p.Name != "v6.example.net" {
		t.Errorf("PTR v6 = %+v, %v", p, ok)
	}
	p, ok = o.PTR(ctx, netip.MustParseAddr("203.0.113.1"))
	if !ok || p.Name != "" {
		t.Errorf("PTR NXDOMAIN = %+v, %v; want known, empty", p, ok)
	}
	ni, ok := o.ASN(ctx, netip.MustParseAddr("121.50.46.57"))
	if !ok || ni.ASN != 65001 || ni.ASOrg != "TSUKAERUNET Tsukaeru Net, JP" || ni.Country != "JP" || ni.Source != "cymru" || ni.IP != "121.50.46.57" {
		t.Errorf("ASN = %+v, %v", ni, ok)
	}
	if _, ok := o.ASN(ctx, netip.MustParseAddr("203.0.113.1")); ok {
		t.Error("ASN without data reported known")
	}
	if _, ok := o.ASN(ctx, netip.MustParseAddr("10.0.0.1")); ok {
		t.Error("ASN of a private address")
	}
	h, ok := o.Resolve(ctx, "www.example.org")
	if !ok || strings.Join(h.IPs, ",") != "198.51.100.9,2001:db8:1::9" {
		t.Errorf("Resolve = %+v, %v", h, ok)
	}
	h, ok = o.Resolve(ctx, "nx.example.org")
	if !ok || len(h.IPs) != 0 {
		t.Errorf("Resolve NXDOMAIN = %+v, %v", h, ok)
	}
	for _, bad := range []string{"", "localhost", "a..b", "exa mple.com", "ex\x00.com", strings.Repeat("a.", 200)} {
		if _, ok := o.Resolve(ctx, bad); ok {
			t.Errorf("Resolve(%q) answered", bad)
		}
	}

	// Everything again: from the cache, no new query.
	before := served.Load()
	q := o.Queries()
	if _, ok := o.PTR(ctx, netip.MustParseAddr("121.50.46.57")); !ok {
		t.Error("cached PTR lost")
	}
	if ni, ok := o.ASN(ctx, netip.MustParseAddr("121.50.46.57")); !ok || ni.ASN != 65001 {
		t.Error("cached ASN lost")
	}
	if _, ok := o.Resolve(ctx, "www.example.org"); !ok {
		t.Error("cached Resolve lost")
	}
	if served.Load() != before || o.Queries() != q {
		t.Errorf("cache hits queried the server (%d→%d)", before, served.Load())
	}
	for _, k := range []string{"ptr:121.50.46.57", "cymru:121.50.46.57", "a:www.example.org"} {
		v, ok, _ := cache.Enrichment(k)
		var prov Provenance
		if !ok || json.Unmarshal(v, &prov) != nil || prov.Source == "" || prov.AsOf.IsZero() {
			t.Errorf("cache %s = %s", k, v)
		}
	}
	// Stale entries are asked again.
	o2 := NewOnline(OnlineOptions{Enabled: true, DNSServer: addr, Cache: cache, Now: func() time.Time { return testNow.Add(30 * 24 * time.Hour) }})
	if _, ok := o2.PTR(ctx, netip.MustParseAddr("121.50.46.57")); !ok || o2.Queries() != 1 {
		t.Errorf("stale cache entry not refreshed (queries %d)", o2.Queries())
	}
}

func TestOnlineTimeout(t *testing.T) {
	addr := startSilentDNS(t)
	o := NewOnline(OnlineOptions{Enabled: true, DNSServer: addr, Timeout: 150 * time.Millisecond})
	ctx := context.Background()
	start := time.Now()
	if _, ok := o.PTR(ctx, netip.MustParseAddr("121.50.46.57")); ok {
		t.Error("PTR from a silent server known")
	}
	if _, ok := o.ASN(ctx, netip.MustParseAddr("121.50.46.57")); ok {
		t.Error("ASN from a silent server known")
	}
	if _, ok := o.Resolve(ctx, "www.example.org"); ok {
		t.Error("Resolve from a silent server known")
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("three timed-out look-ups took %v", el)
	}
	// A caller's shorter context wins.
	ctx2, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	o3 := NewOnline(OnlineOptions{Enabled: true, DNSServer: addr, Timeout: 10 * time.Second})
	start = time.Now()
	if _, ok := o3.PTR(ctx2, netip.MustParseAddr("121.50.46.57")); ok {
		t.Error("known")
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("cancelled look-up took %v", el)
	}
	// Refused connection (nothing listening): unknown, quickly.
	o4 := NewOnline(OnlineOptions{Enabled: true, DNSServer: "127.0.0.1:1", Timeout: 300 * time.Millisecond})
	if _, ok := o4.PTR(ctx, netip.MustParseAddr("121.50.46.57")); ok {
		t.Error("known")
	}
}

func TestOnlineBudget(t *testing.T) {
	addr, _ := startDNS(t)
	o := NewOnline(OnlineOptions{Enabled: true, DNSServer: addr, MaxQueries: 2})
	ctx := context.Background()
	if _, ok := o.PTR(ctx, netip.MustParseAddr("121.50.46.57")); !ok {
		t.Fatal("first query refused")
	}
	if _, ok := o.PTR(ctx, netip.MustParseAddr("2001:db8:1::1")); !ok {
		t.Fatal("second query refused")
	}
	if _, ok := o.PTR(ctx, netip.MustParseAddr("203.0.113.1")); ok {
		t.Error("query over budget answered")
	}
	if o.Queries() != 2 {
		t.Errorf("Queries() = %d, want 2", o.Queries())
	}
}

func TestOnlineOffNoNetwork(t *testing.T) {
	rep := seedReport(t)
	// Offline enrichment without databases.
	EnrichReport(rep, nil)
	// Online off, even with a server configured.
	o := NewOnline(OnlineOptions{DNSServer: "127.0.0.1:53", RDAPBase: "http://127.0.0.1:1", Dialer: failDialer{t}})
	ctx := context.Background()
	if fs := o.EnrichReport(ctx, rep, nil); len(fs) != 0 {
		t.Errorf("findings with online off: %+v", fs)
	}
	ip := netip.MustParseAddr("121.50.46.57")
	if _, ok := o.PTR(ctx, ip); ok {
		t.Error("PTR answered while off")
	}
	if _, ok := o.ASN(ctx, ip); ok {
		t.Error("ASN answered while off")
	}
	if _, ok := o.Resolve(ctx, "example.com"); ok {
		t.Error("Resolve answered while off")
	}
	if _, ok := o.Domain(ctx, "example.com"); ok {
		t.Error("Domain answered while off")
	}
	if o.Queries() != 0 {
		t.Errorf("Queries() = %d", o.Queries())
	}
	for _, h := range rep.Hops {
		if h.Net != nil {
			t.Errorf("hop %d got Net %+v", h.Index, h.Net)
		}
	}
	var nilOnline *Online
	if nilOnline.EnrichReport(ctx, rep, nil) != nil || nilOnline.Queries() != 0 {
		t.Error("nil Online not inert")
	}
	nilOnline.Close()
}

func TestOnlineRDAP(t *testing.T) {
	srv, served := startRDAP(t)
	cache := &memCache{}
	o := NewOnline(OnlineOptions{Enabled: true, RDAPBase: srv.URL + "/", Cache: cache, Timeout: 300 * time.Millisecond,
		Now: func() time.Time { return testNow }})
	defer o.Close()
	ctx := context.Background()

	di, ok := o.Domain(ctx, "34-227-30-224.cprapid.com") // reduced to the registered domain
	if !ok || di.Domain != "cprapid.com" || !di.Registered.Equal(testNow.Add(-10*24*time.Hour)) ||
		di.Registrar != "Example Registrar, Inc." || di.Source != "rdap "+srv.URL+"/domain/cprapid.com" || !di.AsOf.Equal(testNow) {
		t.Errorf("Domain = %+v, %v", di, ok)
	}
	di, ok = o.Domain(ctx, "redirect.example")
	if !ok || di.Domain != "redirect.example" || di.Source != "rdap "+srv.URL+"/domain/cprapid.com" {
		t.Errorf("redirected Domain = %+v, %v", di, ok)
	}
	start := time.Now()
	for _, d := range []string{"unknown.example", "slow.example", "garbage.example", "", "bad/../path.com", "ex ample.com"} {
		if di, ok := o.Domain(ctx, d); ok {
			t.Errorf("Domain(%q) = %+v, want unknown", d, di)
		}
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("failing RDAP look-ups took %v", el)
	}
	n := served.Load()
	if _, ok := o.Domain(ctx, "www.cprapid.com"); !ok || served.Load() != n {
		t.Error("cached RDAP answer not used")
	}
}

func TestOnlineEnrichReportSeed(t *testing.T) {
	rep := seedReport(t)
	d := openTestDBs(t)
	EnrichReport(rep, d)
	addr, _ := startDNS(t)
	srv, _ := startRDAP(t)
	o := NewOnline(OnlineOptions{Enabled: true, DNSServer: addr, RDAPBase: srv.URL, Timeout: time.Second,
		Now: func() time.Time { return testNow }})
	defer o.Close()
	fs := o.EnrichReport(context.Background(), rep, d)

	origin := received.OriginHop(rep.Hops)
	if origin.Net == nil || origin.Net.RDNS != "ns57.tsukaeru.example" || origin.Net.ASN != 65001 ||
		!strings.Contains(origin.Net.Source, "GeoLite2-ASN") || !strings.Contains(origin.Net.Source, "dns PTR via "+addr) {
		t.Errorf("origin Net = %+v", origin.Net)
	}
	if len(fs) != 1 || fs[0].Rule != RuleNewDomain || fs[0].Points != 0 || !strings.Contains(fs[0].Summary, "cprapid[.]com") ||
		!strings.Contains(fs[0].Summary, "10 days") {
		t.Errorf("findings = %+v", fs)
	}
	// The analyzer scores them from its rule table.
	an := analysis.New(nil)
	want, _ := an.Rule(RuleNewDomain)
	an.AddFindings(rep, fs)
	if i := slices.IndexFunc(rep.Findings, func(f analysis.Finding) bool { return f.Rule == RuleNewDomain }); i < 0 || rep.Findings[i].Points != want.Points || want.Points <= 0 {
		t.Errorf("added findings = %+v", rep.Findings)
	}
	for _, f := range fs {
		t.Logf("%s (%+d): %s [%s]", f.Rule, f.Points, f.Summary, f.Evidence)
	}
}

func TestOnlineEnrichReportNoDB(t *testing.T) {
	addr, _ := startDNS(t)
	o := NewOnline(OnlineOptions{Enabled: true, DNSServer: addr, RDAPBase: "http://127.0.0.1:1", Timeout: 500 * time.Millisecond,
		Now: func() time.Time { return testNow }})
	rep := &analysis.Report{
		Hops: []analysis.Hop{{Index: 1, FromIP: "121.50.46.57", Origin: true}, {Index: 2, FromIP: "10.0.0.1"}},
		URLs: []analysis.URL{{Host: "www.example.org", Domain: "example.org"}, {Host: "34.227.30.224"}},
	}
	o.EnrichReport(context.Background(), rep, nil)
	if n := rep.Hops[0].Net; n == nil || n.ASN != 65001 || n.Country != "JP" || n.RDNS != "ns57.tsukaeru.example" || n.Source != "cymru; dns PTR via "+addr {
		t.Errorf("hop Net = %+v", n)
	}
	if rep.Hops[1].Net != nil {
		t.Error("private hop enriched")
	}
	if n := rep.URLs[0].Net; n == nil || n.IP != "198.51.100.9" || n.ASN != 64500 || n.Source != "dns A/AAAA via "+addr+"; cymru" {
		t.Errorf("URL Net = %+v", n)
	}
	if rep.URLs[1].Net != nil {
		t.Errorf("IP literal URL resolved online: %+v", rep.URLs[1].Net)
	}
}

func TestNewDomainFindings(t *testing.T) {
	rep := &analysis.Report{
		Summary: analysis.Summary{From: analysis.Address{Address: "a@new-sender.example"}},
		URLs:    []analysis.URL{{Host: "x.fresh.example", Domain: "fresh.example", Defanged: "hxxp://x[.]fresh[.]example/"}},
	}
	day := 24 * time.Hour
	infos := []DomainInfo{
		{Domain: "new-sender.example", Registered: testNow.Add(-2 * day), Provenance: Provenance{Source: "rdap x"}},
		{Domain: "fresh.example", Registered: testNow.Add(-29 * day)},
		{Domain: "old.example", Registered: testNow.Add(-400 * day)},
		{Domain: "unrelated.example", Registered: testNow.Add(-1 * day)},
		{Domain: "fresh.example", Registered: time.Time{}},
		{Domain: "future.example", Registered: testNow.Add(10 * day)},
	}
	fs := NewDomainFindings(rep, infos, testNow)
	if len(fs) != 2 {
		t.Fatalf("findings = %+v", fs)
	}
	if fs[0].Points != 0 || fs[0].Evidence != "From: a@new-sender.example" || !strings.Contains(fs[0].Summary, "sender domain new-sender[.]example was registered 2026-11-23") {
		t.Errorf("first = %+v", fs[0])
	}
	if fs[1].Points != 0 || fs[1].Evidence != rep.URLs[0].Defanged || !strings.Contains(fs[1].Summary, "29 days") {
		t.Errorf("second = %+v", fs[1])
	}
	if NewDomainFindings(nil, infos, testNow) != nil {
		t.Error("nil report")
	}
}
