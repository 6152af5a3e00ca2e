package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"unsafe"

	"github.com/triage-tools/triage/internal/analysis/attach"
	"github.com/triage-tools/triage/internal/analysis/auth"
	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/content"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/fold"
	"github.com/triage-tools/triage/internal/analysis/infra"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/received"
	"github.com/triage-tools/triage/internal/analysis/urls"
)

// bodyScanBytes bounds how much body text the brand and lexicon scans read.
const bodyScanBytes = 16 << 10

// Analyze parses raw and runs every rule. It never fails: problems become
// parse warnings on the report. cfg may be nil (defaults). Safe for
// concurrent use with a shared cfg.
func Analyze(raw []byte, cfg *Config) *Report {
	if cfg == nil {
		cfg = &Config{}
	}
	lim := cfg.Limits
	if lim == (Limits{}) {
		lim = DefaultLimits()
	}
	sum := sha256.Sum256(raw)
	rep := &Report{
		ID:              "sha256:" + hex.EncodeToString(sum[:]),
		AnalyzerVersion: Version,
		Size:            len(raw),
	}
	p := message.Parse(raw, lim)
	rep.Summary = p.Summary
	rep.Headers = p.Headers
	rep.Attachments = p.Attachments
	rep.Warnings = p.Warnings
	defer func() {
		// Rules are pure code over bounded data; a bug in one must not take
		// down a mailbox scan.
		if e := recover(); e != nil {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("analysis: internal error: %v", e))
			sortFindings(rep.Findings)
			rep.Score = Score(rep.Findings)
		}
	}()
	reg := cfg.Brands
	if reg == nil {
		reg = brands.Default()
	}
	inf := cfg.Infra
	if inf == nil {
		inf = infra.Default()
	}
	a := &analyzer{cfg: cfg, reg: reg, inf: inf, p: p, rep: rep, f: &findings{cfg: cfg}}
	a.run(lim)
	rep.Findings = a.f.list
	sortFindings(rep.Findings)
	rep.Score = Score(rep.Findings)
	return rep
}

type analyzer struct {
	cfg *Config
	reg *brands.Registry
	inf *infra.Set
	p   *message.Parsed
	rep *Report
	f   *findings

	fromDomain string          // registered domain of From
	claimed    []*brands.Brand // brands claimed in the display name or (outside replies) the subject
	nameClaim  bool            // some claim comes from the display name
	bodyBrands []*brands.Brand
	html       urls.HTMLStats // summary of the HTML body parts
	terms      content.Terms  // lexicon and lure terms of subject and body
	folded     string         // subject and body folded for matching (foldContent), valid during run
	foldedBody int            // where the body starts in folded
	foldBuf    *[]byte        // pooled buffer behind folded
}

func (a *analyzer) run(lim Limits) {
	s := &a.rep.Summary
	fromAddr := strings.ToLower(s.From.Address)
	fromHost := domain.OfAddress(fromAddr)
	a.fromDomain = domain.Registered(fromHost)

	a.rep.Hops = received.BuildHops(a.p.Headers, s.Date, a.cfg.TrustedHosts, a.cfg.TrustedNetworks)
	a.rep.Auth = auth.Parse(a.p.Headers, fromHost, a.cfg.TrustedHosts)

	var recipients []string
	for _, l := range [][]Address{s.To, s.Cc} {
		for _, ad := range l {
			if ad.Address != "" {
				recipients = append(recipients, strings.ToLower(ad.Address))
			}
		}
	}
	found, warns := urls.Extract(a.p, recipients, lim.MaxURLs)
	a.rep.URLs = found
	a.rep.Warnings = append(a.rep.Warnings, warns...)

	a.foldContent()
	defer a.releaseFolded()
	a.terms = content.Scan(a.folded)
	for i := range a.p.HTMLParts {
		a.html.Add(a.p.HTMLParts[i].Text)
	}

	a.sender(fromAddr)
	a.hops()
	a.auth()
	a.urls()
	a.attachments()
	a.content(recipients)
}

// bodyPieces calls fn with up to bodyScanBytes of body text for the brand
// and lexicon scans: the text/plain parts, and the HTML parts only when
// there is no plain text (an alternative part says the same again).
func (a *analyzer) bodyPieces(fn func(string)) {
	groups := [][]message.Part{a.p.TextParts, a.p.HTMLParts}
	if a.hasPlainText() {
		groups = groups[:1]
	}
	n := 0
	for _, parts := range groups {
		for _, pt := range parts {
			if n >= bodyScanBytes {
				return
			}
			t := pt.Text
			if len(t) > bodyScanBytes-n {
				t = t[:bodyScanBytes-n]
			}
			n += len(t) + 1
			fn(t)
		}
	}
}

