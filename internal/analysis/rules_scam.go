package analysis

import (
	"strings"

	"github.com/triage-tools/triage/internal/analysis/content"
	"github.com/triage-tools/triage/internal/analysis/domain"
)

// scams runs the rules for scams that need no link: advance-fee and
// inheritance, romance, charge call-back and gift-card requests. Each
// needs its lexicon and a structural sign (no web link, a phone number
// beside a money amount, a sender that proves nothing), never a phrase
// alone; content.reply_elsewhere adds the usual channel of such mail:
// replies going to another, usually free-mail, mailbox.
func (a *analyzer) scams() {
	t := &a.terms
	if len(t.AdvanceFee) == 0 && len(t.Romance) == 0 && len(t.Callback) == 0 && len(t.GiftCard) == 0 {
		return
	}
	linkless := a.webLinks() == 0
	body := a.folded[a.foldedBody:]
	amount, hasAmount := content.FindAmount(a.folded)
	fired := false
	large := hasAmount && amount.Large
	// Donations, estates and charity also fill ordinary mail: ask for no
	// link plus the scam's windfall or its channel (both for one term).
	channel := a.scamChannel(body)
	if linkless && ((len(t.AdvanceFee) >= 2 && (large || channel)) || (len(t.AdvanceFee) == 1 && large && channel)) {
		how := "without a link, replies going elsewhere"
		if large {
			how = "without a link, with a large sum (" + amount.Text + ")"
		}
		a.f.add("content.advance_fee", "subject/body", quoteList(t.AdvanceFee, 4), how)
		fired = true
	}
	// Romance words also occur between friends: ask for the scam's
	// channel too, or more of its words.
	if len(t.Romance) >= 2 && linkless && (len(t.Romance) >= 3 || channel) {
		a.f.add("content.romance", "subject/body", quoteList(t.Romance, 4))
		fired = true
	}
	if len(t.Callback) > 0 && hasAmount && a.callbackSender(len(t.Callback)) {
		if phone, ok := content.FindPhone(body); ok {
			a.f.add("content.callback_scam", "body: "+phone, amount.Text, phone, quoteList(t.Callback, 3))
			fired = true
		}
	}
	// A gift card alone is a present: ask for the request's words (codes,
	// scratching, several cards) and a sender nothing vouches for.
	if len(t.GiftCard) >= 2 && linkless && (a.unprovenSender() || channel) {
		a.f.add("content.gift_card", "subject/body", quoteList(t.GiftCard, 3))
		fired = true
	}
	if fired && linkless {
		if where := a.replyElsewhere(body); where != "" {
			a.f.add("content.reply_elsewhere", where, where)
		}
	}
}

// scamChannel reports whether the message shows how such scams reach
// their victims: replies redirected to another domain, a free-mail address
// other than the sender's in the body, or a bulk send to undisclosed
// recipients.
func (a *analyzer) scamChannel(body string) bool {
	return a.f.has("sender.reply_to_freemail") || a.f.has("sender.reply_to_mismatch") ||
		a.f.has("sender.undisclosed_recipients") ||
		freemailAddressIn(body, strings.ToLower(a.rep.Summary.From.Address)) != ""
}

// webLinks counts the http(s) links of the message.
func (a *analyzer) webLinks() int {
	n := 0
	for i := range a.rep.URLs {
		if s := a.rep.URLs[i].Scheme; s == "http" || s == "https" {
			n++
		}
	}
	return n
}

// callbackSender reports whether the sender fits a charge call-back
// scam: a brand claimed by a domain that is not the brand's, or replies
// redirected elsewhere; a bare free-mail sender (small businesses invoice
// from free-mail too) only with three or more call-back terms.
func (a *analyzer) callbackSender(terms int) bool {
	if a.f.has("sender.reply_to_freemail") || a.f.has("sender.reply_to_mismatch") ||
		a.f.has("sender.brand_domain_mismatch") || a.f.has("sender.brand_subject_mismatch") ||
		a.f.has("sender.brand_lookalike_domain") || a.f.has("sender.freemail_brand") {
		return true
	}
	return (domain.IsFreemail(a.fromDomain) || a.fromDomain == "") && terms >= 3
}

// unprovenSender reports whether nothing vouches for the sender: a
// free-mail address, replies redirected elsewhere, or a brand claimed by
// a domain that is not the brand's.
func (a *analyzer) unprovenSender() bool {
	return domain.IsFreemail(a.fromDomain) || a.fromDomain == "" ||
		a.f.has("sender.reply_to_freemail") || a.f.has("sender.reply_to_mismatch") ||
		a.f.has("sender.brand_domain_mismatch") || a.f.has("sender.brand_subject_mismatch") ||
		a.f.has("sender.brand_lookalike_domain") || a.f.has("sender.freemail_brand")
}

// replyElsewhere describes where the message wants replies when that is
// not the sender: a Reply-To of another domain, a free-mail address in
// the body other than the sender's, or a free-mail sender. Empty
// otherwise.
func (a *analyzer) replyElsewhere(body string) string {
	from := strings.ToLower(a.rep.Summary.From.Address)
	if addr := freemailAddressIn(body, from); addr != "" {
		return "the body asks for replies at the free-mail address " + addr
	}
	if rt := a.rep.Summary.ReplyTo; len(rt) > 0 && (a.f.has("sender.reply_to_freemail") || a.f.has("sender.reply_to_mismatch")) {
		return "Reply-To " + rt[0].Address + " is not the sender"
	}
	if domain.IsFreemail(a.fromDomain) {
		return "the sender " + from + " is a free-mail address"
	}
	return ""
}

// maxBodyAddresses bounds the addresses freemailAddressIn looks at.
const maxBodyAddresses = 32

// freemailAddressIn returns the first address in s (folded body text) on
// a free-mail domain that is not from, or "".
func freemailAddressIn(s, from string) string {
	seen := 0
	for i := 0; i < len(s) && seen < maxBodyAddresses; {
		at := strings.IndexByte(s[i:], '@')
		if at < 0 {
			return ""
		}
		at += i
		i = at + 1
		start := at
		for start > 0 && isAddrByte(s[start-1], true) {
			start--
		}
		end := at + 1
		for end < len(s) && isAddrByte(s[end], false) {
			end++
		}
		for end > at+1 && s[end-1] == '.' {
			end--
		}
		if start == at || end == at+1 {
			continue
		}
		seen++
		addr := strings.ToLower(s[start:end])
		if addr != from && domain.IsFreemail(addr[at-start+1:]) {
			return addr
		}
	}
	return ""
}

func isAddrByte(c byte, local bool) bool {
	switch {
	case 'a' <= c|0x20 && c|0x20 <= 'z', '0' <= c && c <= '9', c == '.', c == '-':
		return true
	case local && (c == '_' || c == '+'):
		return true
	}
	return false
}
