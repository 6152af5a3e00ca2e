package enrich

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/domain"
)

// Cache stores online answers between runs; the store satisfies it. Values
// are JSON with their provenance; keys are "ptr:<ip>", "cymru:<ip>",
// "asname:<asn>", "a:<host>" and "rdap:<domain>".
type Cache interface {
	PutEnrichment(key string, value []byte) error
	Enrichment(key string) ([]byte, bool, error)
}

// Dialer opens network connections for online look-ups; *net.Dialer
// satisfies it. Tests use it to serve or forbid traffic.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Defaults of OnlineOptions.
const (
	DefaultRDAPBase    = "https://rdap.org"
	DefaultTimeout     = 2 * time.Second
	DefaultConcurrency = 4
	DefaultMaxQueries  = 500
	DefaultMaxAge      = 7 * 24 * time.Hour
)

// Per-report bounds of Online.EnrichReport.
const (
	maxOnlineIPs     = 16 // distinct hop addresses
	maxOnlineHosts   = 16 // distinct link host names resolved
	maxOnlineDomains = 8  // distinct registered domains sent to RDAP
	maxRDAPBytes     = 1 << 20
	maxHostIPs       = 8
)

// NewDomainAge is the age under which a domain counts as newly registered
// (rule net.new_domain).
const NewDomainAge = 30 * 24 * time.Hour

// RuleNewDomain is the ID of the rule net.new_domain. Its points come from
// the analyzer's rule table when the findings are added
// (analysis.Analyzer.AddFindings).
const RuleNewDomain = "net.new_domain"

// ErrBudget is returned (wrapped) by a look-up refused because the run's
// query cap is used up; ErrOffline by any look-up of a disabled Online.
var (
	ErrBudget  = errors.New("enrich: online query budget exhausted")
	ErrOffline = errors.New("enrich: online look-ups are off")
)

// OnlineOptions configures online look-ups. The zero value is off.
type OnlineOptions struct {
	// Enabled turns online look-ups on; when false no method of Online
	// touches the network (cached answers are still used).
	Enabled bool
	// DNSServer is the resolver as host:port; "" means the first
	// nameserver of /etc/resolv.conf.
	DNSServer string
	// RDAPBase is the RDAP bootstrap service; "" means DefaultRDAPBase.
	RDAPBase string
	// Timeout bounds each query (DNS exchange or RDAP request).
	Timeout time.Duration
	// Concurrency bounds queries in flight at once.
	Concurrency int
	// MaxQueries bounds the queries of this Online's lifetime (one run);
	// cache hits do not count.
	MaxQueries int
	// Cache, when set, is read before and written after each query.
	Cache Cache
	// MaxAge is how long a cached answer is used; 0 means DefaultMaxAge.
	MaxAge time.Duration
	// Dialer opens connections; nil means a *net.Dialer.
	Dialer Dialer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Online performs opt-in look-ups: PTR, Team Cymru IP→ASN over DNS, A/AAAA
// of link hosts, RDAP domain registration. It never fetches a URL found in
// a message. Every method is safe for concurrent use, bounded by the
// per-query timeout, and reports false ("unknown") on any error,
// timeout or exhausted budget instead of blocking or failing. A nil
// *Online is valid and knows nothing.
type Online struct {
	opt     OnlineOptions
	server  string
	rdap    string
	sem     chan struct{}
	used    atomic.Int64
	http    *http.Client
	initErr error
}

// NewOnline returns an Online for one run. It reads /etc/resolv.conf when
// DNSServer is empty and look-ups are enabled; if that fails, DNS
// look-ups answer unknown.
func NewOnline(opt OnlineOptions) *Online {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = DefaultConcurrency
	}
	if opt.MaxQueries <= 0 {
		opt.MaxQueries = DefaultMaxQueries
	}
	if opt.MaxAge <= 0 {
		opt.MaxAge = DefaultMaxAge
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Dialer == nil {
		opt.Dialer = &net.Dialer{}
	}
	o := &Online{opt: opt, server: opt.DNSServer, rdap: strings.TrimRight(opt.RDAPBase, "/"), sem: make(chan struct{}, opt.Concurrency)}
	if o.rdap == "" {
		o.rdap = DefaultRDAPBase
	}
	if o.server == "" && opt.Enabled {
		cc, err := dns.ClientConfigFromFile("/etc/resolv.conf")
		if err != nil || len(cc.Servers) == 0 {
			o.initErr = fmt.Errorf("enrich: no DNS server: %v", err)
		} else {
			o.server = net.JoinHostPort(cc.Servers[0], cc.Port)
		}
	}
	o.http = &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           opt.Dialer.DialContext,
			TLSHandshakeTimeout:   opt.Timeout,
			ResponseHeaderTimeout: opt.Timeout,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       30 * time.Second,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "https" && req.URL.Scheme != "http" {
				return errors.New("bad redirect scheme")
			}
			return nil
		},
	}
	return o
}

