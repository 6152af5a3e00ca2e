package analysis

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/received"
)

func (a *analyzer) hops() {
	o := received.OriginHop(a.rep.Hops)
	if o != nil {
		name := o.FromIP
		if name == "" {
			name = o.FromHelo
		}
		if slices.Contains(o.Flags, received.FlagHeloPlaceholder) {
			a.f.add("hops.origin_helo_placeholder", "Received: "+o.Raw, name, o.FromHelo)
		}
		if slices.Contains(o.Flags, received.FlagPrivateIP) || slices.Contains(o.Flags, received.FlagReservedIP) {
			if ip, err := netip.ParseAddr(o.FromIP); err == nil && !ip.IsLoopback() {
				a.f.add("hops.origin_private_ip", "Received: "+o.Raw, o.FromIP)
			}
		}
		if slices.Contains(o.Flags, received.FlagHeloRDNSMismatch) && a.claimed != nil {
			a.f.add("hops.origin_helo_rdns_mismatch", "Received: "+o.Raw, o.FromHelo, o.FromRDNS)
		}
	}
	if o != nil && o.FromRDNS != "" && o.FromIP != "" && genericRDNS(o.FromRDNS, o.FromIP) {
		a.f.add("hops.origin_dynamic", "Received: "+o.Raw, o.FromIP, o.FromRDNS)
	}
	for _, h := range a.rep.Hops {
		// Independent servers' clocks disagree by seconds or minutes; only
		// a hop more than an hour before its predecessor is telling.
		if slices.Contains(h.Flags, received.FlagNegativeDelay) && h.Delay != nil && *h.Delay < -negativeDelaySlack {
			a.f.add("hops.negative_delay", "Received: "+h.Raw, h.Index, fmt.Sprintf("%+.0fs", *h.Delay))
		}
		if slices.Contains(h.Flags, received.FlagTimeFarFromDate) {
			a.f.add("hops.time_far_from_date", "Received: "+h.Raw, h.Index, h.Time.Format("2006-01-02 15:04 MST"))
		}
	}
}

// negativeDelaySlack is how far (seconds) a hop may be stamped before its
// predecessor before it counts as a finding: clocks of independent servers
// routinely disagree by seconds to minutes.
const negativeDelaySlack = 3600

// genericRDNSWords mark reverse names of consumer access networks.
var genericRDNSWords = []string{
	"dynamic", "dhcp", "dsl", "pool", "ppp", "dialup", "dial-up", "cable", "broadband",
	"residential", "customer", "dyn-", "-dyn", ".dyn",
}

// genericRDNS reports whether rdns, the reverse name of ip, is a generic
// access-network name: its host part (left of the registered domain)
// spells out at least three octets of the IPv4 address or contains a word
// such as "dynamic", "dsl" or "pool".
func genericRDNS(rdns, ip string) bool {
	rdns = domain.Canon(rdns)
	if len(rdns) > 253 {
		return false
	}
	org := domain.Registered(rdns)
	sub := strings.TrimSuffix(strings.TrimSuffix(rdns, org), ".")
	if sub == "" {
		return false
	}
	for _, w := range genericRDNSWords {
		if strings.Contains(sub, w) {
			return true
		}
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil || !addr.Is4() {
		return false
	}
	oct := addr.As4()
	n := 0
	for _, o := range oct {
		if containsNumber(sub, int(o)) {
			n++
		}
	}
	return n >= 3
}

// containsNumber reports whether s has a maximal digit run equal to n.
func containsNumber(s string, n int) bool {
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		v, j := 0, i
		for ; j < len(s) && s[j] >= '0' && s[j] <= '9'; j++ {
			if v < 1000 {
				v = v*10 + int(s[j]-'0')
			}
		}
		if v == n && j-i <= 3 {
			return true
		}
		i = j
	}
	return false
}
