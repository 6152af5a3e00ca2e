package analysis

import (
	"fmt"
	"sort"
)

// Rule is one check of the analyzer: a stable ID ("area.name"), the points
// it adds to the score when it fires, a one-line explanation template
// (fmt verbs filled with the finding's arguments), and whether it is
// disabled (it never fires).
type Rule struct {
	ID       string
	Points   int
	Summary  string
	Disabled bool
}

// DefaultRules returns a fresh copy of the single table of rules and
// weights. Negative points are credit for strong evidence of legitimacy
// (aligned, passing DMARC); the score is the sum of all points clamped to
// 0–100, so it is always fully explained by the findings. Weights are
// tuned on the development corpus (`triage eval`); a user file can
// override them (Config.Override).
func DefaultRules() []Rule {
	return []Rule{
		// Sender and brand.
		rule("sender.brand_domain_mismatch", 35, "claims to be %s but the sender domain %s is not one of the brand's domains"),
		rule("sender.brand_subject_mismatch", 15, "the subject names %s but the sender domain %s is not one of the brand's domains"),
		rule("sender.brand_lookalike_domain", 35, "sender domain %s looks like %s's domain %s (%s)"),
		rule("sender.brand_in_body_mismatch", 10, "the body names %s but the sender domain %s is not one of the brand's, and asks for credentials or a click elsewhere"),
		rule("sender.display_name_address", 20, "display name shows %s but the message is from %s"),
		rule("sender.freemail_brand", 20, "free-mail sender %s claims to be %s"),
		rule("sender.reply_to_mismatch", 10, "replies go to %s, a different domain than the sender %s"),
		rule("sender.reply_to_freemail", 20, "replies go to the free-mail address %s, not to the sender %s"),
		rule("sender.undisclosed_recipients", 5, "sent to undisclosed recipients (a Bcc'd bulk send)"),
		rule("sender.return_path_mismatch", 0, "bounce address domain %s differs from the sender %s"),
		rule("sender.msgid_placeholder", 5, "Message-ID host %s is a placeholder, not the sender's domain"),
		rule("sender.msgid_unrelated", 3, "Message-ID host %s is unrelated to the sender domain %s"),
		rule("sender.msgid_missing", 5, "the message has no Message-ID"),
		rule("sender.from_missing", 10, "the message has no usable From address"),

		// Received hop chain.
		rule("hops.origin_helo_placeholder", 15, "origin hop %s announced itself as %q, a placeholder name"),
		rule("hops.origin_private_ip", 5, "origin IP %s is private or reserved"),
		rule("hops.origin_helo_rdns_mismatch", 3, "origin HELO %s does not match its reverse name %s"),
		rule("hops.origin_dynamic", 10, "origin %s has a generic access-network reverse name %s (home or dynamic address)"),
		rule("hops.negative_delay", 5, "hop %d is timestamped more than an hour before the hop before it (%s)"),
		rule("hops.time_far_from_date", 0, "hop %d time is far from the Date header (%s)"),

		// Authentication verdicts of the receiving side.
		rule("auth.spf_fail", 15, "SPF fail for %s (stamped by %s)"),
		rule("auth.spf_softfail", 10, "SPF softfail for %s (stamped by %s)"),
		rule("auth.dkim_fail", 10, "DKIM signature failed for %s (stamped by %s)"),
		rule("auth.dmarc_fail", 20, "DMARC fail for %s (stamped by %s)"),
		rule("auth.dmarc_pass", -10, "DMARC pass for %s (stamped by %s)"),
		rule("auth.dkim_aligned_pass", -5, "valid DKIM signature aligned with the sender domain %s (no DMARC verdict)"),
		rule("auth.arc_first_hop_fail", 10, "the receiver's pass came through a forwarder: the first hop %s saw %s (ARC i=1), so the pass is not credited"),

		// URLs.
		rule("url.anchor_domain_mismatch", 25, "link text shows %s but the link goes to %s"),
		rule("url.ip_literal_host", 20, "link to a bare IP address: %s"),
		rule("url.ip_encoded_host", 20, "link host %s encodes the IP address %s"),
		rule("url.userinfo", 25, "link hides its real host behind user info: %s"),
		rule("url.idn_mixed_script", 25, "link host mixes scripts (homograph): %s"),
		rule("url.http_credential", 15, "plain-http link to a login or account page: %s"),
		rule("url.recipient_in_query", 15, "link carries the recipient's address: %s"),
		rule("url.long", 5, "very long link (%d characters): %s"),
		rule("url.shortener", 10, "link through a URL shortener: %s"),
		rule("url.free_hosting", 15, "link to free hosting or dynamic DNS: %s"),
		rule("url.suspicious_tld", 10, "link to a frequently abused TLD: %s"),
		rule("url.brand_lookalike", 30, "link domain %s looks like %s's domain %s (%s)"),
		rule("url.brand_unrelated", 15, "message claims to be %s but links to unrelated domain %s"),
		rule("url.form_external", 15, "HTML form posts to %s"),
		rule("url.cta_unrelated", 15, "call-to-action link %q goes to %s, unrelated to the sender"),
		rule("url.links_unrelated", 10, "every link in the HTML body leaves the sender domain %s (e.g. %s)"),
		rule("url.qr_code", 20, "a QR code in %s links to %s, a login-style link from a sender not authenticated as its owner"),

		// Attachments.
		rule("attach.executable", 40, "executable or script attachment %s"),
		rule("attach.double_extension", 30, "attachment name with a double extension: %s"),
		rule("attach.rlo_in_name", 40, "attachment name hides its extension with bidi characters: %s"),
		rule("attach.html", 25, "HTML attachment %s (often a local phishing page)"),
		rule("attach.disk_image", 35, "disk image attachment %s"),
		rule("attach.shortcut", 35, "shortcut attachment %s"),
		rule("attach.onenote", 30, "OneNote attachment %s"),
		rule("attach.macro_capable", 20, "macro-capable document %s"),
		rule("attach.archive_executable", 35, "archive %s contains %s"),
		rule("attach.encrypted_archive", 15, "password-protected archive %s"),
		rule("attach.type_mismatch", 15, "attachment %s claims %s but is %s"),
		rule("attach.pdf_link_only", 20, "PDF %s is one page with almost no text and a single link, to %s"),

		// Content.
		rule("content.pressure", 10, "pressure language: %s"),
		rule("content.credential_request", 10, "asks for credentials or payment data: %s"),
		rule("content.pressure_credential", 10, "pressure (%q) and a credential request (%q) together"),
		rule("content.lure", 10, "prize, windfall or offer bait: %s"),
		rule("content.html_only", 10, "HTML body without a plain-text alternative"),
		rule("content.image_only", 15, "HTML body is %d image(s) and a link with almost no text (%d bytes)"),
		rule("content.hidden_text", 5, "HTML hides part of its content with inline styles"),
		rule("content.role_recipient", 5, "sent to a role mailbox: %s"),
		rule("content.invisible_chars", 15, "invisible or bidi characters in %s: %s"),
		rule("content.system_lure", 25, "a %s that asks for credentials or payment (%s) and carries a link: real ones never do"),
		// Negative: cancels up to its weight of the pressure and credential
		// findings above (never more than they added).
		rule("content.brand_authenticated", -25, "authenticated as %s, one of %s's own domains: account and payment wording is expected from it"),
		// Scams without links (rules_scam.go).
		rule("content.advance_fee", 25, "advance-fee or inheritance language (%s) %s"),
		rule("content.romance", 20, "romance-scam language (%s) and no link"),
		rule("content.callback_scam", 25, "a charge of %s and a number to call (%s) from a sender nothing vouches for: %s"),
		rule("content.gift_card", 15, "asks about gift cards (%s) without a link"),
		rule("content.reply_elsewhere", 10, "scam language without a link, and %s"),

		// Network context (added after enrichment, see network.go and
		// internal/enrich; explanations are written there).
		rule("net.origin_not_brand_network", 15, "claims to be %s but the origin %s is not in the brand's networks"),
		rule("net.hosting_origin_claims_institution", 15, "claims to be %s but was sent from a hosting network %s"),
		rule("net.url_country_mismatch", 5, "link host in %s, sender origin in %s"),
		rule("net.new_domain", 20, "link domain %s was registered %s ago"),
	}
}

// rule is a Rule literal of DefaultRules (enabled).
func rule(id string, points int, summary string) Rule {
	return Rule{ID: id, Points: points, Summary: summary}
}

// builtinRules is the set of rule IDs of DefaultRules, read-only: firing
// a rule outside it is a programming error.
var builtinRules = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range DefaultRules() {
		m[r.ID] = true
	}
	return m
}()

// findings accumulates findings for one message.
type findings struct {
	an   *Analyzer
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
	if !builtinRules[id] {
		panic("analysis: unknown rule " + id) // programming error, caught by tests
	}
	r := f.an.rules[id]
	if r == nil || r.Disabled {
		return
	}
	pts := r.Points
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
func Score(fs []Finding) int { return max(0, min(100, RawScore(fs))) }

// RawScore is the uncapped sum of the findings' points.
func RawScore(fs []Finding) int {
	s := 0
	for _, f := range fs {
		s += f.Points
	}
	return s
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