// foldContent folds the subject and the body pieces into one pooled
// buffer (no joined copy) for the lexicon, lure and body brand scans:
// a.folded, with the body from a.foldedBody on. releaseFolded returns the
// buffer.
func (a *analyzer) foldContent() {
	bp := fold.GetBuf()
	b := fold.Append((*bp)[:0], a.rep.Summary.Subject, fold.MatchMode)
	b = append(b, '\n')
	a.foldedBody = len(b)
	a.bodyPieces(func(t string) {
		b = fold.Append(b, t, fold.MatchMode)
		b = append(b, '\n')
	})
	*bp = b
	a.foldBuf = bp
	a.folded = unsafe.String(unsafe.SliceData(b), len(b))
}

func (a *analyzer) releaseFolded() {
	if a.foldBuf == nil {
		return
	}
	fold.PutBuf(a.foldBuf)
	a.foldBuf, a.folded = nil, ""
}

// uniqueBrands lists the brands matched, once each. Generic products
// (webmail software many operators run, such as "Active! mail") are left
// out: naming them is a lure, but no sender domain can be wrong for them.
func uniqueBrands(ms []brands.Match) []*brands.Brand {
	var out []*brands.Brand
	for _, m := range ms {
		if !m.Brand.Generic && !slices.Contains(out, m.Brand) {
			out = append(out, m.Brand)
		}
	}
	return out
}

func (a *analyzer) sender(fromAddr string) {
	s := &a.rep.Summary
	if fromAddr == "" || !strings.Contains(fromAddr, "@") {
		a.f.add("sender.from_missing", "From: "+s.From.Address)
	}
	// Brands claimed in the display name and the subject. A brand named
	// in the subject of a reply is the topic of a conversation, not a
	// claim of identity.
	nameMatches := a.reg.Find(s.From.Name)
	nameClaims := uniqueBrands(nameMatches)
	claims := nameClaims
	if !a.isReply() {
		claims = uniqueBrands(append(nameMatches, a.reg.Find(s.Subject)...))
	}
	a.claimed = claims
	a.nameClaim = len(nameClaims) > 0
	if a.fromDomain != "" {
		for _, b := range a.claimed {
			if b.Owns(a.fromDomain) {
				continue
			}
			// The display name is an identity claim; a subject may only
			// name the topic, so it counts for less.
			if slices.Contains(nameClaims, b) {
				a.f.add("sender.brand_domain_mismatch", "From: "+s.From.Address, b.Name, a.fromDomain)
			} else {
				a.f.add("sender.brand_subject_mismatch", "Subject: "+s.Subject, b.Name, a.fromDomain)
			}
		}
		// A brand named in the body only is impersonation when the message
		// also asks for credentials or pushes a link elsewhere; discussions
		// mention brands all the time.
		if len(a.claimed) == 0 && (len(a.terms.Credential) > 0 || a.ctaUnrelated() != nil) {
			// Searched only here: the body scan is the costliest brand
			// search and most messages never need it.
			a.bodyBrands = uniqueBrands(a.reg.FindFolded(a.folded[a.foldedBody:]))
			for _, b := range a.bodyBrands {
				if !b.Owns(a.fromDomain) && a.reg.ByDomain(a.fromDomain) == nil {
					a.f.add("sender.brand_in_body_mismatch", "From: "+s.From.Address, b.Name, a.fromDomain)
					break
				}
			}
		}
		// Known mailbox providers are real domains, not lookalikes
		// (yahoo.co.uk is not a TLD swap of yahoo.co.jp).
		if a.reg.ByDomain(a.fromDomain) == nil && !domain.IsFreemail(a.fromDomain) {
			if b, kind, official := brands.Lookalike(a.fromDomain, a.reg); b != nil {
				a.f.add("sender.brand_lookalike_domain", "From: "+s.From.Address, a.fromDomain, b.Name, official, kind)
			}
		}
		if domain.IsFreemail(a.fromDomain) && len(nameClaims) > 0 {
			a.f.add("sender.freemail_brand", "From: "+s.From.Address, a.fromDomain, nameClaims[0].Name)
		}
	}
	if shown, ok := DisplayNameAddress(s.From.Name); ok && a.fromDomain != "" {
		if domain.Registered(domain.OfAddress(shown)) != a.fromDomain && domain.Registered(shown) != a.fromDomain {
			a.f.add("sender.display_name_address", "From: "+s.From.Name, shown, s.From.Address)
		}
	}
	listPost := strings.ToLower(a.header("List-Post"))
	// A list that rewrites From to its own address (DMARC mitigation)
	// moves the author to Reply-To: that is not a diversion either.
	listFrom := listPost != "" && fromAddr != "" && strings.Contains(listPost, fromAddr)
	for _, rt := range s.ReplyTo {
		if listFrom {
			break
		}
		addr := strings.ToLower(rt.Address)
		d := domain.Registered(domain.OfAddress(addr))
		if d == "" || a.fromDomain == "" || d == a.fromDomain {
			continue
		}
		// Mailing lists point replies at the list, which is also a
		// recipient (or the List-Post address): not a diversion.
		if a.isRecipient(addr) || (listPost != "" && strings.Contains(listPost, addr)) {
			continue
		}
		if domain.IsFreemail(d) {
			a.f.add("sender.reply_to_freemail", "Reply-To: "+rt.Address, rt.Address, a.fromDomain)
		} else {
			a.f.add("sender.reply_to_mismatch", "Reply-To: "+rt.Address, d, a.fromDomain)
		}
		break
	}
	if a.undisclosedRecipients() {
		a.f.add("sender.undisclosed_recipients", "To: "+urls.CapRunes(a.header("To"), 200))
	}
	if rp := domain.Registered(domain.OfAddress(s.ReturnPath)); rp != "" && a.fromDomain != "" && rp != a.fromDomain {
		a.f.add("sender.return_path_mismatch", "Return-Path: "+s.ReturnPath, rp, a.fromDomain)
	}
	if s.MessageID == "" {
		a.f.add("sender.msgid_missing", "Message-ID")
	} else if i := strings.LastIndexByte(s.MessageID, '@'); i >= 0 {
		host := strings.ToLower(strings.Trim(s.MessageID[i+1:], "<> "))
		switch {
		case msgIDPlaceholder(host):
			a.f.add("sender.msgid_placeholder", "Message-ID: <"+s.MessageID+">", host)
		case a.fromDomain != "" && domain.Registered(host) != a.fromDomain && len(a.claimed) > 0:
			a.f.add("sender.msgid_unrelated", "Message-ID: <"+s.MessageID+">", host, a.fromDomain)
		}
	}
}

