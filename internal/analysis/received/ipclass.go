package received

import (
	"net/netip"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/date"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// Hop flags and the classes of IP addresses and HELO names.

// flagKey says which flags a hop has; set returns them.
type flagKey struct {
	helo     uint8 // 0, 1 helo_placeholder, 2 helo_rdns_mismatch
	ip       uint8 // 0, 1 private_ip, 2 reserved_ip
	noTime   uint8 // 1: no_timestamp
	negative uint8 // 1: negative_delay (BuildHops)
	far      uint8 // 1: time_far_from_date (BuildHops)
}

// set returns the flags of k in their documented order. The slices are
// shared (see flagSets).
func (k flagKey) set() []string {
	return flagSets[k.helo][k.ip][k.noTime][k.negative][k.far]
}

// flagSets holds every combination of flags, indexed like flagKey,
// each in the order the flags are listed there. Their capacity is their
// length, so that an append never writes into a shared array; the empty
// set is nil.
var flagSets = func() (t [3][3][2][2][2][]string) {
	for helo, hf := range []string{"", FlagHeloPlaceholder, FlagHeloRDNSMismatch} {
		for ip, ipf := range []string{"", FlagPrivateIP, FlagReservedIP} {
			for nt, ntf := range []string{"", FlagNoTimestamp} {
				for neg, negf := range []string{"", FlagNegativeDelay} {
					for far, farf := range []string{"", FlagTimeFarFromDate} {
						var fl []string
						for _, f := range []string{hf, ipf, ntf, negf, farf} {
							if f != "" {
								fl = append(fl, f)
							}
						}
						t[helo][ip][nt][neg][far] = fl[:len(fl):len(fl)]
					}
				}
			}
		}
	}
	return t
}()

// intrinsicFlags returns the flags that depend on one hop only; a is
// the connecting address (h.FromIP parsed), invalid when there is none.
func intrinsicFlags(h *report.Hop, a netip.Addr) flagKey {
	var k flagKey
	if h.FromHelo != "" && isPlaceholderHelo(h.FromHelo) {
		k.helo = 1
	} else if h.FromHelo != "" && h.FromRDNS != "" && !strings.EqualFold(h.FromHelo, h.FromRDNS) {
		a, errA := domain.EffectiveTLDPlusOne(strings.ToLower(strings.TrimSuffix(h.FromHelo, ".")))
		b, errB := domain.EffectiveTLDPlusOne(strings.ToLower(h.FromRDNS))
		if errA == nil && errB == nil && a != b {
			k.helo = 2
		}
	}
	if a.IsValid() {
		switch {
		case isPrivateIP(a):
			k.ip = 1
		case isReservedIP(a):
			k.ip = 2
		}
	}
	if h.Time.IsZero() {
		k.noTime = 1
	}
	return k
}

// isPlaceholderHelo reports a HELO that names no real host: localhost,
// localhost.localdomain, an IP address or literal, or a name without a dot.
func isPlaceholderHelo(helo string) bool {
	h := trim(helo, &setHeloTrim)
	if domain.IsPlaceholderHELO(h) {
		return true
	}
	if _, ok := parseBareIP(strings.TrimPrefix(h, "IPv6:")); ok {
		return true
	}
	return strings.IndexByte(strings.TrimSuffix(h, "."), '.') < 0
}

var (
	cgnat        = netip.MustParsePrefix("100.64.0.0/10")
	reservedNets = []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("192.0.0.0/24"),
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("198.18.0.0/15"),
		netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"),
		netip.MustParsePrefix("240.0.0.0/4"),
		netip.MustParsePrefix("2001:db8::/32"),
		netip.MustParsePrefix("100::/64"),
		netip.MustParsePrefix("2001:2::/48"),
	}
)

// isPrivateIP: RFC 1918 / ULA, loopback, link-local and CGNAT addresses,
// i.e. addresses of a local network rather than of an Internet host.
func isPrivateIP(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || cgnat.Contains(a)
}

