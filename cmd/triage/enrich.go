package main

import (
	"context"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/enrich"
	"github.com/triage-tools/triage/store"
)

// enrichFlags are the IP-context options shared by scan and the workbench.
type enrichFlags struct {
	configFile       string
	asnDB, countryDB string
	online           bool
	dnsServer        string
	rdapBase         string
}

func (e *enrichFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&e.configFile, "config", "", "configuration `file` (default $TRIAGE_CONFIG or $XDG_CONFIG_HOME/triage/config.json)")
	fs.StringVar(&e.asnDB, "asn-db", "", "MaxMind-format ASN database `file` (default $TRIAGE_ASN_DB or found in $XDG_DATA_HOME/triage)")
	fs.StringVar(&e.countryDB, "country-db", "", "MaxMind-format country database `file` (default $TRIAGE_COUNTRY_DB or found in $XDG_DATA_HOME/triage)")
	fs.BoolVar(&e.online, "online", false, "also look up reverse DNS, Team Cymru ASNs and RDAP domain age (network traffic; off by default)")
	fs.StringVar(&e.dnsServer, "dns-server", "", "DNS server `host:port` for --online (default: from /etc/resolv.conf)")
	fs.StringVar(&e.rdapBase, "rdap", "", "RDAP base `URL` for --online (default https://rdap.org)")
}

// setup reads the configuration file, builds the analyzer configuration
// (trustedFlag overrides the file's trusted hosts) and completes the
// IP-context flags from the file.
func (e *enrichFlags) setup(trustedFlag string) (*fileConfig, *analysis.Config, error) {
	fc, err := loadConfig(e.configFile)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := fc.analysisConfig(trustedFlag)
	if err != nil {
		return nil, nil, err
	}
	fc.applyEnrich(e)
	return fc, cfg, nil
}

// enricher holds the opened databases and the online client of one run.
type enricher struct {
	dbs    *enrich.Databases
	online *enrich.Online
	cfg    *analysis.Config
}

// open finds and opens the databases. Without any, enrichment is off and
// everything else works.
func (e *enrichFlags) open(cfg *analysis.Config, st *store.Store) (*enricher, error) {
	asn, country := e.asnDB, e.countryDB
	if asn == "" {
		asn = os.Getenv("TRIAGE_ASN_DB")
	}
	if country == "" {
		country = os.Getenv("TRIAGE_COUNTRY_DB")
	}
	if asn == "" && country == "" {
		asn, country = enrich.FindDatabases(enrich.DefaultDir())
	}
	en := &enricher{cfg: cfg}
	if asn != "" || country != "" {
		dbs, err := enrich.OpenDatabases(asn, country)
		if err != nil {
			return nil, fmt.Errorf("ip databases: %w", err)
		}
		en.dbs = dbs
	}
	if e.online {
		opts := enrich.OnlineOptions{Enabled: true, DNSServer: e.dnsServer, RDAPBase: e.rdapBase}
		if st != nil {
			opts.Cache = st
		}
		en.online = enrich.NewOnline(opts)
	}
	return en, nil
}

// active reports whether there is anything to enrich with.
func (en *enricher) active() bool { return en != nil && (en.dbs != nil || en.online != nil) }

// report enriches one report and adds the network findings. Safe for
// concurrent use.
func (en *enricher) report(rep *analysis.Report) {
	if en.dbs != nil {
		enrich.EnrichReport(rep, en.dbs)
	}
	var fs []analysis.Finding
	if en.online != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		fs = append(fs, en.online.EnrichReport(ctx, rep, en.dbs)...)
		cancel()
	}
	fs = append(fs, analysis.NetworkFindings(rep, en.cfg.Brands)...)
	analysis.AddFindings(rep, en.cfg, fs)
}

// lookup gives the workbench's Hops pane the network and country of an IP.
func (en *enricher) lookup(ip string) (network, country string) {
	if en == nil || en.dbs == nil {
		return "", ""
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return "", ""
	}
	ni, ok := en.dbs.Lookup(a)
	if !ok {
		return "", ""
	}
	if ni.ASN != 0 {
		network = fmt.Sprintf("AS%d %s", ni.ASN, ni.ASOrg)
	} else {
		network = ni.ASOrg
	}
	return network, ni.Country
}

func (en *enricher) close() {
	if en == nil {
		return
	}
	if en.online != nil {
		en.online.Close()
	}
	if en.dbs != nil {
		en.dbs.Close()
	}
}