func (a *analyzer) hops() {
	o := received.OriginHop(a.rep.Hops)
	if o != nil {
		name := o.FromIP
		if name == "" {
			name = o.FromHelo
		}
		if slices.Contains(o.Flags, received.FlagHeloPlaceholder) {
			a.f.add("hops.origin_helo_placeholder", "Received: "+o.Raw, name, o.FromHelo)
		}
		if slices.Contains(o.Flags, received.FlagPrivateIP) || slices.Contains(o.Flags, received.FlagReservedIP) {
			if ip, err := netip.ParseAddr(o.FromIP); err == nil && !ip.IsLoopback() {
				a.f.add("hops.origin_private_ip", "Received: "+o.Raw, o.FromIP)
			}
		}
		if slices.Contains(o.Flags, received.FlagHeloRDNSMismatch) && a.claimed != nil {
			a.f.add("hops.origin_helo_rdns_mismatch", "Received: "+o.Raw, o.FromHelo, o.FromRDNS)
		}
	}
	if o != nil && o.FromRDNS != "" && o.FromIP != "" && genericRDNS(o.FromRDNS, o.FromIP) {
		a.f.add("hops.origin_dynamic", "Received: "+o.Raw, o.FromIP, o.FromRDNS)
	}
	for _, h := range a.rep.Hops {
		// Independent servers' clocks disagree by seconds or minutes; only
		// a hop more than an hour before its predecessor is telling.
		if slices.Contains(h.Flags, received.FlagNegativeDelay) && h.Delay != nil && *h.Delay < -negativeDelaySlack {
			a.f.add("hops.negative_delay", "Received: "+h.Raw, h.Index, fmt.Sprintf("%+.0fs", *h.Delay))
		}
		if slices.Contains(h.Flags, received.FlagTimeFarFromDate) {
			a.f.add("hops.time_far_from_date", "Received: "+h.Raw, h.Index, h.Time.Format("2006-01-02 15:04 MST"))
		}
	}
}

