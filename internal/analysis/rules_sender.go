package analysis

import (
	"slices"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/urls"
)

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
	// claim of identity; the subject of system mail (a bounce, a report,
	// an auto-reply) quotes another message or names the reported domain.
	nameMatches := a.reg.Find(s.From.Name)
	if len(nameMatches) == 0 {
		if j := joinSpelledOut(s.From.Name); j != s.From.Name {
			nameMatches = a.reg.Find(j) // "D/H/L-verzending", "F.e.d.E.x"
		}
	}
	nameClaims := uniqueBrands(nameMatches)
	claims := nameClaims
	if !a.isReply() && a.rep.System == "" {
		claims = uniqueBrands(append(nameMatches, a.reg.Find(s.Subject)...))
	}
	a.claimed = claims
	a.nameClaim = len(nameClaims) > 0
	var relayed []*brands.Brand // brands named for a third party by an authenticated relay
	if party, relay, ok := splitVia(s.From.Name); ok && a.relayAuthenticated(relay) {
		relayed = uniqueBrands(a.reg.Find(party))
	}
	// Mail authenticated as a brand's own domain speaks for that brand:
	// the brand rules (claims, brands named in the body) do not apply.
	if a.fromDomain != "" && a.idBrand == nil {
		for _, b := range a.claimed {
			if b.Owns(a.fromDomain) {
				continue
			}
			// The display name is an identity claim; a subject may only
			// name the topic, so it counts for less. An authenticated
			// relay writing for a third party ("DPD via Allegro" from
			// the marketplace's own domain) makes no claim of its own.
			if slices.Contains(relayed, b) {
				continue
			}
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
			a.bodyBrands = a.bodyBrandsWithMarkup()
			for _, b := range a.bodyBrands {
				if !b.Owns(a.fromDomain) && a.reg.ByDomain(a.fromDomain) == nil {
					a.f.add("sender.brand_in_body_mismatch", "From: "+s.From.Address, b.Name, a.fromDomain)
					break
				}
			}
		}
	}
	if a.fromDomain != "" {
		// Known mailbox providers are real domains, not lookalikes
		// (yahoo.co.uk is not a TLD swap of yahoo.co.jp).
		if a.reg.ByDomain(a.fromDomain) == nil && !domain.IsFreemail(a.fromDomain) && a.idBrand == nil {
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
	a.replyTo(fromAddr, relayed)
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
		case domain.IsPlaceholderMsgIDHost(host):
			a.f.add("sender.msgid_placeholder", "Message-ID: <"+s.MessageID+">", host)
		case a.fromDomain != "" && domain.Registered(host) != a.fromDomain && len(a.claimed) > 0:
			a.f.add("sender.msgid_unrelated", "Message-ID: <"+s.MessageID+">", host, a.fromDomain)
		}
	}
}

// replyTo adds the Reply-To diversion findings (the first Reply-To that
// diverts replies away from the sender, fromAddr): to another domain, or
// to a free-mail mailbox. Lists and relays (relayed) are not diversions.
func (a *analyzer) replyTo(fromAddr string, relayed []*brands.Brand) {
	s := &a.rep.Summary
	listPost := strings.ToLower(a.header("List-Post"))
	// A list that rewrites From to its own address (DMARC mitigation)
	// moves the author to Reply-To: that is not a diversion either.
	listFrom := listPost != "" && fromAddr != "" && strings.Contains(listPost, fromAddr)
	for _, rt := range s.ReplyTo {
		if listFrom {
			return
		}
		addr := strings.ToLower(rt.Address)
		d := domain.Registered(domain.OfAddress(addr))
		// On a free-mail domain every address is another person: a
		// Reply-To to someone else there is a diversion too.
		otherMailbox := d == a.fromDomain && domain.IsFreemail(d) && addr != fromAddr
		if d == "" || a.fromDomain == "" || (d == a.fromDomain && !otherMailbox) {
			continue
		}
		// Mailing lists point replies at the list, which is also a
		// recipient (or the List-Post address): not a diversion.
		if a.isRecipient(addr) || (listPost != "" && strings.Contains(listPost, addr)) {
			continue
		}
		// A relay writing for a third party sends replies to that party.
		if slices.ContainsFunc(relayed, func(b *brands.Brand) bool { return b.Owns(d) }) {
			continue
		}
		if otherMailbox {
			a.f.add("sender.reply_to_freemail", "Reply-To: "+rt.Address, rt.Address, fromAddr)
		} else if domain.IsFreemail(d) {
			a.f.add("sender.reply_to_freemail", "Reply-To: "+rt.Address, rt.Address, a.fromDomain)
		} else {
			a.f.add("sender.reply_to_mismatch", "Reply-To: "+rt.Address, d, a.fromDomain)
		}
		return
	}
}
