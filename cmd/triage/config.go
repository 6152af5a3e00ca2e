package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/infra"
	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/store"
)

// fileConfig is the optional configuration file, JSON, at $TRIAGE_CONFIG or
// $XDG_CONFIG_HOME/triage/config.json (~/.config/triage/config.json).
// Command-line flags override it. Relative paths in it are relative to the
// file. See docs/configuration.md.
type fileConfig struct {
	// TrustedHosts and TrustedNetworks describe the receiving side (the
	// by-hosts of its Received headers and its authserv-id).
	TrustedHosts    []string `json:"trusted_hosts"`
	TrustedNetworks []string `json:"trusted_networks"`
	// Labels replaces the default label set.
	Labels []string `json:"labels"`
	// ReportAddresses are the report mailbox's own addresses: never the
	// phish's recipient, never its reporter (analysis.Config).
	ReportAddresses []string `json:"report_addresses"`
	// BrandsFile extends the built-in brand registry (same format as
	// internal/analysis/brands.json; entries with a known name replace it).
	BrandsFile string `json:"brands_file"`
	// InfraFile extends the built-in sending-infrastructure data (same
	// format as internal/analysis/infra/infra.json; entries are added).
	InfraFile string `json:"infra_file"`
	// Rules overrides rule weights or disables rules by ID.
	Rules map[string]analysis.RuleOverride `json:"rules"`
	// IP context (README, IP context).
	ASNDB     string `json:"asn_db"`
	CountryDB string `json:"country_db"`
	Online    bool   `json:"online"`
	DNSServer string `json:"dns_server"`
	RDAP      string `json:"rdap"`
	// Abuse configures `triage report`: who reports, and the abuse
	// contact of origin networks.
	Abuse abuseConfig `json:"abuse"`
	// Learn says which labels teach the learned model "bad" and "good"
	// (docs/learning.md); absent: phish, malware, bec bad, benign good.
	Learn *learnConfig `json:"learn"`

	dir string // folder of the file, for relative paths
}

// learnConfig is the "learn" object of the configuration file.
type learnConfig struct {
	Bad  []string `json:"bad"`
	Good []string `json:"good"`
}

// learnClasses maps the configured labels to classes; nil for the default.
func (fc *fileConfig) learnClasses() map[string]learn.Class {
	if fc == nil || fc.Learn == nil {
		return nil
	}
	m := map[string]learn.Class{}
	for _, l := range fc.Learn.Bad {
		m[l] = learn.Bad
	}
	for _, l := range fc.Learn.Good {
		m[l] = learn.Good
	}
	return m
}

// configPath returns the configuration file to read and whether it was
// named explicitly (then it must exist).
func configPath(flagValue string) (string, bool) {
	if flagValue != "" {
		return flagValue, true
	}
	if p := os.Getenv("TRIAGE_CONFIG"); p != "" {
		return p, true
	}
	dir := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", false
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "triage", "config.json"), false
}

// loadConfig reads the configuration file. A missing default file is an
// empty configuration; a missing explicit one, unknown fields and bad
// values are errors that name the file.
func loadConfig(flagValue string) (*fileConfig, error) {
	path, explicit := configPath(flagValue)
	fc := &fileConfig{}
	if path == "" {
		return fc, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return fc, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(fc); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	fc.dir = filepath.Dir(path)
	for id := range fc.Rules {
		if analysis.DefaultConfig().Rule(id) == nil {
			return nil, fmt.Errorf("config %s: unknown rule %q", path, id)
		}
	}
	for _, l := range fc.Labels {
		if l == "" {
			return nil, fmt.Errorf("config %s: empty label", path)
		}
	}
	if fc.Learn != nil {
		set := fc.Labels
		if set == nil {
			set = store.DefaultLabels()
		}
		for _, l := range append(slices.Clone(fc.Learn.Bad), fc.Learn.Good...) {
			if !slices.Contains(set, l) {
				return nil, fmt.Errorf("config %s: learn: %q is not a label", path, l)
			}
		}
		for _, l := range fc.Learn.Bad {
			if slices.Contains(fc.Learn.Good, l) {
				return nil, fmt.Errorf("config %s: learn: %q is both bad and good", path, l)
			}
		}
	}
	return fc, nil
}

func (fc *fileConfig) path(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(fc.dir, p)
}

// analysisConfig builds the analyzer configuration from
// analysis.DefaultConfig(): the file's trusted hosts and networks, rule
// overrides (applied in rule-ID order) and extra brands; trustedFlag
// (comma separated) replaces the file's trusted hosts when given.
func (fc *fileConfig) analysisConfig(trustedFlag string) (*analysis.Config, error) {
	cfg := analysis.DefaultConfig()
	cfg.TrustedHosts = slices.Clone(fc.TrustedHosts)
	for _, a := range fc.ReportAddresses {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			cfg.ReportAddresses = append(cfg.ReportAddresses, a)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(fc.Rules)) {
		if err := cfg.Override(id, fc.Rules[id]); err != nil {
			return nil, fmt.Errorf("config: rules: %w", err)
		}
	}
	if trustedFlag != "" {
		cfg.TrustedHosts = splitList(trustedFlag)
	}
	for _, n := range fc.TrustedNetworks {
		p, err := netip.ParsePrefix(n)
		if err != nil {
			return nil, fmt.Errorf("config: trusted_networks: %w", err)
		}
		cfg.TrustedNetworks = append(cfg.TrustedNetworks, p)
	}
	if fc.BrandsFile != "" {
		f, err := os.Open(fc.path(fc.BrandsFile))
		if err != nil {
			return nil, fmt.Errorf("config: brands_file: %w", err)
		}
		defer f.Close()
		user, err := brands.Load(f)
		if err != nil {
			return nil, fmt.Errorf("config: brands_file %s: %w", fc.path(fc.BrandsFile), err)
		}
		cfg.Brands = brands.Default().Merge(user)
	}
	if fc.InfraFile != "" {
		set, err := loadInfraFile(fc.path(fc.InfraFile))
		if err != nil {
			return nil, err
		}
		cfg.Infra = infra.Default().Merge(set)
	}
	return cfg, nil
}

func loadInfraFile(path string) (*infra.Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: infra_file: %w", err)
	}
	defer f.Close()
	set, err := infra.Load(f)
	if err != nil {
		return nil, fmt.Errorf("config: infra_file %s: %w", path, err)
	}
	return set, nil
}

// applyEnrich fills IP-context flags the user did not give from the file.
func (fc *fileConfig) applyEnrich(e *runFlags) {
	if e.asnDB == "" {
		e.asnDB = fc.path(fc.ASNDB)
	}
	if e.countryDB == "" {
		e.countryDB = fc.path(fc.CountryDB)
	}
	e.online = e.online || fc.Online
	if e.dnsServer == "" {
		e.dnsServer = fc.DNSServer
	}
	if e.rdapBase == "" {
		e.rdapBase = fc.RDAP
	}
}
