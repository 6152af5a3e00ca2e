package analysis

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// bodyScanBytes bounds how much body text the brand and lexicon scans read.
const bodyScanBytes = 64 << 10

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
	p := Parse(raw, lim)
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
		reg = DefaultBrands()
	}
	a := &analyzer{cfg: cfg, reg: reg, p: p, rep: rep, f: &findings{cfg: cfg}}
	a.run(lim)
	rep.Findings = a.f.list
	sortFindings(rep.Findings)
	rep.Score = Score(rep.Findings)
	return rep
}

type analyzer struct {
	cfg *Config
	reg *BrandRegistry
	p   *Parsed
	rep *Report
	f   *findings

	fromDomain string // registered domain of From
	claimed    []*Brand
	bodyBrands []*Brand
}

func (a *analyzer) run(lim Limits) {
	s := &a.rep.Summary
	fromAddr := strings.ToLower(s.From.Address)
	fromHost := DomainOf(fromAddr)
	a.fromDomain = OrgDomain(fromHost)

	a.rep.Hops = BuildHops(a.p.Headers, s.Date, a.cfg.TrustedHosts, a.cfg.TrustedNetworks)
	a.rep.Auth = ParseAuth(a.p.Headers, fromHost, a.cfg.TrustedHosts)

	var recipients []string
	for _, l := range [][]Address{s.To, s.Cc} {
		for _, ad := range l {
			if ad.Address != "" {
				recipients = append(recipients, strings.ToLower(ad.Address))
			}
		}
	}
	urls, warns := ExtractURLs(a.p, recipients, lim.MaxURLs)
	a.rep.URLs = urls
	a.rep.Warnings = append(a.rep.Warnings, warns...)

	a.sender(fromAddr)
	a.hops()
	a.auth()
	a.urls()
	a.attachments()
	a.content(recipients)
}

