package build

import (
	"strings"
	"time"
)

// --- 27 --------------------------------------------------------------------

func paypalUserinfo() message {
	t := at(time.November, 9, 6, 30, 17, time.UTC)
	rcpt := "j.miller@example.com"
	from := "service@paypal.co"
	seed := "ppco-27"
	h := hop{rp: from, rcpt: rcpt, helo: "smtp.paypal.co", rdns: "", ip: "54.36.9.140", t: t.Add(2 * time.Second)}
	link := "https://www.paypal.com@203.0.113.9/signin/?country.x=US&locale.x=en_US&cmd=_account-verify"
	text := lines(
		"Hello,",
		"",
		"A payment of USD 849.99 to \"GameStop Online\" was authorised from your account.",
		"If you did not make this payment, cancel it and secure your account now:",
		"",
		link,
		"",
		"PayPal",
	)
	html := `<html><body style="font-family:Arial">
<p>Hello,</p>
<p>A payment of <b>USD 849.99</b> to "GameStop Online" was authorised from your account.</p>
<p>If you did not make this payment, cancel it and secure your account now:</p>
<p><a href="` + strings.ReplaceAll(link, "&", "&amp;") + `">https://www.paypal.com/signin</a></p>
<p>PayPal</p></body></html>
`
	b := "--==_" + hexid(seed, 16)
	return h.deliver(seed, Entry{"Receipt for your payment to GameStop Online (USD 849.99)", "phish",
		"PayPal brand from paypal.co (TLD swap of paypal.com); link https://www.paypal.com@203.0.113.9/ (userinfo trick: real host is the IP literal 203.0.113.9); fake-payment cancellation lure; SPF fail and DMARC fail with p=reject"},
		hs(h.spf("fail"), dkimNone, dmarc("fail", "reject", "paypal.co")),
		basic("PayPal <"+from+">", rcpt, "Receipt for your payment to GameStop Online (USD 849.99)", date(t), "<"+hexid(seed+"/mid", 24)+"@paypal.co>",
			`Content-Type: multipart/alternative; boundary="`+b+`"`),
		multipart(b,
			part(text, "Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 7bit"),
			part(qp(html), "Content-Type: text/html; charset=us-ascii", "Content-Transfer-Encoding: quoted-printable"),
		))
}

// --- 28 --------------------------------------------------------------------

func colleaguePDF() message {
	t := at(time.November, 10, 14, 12, 51, jst)
	rcpt := "ken.ito@example.com"
	from := "hanako.sato@example.com"
	seed := "pdf-28"
	h := hop{rp: from, rcpt: rcpt, helo: "[192.168.1.34]", rdns: "unknown", ip: "10.20.5.34", tls: true, t: t.Add(1 * time.Second)}
	b := "------------" + strings.ToUpper(hexid(seed, 24))
	return h.deliver(seed, Entry{"Q4 budget draft", "benign",
		"none expected: internal mail between colleagues submitted from the office network (private IP) with aligned DKIM/DMARC pass; a real PDF attachment whose type matches its name"},
		hs(
			h.spf("pass"),
			"dkim=pass (2048-bit key) header.d=example.com header.s=corp header.b="+dkimB(seed),
			dmarc("pass", "reject", "example.com"),
		),
		hs(
			dkim("example.com", "corp", "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type", t, seed),
			"Message-ID: <"+hexid(seed+"/mid", 8)+"-"+hexid(seed+"/m2", 4)+"-4a1e-9c2d-"+hexid(seed+"/m3", 12)+"@example.com>",
			"Date: "+date(t),
			"MIME-Version: 1.0",
			"User-Agent: Mozilla Thunderbird",
			"Content-Language: ja",
			"To: Ken Ito <"+rcpt+">",
			"From: Hanako Sato <"+from+">",
			"Subject: Q4 budget draft",
			`Content-Type: multipart/mixed; boundary="`+b+`"`,
		),
		multipart(b,
			part(lines("Ken,", "", "Here is the Q4 budget draft we discussed. The travel line is still an", "estimate; I will update it after Thursday's meeting.", "", "Hanako"),
				"Content-Type: text/plain; charset=UTF-8; format=flowed", "Content-Transfer-Encoding: 7bit"),
			attachment("application/pdf", "Q4-budget-draft.pdf", pdfDoc("Q4 budget draft - Example Co.")),
		))
}