func (a *analyzer) auth() {
	au := &a.rep.Auth
	if !au.Trusted {
		return
	}
	ev := "Authentication-Results: " + au.AuthServID
	for _, r := range au.Results {
		dom := r.Domain
		switch r.Method + "=" + r.Result {
		case "spf=fail":
			a.f.add("auth.spf_fail", ev, dom, au.AuthServID)
		case "spf=softfail":
			a.f.add("auth.spf_softfail", ev, dom, au.AuthServID)
		case "dkim=fail":
			a.f.add("auth.dkim_fail", ev, dom, au.AuthServID)
		case "dmarc=fail":
			a.f.add("auth.dmarc_fail", ev, dom, au.AuthServID)
		case "dmarc=pass":
			if dom == "" || domain.Registered(dom) == a.fromDomain {
				a.f.add("auth.dmarc_pass", ev, dom, au.AuthServID)
			}
		case "dkim=pass":
			if au.DKIMAligned != nil && *au.DKIMAligned && !a.f.has("auth.dkim_aligned_pass") && !a.dmarcPass() {
				a.f.add("auth.dkim_aligned_pass", ev, a.fromDomain)
			}
		}
	}
}

// dmarcPass reports a trusted DMARC pass for the sender's domain.
func (a *analyzer) dmarcPass() bool {
	for _, r := range a.rep.Auth.Results {
		if r.Method == "dmarc" && r.Result == "pass" && (r.Domain == "" || domain.Registered(r.Domain) == a.fromDomain) {
			return true
		}
	}
	return false
}

// relatedDomain reports whether a link's registered domain belongs to the
// sender or to one of the claimed brands.
func (a *analyzer) relatedDomain(d string) bool {
	if d == "" || d == a.fromDomain {
		return true
	}
	for _, b := range a.claimed {
		if b.Owns(d) {
			return true
		}
	}
	return false
}

// relatedLink is relatedDomain for a link's host: a tenant of a shared
// platform (x.sharepoint.com) is never related through the platform's
// owner, and a known ESP tracker or brand asset domain is related.
func (a *analyzer) relatedLink(u *URL) bool {
	if _, tenant, ok := a.inf.SharedPlatform(u.Host); ok && tenant != "" {
		// Related only to a sender on the same tenant, when the public
		// suffix list makes the tenant a registered domain (x.github.io).
		_, t, _ := a.inf.SharedPlatform(u.Domain)
		return u.Domain != "" && u.Domain == a.fromDomain && t != ""
	}
	return a.relatedDomain(u.Domain) || a.inf.Known(u.Host)
}

// maxLookalikeDomains bounds the distinct link domains remembered as
// already checked for lookalikes (the check is costly; links repeat).
const maxLookalikeDomains = 32

