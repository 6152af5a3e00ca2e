package analysis

import (
	"slices"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/domain"
)

func (a *analyzer) auth() {
	au := &a.rep.Auth
	if !au.Trusted {
		return
	}
	ev := "Authentication-Results: " + au.AuthServID
	if au.ARCFirstFail {
		a.arcFirstHop()
	}
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
			if a.credited("dmarc") {
				a.f.add("auth.dmarc_pass", ev, dom, au.AuthServID)
			}
		case "dkim=pass":
			if !a.f.has("auth.dkim_aligned_pass") && !a.credited("dmarc") && a.credited("dkim") {
				a.f.add("auth.dkim_aligned_pass", ev, a.fromDomain)
			}
		}
	}
}

// arcFirstHop scores the failures the first ARC hop saw when the trusted
// receiver's pass came through a forwarder (Auth.ARCFirstFail).
func (a *analyzer) arcFirstHop() {
	au := &a.rep.Auth
	id := au.ARCFirstID
	if id == "" {
		id = "the first hop"
	}
	ev := "ARC-Authentication-Results: i=1; " + id
	var saw []string
	for _, r := range au.ARCFirst {
		if r.Method == "spf" || r.Method == "dkim" || r.Method == "dmarc" {
			if r.Result == "fail" || r.Result == "softfail" {
				saw = append(saw, r.Method+"="+r.Result)
			}
		}
	}
	a.f.add("auth.arc_first_hop_fail", ev, id, strings.Join(saw, ", "))
	stamp := id + " (first ARC hop)"
	for _, r := range au.ARCFirst {
		switch r.Method + "=" + r.Result {
		case "spf=fail":
			a.f.add("auth.spf_fail", ev, r.Domain, stamp)
		case "spf=softfail":
			a.f.add("auth.spf_softfail", ev, r.Domain, stamp)
		case "dmarc=fail":
			a.f.add("auth.dmarc_fail", ev, r.Domain, stamp)
		}
	}
}

// credited reports whether the authenticated identity, proven by method,
// earns the legitimacy credit: it is the From domain (Identity always is)
// and nothing says that domain is a disguise — a lookalike of a brand, a
// brand claimed (display name, subject, or body with a credential request)
// by a sender outside the brand, a free-mail account, a tenant of a shared
// platform. A pass for such a domain proves only that its owner sent the
// mail, and must not cancel the evidence against it.
func (a *analyzer) credited(method string) bool {
	id := a.rep.Auth.Identity
	return id != nil && slices.Contains(id.Methods, method) && a.authenticatedSender()
}

// authenticatedSender reports an authenticated identity that nothing
// marks as a disguise (see credited).
func (a *analyzer) authenticatedSender() bool {
	id := a.rep.Auth.Identity
	if id == nil {
		return false
	}
	if _, tenant, ok := a.inf.SharedPlatform(id.Domain); ok && tenant != "" {
		return false // anyone can open a tenant: the pass is the tenant's, whoever that is
	}
	if domain.IsFreemail(a.fromDomain) {
		return false // anyone can open an account: the pass proves the provider, not the person
	}
	for _, r := range []string{"sender.brand_lookalike_domain", "sender.brand_domain_mismatch", "sender.brand_subject_mismatch",
		"sender.brand_in_body_mismatch", "sender.freemail_brand"} {
		if a.f.has(r) {
			return false
		}
	}
	return true
}

// identityBrand returns the brand whose own domain (in the registry, or a
// brand asset of the infrastructure data) the message is authenticated
// as, or nil. A free-mail domain speaks for its users, not for its brand.
func (a *analyzer) identityBrand() *brands.Brand {
	id := a.rep.Auth.Identity
	if id == nil || domain.IsFreemail(domain.Registered(id.Domain)) {
		return nil
	}
	if b := a.reg.ByDomain(id.Domain); b != nil {
		return b
	}
	if name, ok := a.inf.BrandAsset(id.Domain); ok {
		return a.reg.Lookup(name)
	}
	return nil
}