// --- 29 --------------------------------------------------------------------

func punycode() message {
	t := at(time.November, 11, 1, 4, 38, time.UTC)
	rcpt := "ken.ito@example.com"
	from := "security@xn--pypal-4ve.com"
	seed := "puny-29"
	h := hop{rp: from, rcpt: rcpt, helo: "mail.xn--pypal-4ve.com", rdns: "mail.xn--pypal-4ve.com", ip: "65.108.61.17", tls: true, t: t.Add(2 * time.Second)}
	link := "https://xn--pypal-4ve.com/signin?session=" + hexid(seed, 16)
	html := `<html><body style="font-family:Arial">
<p>Hi,</p>
<p>We noticed a login to your account from a new device:</p>
<ul><li>Device: Windows 11, Chrome</li><li>Location: Lagos, Nigeria</li><li>Time: Nov 11, 2026 00:58 UTC</li></ul>
<p>If this wasn't you, confirm your identity so we can secure your account:</p>
<p><a href="` + link + `">https://p` + "\u0430" + `ypal.com/signin</a></p>
<p>PayPal Security</p></body></html>
`
	return h.deliver(seed, Entry{"Confirm your recent login from a new device", "phish",
		"punycode lookalike domain xn--pypal-4ve.com = p\u0430ypal.com with Cyrillic U+0430 (mixed-script confusable of paypal.com) in From and link; anchor text shows the Unicode form; SPF/DKIM/DMARC pass for the lookalike; new-device login lure"},
		hs(
			h.spf("pass"),
			"dkim=pass (2048-bit key) header.d=xn--pypal-4ve.com header.s=mail header.b="+dkimB(seed),
			dmarc("pass", "none", "xn--pypal-4ve.com"),
		),
		cat(hs(dkim("xn--pypal-4ve.com", "mail", "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type", t, seed)),
			basic("PayPal <"+from+">", rcpt, "Confirm your recent login from a new device", date(t), "<"+hexid(seed+"/mid", 24)+"@xn--pypal-4ve.com>",
				"Content-Type: text/html; charset=utf-8",
				"Content-Transfer-Encoding: base64")),
		b64([]byte(html)))
}

// --- 30 --------------------------------------------------------------------

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

// --- 31 --------------------------------------------------------------------

func zipJS() message {
	t := at(time.November, 13, 10, 5, 44, cet)
	rcpt := "ken.ito@example.com"
	from := "docs@transglobal-freight.com"
	seed := "zipjs-31"
	h := hop{rp: from, rcpt: rcpt, helo: "transglobal-freight.com", rdns: "", ip: "161.97.145.8", t: t.Add(5 * time.Second)}
	js := []byte("// triage demo: inert placeholder for a JScript downloader.\r\n" +
		"// A real sample would build an ActiveXObject and fetch a payload.\r\n" +
		"var note = \"this file does nothing\";\r\n")
	z := zipOf("Shipment_SH-88214.js", js, at(time.November, 13, 9, 58, 0, time.UTC))
	b := "----=_NextPart_" + strings.ToUpper(hexid(seed, 16))
	return h.deliver(seed, Entry{"Shipment documents #SH-88214", "malware",
		"zip attachment containing a JScript file (Shipment_SH-88214.js): script inside an archive; shipping pretext; SPF softfail, no DKIM/DMARC; origin without reverse DNS"},
		hs(h.spf("softfail"), dkimNone, dmarc("none", "none", "transglobal-freight.com")),
		basic("TransGlobal Freight <"+from+">", rcpt, "Shipment documents #SH-88214", date(t), "<"+hexid(seed+"/mid", 20)+"@transglobal-freight.com>",
			`Content-Type: multipart/mixed; boundary="`+b+`"`),
		multipart(b,
			asciiPart(lines("Dear Sir/Madam,", "", "Attached are the shipping documents for consignment SH-88214.", "Please check and confirm the delivery address.", "", "Best regards,", "TransGlobal Freight Operations")),
			attachment("application/zip", "Shipment_SH-88214.zip", z),
		))
}

