package analysis

import (
	"fmt"
	"sort"
)

// Rule is one check of the analyzer: a stable ID ("area.name"), the points
// it adds to the score when it fires, and a one-line explanation template
// (fmt verbs filled with the finding's arguments).
type Rule struct {
	ID      string
	Points  int
	Summary string
}

// Rules is the single table of rules and weights. Negative points are
// credit for strong evidence of legitimacy (aligned, passing DMARC); the
// score is the sum of all points clamped to 0–100, so it is always fully
// explained by the findings. Weights are tuned on the development corpus
// (cmd/triage-eval); a user file can override them (Config.Rules).
var Rules = []Rule{
	// Sender and brand.
	{"sender.brand_domain_mismatch", 35, "claims to be %s but the sender domain %s is not one of the brand's domains"},
	{"sender.brand_subject_mismatch", 15, "the subject names %s but the sender domain %s is not one of the brand's domains"},
	{"sender.brand_lookalike_domain", 35, "sender domain %s looks like %s's domain %s (%s)"},
	{"sender.brand_in_body_mismatch", 10, "the body names %s but the sender domain %s is not one of the brand's, and asks for credentials or a click elsewhere"},
	{"sender.display_name_address", 20, "display name shows %s but the message is from %s"},
	{"sender.freemail_brand", 20, "free-mail sender %s claims to be %s"},
	{"sender.reply_to_mismatch", 10, "replies go to %s, a different domain than the sender %s"},
	{"sender.reply_to_freemail", 20, "replies go to the free-mail address %s, not to the sender domain %s"},
	{"sender.undisclosed_recipients", 5, "sent to undisclosed recipients (a Bcc'd bulk send)"},
	{"sender.return_path_mismatch", 0, "bounce address domain %s differs from the sender %s"},
	{"sender.msgid_placeholder", 5, "Message-ID host %s is a placeholder, not the sender's domain"},
	{"sender.msgid_unrelated", 3, "Message-ID host %s is unrelated to the sender domain %s"},
	{"sender.msgid_missing", 5, "the message has no Message-ID"},
	{"sender.from_missing", 10, "the message has no usable From address"},

	// Received hop chain.
	{"hops.origin_helo_placeholder", 15, "origin hop %s announced itself as %q, a placeholder name"},
	{"hops.origin_private_ip", 5, "origin IP %s is private or reserved"},
	{"hops.origin_helo_rdns_mismatch", 3, "origin HELO %s does not match its reverse name %s"},
	{"hops.origin_dynamic", 10, "origin %s has a generic access-network reverse name %s (home or dynamic address)"},
	{"hops.negative_delay", 5, "hop %d is timestamped more than an hour before the hop before it (%s)"},
	{"hops.time_far_from_date", 0, "hop %d time is far from the Date header (%s)"},

	// Authentication verdicts of the receiving side.
	{"auth.spf_fail", 15, "SPF fail for %s (stamped by %s)"},
	{"auth.spf_softfail", 10, "SPF softfail for %s (stamped by %s)"},
	{"auth.dkim_fail", 10, "DKIM signature failed for %s (stamped by %s)"},
	{"auth.dmarc_fail", 20, "DMARC fail for %s (stamped by %s)"},
	{"auth.dmarc_pass", -10, "DMARC pass for %s (stamped by %s)"},
	{"auth.dkim_aligned_pass", -5, "valid DKIM signature aligned with the sender domain %s (no DMARC verdict)"},

	// URLs.
	{"url.anchor_domain_mismatch", 25, "link text shows %s but the link goes to %s"},
	{"url.ip_literal_host", 20, "link to a bare IP address: %s"},
	{"url.ip_encoded_host", 20, "link host %s encodes the IP address %s"},
	{"url.userinfo", 25, "link hides its real host behind user info: %s"},
	{"url.idn_mixed_script", 25, "link host mixes scripts (homograph): %s"},
	{"url.http_credential", 15, "plain-http link to a login or account page: %s"},
	{"url.recipient_in_query", 15, "link carries the recipient's address: %s"},
	{"url.long", 5, "very long link (%d characters): %s"},
	{"url.shortener", 10, "link through a URL shortener: %s"},
	{"url.free_hosting", 15, "link to free hosting or dynamic DNS: %s"},
	{"url.suspicious_tld", 10, "link to a frequently abused TLD: %s"},
	{"url.brand_lookalike", 30, "link domain %s looks like %s's domain %s (%s)"},
	{"url.brand_unrelated", 15, "message claims to be %s but links to unrelated domain %s"},
	{"url.form_external", 15, "HTML form posts to %s"},
	{"url.cta_unrelated", 15, "call-to-action link %q goes to %s, unrelated to the sender"},
	{"url.links_unrelated", 10, "every link in the HTML body leaves the sender domain %s (e.g. %s)"},

	// Attachments.
	{"attach.executable", 40, "executable or script attachment %s"},
	{"attach.double_extension", 30, "attachment name with a double extension: %s"},
	{"attach.rlo_in_name", 40, "attachment name hides its extension with bidi characters: %s"},
	{"attach.html", 25, "HTML attachment %s (often a local phishing page)"},
	{"attach.disk_image", 35, "disk image attachment %s"},
	{"attach.shortcut", 35, "shortcut attachment %s"},
	{"attach.onenote", 30, "OneNote attachment %s"},
	{"attach.macro_capable", 20, "macro-capable document %s"},
	{"attach.archive_executable", 35, "archive %s contains %s"},
	{"attach.encrypted_archive", 15, "password-protected archive %s"},
	{"attach.type_mismatch", 15, "attachment %s claims %s but is %s"},

	// Content.
	{"content.pressure", 10, "pressure language: %s"},
	{"content.credential_request", 10, "asks for credentials or payment data: %s"},
	{"content.pressure_credential", 10, "pressure (%q) and a credential request (%q) together"},
	{"content.lure", 10, "prize, windfall or offer bait: %s"},
	{"content.html_only", 10, "HTML body without a plain-text alternative"},
	{"content.image_only", 15, "HTML body is %d image(s) and a link with almost no text (%d bytes)"},
	{"content.hidden_text", 5, "HTML hides part of its content with inline styles"},
	{"content.role_recipient", 5, "sent to a role mailbox: %s"},
	{"content.invisible_chars", 15, "invisible or bidi characters in %s: %s"},

	// Network context (added after enrichment, see network.go and
	// internal/enrich; explanations are written there).
	{"net.origin_not_brand_network", 15, "claims to be %s but the origin %s is not in the brand's networks"},
	{"net.hosting_origin_claims_institution", 15, "claims to be %s but was sent from a hosting network %s"},
	{"net.url_country_mismatch", 5, "link host in %s, sender origin in %s"},
	{"net.new_domain", 20, "link domain %s was registered %s ago"},
}

