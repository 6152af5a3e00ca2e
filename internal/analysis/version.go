package analysis

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash"
	"slices"
	"sync"

	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/content"
	"github.com/triage-tools/triage/internal/analysis/infra"
)

// codeVersion is the version of the rules' code: bump it whenever a
// change to the code (not the data) can change the Report of some
// message. TestCodeVersionBumped fails when the default rule table (IDs
// and points) or the lexicons change and codeVersion does not; code-only
// changes rely on the reviewer.
const codeVersion = "0.6.3"

// Version identifies everything that decides a report made by an: the
// rules' code version, then "+" and a hash of the configuration (the rule
// table with its weights, limits, trusted hosts and networks, the brand
// registry, the sending-infrastructure data, the hosting lists and the
// lexicons), user additions and overrides included. Two analyzers with
// the same Version make the same reports. Reports whose AnalyzerVersion
// differs are stale: the ingest pipeline analyses them again.
func (an *Analyzer) Version() string { return an.version }

// CodeVersion is the version of the rules' code alone (see
// Analyzer.Version).
func CodeVersion() string { return codeVersion }

// The embedded registry and infrastructure data are shared by every
// default Analyzer: hash them once.
var (
	defaultBrandsDigest = sync.OnceValue(func() []byte { return jsonDigest(brands.Default().Brands()) })
	defaultInfraDigest  = sync.OnceValue(func() []byte { return jsonDigest(infra.Default().Entries()) })
)

// The default configuration's version, and its lists to recognise it:
// Analyze(raw, cfg) builds an Analyzer per message, so New must not hash
// the whole configuration each time.
var (
	defaultVersion = sync.OnceValue(func() string {
		c := DefaultConfig().clone()
		return hashConfig(&c)
	})
	defaultRuleTable   = sync.OnceValue(DefaultRules)
	defaultHostingASNL = sync.OnceValue(defaultHostingASNs)
	defaultHostingOrgL = sync.OnceValue(defaultHostingOrgKeywords)
)

// configVersion computes Version for cfg (defaults filled in).
func configVersion(cfg *Config) string {
	if cfg.Limits == DefaultLimits() && len(cfg.TrustedHosts) == 0 && len(cfg.TrustedNetworks) == 0 &&
		cfg.Brands == brands.Default() && cfg.Infra == infra.Default() &&
		slices.Equal(cfg.Rules, defaultRuleTable()) && slices.Equal(cfg.HostingASNs, defaultHostingASNL()) &&
		slices.Equal(cfg.HostingOrgKeywords, defaultHostingOrgL()) && len(cfg.ReportAddresses) == 0 {
		return defaultVersion()
	}
	return hashConfig(cfg)
}

// hashConfig is configVersion without the shortcut.
func hashConfig(cfg *Config) string {
	h := sha256.New()
	put := func(tag string, v any) { writeSection(h, tag, jsonBytes(v)) }
	put("limits", cfg.Limits)
	put("trusted_hosts", cfg.TrustedHosts)
	put("trusted_networks", cfg.TrustedNetworks)
	put("rules", cfg.Rules)
	put("hosting_asns", cfg.HostingASNs)
	put("hosting_org_keywords", cfg.HostingOrgKeywords)
	if len(cfg.ReportAddresses) > 0 {
		put("report_addresses", cfg.ReportAddresses)
	}
	if cfg.Brands == brands.Default() {
		writeSection(h, "brands", defaultBrandsDigest())
	} else {
		writeSection(h, "brands", jsonDigest(cfg.Brands.Brands()))
	}
	if cfg.Infra == infra.Default() {
		writeSection(h, "infra", defaultInfraDigest())
	} else {
		writeSection(h, "infra", jsonDigest(cfg.Infra.Entries()))
	}
	writeSection(h, "lexicons", []byte(content.Digest()))
	sum := h.Sum(nil)
	return codeVersion + "+" + hex.EncodeToString(sum[:8])
}

// jsonBytes encodes plain configuration data. It cannot fail for the
// types above; a failure still yields distinct bytes instead of hiding the
// section.
func jsonBytes(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("error: " + err.Error())
	}
	return b
}

func jsonDigest(v any) []byte {
	sum := sha256.Sum256(jsonBytes(v))
	return sum[:]
}

// writeSection writes tag and data length-prefixed, so that no two
// different section lists hash alike.
func writeSection(h hash.Hash, tag string, data []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(tag)))
	h.Write(n[:])
	h.Write([]byte(tag))
	binary.BigEndian.PutUint64(n[:], uint64(len(data)))
	h.Write(n[:])
	h.Write(data)
}
