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
	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/ui"
	"github.com/triage-tools/triage/store"
)

// runFlags are the options the analysing commands (scan, the workbench,
// serve) share: the configuration file and the IP context.
type runFlags struct {
	configFile       string
	asnDB, countryDB string
	online           bool
	dnsServer        string
	rdapBase         string
}

func (e *runFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&e.configFile, "config", "", "configuration `file` (default $TRIAGE_CONFIG or $XDG_CONFIG_HOME/triage/config.json)")
	fs.StringVar(&e.asnDB, "asn-db", "", "MaxMind-format ASN database `file` (default $TRIAGE_ASN_DB or found in $XDG_DATA_HOME/triage)")
	fs.StringVar(&e.countryDB, "country-db", "", "MaxMind-format country database `file` (default $TRIAGE_COUNTRY_DB or found in $XDG_DATA_HOME/triage)")
	fs.BoolVar(&e.online, "online", false, "also look up reverse DNS, Team Cymru ASNs and RDAP domain age (network traffic; off by default)")
	fs.StringVar(&e.dnsServer, "dns-server", "", "DNS server `host:port` for --online (default: from /etc/resolv.conf)")
	fs.StringVar(&e.rdapBase, "rdap", "", "RDAP base `URL` for --online (default https://rdap.org)")
}

// runEnv is what the analysing commands (scan, the workbench, serve)
// share: the analyzer configuration, the store (nil for scan --no-store)
// and the enrichment of new reports.
type runEnv struct {
	an *analysis.Analyzer
	st *store.Store
	en *enricher
}

// openEnv reads the configuration file (flags override it; trustedFlag
// replaces its trusted hosts), opens the store at db unless noStore, and
// opens the IP databases. adjust, when non-nil, may change the analyzer
// configuration before anything uses it.
func (e *runFlags) openEnv(db, trustedFlag string, noStore bool, adjust func(*analysis.Config)) (*runEnv, error) {
	fc, err := loadConfig(e.configFile)
	if err != nil {
		return nil, err
	}
	cfg, err := fc.analysisConfig(trustedFlag)
	if err != nil {
		return nil, err
	}
	if adjust != nil {
		adjust(cfg)
	}
	fc.applyEnrich(e)
	env := &runEnv{an: analysis.New(cfg)}
	if !noStore {
		if env.st, err = openStoreWith(db, false, fc.Labels, fc.learnClasses()); err != nil {
			return nil, err
		}
	}
	if env.en, err = e.open(env.an, env.st); err != nil {
		env.close()
		return nil, err
	}
	return env, nil
}

func (env *runEnv) close() {
	env.en.close()
	if env.st != nil {
		env.st.Close()
	}
}

// ingestOptions are the pipeline options with store and enrichment set.
func (env *runEnv) ingestOptions() ingest.Options {
	o := ingest.Options{Store: env.st, Analyzer: env.an}
	if env.en.active() {
		o.Enrich = env.en.report
	}
	return o
}

// uiOptions are the workbench options every session shares.
func (env *runEnv) uiOptions(title string) ui.Options {
	o := ui.Options{Store: env.st, Raw: rawSource{env.st}, Labels: env.st.LabelSet(), Title: title,
		Learned: env.st.LearnedScores, Explain: env.explain}
	if env.en.active() {
		o.Enrich = env.en.lookup
		o.Online = env.en.online != nil
	}
	return o
}

// enricher holds the opened databases and the online client of one run.
type enricher struct {
	dbs    *enrich.Databases
	online *enrich.Online
	an     *analysis.Analyzer
}

// open finds and opens the databases. Without any, enrichment is off and
// everything else works.
func (e *runFlags) open(an *analysis.Analyzer, st *store.Store) (*enricher, error) {
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
	en := &enricher{an: an}
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

// report enriches one report and adds the network findings. Online
// look-ups stop when ctx is cancelled (Ctrl+C) and after 10 s. Safe for
// concurrent use.
func (en *enricher) report(ctx context.Context, rep *analysis.Report) {
	if en.dbs != nil {
		enrich.EnrichReport(rep, en.dbs)
	}
	var fs []analysis.Finding
	if en.online != nil {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		fs = append(fs, en.online.EnrichReport(ctx, rep, en.dbs)...)
		cancel()
	}
	fs = append(fs, en.an.NetworkFindings(rep)...)
	en.an.AddFindings(rep, fs)
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