// Queries returns how many network queries this Online has sent.
func (o *Online) Queries() int {
	if o == nil {
		return 0
	}
	return int(o.used.Load())
}

// Close releases idle connections.
func (o *Online) Close() {
	if o != nil {
		o.http.CloseIdleConnections()
	}
}

// Provenance says where an answer came from and when it was obtained.
type Provenance struct {
	Source string    `json:"source"`
	AsOf   time.Time `json:"as_of"`
}

// PTRAnswer is the reverse name of an address; Name is "" when the
// resolver says there is none (NXDOMAIN or no PTR record).
type PTRAnswer struct {
	Name string `json:"name"`
	Provenance
}

// HostAnswer is the addresses of a host name (at most 8); empty when it
// does not resolve.
type HostAnswer struct {
	IPs []string `json:"ips"`
	Provenance
}

// DomainInfo is the RDAP registration data of a registered domain.
// Registered is zero when the registry did not say.
type DomainInfo struct {
	Domain     string    `json:"domain"`
	Registered time.Time `json:"registered"`
	Registrar  string    `json:"registrar,omitempty"`
	Provenance
}

// cacheGet decodes key into v when a fresh entry exists.
func (o *Online) cacheGet(key string, v any, asOf func() time.Time) bool {
	if o.opt.Cache == nil {
		return false
	}
	b, ok, err := o.opt.Cache.Enrichment(key)
	if err != nil || !ok || json.Unmarshal(b, v) != nil {
		return false
	}
	return o.opt.Now().Sub(asOf()) <= o.opt.MaxAge
}

func (o *Online) cachePut(key string, v any) {
	if o.opt.Cache == nil {
		return
	}
	if b, err := json.Marshal(v); err == nil {
		_ = o.opt.Cache.PutEnrichment(key, b) // a cache failure only costs a repeat query
	}
}

