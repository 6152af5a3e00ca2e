// Package iocs collects the indicators of compromise of a set of labeled
// messages and writes them as CSV, a STIX 2.1 bundle or a MISP event.
//
// An indicator is one typed value (a URL, a link host or registered
// domain, a sender address or domain, an origin IP, an attachment's
// SHA-256, a subject) with the first and last time it was seen, how many
// messages carried it, and their labels and campaigns. The time of a
// message is its Date header; a message without one takes the time of its
// first label event, because the store keeps no ingest time.
//
// Not every value of a phishing message is an indicator: the Collector
// leaves out the domains of known brands (internal/analysis/brands) and of
// known sending infrastructure (internal/analysis/infra: ESPs, brand CDNs,
// shared platforms), free-mail domains (the address is kept, the provider
// is not), the origin hop of a message authenticated as its sender (the
// sender's own servers), private and reserved addresses, images other
// than QR codes, and a short list of ubiquitous hosts (benign.go).
//
// A Collector holds one entry per distinct indicator (bounded by
// MaxIndicators), never the messages; it is not safe for concurrent use.
package iocs

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/infra"
)

// Indicator types, named as MISP attribute types (the CSV "type" column).
const (
	TypeURL      = "url"
	TypeHostname = "hostname"      // a link host other than its registered domain
	TypeDomain   = "domain"        // registered domain of a link or of the sender
	TypeIPSrc    = "ip-src"        // origin IP of a message
	TypeIPDst    = "ip-dst"        // IP literal a link goes to
	TypeEmailSrc = "email-src"     // sender address
	TypeSHA256   = "sha256"        // attachment
	TypeSubject  = "email-subject" // subject line
)

// typeOrder is the order of types in the output.
var typeOrder = []string{TypeURL, TypeHostname, TypeDomain, TypeIPDst, TypeIPSrc, TypeEmailSrc, TypeSHA256, TypeSubject}

// MaxIndicators bounds the distinct indicators a Collector keeps.
const MaxIndicators = 200000

// Indicator is one typed value with where and when it was seen.
type Indicator struct {
	Type      string
	Value     string
	FirstSeen time.Time
	LastSeen  time.Time
	Messages  int
	Labels    []string // sorted
	Campaigns []string // sorted; empty until campaigns are stored
}

// Message is what the Collector needs of one message: its report (as
// exported), current label and campaigns, and its time.
type Message struct {
	ID        string
	Label     string
	Campaigns []string
	// Time is the Date header, or another time when there is none (see
	// the package doc).
	Time   time.Time
	Report *analysis.Report
}

// Collector gathers the indicators of messages added to it.
type Collector struct {
	reg     *brands.Registry
	inf     *infra.Set
	byKey   map[key]*Indicator
	dropped int
}

type key struct{ typ, value string }

// New returns a Collector that leaves out the domains of reg and inf (the
// defaults when nil).
func New(reg *brands.Registry, inf *infra.Set) *Collector {
	if reg == nil {
		reg = brands.Default()
	}
	if inf == nil {
		inf = infra.Default()
	}
	return &Collector{reg: reg, inf: inf, byKey: map[key]*Indicator{}}
}

// Dropped is how many indicators were not kept because MaxIndicators was
// reached.
func (c *Collector) Dropped() int { return c.dropped }

// Add records the indicators of m; each counts m once.
func (c *Collector) Add(m Message) {
	r := m.Report
	if r == nil {
		return
	}
	seen := map[key]bool{}
	put := func(typ, value string) {
		if value == "" {
			return
		}
		k := key{typ, value}
		if seen[k] {
			return
		}
		seen[k] = true
		c.record(k, m)
	}
	c.sender(r, put)
	c.origin(r, put)
	c.links(r, put)
	qrImages := map[string]bool{}
	for _, u := range r.URLs {
		if name, ok := strings.CutPrefix(u.Source, "qr:"); ok {
			qrImages[name] = true
		}
	}
	for _, a := range r.Attachments {
		if a.SHA256 == "" {
			continue
		}
		img := strings.HasPrefix(a.SniffedType, "image/") || (a.SniffedType == "" && strings.HasPrefix(a.DeclaredType, "image/"))
		if img && !qrImages[a.Name] {
			continue // a logo or a picture, not a payload
		}
		put(TypeSHA256, strings.ToLower(a.SHA256))
	}
	put(TypeSubject, strings.TrimSpace(r.Summary.Subject))
}