// isReservedIP: addresses that are not routable on the Internet for other
// reasons (documentation, benchmarking, multicast, unspecified, 240/4...).
func isReservedIP(a netip.Addr) bool {
	a = a.Unmap()
	if a.Is4() {
		// The IPv4 part of reservedNets, multicast and unspecified.
		b := a.As4()
		switch b[0] {
		case 0:
			return true
		case 192:
			return b[1] == 0 && (b[2] == 0 || b[2] == 2)
		case 198:
			return b[1] == 18 || b[1] == 19 || b[1] == 51 && b[2] == 100
		case 203:
			return b[1] == 0 && b[2] == 113
		}
		return b[0] >= 224
	}
	if a.IsUnspecified() || a.IsMulticast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range reservedNets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// isRelayIP: addresses always trusted as relays of the receiving side.
func isRelayIP(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast()
}

// parseIPLiteralText parses "[1.2.3.4]", "[IPv6:::1]", "[1.2.3.4]:25",
// "[1.2.3.4:25]", "[1.2.3.4.25]" (old Exim port notation) and similar. It
// also returns the part of w that was parsed as the address (see
// parseBareIPText).
func parseIPLiteralText(w string) (netip.Addr, string, bool) {
	if len(w) < 3 || w[0] != '[' {
		return netip.Addr{}, "", false
	}
	e := strings.IndexByte(w, ']')
	if e < 0 {
		return netip.Addr{}, "", false
	}
	return parseBareIPText(w[1:e])
}

// parseBareIP parses an address possibly written with an "IPv6:" prefix, a
// ":port" or ".port" suffix, a zone, or IPv4-mapped; the result is unmapped.
func parseBareIP(s string) (netip.Addr, bool) {
	a, _, ok := parseBareIPText(s)
	return a, ok
}

// parseBareIPText is parseBareIP that also returns the part of s that
// was parsed as the address (without prefix, zone or port), so that callers
// can use it instead of formatting the address when it is already in
// canonical form (canonIP).
func parseBareIPText(s string) (netip.Addr, string, bool) {
	if len(s) < 2 || len(s) > 64 {
		return netip.Addr{}, "", false
	}
	if len(s) > 5 && hasPrefixFold(s, "IPv6:") {
		s = s[5:]
	}
	// Cut the zone at the first '%' (unless it starts s). netip.ParseAddr
	// accepts nothing but hex digits, '.' and ':' in what is left, and
	// neither do the port forms below: reject other text early, which also
	// spares ParseAddr's error allocation.
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i > 0 {
			s = s[:i]
			break
		}
		if !ipByte[s[i]] {
			return netip.Addr{}, "", false
		}
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), s, true
	}
	// 1.2.3.4:port
	if k := strings.LastIndexByte(s, ':'); k > 0 && strings.IndexByte(s[:k], ':') < 0 {
		if a, err := netip.ParseAddr(s[:k]); err == nil && a.Is4() && date.AllDigits(s[k+1:]) {
			return a, s[:k], true
		}
	}
	// 1.2.3.4.port
	if strings.Count(s, ".") == 4 {
		k := strings.LastIndexByte(s, '.')
		if a, err := netip.ParseAddr(s[:k]); err == nil && date.AllDigits(s[k+1:]) {
			return a, s[:k], true
		}
	}
	return netip.Addr{}, "", false
}

// ipByte marks the bytes of a textual IPv4 or IPv6 address (no zone).
var ipByte = func() (t [256]bool) {
	for _, c := range "0123456789abcdefABCDEF.:" {
		t[c] = true
	}
	return t
}()

// canonIP returns a.String(), using text (the source of a) instead of a
// new string when it is already written that way.
func canonIP(a netip.Addr, text string) string {
	if a.Is4() && strings.IndexByte(text, ':') < 0 {
		// Parsed as dotted IPv4, which netip accepts only in canonical
		// form (no leading zeros).
		return text
	}
	var buf [64]byte
	b := a.AppendTo(buf[:0])
	if string(b) == text {
		return text
	}
	return string(b)
}

// parseCommentIP parses a bare address in a from comment: "1.2.3.4",
// "ident@1.2.3.4", "1.2.3.4:port", "1.2.3.4," and reports a port; text is
// the address as written.
func parseCommentIP(w string) (a netip.Addr, text string, hasPort, ok bool) {
	w = trimRight(w, &setCommaParen)
	if k := strings.LastIndexByte(w, '@'); k >= 0 {
		w = w[k+1:]
	}
	a, text, ok = parseBareIPText(w)
	if !ok {
		return a, "", false, false
	}
	if a.Is4() && strings.IndexByte(w, ':') >= 0 {
		hasPort = true
	}
	return a, text, hasPort, true
}

// cleanHost strips brackets, angle brackets and trailing punctuation from a
// by-host.
func cleanHost(w string) string {
	w = trimRight(w, &setHostTrim)
	w = trim(w, &setAngles)
	if len(w) > 2 && w[0] == '[' {
		if a, text, ok := parseIPLiteralText(w); ok {
			return canonIP(a, text)
		}
	}
	return w
}

// cleanAddr strips angle brackets and punctuation from an address.
func cleanAddr(w string) string {
	w = trimRight(w, &setCommaSemi)
	w = trimLeft(w, &setLess)
	if k := strings.IndexByte(w, '>'); k >= 0 {
		w = w[:k]
	}
	return w
}

func isHostname(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}
