package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/content"
	"github.com/triage-tools/triage/internal/analysis/infra"
)

// codeVersionDigests records, for each codeVersion, the digest of the
// default rule table (IDs, points, explanations) and the lexicons it was
// released with. When TestCodeVersionBumped fails: bump codeVersion
// (version.go) and add the new digest here, so that every cached report
// is analysed again.
var codeVersionDigests = map[string]string{
	"0.2.0": "ef2bcbd9ec7af594",
	"0.3.0": "ef2bcbd9ec7af594", // reports gained raw_score
	"0.4.0": "d8db7d92d8a6049d", // link-less scam rules and lexicons
	"0.4.1": "d8db7d92d8a6049d", // call-back rule: stricter for bare free-mail senders
	"0.4.2": "37a5d3768ccdfabd", // romance rule: needs the scam's channel; fewer generic terms
	"0.4.3": "35abd15b5bb50a2d", // advance-fee rule: no link plus a windfall or the scam's channel; "6,2 Millionen Euro" amounts
	"0.4.4": "1d7a8f550229f585", // gift-card rule: the request's words, not a present
	"0.5.0": "65583d225eb0843e", // authenticated identity, ARC first hop, system mail (merged with the above)
	"0.5.1": "65583d225eb0843e", // url.free_hosting only on links the reader follows, not displayed images
	"0.5.2": "65583d225eb0843e", // "X via Y" display names from the authenticated relay: no brand claim, replies to X no diversion
	"0.5.3": "65583d225eb0843e", // lexicons read the visible text of HTML (not markup); body brands still read markup
	"0.5.4": "280e84828a3bb717", // credential and pressure lexicons in Portuguese, Spanish, German, French and Dutch
	"0.5.5": "280e84828a3bb717", // a short brand alias next to a non-ASCII Latin, Greek or Cyrillic letter is inside a word
	"0.5.6": "280e84828a3bb717", // one word of one content lexicon, and nothing else: no points
	"0.5.7": "47785d223095742c", // Reply-To another mailbox of the sender's free-mail provider; links to the sender's own tenant of a shared platform are related
	"0.5.8": "47785d223095742c", // a brand spelled out letter by letter in the display name ("D/H/L") is a claim; telegra.ph and graph.org are free hosting
	"0.5.9": "47785d223095742c", // content.hidden_text needs a hidden element with something in it (not a pixel, an empty caption, a zero-width space)
	"0.6.0": "47785d223095742c", // report wrappers unwrapped: the report is the original's
	"0.6.1": "ba84cd298aaf4426", // url.qr_code and attach.pdf_link_only: QR codes in images and links in PDFs
	"0.6.2": "ba84cd298aaf4426", // stores gain the learned model's feature sets (re-analysis)
	"0.6.3": "ba84cd298aaf4426", // a link through the message's own list server's click tracker shows the sender's own name; a domain spelled with umlauts is the sender's own spelled without
}

func rulesCodeDigest() string {
	h := sha256.New()
	for _, r := range DefaultRules() {
		fmt.Fprintf(h, "%q %d %q %v\n", r.ID, r.Points, r.Summary, r.Disabled)
	}
	h.Write([]byte(content.Digest()))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func TestCodeVersionBumped(t *testing.T) {
	got := rulesCodeDigest()
	want, ok := codeVersionDigests[codeVersion]
	if !ok || want != got {
		t.Fatalf("the default rule table or the lexicons changed (digest %s, recorded for %s: %q): bump codeVersion in version.go and record %q for it in codeVersionDigests", got, codeVersion, want, got)
	}
}

// safeVersion is the store's pattern for analyzer versions.
var safeVersion = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$`)

func TestAnalyzerVersion(t *testing.T) {
	base := New(nil).Version()
	if !safeVersion.MatchString(base) || !strings.HasPrefix(base, codeVersion+"+") {
		t.Fatalf("version %q: want %s+hash, storable", base, codeVersion)
	}
	if again := New(DefaultConfig()).Version(); again != base {
		t.Fatalf("same configuration, versions %q and %q", base, again)
	}
	if rep := New(nil).Analyze([]byte("From: a@example.com\r\nSubject: x\r\n\r\nhi\r\n")); rep.AnalyzerVersion != base {
		t.Fatalf("report version %q, analyzer %q", rep.AnalyzerVersion, base)
	}
	one := 7
	extra, err := brands.Load(strings.NewReader(`[{"name":"Example Bank","category":"bank","domains":["example-bank.test"]}]`))
	if err != nil {
		t.Fatal(err)
	}
	infraExtra, err := infra.Load(strings.NewReader(`[{"kind":"esp","name":"Mailer","domains":["click.mailer.test"],"source":"https://mailer.test/docs"}]`))
	if err != nil {
		t.Fatal(err)
	}
	changes := map[string]func(c *Config){
		"weight": func(c *Config) {
			if err := c.Override("sender.msgid_missing", RuleOverride{Points: &one}); err != nil {
				t.Fatal(err)
			}
		},
		"disabled rule": func(c *Config) { _ = c.Override("sender.msgid_missing", RuleOverride{Disabled: true}) },
		"brand added":   func(c *Config) { c.Brands = brands.Default().Merge(extra) },
		"infra added":   func(c *Config) { c.Infra = infra.Default().Merge(infraExtra) },
		"trusted host":  func(c *Config) { c.TrustedHosts = []string{"mx.example.net"} },
		"limit":         func(c *Config) { c.Limits.MaxURLs = 10 },
		"hosting ASN":   func(c *Config) { c.HostingASNs = append(c.HostingASNs, 64500) },
		"hosting org":   func(c *Config) { c.HostingOrgKeywords = append(c.HostingOrgKeywords, "examplehost") },
	}
	seen := map[string]string{base: "default"}
	for name, change := range changes {
		cfg := DefaultConfig()
		change(cfg)
		v := New(cfg).Version()
		if prev, dup := seen[v]; dup {
			t.Errorf("%s: version %q equals that of %s", name, v, prev)
		}
		seen[v] = name
		if !strings.HasPrefix(v, codeVersion+"+") {
			t.Errorf("%s: version %q lacks the code version", name, v)
		}
	}
}
