package analysis

import (
	"net/url"
	"slices"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/fold"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/analysis/urls"
)

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
		if has(urls.FlagAnchorDomainMismatch) && !a.inf.Known(host) && !a.ownAnchor(u) {
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
		// An image or other embedded resource on a shared host is only
		// displayed; free hosting matters where the reader is sent.
		if has(urls.FlagFreeHosting) && u.Source != report.SourceHTMLSrc {
			a.f.add("url.free_hosting", ev, urls.Defang(host))
		}
		if has(urls.FlagSuspiciousTLD) {
			a.f.add("url.suspicious_tld", ev, urls.Defang(host))
		}
		if u.Source == report.SourceHTMLForm && !a.relatedDomain(dom) {
			a.f.add("url.form_external", ev, urls.Defang(host))
		}
		if dom != "" && a.reg.ByDomain(dom) == nil && dom != a.fromDomain && !a.inf.Known(host) && !slices.Contains(checked, dom) {
			if len(checked) < maxLookalikeDomains {
				checked = append(checked, dom)
			}
			if b, kind, official := brands.Lookalike(dom, a.reg); b != nil && b != a.idBrand {
				a.f.add("url.brand_lookalike", ev, urls.Defang(dom), b.Name, official, kind)
			}
		}
		if u.Source == report.SourceHTMLHref && dom != "" && !a.relatedLink(u) && isCallToAction(u.AnchorText) {
			a.f.add("url.cta_unrelated", ev, urls.CapRunes(u.AnchorText, 40), urls.Defang(dom))
		}
		// A plain-text link under a subject that names a brand is usually
		// an article about it; a sender name claim or a clickable HTML
		// link is what a lure looks like.
		if len(a.claimed) > 0 && a.idBrand == nil && dom != "" && !a.relatedDomain(dom) && a.reg.ByDomain(dom) == nil &&
			(u.Source == report.SourceHTMLHref || u.Source == report.SourceHTMLForm || (u.Source == report.SourceText && a.nameClaim)) {
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
		if u.Source != report.SourceHTMLHref || (u.Scheme != "http" && u.Scheme != "https") {
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
		if u.Source == report.SourceHTMLHref && u.Domain != "" && !a.relatedLink(u) && isCallToAction(u.AnchorText) {
			return u
		}
	}
	return nil
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

// relatedLink is relatedDomain for a link's host: a tenant of a shared
// platform (x.sharepoint.com) is never related through the platform's
// owner, and a known ESP tracker or brand asset domain is related.
func (a *analyzer) relatedLink(u *URL) bool {
	if platform, tenant, ok := a.inf.SharedPlatform(u.Host); ok && tenant != "" {
		// Related only to a sender on the same tenant: the public suffix
		// list makes the tenant a registered domain (x.github.io), or the
		// sender writes from the tenant's own host (x.zendesk.com).
		_, t, _ := a.inf.SharedPlatform(u.Domain)
		if u.Domain != "" && u.Domain == a.fromDomain && t != "" {
			return true
		}
		fp, ft, fok := a.inf.SharedPlatform(domain.OfAddress(strings.ToLower(a.rep.Summary.From.Address)))
		return fok && fp == platform && ft == tenant
	}
	return a.relatedDomain(u.Domain) || a.inf.Known(u.Host)
}

// ownAnchor reports a link whose text shows the authenticated sender's own
// domain: a newsletter's click tracking wraps the sender's own addresses,
// which deceives no one about who is writing. A link text that shows any
// other domain (a brand's, a bank's) still counts.
//
// Without authentication, a link text that shows the sender's own domain is
// still its own when the link goes through the message's own list server:
// the link's host is the host of the List-Unsubscribe address and the
// bounce address (Return-Path) is in the link's registered domain, as with
// a mailing list's click tracker (phpList, Mailman, Sympa). It does not
// hold for a sender domain that is a known brand's, which an impostor would
// show.
func (a *analyzer) ownAnchor(u *URL) bool {
	if a.fromDomain == "" || !a.ownName(urls.AnchorDomain(u.AnchorText)) {
		return false
	}
	return a.authenticatedSender() || (!a.fromBrand && a.listTracked(u))
}

// listTracked reports whether u goes to the host of the message's
// List-Unsubscribe URL, with the bounce address in u's registered domain.
func (a *analyzer) listTracked(u *URL) bool {
	if u.Host == "" || u.Domain == "" {
		return false
	}
	rp := domain.Registered(domain.OfAddress(strings.ToLower(a.rep.Summary.ReturnPath)))
	if rp != u.Domain {
		return false
	}
	for _, part := range strings.Split(a.header("List-Unsubscribe"), ",") {
		lu, err := url.Parse(strings.Trim(strings.TrimSpace(part), "<>"))
		if err == nil && (lu.Scheme == "https" || lu.Scheme == "http") && strings.EqualFold(lu.Hostname(), u.Host) {
			return true
		}
	}
	return false
}