func (a *analyzer) urls() {
	var checked []string // link domains already checked for lookalikes
	if a.fromDomain != "" {
		if d, ok := a.linksUnrelated(); ok {
			a.f.add("url.links_unrelated", "body", a.fromDomain, urls.Defang(d))
		}
	}
	for i := range a.rep.URLs {
		u := &a.rep.URLs[i]
		ev := u.Defanged
		host, dom := u.Host, u.Domain
		has := func(fl string) bool { return slices.Contains(u.Flags, fl) }
		if has(urls.FlagAnchorDomainMismatch) && !a.inf.Known(host) {
			a.f.add("url.anchor_domain_mismatch", ev, urls.Defang(u.AnchorText), urls.Defang(host))
		}
		if has(urls.FlagIPLiteralHost) {
			a.f.add("url.ip_literal_host", ev, urls.Defang(host))
		}
		if has(urls.FlagIPEncodedHost) {
			ip, _ := urls.EncodedIP(host)
			a.f.add("url.ip_encoded_host", ev, urls.Defang(host), ip.String())
		}
		if has(urls.FlagUserinfo) {
			a.f.add("url.userinfo", ev, ev)
		}
		if has(urls.FlagIDNMixedScript) {
			a.f.add("url.idn_mixed_script", ev, urls.Defang(host))
		}
		if has(urls.FlagHTTPCredentialPath) {
			a.f.add("url.http_credential", ev, ev)
		}
		if has(urls.FlagRecipientInQuery) {
			a.f.add("url.recipient_in_query", ev, ev)
		}
		if has(urls.FlagLongURL) {
			a.f.add("url.long", ev, len(u.URL), urls.Defang(host))
		}
		if has(urls.FlagShortener) {
			a.f.add("url.shortener", ev, urls.Defang(host))
		}
		if has(urls.FlagFreeHosting) {
			a.f.add("url.free_hosting", ev, urls.Defang(host))
		}
		if has(urls.FlagSuspiciousTLD) {
			a.f.add("url.suspicious_tld", ev, urls.Defang(host))
		}
		if u.Source == SourceHTMLForm && !a.relatedDomain(dom) {
			a.f.add("url.form_external", ev, urls.Defang(host))
		}
		if dom != "" && a.reg.ByDomain(dom) == nil && dom != a.fromDomain && !a.inf.Known(host) && !slices.Contains(checked, dom) {
			if len(checked) < maxLookalikeDomains {
				checked = append(checked, dom)
			}
			if b, kind, official := brands.Lookalike(dom, a.reg); b != nil {
				a.f.add("url.brand_lookalike", ev, urls.Defang(dom), b.Name, official, kind)
			}
		}
		if u.Source == SourceHTMLHref && dom != "" && !a.relatedLink(u) && isCallToAction(u.AnchorText) {
			a.f.add("url.cta_unrelated", ev, urls.CapRunes(u.AnchorText, 40), urls.Defang(dom))
		}
		// A plain-text link under a subject that names a brand is usually
		// an article about it; a sender name claim or a clickable HTML
		// link is what a lure looks like.
		if len(a.claimed) > 0 && dom != "" && !a.relatedDomain(dom) && a.reg.ByDomain(dom) == nil &&
			(u.Source == SourceHTMLHref || u.Source == SourceHTMLForm || (u.Source == SourceText && a.nameClaim)) {
			a.f.add("url.brand_unrelated", ev, a.claimed[0].Name, urls.Defang(dom))
		}
	}
}

// linksUnrelated reports whether the HTML body links somewhere and every
// link goes to a domain unrelated to the sender (and to a claimed brand),
// returning one such domain as an example.
func (a *analyzer) linksUnrelated() (string, bool) {
	example := ""
	for i := range a.rep.URLs {
		u := &a.rep.URLs[i]
		if u.Source != SourceHTMLHref || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		if u.Domain == "" && u.Host == "" {
			continue
		}
		if u.Domain != "" && a.relatedLink(u) {
			return "", false
		}
		if example == "" {
			example = u.Host
			if u.Domain != "" {
				example = u.Domain
			}
		}
	}
	return example, example != ""
}

// ctaUnrelated returns the first HTML link whose text is a call to action
// and whose domain is unrelated to the sender, or nil.
func (a *analyzer) ctaUnrelated() *URL {
	for i := range a.rep.URLs {
		u := &a.rep.URLs[i]
		if u.Source == SourceHTMLHref && u.Domain != "" && !a.relatedLink(u) && isCallToAction(u.AnchorText) {
			return u
		}
	}
	return nil
}

func (a *analyzer) attachments() {
	for _, at := range a.rep.Attachments {
		name := at.Name
		if name == "" {
			name = "(unnamed " + at.DeclaredType + ")"
		}
		ev := "attachment: " + name
		has := func(fl string) bool { return slices.Contains(at.Flags, fl) }
		switch {
		case has(attach.FlagRLOInName):
			a.f.add("attach.rlo_in_name", ev, name)
		case has(attach.FlagExecutable) || has(attach.FlagScript):
			a.f.add("attach.executable", ev, name)
		}
		if has(attach.FlagDoubleExtension) {
			a.f.add("attach.double_extension", ev, name)
		}
		if has(attach.FlagHTML) {
			a.f.add("attach.html", ev, name)
		}
		if has(attach.FlagDiskImage) {
			a.f.add("attach.disk_image", ev, name)
		}
		if has(attach.FlagShortcut) {
			a.f.add("attach.shortcut", ev, name)
		}
		if has(attach.FlagOneNote) {
			a.f.add("attach.onenote", ev, name)
		}
		if has(attach.FlagMacroCapable) {
			a.f.add("attach.macro_capable", ev, name)
		}
		for _, fl := range at.Flags {
			if what, ok := strings.CutPrefix(fl, attach.FlagArchiveContains); ok {
				a.f.add("attach.archive_executable", ev, name, "a "+what+" file")
				break
			}
		}
		if has(attach.FlagEncryptedZip) {
			a.f.add("attach.encrypted_archive", ev, name)
		}
		if has(attach.FlagTypeMismatch) {
			a.f.add("attach.type_mismatch", ev, name, at.DeclaredType, at.SniffedType)
		}
	}
}

