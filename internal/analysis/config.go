package analysis

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/infra"
)

// Config is everything an Analyzer needs besides the message: plain data
// in a deterministic order (the rule table in table order, lists as
// given), so that it can be compared, copied and hashed. Build it with
// DefaultConfig and adjust the copy; New takes its own copy, so changing a
// Config after New never affects that Analyzer. Zero fields mean the
// default (New fills them in).
type Config struct {
	Limits Limits
	// TrustedHosts are host names (by-host of Received, authserv-id of
	// Authentication-Results) that belong to the receiving side. Matching is
	// case-insensitive on the name or any parent domain.
	TrustedHosts []string
	// TrustedNetworks are relay networks of the receiving side. Private and
	// loopback ranges are always trusted as relays.
	TrustedNetworks []netip.Prefix
	// Brands is the brand registry (read-only once built); nil means the
	// embedded default.
	Brands *brands.Registry
	// Infra is the sending-infrastructure data (ESP trackers, brand
	// assets, shared platforms; read-only once built); nil means the
	// embedded default.
	Infra *infra.Set
	// Rules is the rule table with its weights, in table order; nil means
	// DefaultRules(). A rule missing from the table never fires.
	Rules []Rule
	// HostingASNs are the AS numbers of hosting, cloud and VPS networks
	// (see IsHostingNetwork); nil means the default list.
	HostingASNs []uint32
	// HostingOrgKeywords match (lower-case, as substrings) the AS names of
	// hosting networks not in HostingASNs; nil means the default list.
	HostingOrgKeywords []string
	// ReportAddresses are the addresses of the "report phishing" mailbox
	// itself (compared case-insensitively): never read as a recipient of
	// the phish (role mailbox, recipient in a URL), and a wrapper sent by
	// one of them (an automatic forward of the mailbox) is not the
	// reporter: the next wrapper's sender is.
	ReportAddresses []string
}

// DefaultConfig returns a fresh Config with the default limits, rule
// table and network lists, no trusted hosts or networks and the embedded
// brand registry. Each call returns new slices: changing one copy never
// changes another.
func DefaultConfig() *Config {
	return &Config{
		Limits:             DefaultLimits(),
		Rules:              DefaultRules(),
		HostingASNs:        defaultHostingASNs(),
		HostingOrgKeywords: defaultHostingOrgKeywords(),
	}
}

// RuleOverride changes one rule: Disabled drops it, a non-nil Points
// replaces its weight.
type RuleOverride struct {
	Disabled bool `json:"disabled,omitempty"`
	Points   *int `json:"points,omitempty"`
}

// Rule returns the rule with the given ID in c's table (DefaultRules if
// c.Rules is nil, then filled in), or nil. The result points into c.Rules:
// changing it changes c.
func (c *Config) Rule(id string) *Rule {
	if c.Rules == nil {
		c.Rules = DefaultRules()
	}
	for i := range c.Rules {
		if c.Rules[i].ID == id {
			return &c.Rules[i]
		}
	}
	return nil
}

// Override applies o to the rule id of c's table. It fails for a rule
// the table does not have.
func (c *Config) Override(id string, o RuleOverride) error {
	r := c.Rule(id)
	if r == nil {
		return fmt.Errorf("unknown rule %q", id)
	}
	if o.Disabled {
		r.Disabled = true
	}
	if o.Points != nil {
		r.Points = *o.Points
	}
	return nil
}

// clone returns a deep copy of c with the defaults filled in.
func (c *Config) clone() Config {
	d := Config{}
	if c != nil {
		d = *c
	}
	if d.Limits == (Limits{}) {
		d.Limits = DefaultLimits()
	}
	if d.Brands == nil {
		d.Brands = brands.Default()
	}
	if d.Infra == nil {
		d.Infra = infra.Default()
	}
	d.TrustedHosts = slices.Clone(d.TrustedHosts)
	d.TrustedNetworks = slices.Clone(d.TrustedNetworks)
	d.ReportAddresses = slices.Clone(d.ReportAddresses)
	if d.Rules == nil {
		d.Rules = DefaultRules()
	} else {
		d.Rules = slices.Clone(d.Rules)
	}
	if d.HostingASNs == nil {
		d.HostingASNs = defaultHostingASNs()
	} else {
		d.HostingASNs = slices.Clone(d.HostingASNs)
	}
	if d.HostingOrgKeywords == nil {
		d.HostingOrgKeywords = defaultHostingOrgKeywords()
	} else {
		d.HostingOrgKeywords = slices.Clone(d.HostingOrgKeywords)
	}
	return d
}

// Analyzer analyses messages with one Config. It is immutable once built
// and safe for concurrent use; two Analyzers share nothing mutable (the
// brand registry, shared when given, is read-only).
type Analyzer struct {
	cfg     Config
	rules   map[string]*Rule // into cfg.Rules
	version string           // see Version
}

// New returns an Analyzer for a copy of cfg (nil means DefaultConfig()),
// with zero fields set to their defaults.
func New(cfg *Config) *Analyzer {
	an := &Analyzer{cfg: cfg.clone()}
	an.rules = make(map[string]*Rule, len(an.cfg.Rules))
	for i := range an.cfg.Rules {
		if _, dup := an.rules[an.cfg.Rules[i].ID]; !dup {
			an.rules[an.cfg.Rules[i].ID] = &an.cfg.Rules[i]
		}
	}
	an.version = configVersion(&an.cfg)
	return an
}

// Config returns a deep copy of the analyzer's configuration, defaults
// filled in.
func (an *Analyzer) Config() *Config {
	c := an.cfg.clone()
	return &c
}

// Limits returns the analyzer's limits.
func (an *Analyzer) Limits() Limits { return an.cfg.Limits }

// Rule returns the analyzer's rule id (with its weight), and whether the
// table has it.
func (an *Analyzer) Rule(id string) (Rule, bool) {
	if r := an.rules[id]; r != nil {
		return *r, true
	}
	return Rule{}, false
}