func (a *analyzer) bodyText() string {
	var b strings.Builder
	for _, parts := range [][]Part{a.p.TextParts, a.p.HTMLParts} {
		for _, pt := range parts {
			if b.Len() >= bodyScanBytes {
				break
			}
			t := pt.Text
			if len(t) > bodyScanBytes-b.Len() {
				t = t[:bodyScanBytes-b.Len()]
			}
			b.WriteString(t)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// uniqueBrands lists the brands matched, once each. Generic products
// (webmail software many operators run, such as "Active! mail") are left
// out: naming them is a lure, but no sender domain can be wrong for them.
func uniqueBrands(ms []BrandMatch) []*Brand {
	var out []*Brand
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
	// Brands claimed in display name and subject.
	a.claimed = uniqueBrands(append(a.reg.Find(s.From.Name), a.reg.Find(s.Subject)...))
	a.bodyBrands = uniqueBrands(a.reg.Find(a.bodyText()))
	if a.fromDomain != "" {
		for _, b := range a.claimed {
			if !b.Owns(a.fromDomain) {
				a.f.add("sender.brand_domain_mismatch", "From: "+s.From.Address, b.Name, a.fromDomain)
			}
		}
		if len(a.claimed) == 0 {
			for _, b := range a.bodyBrands {
				if !b.Owns(a.fromDomain) && a.reg.ByDomain(a.fromDomain) == nil {
					a.f.add("sender.brand_in_body_mismatch", "From: "+s.From.Address, b.Name, a.fromDomain)
					break
				}
			}
		}
		if a.reg.ByDomain(a.fromDomain) == nil {
			if b, kind, official := DomainLookalike(a.fromDomain, a.reg); b != nil {
				a.f.add("sender.brand_lookalike_domain", "From: "+s.From.Address, a.fromDomain, b.Name, official, kind)
			}
		}
		if IsFreemail(a.fromDomain) && len(a.claimed) > 0 {
			a.f.add("sender.freemail_brand", "From: "+s.From.Address, a.fromDomain, a.claimed[0].Name)
		}
	}
	if shown, ok := DisplayNameAddress(s.From.Name); ok && a.fromDomain != "" {
		if OrgDomain(DomainOf(shown)) != a.fromDomain && OrgDomain(shown) != a.fromDomain {
			a.f.add("sender.display_name_address", "From: "+s.From.Name, shown, s.From.Address)
		}
	}
	for _, rt := range s.ReplyTo {
		d := OrgDomain(DomainOf(rt.Address))
		if d != "" && a.fromDomain != "" && d != a.fromDomain {
			a.f.add("sender.reply_to_mismatch", "Reply-To: "+rt.Address, d, a.fromDomain)
			break
		}
	}
	if rp := OrgDomain(DomainOf(s.ReturnPath)); rp != "" && a.fromDomain != "" && rp != a.fromDomain {
		a.f.add("sender.return_path_mismatch", "Return-Path: "+s.ReturnPath, rp, a.fromDomain)
	}
	if s.MessageID == "" {
		a.f.add("sender.msgid_missing", "Message-ID")
	} else if i := strings.LastIndexByte(s.MessageID, '@'); i >= 0 {
		host := strings.ToLower(strings.Trim(s.MessageID[i+1:], "<> "))
		switch {
		case IsPlaceholderHost(host):
			a.f.add("sender.msgid_placeholder", "Message-ID: <"+s.MessageID+">", host)
		case a.fromDomain != "" && OrgDomain(host) != a.fromDomain && len(a.claimed) > 0:
			a.f.add("sender.msgid_unrelated", "Message-ID: <"+s.MessageID+">", host, a.fromDomain)
		}
	}
}

func (a *analyzer) hops() {
	o := OriginHop(a.rep.Hops)
	if o != nil {
		name := o.FromIP
		if name == "" {
			name = o.FromHelo
		}
		if slices.Contains(o.Flags, "helo_placeholder") {
			a.f.add("hops.origin_helo_placeholder", "Received: "+o.Raw, name, o.FromHelo)
		}
		if slices.Contains(o.Flags, "private_ip") || slices.Contains(o.Flags, "reserved_ip") {
			if ip, err := netip.ParseAddr(o.FromIP); err == nil && !ip.IsLoopback() {
				a.f.add("hops.origin_private_ip", "Received: "+o.Raw, o.FromIP)
			}
		}
		if slices.Contains(o.Flags, "helo_rdns_mismatch") && a.claimed != nil {
			a.f.add("hops.origin_helo_rdns_mismatch", "Received: "+o.Raw, o.FromHelo, o.FromRDNS)
		}
	}
	for _, h := range a.rep.Hops {
		if slices.Contains(h.Flags, "negative_delay") && h.Delay != nil {
			a.f.add("hops.negative_delay", "Received: "+h.Raw, h.Index, fmt.Sprintf("%+.0fs", *h.Delay))
		}
		if slices.Contains(h.Flags, "time_far_from_date") {
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
			if dom == "" || OrgDomain(dom) == a.fromDomain {
				a.f.add("auth.dmarc_pass", ev, dom, au.AuthServID)
			}
		case "dkim=pass":
			if au.DKIMAligned != nil && *au.DKIMAligned && !a.f.has("auth.dkim_aligned_pass") {
				a.f.add("auth.dkim_aligned_pass", ev, a.fromDomain)
			}
		}
	}
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

func (a *analyzer) urls() {
	for i := range a.rep.URLs {
		u := &a.rep.URLs[i]
		ev := u.Defanged
		host, dom := u.Host, u.Domain
		has := func(fl string) bool { return slices.Contains(u.Flags, fl) }
		if has("anchor_domain_mismatch") {
			a.f.add("url.anchor_domain_mismatch", ev, Defang(u.AnchorText), Defang(host))
		}
		if has("ip_literal_host") {
			a.f.add("url.ip_literal_host", ev, Defang(host))
		}
		if has("ip_encoded_host") {
			ip, _ := EncodedIP(host)
			a.f.add("url.ip_encoded_host", ev, Defang(host), ip.String())
		}
		if has("userinfo") {
			a.f.add("url.userinfo", ev, ev)
		}
		if has("idn_mixed_script") {
			a.f.add("url.idn_mixed_script", ev, Defang(host))
		}
		if has("http_credential_path") {
			a.f.add("url.http_credential", ev, ev)
		}
		if has("recipient_in_query") {
			a.f.add("url.recipient_in_query", ev, ev)
		}
		if has("long_url") {
			a.f.add("url.long", ev, len(u.URL), Defang(host))
		}
		if has("shortener") {
			a.f.add("url.shortener", ev, Defang(host))
		}
		if has("free_hosting") {
			a.f.add("url.free_hosting", ev, Defang(host))
		}
		if has("suspicious_tld") {
			a.f.add("url.suspicious_tld", ev, Defang(host))
		}
		if u.Source == SourceHTMLForm && !a.relatedDomain(dom) {
			a.f.add("url.form_external", ev, Defang(host))
		}
		if dom != "" && a.reg.ByDomain(dom) == nil && dom != a.fromDomain {
			if b, kind, official := DomainLookalike(dom, a.reg); b != nil {
				a.f.add("url.brand_lookalike", ev, Defang(dom), b.Name, official, kind)
			}
		}
		if len(a.claimed) > 0 && dom != "" && !a.relatedDomain(dom) && a.reg.ByDomain(dom) == nil &&
			(u.Source == SourceHTMLHref || u.Source == SourceText || u.Source == SourceHTMLForm) {
			a.f.add("url.brand_unrelated", ev, a.claimed[0].Name, Defang(dom))
		}
	}
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
		case has("rlo_in_name"):
			a.f.add("attach.rlo_in_name", ev, name)
		case has("executable") || has("script"):
			a.f.add("attach.executable", ev, name)
		}
		if has("double_extension") {
			a.f.add("attach.double_extension", ev, name)
		}
		if has("html") {
			a.f.add("attach.html", ev, name)
		}
		if has("disk_image") {
			a.f.add("attach.disk_image", ev, name)
		}
		if has("shortcut") {
			a.f.add("attach.shortcut", ev, name)
		}
		if has("onenote") {
			a.f.add("attach.onenote", ev, name)
		}
		if has("macro_capable") {
			a.f.add("attach.macro_capable", ev, name)
		}
		for _, fl := range at.Flags {
			if what, ok := strings.CutPrefix(fl, "archive_contains_"); ok {
				a.f.add("attach.archive_executable", ev, name, "a "+what+" file")
				break
			}
		}
		if has("encrypted_archive") {
			a.f.add("attach.encrypted_archive", ev, name)
		}
		if has("type_mismatch") {
			a.f.add("attach.type_mismatch", ev, name, at.DeclaredType, at.SniffedType)
		}
	}
}

func (a *analyzer) content(recipients []string) {
	s := &a.rep.Summary
	text := s.Subject + "\n" + a.bodyText()
	pressure, cred := ScanLexicons(text)
	if len(pressure) > 0 {
		a.f.add("content.pressure", "subject/body", quoteList(pressure, 4))
	}
	if len(cred) > 0 {
		a.f.add("content.credential_request", "subject/body", quoteList(cred, 4))
	}
	for _, r := range recipients {
		if IsRoleAccount(r) {
			a.f.add("content.role_recipient", "To: "+r, r)
			break
		}
	}
	if inv := InvisibleChars(s.Subject); len(inv) > 0 {
		a.f.add("content.invisible_chars", "Subject", "the subject", strings.Join(inv, ", "))
	}
	if inv := InvisibleChars(s.From.Name); len(inv) > 0 {
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
