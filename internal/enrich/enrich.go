package enrich

import (
	"net/netip"
	"strings"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/received"
	"github.com/triage-tools/triage/internal/analysis/urls"
)

// EnrichReport fills Net from the offline databases for every hop with a
// public FromIP (the origin hop first, then the others in order) and for
// every URL whose host is an IP literal or spells one (see
// urls.EncodedIP). Existing Net values are kept. With a nil or empty d
// it does nothing. It does no I/O besides reading the memory-mapped
// database files and costs about one microsecond per looked-up address.
func EnrichReport(rep *analysis.Report, d *Databases) {
	if rep == nil || d == nil || (d.asn == nil && d.country == nil) {
		return
	}
	// Hops: addresses repeat (several hops from one relay), so remember
	// the last few answers of this report.
	var memo memo
	if o := received.OriginHop(rep.Hops); o != nil {
		enrichHop(o, d, &memo)
	}
	for i := range rep.Hops {
		enrichHop(&rep.Hops[i], d, &memo)
	}
	for i := range rep.URLs {
		u := &rep.URLs[i]
		if u.Net != nil {
			continue
		}
		ip, ok := URLHostIP(u.Host)
		if !ok {
			continue
		}
		if ni := memo.get(ip, d); ni != nil {
			u.Net = ni
		}
	}
}

func enrichHop(h *analysis.Hop, d *Databases, m *memo) {
	if h.Net != nil || h.FromIP == "" {
		return
	}
	ip, err := netip.ParseAddr(strings.TrimPrefix(strings.Trim(h.FromIP, "[]"), "IPv6:"))
	if err != nil {
		return
	}
	h.Net = m.get(ip, d)
}

// URLHostIP returns the IP address a URL host names: an IP literal (IPv6
// in brackets allowed) or a host name that spells an IPv4 address
// ("34-227-30-224.cprapid.com").
func URLHostIP(host string) (netip.Addr, bool) {
	h := strings.TrimSuffix(host, ".")
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	}
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.Unmap(), true
	}
	return urls.EncodedIP(host)
}

// memo keeps the answers for the distinct addresses of one report, so an
// address seen on several hops or links is looked up once and the
// NetInfo is shared (read-only) between them.
type memo struct {
	n    int
	keys [8]netip.Addr
	vals [8]*analysis.NetInfo
}

func (m *memo) get(ip netip.Addr, d *Databases) *analysis.NetInfo {
	ip = ip.Unmap()
	for i := 0; i < m.n; i++ {
		if m.keys[i] == ip {
			if m.vals[i] == nil {
				return nil
			}
			c := *m.vals[i]
			return &c
		}
	}
	var out *analysis.NetInfo
	if ni, ok := d.Lookup(ip); ok {
		out = &ni
	}
	if m.n < len(m.keys) {
		m.keys[m.n], m.vals[m.n] = ip, out
		m.n++
	}
	if out == nil {
		return nil
	}
	c := *out
	return &c
}
