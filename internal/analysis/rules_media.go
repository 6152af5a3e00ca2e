package analysis

import (
	"strings"

	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/urls"
)

// mediaRules fires the rules on what the QR code and PDF readers found
// (media.go): a login-style link in a QR code from a sender not
// authenticated as the link's owner, and a PDF that is only a link.
func (a *analyzer) mediaRules() {
	for i := range a.rep.URLs {
		u := &a.rep.URLs[i]
		img, ok := strings.CutPrefix(u.Source, "qr:")
		if !ok || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		if !urls.CredentialPath(u.URL) && len(a.terms.Credential) == 0 {
			continue
		}
		if a.ownsLink(u) {
			continue
		}
		a.f.add("url.qr_code", u.Defanged, img, urls.Defang(u.Host))
	}
	for _, p := range a.linkOnly {
		a.f.add("attach.pdf_link_only", p.name, p.name, urls.Defang(p.link))
	}
}

// ownsLink reports a link to the domain the sender is authenticated as,
// or to a domain of the brand it is authenticated as.
func (a *analyzer) ownsLink(u *URL) bool {
	id := a.rep.Auth.Identity
	if id == nil || !a.authenticatedSender() || u.Domain == "" {
		return false
	}
	if u.Domain == domain.Registered(id.Domain) {
		return true
	}
	return a.idBrand != nil && a.idBrand.Owns(u.Domain)
}