func (c *Collector) record(k key, m Message) {
	in := c.byKey[k]
	if in == nil {
		if len(c.byKey) >= MaxIndicators {
			c.dropped++
			return
		}
		in = &Indicator{Type: k.typ, Value: k.value, FirstSeen: m.Time, LastSeen: m.Time}
		c.byKey[k] = in
	}
	in.Messages++
	if !m.Time.IsZero() {
		if in.FirstSeen.IsZero() || m.Time.Before(in.FirstSeen) {
			in.FirstSeen = m.Time
		}
		if m.Time.After(in.LastSeen) {
			in.LastSeen = m.Time
		}
	}
	if m.Label != "" {
		in.Labels = addSorted(in.Labels, m.Label)
	}
	for _, cp := range m.Campaigns {
		in.Campaigns = addSorted(in.Campaigns, cp)
	}
}

func addSorted(l []string, s string) []string {
	i, found := slices.BinarySearch(l, s)
	if found {
		return l
	}
	return slices.Insert(l, i, s)
}

// authDomain returns the domain the message is authenticated as, "".
func authDomain(r *analysis.Report) string {
	if r.Auth.Identity == nil {
		return ""
	}
	return domain.Registered(strings.ToLower(r.Auth.Identity.Domain))
}

// sender adds the From address and its domain.
func (c *Collector) sender(r *analysis.Report, put func(string, string)) {
	addr := strings.ToLower(strings.TrimSpace(r.Summary.From.Address))
	host := domain.OfAddress(addr)
	if host == "" {
		return
	}
	dom := domain.Registered(host)
	if dom != "" && authDomain(r) == dom && c.reg.ByDomain(dom) != nil && !domain.IsFreemail(dom) {
		return // the brand itself, authenticated: not the attacker's
	}
	put(TypeEmailSrc, addr)
	if !c.benignHost(host, dom) && !domain.IsFreemail(dom) {
		put(TypeDomain, dom)
	}
}

// origin adds the origin IP, unless the message is authenticated and the
// origin is its own or known sending infrastructure.
func (c *Collector) origin(r *analysis.Report, put func(string, string)) {
	for _, h := range r.Hops {
		if !h.Origin || h.FromIP == "" {
			continue
		}
		ip, err := netip.ParseAddr(h.FromIP)
		if err != nil || !publicIP(ip) {
			return
		}
		if ad := authDomain(r); ad != "" {
			for _, n := range []string{h.FromRDNS, h.FromHelo} {
				n = strings.ToLower(n)
				rd := domain.Registered(n)
				if n != "" && (rd == ad || c.inf.Known(n) || (rd != "" && c.reg.ByDomain(rd) != nil)) {
					return
				}
			}
		}
		put(TypeIPSrc, ip.Unmap().String())
		return
	}
}

func publicIP(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsGlobalUnicast() && !ip.IsPrivate() && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() &&
		!netip.MustParsePrefix("100.64.0.0/10").Contains(ip) && !netip.MustParsePrefix("192.0.2.0/24").Contains(ip) &&
		!netip.MustParsePrefix("198.51.100.0/24").Contains(ip) && !netip.MustParsePrefix("203.0.113.0/24").Contains(ip) &&
		!netip.MustParsePrefix("2001:db8::/32").Contains(ip)
}

// links adds the web links, their hosts and registered domains.
func (c *Collector) links(r *analysis.Report, put func(string, string)) {
	for _, u := range r.URLs {
		if u.Scheme != "http" && u.Scheme != "https" {
			continue
		}
		host := strings.ToLower(u.Host)
		if host == "" || c.benignHost(host, u.Domain) {
			continue
		}
		value := u.URL
		if u.Unwrapped != "" {
			value = u.Unwrapped
		}
		put(TypeURL, value)
		if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
			if publicIP(ip) {
				put(TypeIPDst, ip.Unmap().String())
			}
			continue
		}
		if u.Domain != "" && host != u.Domain {
			put(TypeHostname, host)
		}
		put(TypeDomain, u.Domain)
	}
}

// benignHost reports a host that is never an indicator: a brand's domain,
// known sending infrastructure, or a ubiquitous host.
func (c *Collector) benignHost(host, dom string) bool {
	if dom != "" && c.reg.ByDomain(dom) != nil {
		return true
	}
	if c.inf.Known(host) {
		return true
	}
	return ubiquitous(host, dom)
}

// Indicators returns the indicators in a stable order: by type, then by
// value.
func (c *Collector) Indicators() []Indicator {
	out := make([]Indicator, 0, len(c.byKey))
	for _, in := range c.byKey {
		out = append(out, *in)
	}
	rank := func(t string) int { return slices.Index(typeOrder, t) }
	slices.SortFunc(out, func(a, b Indicator) int {
		return cmp.Or(cmp.Compare(rank(a.Type), rank(b.Type)), strings.Compare(a.Value, b.Value))
	})
	return out
}
