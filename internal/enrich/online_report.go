package enrich

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/urls"
)

// EnrichReport runs the online look-ups for one report and returns the
// net.new_domain findings, without points (the caller adds them, with the
// analyzer's NetworkFindings, through Analyzer.AddFindings, which scores
// them from its rule table):
//
//   - every public hop address (at most 16): PTR into Net.RDNS, and Team
//     Cymru AS/country when the offline databases gave none;
//   - every link host name without Net (at most 16): A/AAAA, then the
//     first address is looked up in d, else at Team Cymru;
//   - the sender's and the links' registered domains (at most 8): RDAP
//     registration date, for net.new_domain (younger than NewDomainAge).
//
// Look-ups run concurrently within the Online's limits; EnrichReport
// returns when all have answered or timed out. Unknown answers leave the
// report unchanged. Source of a Net that gains online data lists every
// source ("GeoLite2-ASN 2026-11-20; dns PTR via 127.0.0.1:53"). With a
// nil or disabled Online it sends nothing (cached answers still apply).
func (o *Online) EnrichReport(ctx context.Context, rep *analysis.Report, d *Databases) []analysis.Finding {
	if o == nil || rep == nil {
		return nil
	}
	t := onlineTargets(rep)
	res := o.lookUp(ctx, d, rep, t)
	res.apply(rep)
	return NewDomainFindings(rep, res.infos, o.opt.Now())
}

// targets is what EnrichReport looks up: public hop IPs, link hosts
// without network context, and registered domains (each list bounded).
type targets struct {
	ips     []netip.Addr
	hosts   []string
	domains []string
}

func onlineTargets(rep *analysis.Report) targets {
	var t targets
	for _, h := range rep.Hops {
		ip, err := netip.ParseAddr(strings.TrimPrefix(strings.Trim(h.FromIP, "[]"), "IPv6:"))
		if err != nil || !publicIP(ip.Unmap()) || slices.Contains(t.ips, ip.Unmap()) || len(t.ips) >= maxOnlineIPs {
			continue
		}
		t.ips = append(t.ips, ip.Unmap())
	}
	addDomain := func(dom string) {
		if dom != "" && len(t.domains) < maxOnlineDomains && !slices.Contains(t.domains, dom) {
			t.domains = append(t.domains, dom)
		}
	}
	addDomain(domain.RegisteredICANN(domain.OfAddress(rep.Summary.From.Address)))
	for _, u := range rep.URLs {
		_, literal := netip.ParseAddr(strings.Trim(u.Host, "[]"))
		if u.Net == nil && literal != nil && domain.ValidDNSName(u.Host) && !slices.Contains(t.hosts, u.Host) && len(t.hosts) < maxOnlineHosts {
			t.hosts = append(t.hosts, u.Host)
		}
		addDomain(domain.RegisteredICANN(u.Host))
	}
	return t
}

// lookups holds the answers of EnrichReport's concurrent look-ups.
type lookups struct {
	mu      sync.Mutex
	ptrs    map[netip.Addr]PTRAnswer
	asns    map[netip.Addr]analysis.NetInfo
	hostNet map[string]analysis.NetInfo
	infos   []DomainInfo
}

// lookUp runs the look-ups of t concurrently and waits for all of them.
func (o *Online) lookUp(ctx context.Context, d *Databases, rep *analysis.Report, t targets) *lookups {
	res := &lookups{ptrs: map[netip.Addr]PTRAnswer{}, asns: map[netip.Addr]analysis.NetInfo{}, hostNet: map[string]analysis.NetInfo{}}
	var wg sync.WaitGroup
	for _, ip := range t.ips {
		needASN := true
		if n := hopNet(rep, ip); n != nil && n.ASN != 0 {
			needASN = false
		}
		wg.Go(func() { o.lookUpIP(ctx, ip, needASN, res) })
	}
	for _, h := range t.hosts {
		wg.Go(func() { o.lookUpHost(ctx, d, h, res) })
	}
	for _, dom := range t.domains {
		wg.Go(func() {
			if di, ok := o.Domain(ctx, dom); ok {
				res.mu.Lock()
				res.infos = append(res.infos, di)
				res.mu.Unlock()
			}
		})
	}
	wg.Wait()
	return res
}

// hopNet returns the network context of the hop whose IP is ip, or nil.
func hopNet(rep *analysis.Report, ip netip.Addr) *analysis.NetInfo {
	for i := range rep.Hops {
		if n := rep.Hops[i].Net; n != nil && n.IP == ip.String() {
			return n
		}
	}
	return nil
}