func (a *analyzer) content(recipients []string) {
	s := &a.rep.Summary
	if len(a.terms.Pressure) > 0 {
		a.f.add("content.pressure", "subject/body", quoteList(a.terms.Pressure, 4))
	}
	if len(a.terms.Credential) > 0 {
		a.f.add("content.credential_request", "subject/body", quoteList(a.terms.Credential, 4))
	}
	if len(a.terms.Pressure) > 0 && len(a.terms.Credential) > 0 {
		a.f.add("content.pressure_credential", "subject/body", a.terms.Pressure[0], a.terms.Credential[0])
	}
	if len(a.terms.Lures) > 0 {
		a.f.add("content.lure", "subject/body", quoteList(a.terms.Lures, 4))
	}
	if len(a.p.HTMLParts) > 0 && !a.hasPlainText() {
		a.f.add("content.html_only", "body")
	}
	if a.html.Images > 0 && a.html.Visible < imageOnlyMaxText && a.hasHTMLLink() {
		a.f.add("content.image_only", "body", a.html.Images, a.html.Visible)
	}
	if a.html.Hidden {
		a.f.add("content.hidden_text", "body")
	}
	for _, r := range recipients {
		if content.IsRoleAccount(r) {
			a.f.add("content.role_recipient", "To: "+r, r)
			break
		}
	}
	if inv := fold.InvisibleChars(s.Subject); len(inv) > 0 {
		a.f.add("content.invisible_chars", "Subject", "the subject", strings.Join(inv, ", "))
	}
	if inv := fold.InvisibleChars(s.From.Name); len(inv) > 0 {
		a.f.add("content.invisible_chars", "From", "the sender name", strings.Join(inv, ", "))
	}
}

