package analysis

import (
	"net/netip"

	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/infra"
)

// Config is everything Analyze needs besides the message. It is read-only
// once built and safe to share between goroutines.
type Config struct {
	Limits Limits
	// TrustedHosts are host names (by-host of Received, authserv-id of
	// Authentication-Results) that belong to the receiving side. Matching is
	// case-insensitive on the name or any parent domain.
	TrustedHosts []string
	// TrustedNetworks are relay networks of the receiving side. Private and
	// loopback ranges are always trusted as relays.
	TrustedNetworks []netip.Prefix
	// Brands is the brand registry; nil means the embedded default.
	Brands *brands.Registry
	// Infra is the sending-infrastructure data (ESP trackers, brand
	// assets, shared platforms); nil means the embedded default.
	Infra *infra.Set
	// Rules overrides weights or disables rules by ID.
	Rules map[string]RuleOverride
}

// RuleOverride changes one rule: Disabled drops it, a non-nil Points
// replaces its weight.
type RuleOverride struct {
	Disabled bool `json:"disabled,omitempty"`
	Points   *int `json:"points,omitempty"`
}