func (o *Online) lookUpIP(ctx context.Context, ip netip.Addr, needASN bool, res *lookups) {
	if a, ok := o.PTR(ctx, ip); ok {
		res.mu.Lock()
		res.ptrs[ip] = a
		res.mu.Unlock()
	}
	if needASN {
		if ni, ok := o.ASN(ctx, ip); ok {
			res.mu.Lock()
			res.asns[ip] = ni
			res.mu.Unlock()
		}
	}
}

func (o *Online) lookUpHost(ctx context.Context, d *Databases, h string, res *lookups) {
	a, ok := o.Resolve(ctx, h)
	if !ok || len(a.IPs) == 0 {
		return
	}
	ip, err := netip.ParseAddr(a.IPs[0])
	if err != nil {
		return
	}
	ni, ok := d.Lookup(ip)
	if !ok {
		ni, ok = o.ASN(ctx, ip)
	}
	if !ok {
		ni = analysis.NetInfo{IP: ip.Unmap().String()}
	}
	ni.Source = joinSource(a.Source, ni.Source)
	if ni.AsOf.IsZero() {
		ni.AsOf = a.AsOf
	}
	res.mu.Lock()
	res.hostNet[h] = ni
	res.mu.Unlock()
}

// apply writes the answers into rep's hops and URLs (single-threaded,
// after every look-up ended).
func (res *lookups) apply(rep *analysis.Report) {
	for i := range rep.Hops {
		h := &rep.Hops[i]
		ip, err := netip.ParseAddr(strings.TrimPrefix(strings.Trim(h.FromIP, "[]"), "IPv6:"))
		if err != nil {
			continue
		}
		ip = ip.Unmap()
		if ni, ok := res.asns[ip]; ok && (h.Net == nil || h.Net.ASN == 0) {
			if h.Net == nil {
				c := ni
				h.Net = &c
			} else {
				h.Net.ASN, h.Net.ASOrg = ni.ASN, ni.ASOrg
				if h.Net.Country == "" {
					h.Net.Country = ni.Country
				}
				h.Net.Source = joinSource(h.Net.Source, ni.Source)
			}
		}
		if a, ok := res.ptrs[ip]; ok && a.Name != "" {
			if h.Net == nil {
				h.Net = &analysis.NetInfo{IP: ip.String(), AsOf: a.AsOf}
			}
			h.Net.RDNS = a.Name
			h.Net.Source = joinSource(h.Net.Source, a.Source)
		}
	}
	for i := range rep.URLs {
		u := &rep.URLs[i]
		if ni, ok := res.hostNet[u.Host]; ok && u.Net == nil {
			c := ni
			u.Net = &c
		}
	}
}

// NewDomainFindings returns a net.new_domain finding for each domain in
// infos registered less than NewDomainAge before now that is the sender's
// registered domain or a link's. It is pure.
func NewDomainFindings(rep *analysis.Report, infos []DomainInfo, now time.Time) []analysis.Finding {
	if rep == nil {
		return nil
	}
	from := domain.RegisteredICANN(domain.OfAddress(rep.Summary.From.Address))
	var out []analysis.Finding
	for _, di := range infos {
		if di.Registered.IsZero() || di.Registered.After(now.Add(24*time.Hour)) {
			continue
		}
		age := now.Sub(di.Registered)
		if age >= NewDomainAge {
			continue
		}
		days := int(age.Hours() / 24)
		if days < 0 {
			days = 0
		}
		var where, ev string
		if di.Domain == from {
			where, ev = "sender domain", "From: "+rep.Summary.From.Address
		} else {
			for _, u := range rep.URLs {
				if domain.RegisteredICANN(u.Host) == di.Domain {
					where, ev = "link domain", u.Defanged
					break
				}
			}
		}
		if where == "" {
			continue
		}
		reg := ""
		if di.Registrar != "" {
			reg = " via " + di.Registrar
		}
		out = append(out, analysis.Finding{
			Rule: RuleNewDomain,
			Summary: fmt.Sprintf("%s %s was registered %s%s, %d days before this check (%s)",
				where, urls.Defang(di.Domain), di.Registered.Format("2006-01-02"), reg, days, di.Source),
			Evidence: ev,
		})
	}
	return out
}

func joinSource(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "" || strings.Contains(a, b):
		return a
	}
	return a + "; " + b
}