// --- 32 --------------------------------------------------------------------

func customerReply() message {
	t := at(time.November, 16, 18, 22, 7, est)
	rcpt := "support@example.com"
	from := "laura.chen@example.org"
	seed := "reply-32"
	h := hop{rp: from, rcpt: rcpt, helo: "mail-yw1-f172.google.com", rdns: "mail-yw1-f172.google.com", ip: "209.85.128.172", tls: true, t: t.Add(1 * time.Second)}
	text := lines(
		"Hi,",
		"",
		"Thanks, the new build fixes the crash. The export of our 40k-message",
		"archive now finishes in about two minutes.",
		"",
		"One small thing: the progress bar stays at 99% for the last few",
		"seconds. Not urgent.",
		"",
		"Best,",
		"Laura",
		"",
		"On Mon, Nov 16, 2026 at 10:03 AM Example Support <support@example.com> wrote:",
		"> Hello Laura,",
		">",
		"> Version 2.4.1 is available at https://downloads.example.com/2.4.1/ and",
		"> fixes the export crash you reported. Could you try it?",
		">",
		"> Example Support",
	)
	return h.deliver(seed, Entry{"Re: Ticket #20931 - export fails on large mailbox", "benign",
		"none expected: customer reply in an existing thread (In-Reply-To/References) via Google Workspace, aligned DKIM/DMARC pass; quoted text with a link to the recipient's own domain; role recipient support@ without pressure"},
		hs(
			h.spf("pass"),
			"dkim=pass (2048-bit key) header.d=example.org header.s=google header.b="+dkimB(seed),
			dmarc("pass", "quarantine", "example.org"),
		),
		hs(
			dkim("example.org", "google", "mime-version:references:in-reply-to:from:date:message-id:subject:to", t, seed),
			"Received: by mail-yw1-f172.google.com with SMTP id 00721157ae682-6ef4b1c2d3aso29384717b3.2\n        for <"+rcpt+">; "+date(t.UTC()),
			mime10,
			"References: <ticket-20931-3@support.example.com>",
			"In-Reply-To: <ticket-20931-3@support.example.com>",
			"From: Laura Chen <"+from+">",
			"Date: "+date(t),
			"Message-ID: <CAF"+fakeB64(seed+"/mid", 38)+"@mail.gmail.com>",
			"Subject: Re: Ticket #20931 - export fails on large mailbox",
			"To: Example Support <"+rcpt+">",
			`Content-Type: text/plain; charset="UTF-8"`,
		),
		text)
}

// --- 33 --------------------------------------------------------------------

func isoAttachment() message {
	t := at(time.November, 17, 3, 40, 21, time.UTC)
	rcpt := "info@example.com"
	from := "notifications@maersk-shipping-docs.com"
	seed := "iso-33"
	h := hop{rp: from, rcpt: rcpt, helo: "maersk-shipping-docs.com", rdns: "", ip: "207.180.97.12", t: t.Add(3 * time.Second)}
	b := "----=_Part_" + hexid(seed, 20)
	return h.deliver(seed, Entry{"Arrival Notice - B/L MAEU 2468013579", "malware",
		"disk image attachment (.iso, ISO 9660 magic at 0x8001) used to bypass mark-of-the-web; Maersk brand from maersk-shipping-docs.com (real: maersk.com); role recipient info@; no SPF/DKIM/DMARC"},
		hs(h.spf("none"), dkimNone, dmarc("none", "none", "maersk-shipping-docs.com")),
		basic("Maersk Line <"+from+">", rcpt, "Arrival Notice - B/L MAEU 2468013579", date(t), "<"+hexid(seed+"/mid", 22)+"@maersk-shipping-docs.com>",
			`Content-Type: multipart/mixed; boundary="`+b+`"`),
		multipart(b,
			asciiPart(lines("Dear Customer,", "", "Please find the arrival notice and invoice for B/L MAEU 2468013579 attached.", "Kindly arrange customs clearance before the vessel's arrival.", "", "Maersk Customer Service")),
			attachment("application/octet-stream", "Arrival_Notice_BL_MAEU2468013579.iso", isoImage()),
		))
}

// --- 34 --------------------------------------------------------------------

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

// --- 35 --------------------------------------------------------------------

