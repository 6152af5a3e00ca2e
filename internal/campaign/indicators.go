package campaign

import (
	"cmp"
	"slices"
)

// Count is one indicator value and the number of members that carry it.
type Count struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Indicators are what a campaign's members share, each value with the
// number of members that carry it, most shared first. Values are as found
// (not defanged): the caller defangs for display.
type Indicators struct {
	SenderAddresses  []Count `json:"sender_addresses"`
	SenderDomains    []Count `json:"sender_domains"`
	LinkHosts        []Count `json:"link_hosts"`
	LinkDomains      []Count `json:"link_domains"`
	OriginIPs        []Count `json:"origin_ips"`
	OriginNetworks   []Count `json:"origin_networks"`
	AttachmentSHA256 []Count `json:"attachment_sha256"`
	AttachmentNames  []Count `json:"attachment_names"`
}

// Shared counts the indicators of the members' signatures, keeping the
// limit most shared values of each kind (all when limit ≤ 0).
func Shared(sigs []Sig, limit int) Indicators {
	var t [8]map[string]int
	for i := range t {
		t[i] = map[string]int{}
	}
	add := func(m map[string]int, vs ...string) {
		for _, v := range vs {
			if v != "" {
				m[v]++
			}
		}
	}
	for i := range sigs {
		s := &sigs[i]
		add(t[0], s.Sender)
		add(t[1], s.SenderDomain)
		add(t[2], s.LinkHosts...)
		add(t[3], s.LinkDomains...)
		add(t[4], s.OriginIP)
		add(t[5], originNet(s.OriginIP))
		add(t[6], s.AttachSHA256...)
		add(t[7], s.AttachNames...)
	}
	list := func(m map[string]int) []Count {
		out := make([]Count, 0, len(m))
		for v, n := range m {
			out = append(out, Count{v, n})
		}
		slices.SortFunc(out, func(a, b Count) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return cmp.Compare(a.Value, b.Value)
		})
		if limit > 0 && len(out) > limit {
			out = out[:limit]
		}
		return out
	}
	return Indicators{
		SenderAddresses: list(t[0]), SenderDomains: list(t[1]),
		LinkHosts: list(t[2]), LinkDomains: list(t[3]),
		OriginIPs: list(t[4]), OriginNetworks: list(t[5]),
		AttachmentSHA256: list(t[6]), AttachmentNames: list(t[7]),
	}
}