// begin takes a query slot: it checks that look-ups are on and within
// budget and waits for the semaphore. It returns ctx bounded by the query
// timeout (counted from when the slot is taken) and a release that must be
// called: it ends that context and frees the slot.
func (o *Online) begin(ctx context.Context) (context.Context, func(), error) {
	if !o.opt.Enabled {
		return nil, nil, ErrOffline
	}
	if o.used.Add(1) > int64(o.opt.MaxQueries) {
		o.used.Add(-1)
		return nil, nil, ErrBudget
	}
	select {
	case o.sem <- struct{}{}:
		ctx, cancel := context.WithTimeout(ctx, o.opt.Timeout)
		return ctx, func() { cancel(); <-o.sem }, nil
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
}

// exchange sends one DNS question and returns the reply (which may carry
// an error rcode).
func (o *Online) exchange(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
	if o.initErr != nil && o.opt.Enabled {
		return nil, o.initErr
	}
	ctx, release, err := o.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = true
	r, err := o.exchangeNet(ctx, m, "udp")
	if err == nil && r.Truncated {
		r, err = o.exchangeNet(ctx, m, "tcp")
	}
	return r, err
}

func (o *Online) exchangeNet(ctx context.Context, m *dns.Msg, network string) (*dns.Msg, error) {
	conn, err := o.opt.Dialer.DialContext(ctx, network, o.server)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// Closing the connection on cancellation unblocks a read the deadline
	// alone would not (a caller's context may end before the timeout).
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	c := &dns.Client{Net: network, Timeout: o.opt.Timeout}
	r, _, err := c.ExchangeWithConnContext(ctx, m, &dns.Conn{Conn: conn})
	return r, err
}

func (o *Online) dnsSource(what string) string { return "dns " + what + " via " + o.server }

// PTR looks up the reverse name of ip ("ptr:<ip>" in the cache). ok is
// false when the answer is unknown (error, timeout, budget, off).
func (o *Online) PTR(ctx context.Context, ip netip.Addr) (PTRAnswer, bool) {
	var a PTRAnswer
	if o == nil || !ip.IsValid() {
		return a, false
	}
	ip = ip.Unmap()
	key := "ptr:" + ip.String()
	if o.cacheGet(key, &a, func() time.Time { return a.AsOf }) {
		return a, true
	}
	arpa, err := dns.ReverseAddr(ip.String())
	if err != nil {
		return PTRAnswer{}, false
	}
	r, err := o.exchange(ctx, arpa, dns.TypePTR)
	if err != nil || (r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError) {
		return PTRAnswer{}, false
	}
	a = PTRAnswer{Provenance: Provenance{Source: o.dnsSource("PTR"), AsOf: o.opt.Now().UTC()}}
	for _, rr := range r.Answer {
		if p, ok := rr.(*dns.PTR); ok {
			a.Name = strings.ToLower(strings.TrimSuffix(p.Ptr, "."))
			break
		}
	}
	o.cachePut(key, a)
	return a, true
}

// cymruName is the Team Cymru origin query name for ip.
func cymruName(ip netip.Addr) (string, bool) {
	arpa, err := dns.ReverseAddr(ip.String())
	if err != nil {
		return "", false
	}
	if s, ok := strings.CutSuffix(arpa, ".in-addr.arpa."); ok {
		return s + ".origin.asn.cymru.com", true
	}
	if s, ok := strings.CutSuffix(arpa, ".ip6.arpa."); ok {
		return s + ".origin6.asn.cymru.com", true
	}
	return "", false
}

// txtFields returns the " | "-separated fields of the first TXT answer.
func txtFields(r *dns.Msg) []string {
	for _, rr := range r.Answer {
		if t, ok := rr.(*dns.TXT); ok {
			f := strings.Split(strings.Join(t.Txt, ""), "|")
			for i := range f {
				f[i] = strings.TrimSpace(f[i])
			}
			return f
		}
	}
	return nil
}

// ASN asks Team Cymru's DNS service for the origin AS and country of ip
// ("<reversed>.origin.asn.cymru.com" TXT, then "AS<n>.asn.cymru.com" TXT
// for the AS name; cached as "cymru:<ip>"). Source is "cymru", AsOf the
// query time. ok is false when unknown or when Cymru has no data.
func (o *Online) ASN(ctx context.Context, ip netip.Addr) (analysis.NetInfo, bool) {
	var ni analysis.NetInfo
	if o == nil || !publicIP(ip.Unmap()) {
		return ni, false
	}
	ip = ip.Unmap()
	key := "cymru:" + ip.String()
	if o.cacheGet(key, &ni, func() time.Time { return ni.AsOf }) {
		return ni, ni.ASN != 0 || ni.Country != ""
	}
	name, ok := cymruName(ip)
	if !ok {
		return analysis.NetInfo{}, false
	}
	r, err := o.exchange(ctx, name, dns.TypeTXT)
	if err != nil || (r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError) {
		return analysis.NetInfo{}, false
	}
	ni = analysis.NetInfo{IP: ip.String(), Source: "cymru", AsOf: o.opt.Now().UTC()}
	if f := txtFields(r); len(f) >= 3 {
		// "13335 15169 | 1.1.1.0/24 | AU | apnic | 2011-08-11": first AS.
		asn, _, _ := strings.Cut(f[0], " ")
		ni.ASN = parseASN(asn)
		if len(f[2]) == 2 {
			ni.Country = strings.ToUpper(f[2])
		}
	}
	if ni.ASN != 0 {
		// "13335 | US | arin | 2010-07-14 | CLOUDFLARENET - Cloudflare, Inc., US"
		r, err := o.exchange(ctx, "AS"+strconv.FormatUint(uint64(ni.ASN), 10)+".asn.cymru.com", dns.TypeTXT)
		if err == nil && r.Rcode == dns.RcodeSuccess {
			if f := txtFields(r); len(f) >= 5 {
				ni.ASOrg = f[4]
			}
		}
	}
	o.cachePut(key, ni)
	return ni, ni.ASN != 0 || ni.Country != ""
}

// Resolve looks up the A and AAAA records of host (cached as "a:<host>").
// ok is false when unknown; a host that does not exist gives ok and no
// IPs.
func (o *Online) Resolve(ctx context.Context, host string) (HostAnswer, bool) {
	var a HostAnswer
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if o == nil || !domain.ValidDNSName(host) {
		return a, false
	}
	key := "a:" + host
	if o.cacheGet(key, &a, func() time.Time { return a.AsOf }) {
		return a, true
	}
	a = HostAnswer{Provenance: Provenance{Source: o.dnsSource("A/AAAA"), AsOf: o.opt.Now().UTC()}}
	for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		r, err := o.exchange(ctx, host, qt)
		if err != nil || (r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError) {
			return HostAnswer{}, false
		}
		for _, rr := range r.Answer {
			if len(a.IPs) >= maxHostIPs {
				break
			}
			switch v := rr.(type) {
			case *dns.A:
				a.IPs = append(a.IPs, v.A.String())
			case *dns.AAAA:
				a.IPs = append(a.IPs, v.AAAA.String())
			}
		}
		if r.Rcode == dns.RcodeNameError {
			break
		}
	}
	o.cachePut(key, a)
	return a, true
}