func oneNoteAttachment() message {
	t := at(time.November, 19, 9, 9, 9, est)
	rcpt := "hanako.sato@example.com"
	from := "payroll@hr-documents-portal.com"
	seed := "onenote-35"
	h := hop{rp: from, rcpt: rcpt, helo: "hr-documents-portal.com", rdns: "", ip: "172.105.176.9", t: t.Add(3 * time.Second)}
	b := "----=_Part_" + hexid(seed, 20)
	return h.deliver(seed, Entry{"Remittance Advice - November 2026", "malware",
		"OneNote attachment (.one, OneNote section GUID magic) with 'double-click Open' instructions; payroll pretext; no SPF/DKIM/DMARC; origin without reverse DNS"},
		hs(h.spf("none"), dkimNone, dmarc("none", "none", "hr-documents-portal.com")),
		basic("Payroll Department <"+from+">", rcpt, "Remittance Advice - November 2026", date(t), "<"+hexid(seed+"/mid", 22)+"@hr-documents-portal.com>",
			`Content-Type: multipart/mixed; boundary="`+b+`"`),
		multipart(b,
			asciiPart(lines("Hello,", "", "Your remittance advice for November is attached.", "Open the document and double-click \"Open\" to view the protected content.", "", "Payroll Department")),
			attachment("application/octet-stream", "Remittance_Advice.one", oneNote()),
		))
}

// --- 36 --------------------------------------------------------------------

func simulation() message {
	t := at(time.November, 20, 10, 0, 0, jst)
	rcpt := "ken.ito@example.com"
	from := "hr-updates@policy-portal.example"
	seed := "sim-36"
	h := hop{rp: "bounce-c2026q403@send.exampleaware.example", rcpt: rcpt, helo: "send3.exampleaware.example", rdns: "send3.exampleaware.example", ip: "18.194.200.4", tls: true, t: t.Add(2 * time.Second)}
	link := "https://policy-portal.example/r/" + hexid(seed, 24)
	html := `<html><body style="font-family:Arial">
<p>Dear colleague,</p>
<p>The remote work policy has been updated. All employees must review and acknowledge
the new policy by <b>Friday</b>.</p>
<p><a href="` + link + `">Review and acknowledge the policy</a></p>
<p>Human Resources</p>
</body></html>
`
	return h.deliver(seed, Entry{"Action required: acknowledge the updated remote work policy", "simulation",
		"internal phishing simulation: HR lure with deadline from a look-alike policy-portal.example sent through a simulation vendor (X-PHISHTEST header, vendor hop); link with per-recipient token; DKIM pass for the vendor; label simulation, not phish"},
		hs(
			"spf=pass (mx.example.com: domain of "+h.rp+" designates 18.194.200.4 as permitted sender) smtp.mailfrom=send.exampleaware.example",
			"dkim=pass (2048-bit key) header.d=exampleaware.example header.s=sim1 header.b="+dkimB(seed),
			dmarc("none", "none", "policy-portal.example"),
		),
		hs(
			dkim("exampleaware.example", "sim1", "From:To:Subject:Date:Message-ID", t, seed),
			"From: Human Resources <"+from+">",
			"To: "+rcpt,
			"Subject: Action required: acknowledge the updated remote work policy",
			"Date: "+date(t),
			"Message-ID: <"+hexid(seed+"/mid", 30)+"@send3.exampleaware.example>",
			"X-PHISHTEST: ExampleAware simulated phishing - campaign 2026-Q4-03",
			"X-ExampleAware-Campaign: 2026-Q4-03",
			mime10,
			"Content-Type: text/html; charset=utf-8",
			"Content-Transfer-Encoding: 7bit",
		),
		html)
}

// --- 37 --------------------------------------------------------------------

