package analysis

import (
	"fmt"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/content"
	"github.com/triage-tools/triage/internal/analysis/fold"
)

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
	a.scams()
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

// imageOnlyMaxText is the most visible text (bytes) an HTML body may carry
// and still count as "images only".
const imageOnlyMaxText = 60