// rdapDomain is the part of an RDAP domain object we read (RFC 9083).
type rdapDomain struct {
	Events []struct {
		Action string `json:"eventAction"`
		Date   string `json:"eventDate"`
	} `json:"events"`
	Entities []struct {
		Roles []string          `json:"roles"`
		VCard []json.RawMessage `json:"vcardArray"`
	} `json:"entities"`
}

// Domain asks RDAP ({RDAPBase}/domain/{domain}, following the bootstrap
// redirect) for the registration date and registrar of a registered domain
// (eTLD+1; a host name is reduced to it). Cached as "rdap:<domain>".
// Source is "rdap <final URL>", AsOf the query time. ok is false when
// unknown, including when the registry has no record.
func (o *Online) Domain(ctx context.Context, name string) (DomainInfo, bool) {
	var di DomainInfo
	dom := domain.RegisteredICANN(name)
	if o == nil || !domain.ValidDNSName(dom) {
		return di, false
	}
	key := "rdap:" + dom
	if o.cacheGet(key, &di, func() time.Time { return di.AsOf }) {
		return di, true
	}
	ctx, release, err := o.begin(ctx)
	if err != nil {
		return di, false
	}
	defer release()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.rdap+"/domain/"+dom, nil)
	if err != nil {
		return di, false
	}
	req.Header.Set("Accept", "application/rdap+json, application/json")
	resp, err := o.http.Do(req)
	if err != nil {
		return di, false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return di, false
	}
	var doc rdapDomain
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxRDAPBytes)).Decode(&doc); err != nil {
		return di, false
	}
	di = DomainInfo{Domain: dom, Provenance: Provenance{Source: "rdap " + resp.Request.URL.String(), AsOf: o.opt.Now().UTC()}}
	for _, e := range doc.Events {
		if strings.EqualFold(e.Action, "registration") {
			if t, err := time.Parse(time.RFC3339, e.Date); err == nil {
				di.Registered = t.UTC()
				break
			}
		}
	}
	for _, e := range doc.Entities {
		if containsFold(e.Roles, "registrar") {
			di.Registrar = vcardFN(e.VCard)
			break
		}
	}
	o.cachePut(key, di)
	return di, true
}

func containsFold(l []string, s string) bool {
	for _, x := range l {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// vcardFN returns the fn property of a jCard ["vcard", [[name, params,
// type, value], …]].
func vcardFN(v []json.RawMessage) string {
	if len(v) < 2 {
		return ""
	}
	var props [][]json.RawMessage
	if json.Unmarshal(v[1], &props) != nil {
		return ""
	}
	for _, p := range props {
		var name, val string
		if len(p) >= 4 && json.Unmarshal(p[0], &name) == nil && name == "fn" && json.Unmarshal(p[3], &val) == nil {
			if len(val) > 200 {
				val = val[:200]
			}
			return val
		}
	}
	return ""
}
