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
	// Collect the work.
	var ips []netip.Addr
	for _, h := range rep.Hops {
		ip, err := netip.ParseAddr(strings.TrimPrefix(strings.Trim(h.FromIP, "[]"), "IPv6:"))
		if err != nil || !publicIP(ip.Unmap()) || slices.Contains(ips, ip.Unmap()) || len(ips) >= maxOnlineIPs {
			continue
		}
		ips = append(ips, ip.Unmap())
	}
	var hosts, domains []string
	addDomain := func(dom string) {
		if dom != "" && len(domains) < maxOnlineDomains && !slices.Contains(domains, dom) {
			domains = append(domains, dom)
		}
	}
	addDomain(domain.RegisteredICANN(domain.OfAddress(rep.Summary.From.Address)))
	for _, u := range rep.URLs {
		_, literal := netip.ParseAddr(strings.Trim(u.Host, "[]"))
		if u.Net == nil && literal != nil && domain.ValidDNSName(u.Host) && !slices.Contains(hosts, u.Host) && len(hosts) < maxOnlineHosts {
			hosts = append(hosts, u.Host)
		}
		addDomain(domain.RegisteredICANN(u.Host))
	}

	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		ptrs    = map[netip.Addr]PTRAnswer{}
		asns    = map[netip.Addr]analysis.NetInfo{}
		hostNet = map[string]analysis.NetInfo{}
		infos   []DomainInfo
	)
	hopNet := func(ip netip.Addr) *analysis.NetInfo {
		for i := range rep.Hops {
			if n := rep.Hops[i].Net; n != nil && n.IP == ip.String() {
				return n
			}
		}
		return nil
	}
	for _, ip := range ips {
		needASN := true
		if n := hopNet(ip); n != nil && n.ASN != 0 {
			needASN = false
		}
		wg.Go(func() {
			if a, ok := o.PTR(ctx, ip); ok {
				mu.Lock()
				ptrs[ip] = a
				mu.Unlock()
			}
			if needASN {
				if ni, ok := o.ASN(ctx, ip); ok {
					mu.Lock()
					asns[ip] = ni
					mu.Unlock()
				}
			}
		})
	}
	for _, h := range hosts {
		wg.Go(func() {
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
			mu.Lock()
			hostNet[h] = ni
			mu.Unlock()
		})
	}
	for _, dom := range domains {
		wg.Go(func() {
			if di, ok := o.Domain(ctx, dom); ok {
				mu.Lock()
				infos = append(infos, di)
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	// Apply, single-threaded.
	for i := range rep.Hops {
		h := &rep.Hops[i]
		ip, err := netip.ParseAddr(strings.TrimPrefix(strings.Trim(h.FromIP, "[]"), "IPv6:"))
		if err != nil {
			continue
		}
		ip = ip.Unmap()
		if ni, ok := asns[ip]; ok && (h.Net == nil || h.Net.ASN == 0) {
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
		if a, ok := ptrs[ip]; ok && a.Name != "" {
			if h.Net == nil {
				h.Net = &analysis.NetInfo{IP: ip.String(), AsOf: a.AsOf}
			}
			h.Net.RDNS = a.Name
			h.Net.Source = joinSource(h.Net.Source, a.Source)
		}
	}
	for i := range rep.URLs {
		u := &rep.URLs[i]
		if ni, ok := hostNet[u.Host]; ok && u.Net == nil {
			c := ni
			u.Net = &c
		}
	}
	return NewDomainFindings(rep, infos, o.opt.Now())
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
