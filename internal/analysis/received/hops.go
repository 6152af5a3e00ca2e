package received

import (
	"net/netip"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// BuildHops parses the Received fields among headers (matched
// case-insensitively, in header order, newest first) and returns the hops
// oldest first: Index 1 is the bottom-most Received header. Only the newest
// MaxHops headers are used.
//
// Delay is the time since the previous (older) hop when both are known;
// negative delays are kept, and flagged negative_delay from
// NegativeDelayTolerance on. Hops whose time is
// more than MaxHopDateSkew from date (when date is not zero) are flagged
// time_far_from_date.
//
// The origin is found by walking from the newest hop towards the oldest.
// A hop is a trusted relay of the receiving side when its connecting IP is
// private, loopback or link-local or in trustedNets, or its connecting host
// matches a trusted host (the name or a parent domain, case-insensitive).
// The connecting host is the reverse-DNS name, never the HELO alone, which
// the client chooses. When trustedHosts is empty, the receiving
// organisation is the registered domain (eTLD+1) of the by-host of the
// newest hop that names one, and hosts in that domain are trusted. Hops
// without a connecting IP (local pickup, LMTP over a unix socket,
// "by x with SMTP id y") are passed over: a handoff from the outside always
// records an address. The first hop whose connecting host is not trusted is the
// Origin: it records the handoff from the external sender. Hops newer than
// it are Trusted; hops older than it are not (the sender could have written
// them). When every hop is trusted the oldest hop with a connecting IP is
// the Origin (mail submitted inside the organisation); without any IP there
// is no origin.
//
// Note: in the "from X (ip)" form (qmail, Exchange) X becomes the rDNS name
// (as SpamAssassin does), although Exchange writes the client's HELO there;
// configure TrustedNetworks to avoid relying on it.
func BuildHops(headers []report.HeaderField, date time.Time, trustedHosts []string, trustedNets []netip.Prefix) []report.Hop {
	n := 0
	for i := range headers {
		if equalFold(headers[i].Key, "Received") {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if n > MaxHops {
		n = MaxHops
	}
	hops := make([]report.Hop, n)
	var addrBuf [16]netip.Addr
	var flagBuf [16]flagKey
	addrs, flags := addrBuf[:0], flagBuf[:0]
	if n > len(addrBuf) {
		addrs, flags = make([]netip.Addr, 0, n), make([]flagKey, 0, n)
	}
	addrs, flags = addrs[:n], flags[:n]
	k := n - 1
	for i := range headers {
		if k < 0 {
			break
		}
		if equalFold(headers[i].Key, "Received") {
			r := parseReceived(headers[i].Value)
			hops[k] = r.hop
			addrs[k] = r.ip
			flags[k] = r.flags
			k--
		}
	}
	var delays []float64 // backing store of the Delay pointers
	for i := range hops {
		h := &hops[i]
		h.Index = i + 1
		fk := &flags[i]
		if i > 0 && !h.Time.IsZero() && !hops[i-1].Time.IsZero() {
			if delays == nil {
				delays = make([]float64, n)
			}
			d := &delays[i]
			*d = h.Time.Sub(hops[i-1].Time).Seconds()
			h.Delay = d
			if *d <= -NegativeDelayTolerance.Seconds() {
				fk.negative = 1
			}
		}
		if !date.IsZero() && !h.Time.IsZero() {
			if skew := h.Time.Sub(date); skew > MaxHopDateSkew || skew < -MaxHopDateSkew {
				fk.far = 1
			}
		}
		if fk.negative|fk.far != 0 {
			h.Flags = fk.set()
		}
	}
	markOrigin(hops, addrs, trustedHosts, trustedNets)
	return hops
}

// markOrigin sets Trusted and Origin; see BuildHops. addrs[i] is the
// connecting address of hops[i] (FromIP parsed), invalid when there is none.
func markOrigin(hops []report.Hop, addrs []netip.Addr, trustedHosts []string, trustedNets []netip.Prefix) {
	org := ""
	if len(trustedHosts) == 0 {
		for i := len(hops) - 1; i >= 0; i-- {
			by := strings.ToLower(strings.TrimSuffix(hops[i].By, "."))
			if by == "" || strings.IndexByte(by, '.') < 0 {
				continue
			}
			if _, ok := parseBareIP(by); ok {
				continue
			}
			if d, err := domain.EffectiveTLDPlusOne(by); err == nil {
				org = d
				break
			}
		}
	}
	hostTrusted := func(host string) bool {
		host = strings.TrimSuffix(host, ".")
		if host == "" {
			return false
		}
		if len(trustedHosts) > 0 {
			return domain.MatchHost(host, trustedHosts)
		}
		return org != "" && domain.MatchHost(host, []string{org})
	}
	for i := len(hops) - 1; i >= 0; i-- {
		h := &hops[i]
		if h.FromIP == "" {
			// Local processing record of the receiving side (pickup, LMTP
			// over a unix socket, "by x with SMTP id y"): an SMTP handoff
			// from the outside always has an address.
			h.Trusted = true
			continue
		}
		trusted := false
		if a := addrs[i]; a.IsValid() {
			if isRelayIP(a) {
				trusted = true
			}
			for _, p := range trustedNets {
				if p.Contains(a.Unmap()) {
					trusted = true
					break
				}
			}
		}
		if !trusted && h.FromRDNS != "" {
			trusted = hostTrusted(h.FromRDNS)
		}
		if !trusted {
			h.Origin = true
			return
		}
		h.Trusted = true
	}
	// Everything trusted: the oldest hop with connecting information.
	for i := range hops {
		h := &hops[i]
		if h.FromIP != "" {
			h.Origin = true
			return
		}
	}
}

// OriginHop returns the hop marked Origin by BuildHops, or nil.
func OriginHop(hops []report.Hop) *report.Hop {
	for i := range hops {
		if hops[i].Origin {
			return &hops[i]
		}
	}
	return nil
}
