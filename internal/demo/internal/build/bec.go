package build

import (
	"strings"
	"time"
)

// Business email compromise: an executive gift-card request and a
// vendor bank-detail change.

// --- 30 -------------------------------------------------------------------

func becGiftCards() message {
	t := at(time.November, 12, 8, 51, 2, jst)
	rcpt := "j.miller@example.com"
	from := "robert.tanaka.ceo@gmail.com"
	seed := "bec-30"
	h := hop{rp: from, rcpt: rcpt, helo: "mail-sor-f41.google.com", rdns: "mail-sor-f41.google.com", ip: "209.85.220.41", tls: true, t: t.Add(1 * time.Second)}
	text := lines(
		"John,",
		"",
		"Are you available? I need you to handle a task for me discreetly.",
		"I am in back-to-back meetings and can't take calls.",
		"",
		"I need to get Apple gift cards for a client appreciation today,",
		"5 cards x $200. Buy them and send me photos of the codes on the",
		"back. You will be reimbursed by end of day.",
		"",
		"Let me know asap.",
		"",
		"Robert Tanaka",
		"CEO, Example Co.",
		"Sent from my iPhone",
	)
	return h.deliver(seed, Entry{"Quick request", "bec",
		"BEC: executive name (CEO of example.com) from a freemail gmail.com address; Reply-To on a different, unrelated domain (ceo-officemail.com); gift-card request, secrecy and urgency (en); SPF/DKIM/DMARC pass for gmail.com (auth pass, still fraud); no links or attachments"},
		hs(
			h.spf("pass"),
			"dkim=pass (2048-bit key) header.d=gmail.com header.s=20230601 header.b="+dkimB(seed),
			dmarc("pass", "none", "gmail.com"),
		),
		hs(
			dkim("gmail.com", "20230601", "mime-version:from:date:message-id:subject:to:reply-to", t, seed),
			"Received: by 2002:a05:6a20:3c8e:b0:1f3:4a2e:9c71 with SMTP id "+hexid(seed+"/g", 6)+"mr1184032pzb.41;\n        "+date(t.UTC())+" (PST)",
			mime10,
			"From: Robert Tanaka <"+from+">",
			"Date: "+date(t),
			"Message-ID: <CAH"+fakeB64(seed+"/mid", 40)+"@mail.gmail.com>",
			"Subject: Quick request",
			"To: "+rcpt,
			"Reply-To: Robert Tanaka <r.tanaka@ceo-officemail.com>",
			`Content-Type: text/plain; charset="UTF-8"`,
		),
		text)
}

// --- 34 -------------------------------------------------------------------

func vendorBankChange() message {
	t := at(time.November, 18, 15, 14, 33, cet)
	rcpt := "finance@example.com"
	from := "m.keller@keller-metalworks.example.net"
	seed := "vendor-34"
	h := hop{rp: from, rcpt: rcpt, helo: "mail.keller-metalworks.example.net", rdns: "mail.keller-metalworks.example.net", ip: "88.99.77.30", tls: true, t: t.Add(4 * time.Second)}
	b := "_004_" + strings.ToUpper(hexid(seed, 20)) + "_"
	return h.deliver(seed, Entry{"Updated bank details for invoice 2026-1187", "borderline",
		"possible vendor-impersonation BEC: change of bank details with invoice, Reply-To on a different domain (keller-metalworks.net vs the From domain), SPF neutral, no DKIM, no DMARC policy; but plausible sender with reverse DNS, polite wording, no links, a genuine PDF: an analyst should verify by phone (label unsure)"},
		hs(h.spf("neutral"), dkimNone, dmarc("none", "none", "keller-metalworks.example.net")),
		hs(
			"From: Martin Keller <"+from+">",
			"Reply-To: Martin Keller <m.keller@keller-metalworks.net>",
			"To: "+rcpt,
			"Subject: Updated bank details for invoice 2026-1187",
			"Date: "+date(t),
			"Message-ID: <"+strings.ToUpper(hexid(seed+"/mid", 16))+"@mail.keller-metalworks.example.net>",
			mime10,
			`Content-Type: multipart/mixed; boundary="`+b+`"`,
		),
		multipart(b,
			part(lines(
				"Dear Sir or Madam,",
				"",
				"Please note that we have changed banks. From now on, please pay our",
				"invoices to the account shown on the attached invoice 2026-1187.",
				"The previous account will be closed at the end of the month.",
				"",
				"Kind regards,",
				"Martin Keller",
				"Keller Metalworks - Accounting",
			), "Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: quoted-printable"),
			attachment("application/pdf", "Invoice_2026-1187.pdf", pdfDoc("Invoice 2026-1187 - Keller Metalworks")),
		))
}
