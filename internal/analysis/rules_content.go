package analysis

import (
	"fmt"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/content"
	"github.com/triage-tools/triage/internal/analysis/fold"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
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
	a.brandDiscount()
	a.systemLure()
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

// loneTerm takes the points off a content finding that rests on one word
// of one lexicon when no other finding adds points: ordinary mail says
// "immediately", "password" or "free" too, and phishing that uses such a
// word almost always shows something else (a link elsewhere, a claimed
// brand, a failed check). The finding stays as evidence with 0 points.
// Network findings added later (NetworkFindings) do not restore them.
func (a *analyzer) loneTerm() {
	lone := -1
	for i := range a.f.list {
		if a.f.list[i].Points > 0 {
			if lone >= 0 {
				return
			}
			lone = i
		}
	}
	if lone < 0 {
		return
	}
	f := &a.f.list[lone]
	var terms []string
	switch f.Rule {
	case "content.pressure":
		terms = a.terms.Pressure
	case "content.credential_request":
		terms = a.terms.Credential
	case "content.lure":
		terms = a.terms.Lures
	}
	if len(terms) != 1 {
		return
	}
	f.Points = 0
	f.Summary += " (one word, nothing else suspicious: no points)"
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

// brandDiscount adds content.brand_authenticated on mail authenticated as
// a brand's own domain: its pressure and credential wording ("verify your
// account", "payment due") is how brands write to their customers. The
// discount cancels at most what those findings added.
func (a *analyzer) brandDiscount() {
	if a.idBrand == nil {
		return
	}
	added := 0
	for _, f := range a.f.list {
		switch f.Rule {
		case "content.pressure", "content.credential_request", "content.pressure_credential":
			added += f.Points
		}
	}
	if added <= 0 {
		return
	}
	n := len(a.f.list)
	a.f.add("content.brand_authenticated", "Authentication-Results: "+a.rep.Auth.AuthServID,
		a.rep.Auth.Identity.Domain, a.idBrand.Name)
	if len(a.f.list) > n {
		last := &a.f.list[n]
		last.Points = max(last.Points, -added)
	}
}

// systemLure fires on a bounce, read receipt or aggregate report whose
// own words (subject and parts outside the returned original) ask for
// credentials or payment next to a web link: the structure of system mail
// is easy to copy, and a real one never asks anyone to log in. A bounce
// returns the original message, whose words are its author's, not the
// bouncer's. Auto-replies are left out: a help desk's answer may well
// point to its portal.
func (a *analyzer) systemLure() {
	kind := a.rep.System
	if kind == "" || kind == report.SystemAutoReply || len(a.terms.Credential) == 0 {
		return
	}
	bp := fold.GetBuf()
	defer fold.PutBuf(bp)
	b := fold.Append((*bp)[:0], a.rep.Summary.Subject, fold.MatchMode)
	n := 0
	for _, parts := range [][]message.Part{a.p.TextParts, a.p.HTMLParts} {
		for i := range parts {
			if parts[i].Nested || n >= bodyScanBytes {
				continue
			}
			t := parts[i].Text
			if len(t) > bodyScanBytes-n {
				t = t[:bodyScanBytes-n]
			}
			n += len(t)
			b = append(b, '\n')
			b = fold.Append(b, t, fold.MatchMode)
		}
	}
	*bp = b
	own := string(b)
	if !strings.Contains(own, "http://") && !strings.Contains(own, "https://") {
		return
	}
	if terms := content.Scan(own); len(terms.Credential) > 0 {
		a.f.add("content.system_lure", "body", report.SystemName(kind), quoteList(terms.Credential, 3))
	}
}
