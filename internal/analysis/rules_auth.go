package analysis

import "github.com/triage-tools/triage/internal/analysis/domain"

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