func quoteList(terms []string, n int) string {
	var b strings.Builder
	for i, t := range terms {
		if i == n {
			fmt.Fprintf(&b, " (+%d more)", len(terms)-n)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(fmt.Sprintf("%q", t))
	}
	return b.String()
}

// negativeDelaySlack is how far (seconds) a hop may be stamped before its
// predecessor before it counts as a finding: clocks of independent servers
// routinely disagree by seconds to minutes.
const negativeDelaySlack = 3600

// imageOnlyMaxText is the most visible text (bytes) an HTML body may carry
// and still count as "images only".
const imageOnlyMaxText = 60

// header returns the first header field named key (case-insensitive),
// RFC 2047-decoded when that differs from the raw value, or "".
func (a *analyzer) header(key string) string {
	for i := range a.p.Headers {
		h := &a.p.Headers[i]
		if strings.EqualFold(h.Key, key) {
			if h.Decoded != "" {
				return h.Decoded
			}
			return h.Value
		}
	}
	return ""
}

// isRecipient reports whether addr (lower-case) is one of the To or Cc
// addresses.
func (a *analyzer) isRecipient(addr string) bool {
	s := &a.rep.Summary
	for _, l := range [][]Address{s.To, s.Cc} {
		for _, ad := range l {
			if strings.EqualFold(ad.Address, addr) {
				return true
			}
		}
	}
	return false
}

// isReply reports a reply or forward in a conversation: a "Re:"/"Fwd:"
// style subject prefix together with In-Reply-To or References.
func (a *analyzer) isReply() bool {
	subj := strings.TrimSpace(a.rep.Summary.Subject)
	i := strings.IndexByte(subj, ':')
	if i < 2 || i > 4 {
		return false
	}
	switch strings.ToLower(subj[:i]) {
	case "re", "aw", "sv", "fw", "fwd", "wg", "tr", "rv", "antw":
		return a.header("In-Reply-To") != "" || a.header("References") != ""
	}
	return false
}

// undisclosedRecipients reports a To header that hides the recipients
// ("undisclosed-recipients:;"), the mark of a Bcc'd bulk send.
func (a *analyzer) undisclosedRecipients() bool {
	to := a.header("To")
	if len(to) > 200 {
		to = to[:200]
	}
	to = strings.ToLower(to)
	return strings.Contains(to, "undisclosed") || strings.Contains(to, "recipient list not shown") ||
		strings.Contains(to, "recipients suppressed")
}

// hasPlainText reports a non-empty text/plain body part.
func (a *analyzer) hasPlainText() bool {
	for i := range a.p.TextParts {
		if strings.TrimSpace(a.p.TextParts[i].Text) != "" {
			return true
		}
	}
	return false
}

// hasHTMLLink reports a web link in the HTML body.
func (a *analyzer) hasHTMLLink() bool {
	for i := range a.rep.URLs {
		if a.rep.URLs[i].Source == SourceHTMLHref {
			return true
		}
	}
	return false
}

// msgIDPlaceholder reports a Message-ID host that no configured sender
// uses: localhost and its variants, *.localdomain and the RFC 2606 example
// domains. Dot-less and LAN names are common in legitimate mail from
// desktop clients and are not counted.
func msgIDPlaceholder(host string) bool {
	h := domain.Canon(host)
	switch h {
	case "localhost", "localhost.localdomain", "localdomain", "localhost6",
		"localhost6.localdomain6", "example.com", "example.net", "example.org":
		return true
	}
	return strings.HasSuffix(h, ".localdomain") || strings.HasSuffix(h, ".localhost") ||
		strings.HasPrefix(h, "localhost.")
}

// genericRDNSWords mark reverse names of consumer access networks.
var genericRDNSWords = []string{
	"dynamic", "dhcp", "dsl", "pool", "ppp", "dialup", "dial-up", "cable", "broadband",
	"residential", "customer", "dyn-", "-dyn", ".dyn",
}

// genericRDNS reports whether rdns, the reverse name of ip, is a generic
// access-network name: its host part (left of the registered domain)
// spells out at least three octets of the IPv4 address or contains a word
// such as "dynamic", "dsl" or "pool".
func genericRDNS(rdns, ip string) bool {
	rdns = domain.Canon(rdns)
	if len(rdns) > 253 {
		return false
	}
	org := domain.Registered(rdns)
	sub := strings.TrimSuffix(strings.TrimSuffix(rdns, org), ".")
	if sub == "" {
		return false
	}
	for _, w := range genericRDNSWords {
		if strings.Contains(sub, w) {
			return true
		}
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil || !addr.Is4() {
		return false
	}
	oct := addr.As4()
	n := 0
	for _, o := range oct {
		if containsNumber(sub, int(o)) {
			n++
		}
	}
	return n >= 3
}

// containsNumber reports whether s has a maximal digit run equal to n.
func containsNumber(s string, n int) bool {
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		v, j := 0, i
		for ; j < len(s) && s[j] >= '0' && s[j] <= '9'; j++ {
			if v < 1000 {
				v = v*10 + int(s[j]-'0')
			}
		}
		if v == n && j-i <= 3 {
			return true
		}
		i = j
	}
	return false
}

// ctaTerms are call-to-action link texts (lower-case; matched as
// substrings of a short anchor text) in the languages of the corpus
// analysts see most: English, German, Dutch, Portuguese, French, Spanish
// and Japanese.
var ctaTerms = []string{
	"click", "verify", "validate", "confirm", "log in", "login", "log-in", "sign in", "sign-in",
	"update", "unlock", "restore", "reactivate", "claim", "redeem", "view document",
	"view invoice", "view message", "download", "access your", "here",
	"klicken", "hier", "jetzt", "bestätigen", "anmelden", "aktualisieren", "verifizieren", "einloggen",
	"klik", "bevestig", "inloggen", "controleer", "bekijk",
	"clique", "acesse", "acessar", "confirmar", "verificar", "atualizar", "resgatar", "aqui",
	"cliquez", "vérifier", "confirmer", "connexion", "se connecter", "mettre à jour", "accéder", "ici",
	"haga clic", "haz clic", "acceder", "iniciar sesión",
	"こちら", "ログイン", "確認", "クリック", "更新", "認証", "手続き", "ここ",
}

// isCallToAction reports whether a link text is a short call to action
// ("Click here", "Verify now", "ログインはこちら").
func isCallToAction(anchor string) bool {
	if anchor == "" || len(anchor) > 80 {
		return false
	}
	var buf [80]byte
	low := buf[:0]
	for i := 0; i < len(anchor); i++ {
		low = append(low, fold.LowerByte(anchor[i]))
	}
	t := string(low) // one small allocation per anchor
	for _, w := range ctaTerms {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}
