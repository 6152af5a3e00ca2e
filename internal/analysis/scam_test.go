package analysis

import (
	"strings"
	"testing"
)

// evalThreshold is the cut of `triage eval` at ≤ 1% false positives on
// the development corpus (issue 13).
const evalThreshold = 21

func scamMail(from, replyTo, subject, body string) []byte {
	to := "undisclosed-recipients:;"
	if strings.HasPrefix(subject, "To you: ") {
		to, subject = "Pat Doe <pat.doe@example.org>", strings.TrimPrefix(subject, "To you: ")
	}
	h := "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject +
		"\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <x1@mail.example>\r\n" +
		"Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=" + from[strings.IndexByte(from, '@')+1:strings.IndexByte(from, '>')] +
		"; dmarc=pass header.from=" + from[strings.IndexByte(from, '@')+1:strings.IndexByte(from, '>')] + "\r\n"
	if replyTo != "" {
		h += "Reply-To: " + replyTo + "\r\n"
	}
	return []byte(h + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n")
}

func findingRules(rep *Report) map[string]int {
	m := map[string]int{}
	for _, f := range rep.Findings {
		m[f.Rule] += f.Points
	}
	return m
}

// TestScamsWithoutLinks: advance-fee mail without a link, in two
// languages, reaches the eval threshold; so do romance, call-back and
// gift-card mail; each names its rule.
func TestScamsWithoutLinks(t *testing.T) {
	an := New(nil)
	for _, tc := range []struct {
		name, from, replyTo, subject, body, rule string
	}{
		{"advance fee (en)", "Mrs. Helen Grant <helen.grant1960@gmail.com>", "", "To you: Dearest one",
			"Dearest, I am Mrs. Helen Grant, a widow. My late husband left a deposit of US$ 4,500,000 with a bank. " +
				"I am suffering from a terminal illness and I wish to donate this fund to charity through you. " +
				"Kindly reply with your full name so that I can instruct the bank.", "content.advance_fee"},
		{"advance fee (es)", "Lic. Carlos Mendez <despacho.mendez@consultores-ejemplo.es>", "carlos.mendez77@outlook.com", "To you: Propuesta confidencial",
			"Estimado amigo, soy abogado de un cliente fallecido que dejó una herencia de 8,5 millones de dólares sin beneficiario. " +
				"Le propongo presentarle como beneficiario para reclamar el fondo. Responda a mi correo privado.", "content.advance_fee"},
		{"advance fee (de)", "Dr. Frank Weber <f.weber.kanzlei@web.de>", "", "To you: Vertraulich",
			"Guten Tag, ein verstorbener Kunde unserer Kanzlei hinterließ einen Nachlass von 6,2 Millionen Euro. " +
				"Da kein Erbe gefunden wurde, möchte ich Sie als Begünstigte vorschlagen. Antworten Sie an frank.weber.privat@gmail.com.", "content.advance_fee"},
		{"advance fee (ja)", "Yamada Taro <yamada.taro.1958@yahoo.co.jp>", "", "To you: ご相談",
			"突然のご連絡失礼いたします。私の顧客である故人が遺産として850万ドルを残しましたが、相続人がおりません。" +
				"あなたを受取人として手続きを進めたいと考えております。ご返信ください。", "content.advance_fee"},
		{"romance", "Anna <anna.sweet1995@gmail.com>", "", "hi) how are you?",
			"Hello! I'm single sincere girl and I'm looking for a serious man. What state are you from? " +
				"I will send you my photo, write me at annasweet.love@gmail.com", "content.romance"},
		{"call-back", "Billing Team <billing.team.desk@gmail.com>", "", "Order confirmation #88213",
			"Your annual subscription has been renewed. Amount charged: $399.99 to your card. " +
				"If you did not authorize this charge, call our support line at +1 (808) 555-0147 within 24 hours for a refund.", "content.callback_scam"},
		{"gift card", "Director <director.office.private@gmail.com>", "", "quick favour",
			"Are you available? I need you to buy 5 Google Play gift cards for a client urgently. " +
				"Scratch the back and send me pictures of the cards.", "content.gift_card"},
	} {
		rep := an.Analyze(scamMail(tc.from, tc.replyTo, tc.subject, tc.body))
		got := findingRules(rep)
		if _, ok := got[tc.rule]; !ok || rep.Score < evalThreshold {
			t.Errorf("%s: score %d, findings %v; want %s and ≥ %d", tc.name, rep.Score, got, tc.rule, evalThreshold)
		}
		if len(rep.URLs) != 0 {
			t.Errorf("%s: fixture has URLs %v", tc.name, rep.URLs)
		}
	}
}

// TestScamRulesSpareOrdinaryMail: an invoice with an amount and a phone
// number from its own authenticated domain, a charity newsletter with
// links, and a colleague's note do not fire the link-less scam rules.
func TestScamRulesSpareOrdinaryMail(t *testing.T) {
	an := New(nil)
	for _, tc := range []struct{ name, from, subject, body string }{
		{"invoice", "Acme Hosting Billing <billing@acme-hosting.example>", "Invoice 2026-1104",
			"Hello, your invoice 2026-1104 is attached. Amount charged: $49.00 to the card on file. " +
				"Questions about this invoice? Call our billing department at +1 (415) 555-0199, Monday to Friday."},
		{"free-mail invoice", "Joe's Plumbing <joesplumbing.pdx@gmail.com>", "Invoice #112",
			"Hi, attached is the invoice #112 for the repair: $320.00. Any questions about the invoice, call us at 503-555-0182. Thanks, Joe"},
		{"friend", "Lena <lena.m.1990@gmail.com>", "Hi",
			"My dear, I'm back from the trip! I'll send you my photo of the lake tomorrow. Call me, Lena"},
		{"charity drive", "HR Team <hr@empresa.example>", "Winter charity drive",
			"Dear colleagues, our charity drive starts Monday: donate warm clothes at the reception. Every donation counts. Thank you!"},
		{"gift", "Tom <tom.k.1988@gmail.com>", "for you",
			"Happy birthday! I put an Amazon gift card in your mailbox, enjoy. Tom"},
		{"charity newsletter", "Food Bank News <news@foodbank.example>", "Our winter appeal",
			"Thanks to every donation, our charity served 12,000 meals. Donate at https://foodbank.example/give"},
		{"colleague", "Maria Silva <maria.silva@empresa.example>", "reunião",
			"Oi, a reunião de quinta fica para as 10h. Liga para 11 3456-7890 se precisar. Abraço"},
	} {
		rep := an.Analyze(scamMail(tc.from, "", "To you: "+tc.subject, tc.body))
		got := findingRules(rep)
		for _, r := range []string{"content.advance_fee", "content.romance", "content.callback_scam", "content.gift_card", "content.reply_elsewhere"} {
			if _, ok := got[r]; ok {
				t.Errorf("%s: %s fired (score %d, findings %v)", tc.name, r, rep.Score, got)
			}
		}
		if rep.Score >= evalThreshold {
			t.Errorf("%s: score %d ≥ %d: %v", tc.name, rep.Score, evalThreshold, got)
		}
	}
}