func doubleExtension() message {
	t := at(time.November, 24, 13, 37, 0, time.UTC)
	rcpt := "finance@example.com"
	from := "billing@northstar-invoices.com"
	seed := "dblext-37"
	h := hop{rp: from, rcpt: rcpt, helo: "User", rdns: "", ip: "45.76.250.6", t: t.Add(4 * time.Second)}
	b := "----=_NextPart_" + strings.ToUpper(hexid(seed, 16))
	return h.deliver(seed, Entry{"OVERDUE: Invoice 77612 - final reminder", "malware",
		"attachment Invoice_77612.pdf.exe: double extension hiding a Windows executable (MZ); overdue-invoice pressure; HELO 'User' is not a host name; SPF fail, no DKIM; role recipient finance@"},
		hs(h.spf("fail"), dkimNone, dmarc("fail", "quarantine", "northstar-invoices.com")),
		basic("Northstar Billing <"+from+">", rcpt, "OVERDUE: Invoice 77612 - final reminder", date(t), "<"+hexid(seed+"/mid", 16)+"@User>",
			`Content-Type: multipart/mixed; boundary="`+b+`"`),
		multipart(b,
			asciiPart(lines("Dear customer,", "", "Invoice 77612 is now 30 days overdue. Please review the attached invoice", "and arrange payment today to avoid collection charges.", "", "Northstar Billing")),
			attachment("application/octet-stream", "Invoice_77612.pdf.exe", exeStub()),
		))
}

// --- 38 --------------------------------------------------------------------

func calendarInvite() message {
	t := at(time.November, 25, 11, 2, 40, cet)
	rcpt := "ken.ito@example.com"
	from := "anna.berg@example.net"
	seed := "ics-38"
	h := hop{rp: from, rcpt: rcpt, helo: "mail.example.net", rdns: "mail.example.net", ip: "95.216.12.80", tls: true, t: t.Add(2 * time.Second)}
	uid := hexid(seed, 32) + "@example.net"
	ics := strings.ReplaceAll(lines(
		"BEGIN:VCALENDAR",
		"PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
		"VERSION:2.0",
		"METHOD:REQUEST",
		"BEGIN:VEVENT",
		"UID:"+uid,
		"DTSTAMP:20261125T100240Z",
		"DTSTART:20261201T090000Z",
		"DTEND:20261201T093000Z",
		"SUMMARY:Relay sync",
		"ORGANIZER;CN=Anna Berg:mailto:anna.berg@example.net",
		"ATTENDEE;CN=Ken Ito;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:ken.ito@example.com",
		"LOCATION:https://meet.example.net/relay-sync",
		"END:VEVENT",
		"END:VCALENDAR",
	), "\n", "\r\n")
	b := "------------" + strings.ToUpper(hexid(seed+"/b", 24))
	return h.deliver(seed, Entry{"Invitation: Relay sync @ Tue Dec 1, 2026 10:00 - 10:30 (CET)", "benign",
		"none expected: calendar invitation (text/calendar METHOD:REQUEST with CRLF lines) from a known correspondent of message 3 with aligned DKIM/DMARC pass; meeting link on the sender's domain"},
		hs(
			h.spf("pass"),
			"dkim=pass (2048-bit key) header.d=example.net header.s=mail header.b="+dkimB(seed),
			dmarc("pass", "quarantine", "example.net"),
		),
		hs(
			dkim("example.net", "mail", "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type", t, seed),
			received("[192.168.10.23] (unknown [91.64.87.201])", "mail.example.net (Postfix)", "ESMTPSA", qid(seed+"/u"), rcpt, t.Add(time.Second)),
			"Message-ID: <"+hexid(seed+"/mid", 8)+"-"+hexid(seed+"/m2", 4)+"-4d0b-8e3a-"+hexid(seed+"/m3", 12)+"@example.net>",
			"Date: "+date(t),
			mime10,
			"User-Agent: Mozilla Thunderbird",
			"From: Anna Berg <"+from+">",
			"To: Ken Ito <"+rcpt+">",
			"Subject: Invitation: Relay sync @ Tue Dec 1, 2026 10:00 - 10:30 (CET)",
			`Content-Type: multipart/alternative; boundary="`+b+`"`,
		),
		multipart(b,
			part(lines("You have been invited to the following event.", "", "Relay sync", "When: Tue Dec 1, 2026 10:00 - 10:30 (CET)", "Where: https://meet.example.net/relay-sync", "Organizer: Anna Berg"),
				"Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 7bit"),
			part(b64([]byte(ics)),
				"Content-Type: text/calendar; charset=UTF-8; method=REQUEST",
				"Content-Transfer-Encoding: base64"),
		))
}