var rulesByID = func() map[string]*Rule {
	m := make(map[string]*Rule, len(Rules))
	for i := range Rules {
		m[Rules[i].ID] = &Rules[i]
	}
	return m
}()

// RuleByID returns the rule with the given ID, or nil.
func RuleByID(id string) *Rule { return rulesByID[id] }

// findings accumulates findings for one message.
type findings struct {
	cfg  *Config
	list []Finding
	seen map[string]int // rule → times fired
}

// maxPerRule bounds how often one rule may fire on a message (e.g. one
// finding per suspicious URL) so a message with 200 links cannot saturate
// the score through one rule alone. Only the first firing scores.
const maxPerRule = 5

// add records rule id with evidence and the summary arguments. Repeated
// firings of the same rule are kept as evidence with 0 points.
func (f *findings) add(id, evidence string, args ...any) {
	r := rulesByID[id]
	if r == nil {
		panic("analysis: unknown rule " + id) // programming error, caught by tests
	}
	pts := r.Points
	if o, ok := f.cfg.Rules[id]; ok {
		if o.Disabled {
			return
		}
		if o.Points != nil {
			pts = *o.Points
		}
	}
	if f.seen == nil {
		f.seen = map[string]int{}
	}
	summary := fmt.Sprintf(r.Summary, args...)
	for _, prev := range f.list {
		if prev.Rule == id && prev.Summary == summary {
			return // the same fact found twice (e.g. a URL in text and HTML)
		}
	}
	n := f.seen[id]
	if n >= maxPerRule {
		return
	}
	f.seen[id] = n + 1
	if n > 0 {
		pts = 0
	}
	f.list = append(f.list, Finding{Rule: id, Points: pts, Summary: summary, Evidence: evidence})
}

func (f *findings) has(id string) bool { return f.seen[id] > 0 }

// Score is the sum of the findings' points clamped to 0–100.
func Score(fs []Finding) int {
	s := 0
	for _, f := range fs {
		s += f.Points
	}
	return max(0, min(100, s))
}

// sortFindings orders findings worst first, then by rule ID, stably.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Points != fs[j].Points {
			return fs[i].Points > fs[j].Points
		}
		return fs[i].Rule < fs[j].Rule
	})
}
