package build

import (
	"strings"
	"time"
)

// --- 14 --------------------------------------------------------------------

func newsletter() message {
	t := at(time.October, 21, 14, 0, 3, time.UTC)
	rcpt := "ken.ito@example.com"
	seed := "news-14"
	from := "digest@godigest.example.org"
	rp := "bounce-mc.us21_88214507.1190345-" + hexid(seed, 10) + "@mail180-17.suw21.mcsv.net"
	h := hop{rp: rp, rcpt: rcpt, helo: "mail180-17.suw21.mcsv.net", rdns: "mail180-17.suw21.mcsv.net", ip: "198.2.180.17", tls: true, t: t.Add(9 * time.Second)}
	click := func(n int) string {
		return "https://godigest.us21.list-manage.com/track/click?u=4c1f0e92b7d3a8e5f6a7b8c9d&id=" + hexid(seed+itoa(int64(n)), 10) + "&e=" + hexid(seed+"/e", 10)
	}
	text := lines(
		"The Go Digest - Issue 412",
		"",
		"* Profiling allocation-heavy parsers: a field guide",
		"  "+click(1),
		"* What changed in the net/mail package this release",
		"  "+click(2),
		"* Writing fuzz targets for hostile input",
		"  "+click(3),
		"",
		"You are receiving this because you subscribed at godigest.example.org.",
		"Unsubscribe: https://godigest.us21.list-manage.com/unsubscribe?u=4c1f0e92b7d3a8e5f6a7b8c9d&id=2b7e1f",
	)
	html := `<html><body style="font-family:Georgia,serif;max-width:640px">
<h1>The Go Digest &mdash; Issue 412</h1>
<ul>
<li><a href="` + click(1) + `">Profiling allocation-heavy parsers: a field guide</a></li>
<li><a href="` + click(2) + `">What changed in the net/mail package this release</a></li>
<li><a href="` + click(3) + `">Writing fuzz targets for hostile input</a></li>
</ul>
<p style="font-size:12px">You are receiving this because you subscribed at godigest.example.org.
<a href="https://godigest.us21.list-manage.com/unsubscribe?u=4c1f0e92b7d3a8e5f6a7b8c9d&amp;id=2b7e1f">Unsubscribe</a></p>
<img src="https://godigest.us21.list-manage.com/track/open.php?u=4c1f0e92b7d3a8e5f6a7b8c9d&amp;id=` + hexid(seed+"/o", 10) + `" width="1" height="1" alt="">
</body></html>
`
	b := "_----------=_MCPart_" + hexid(seed+"/b", 10)
	return h.deliver(seed, Entry{"The Go Digest - Issue 412", "benign",
		"none expected: newsletter through Mailchimp (mcsv.net hop, DKIM for the sender domain and mcsv.net, DMARC pass), List-Unsubscribe with one-click POST, many list-manage.com tracking redirects and a 1x1 tracking pixel (tracking, not phishing)"},
		hs(
			"spf=pass (mx.example.com: domain of "+rp+" designates 198.2.180.17 as permitted sender) smtp.mailfrom=mail180-17.suw21.mcsv.net",
			"dkim=pass (2048-bit key) header.d=godigest.example.org header.s=k2 header.b="+dkimB(seed),
			"dkim=pass (2048-bit key) header.d=mcsv.net header.s=k3 header.b="+dkimB(seed+"mc"),
			dmarc("pass", "none", "godigest.example.org"),
		),
		hs(
			dkim("godigest.example.org", "k2", "Subject:From:Reply-To:To:Date:Message-ID:List-ID:\n\t List-Unsubscribe:List-Unsubscribe-Post:Content-Type:MIME-Version", t, seed),
			dkim("mcsv.net", "k3", "Subject:From:Reply-To:To:Date:Message-ID:List-ID:\n\t List-Unsubscribe:List-Unsubscribe-Post:Content-Type:MIME-Version", t, seed+"mc"),
			"Received: from localhost (localhost [127.0.0.1])\n\tby mail180-17.suw21.mcsv.net (Mailchimp) with ESMTP id 4Rk9m21Yw8zG8Q\n\tfor <"+rcpt+">; "+date(t),
			"Subject: The Go Digest - Issue 412",
			"From: The Go Digest <"+from+">",
			"Reply-To: The Go Digest <editor@godigest.example.org>",
			"To: <"+rcpt+">",
			"Date: "+date(t),
			"Message-ID: <"+hexid(seed+"/mid", 20)+".4c1f0e92b7d3@mail180-17.suw21.mcsv.net>",
			"List-ID: 4c1f0e92b7d3a8e5f6a7b8c9dmc list <4c1f0e92b7d3a8e5f6a7b8c9d.1190345.list-id.mcsv.net>",
			"List-Unsubscribe: <https://godigest.us21.list-manage.com/unsubscribe?u=4c1f0e92b7d3a8e5f6a7b8c9d&id=2b7e1f&e="+hexid(seed+"/e", 10)+">,\n <mailto:unsubscribe-mc.us21_88214507.1190345-"+hexid(seed, 10)+"@unsubscribe.mailchimpapp.net?subject=unsubscribe>",
			"List-Unsubscribe-Post: List-Unsubscribe=One-Click",
			"X-Mailer: Mailchimp Mailer - **CID1190345"+hexid(seed+"/cid", 10)+"**",
			"Precedence: bulk",
			mime10,
			`Content-Type: multipart/alternative; charset="utf-8"; boundary="`+b+`"`,
		),
		multipart(b,
			part(qp(text), `Content-Type: text/plain; charset="utf-8"`, "Content-Transfer-Encoding: quoted-printable"),
			part(qp(html), `Content-Type: text/html; charset="utf-8"`, "Content-Transfer-Encoding: quoted-printable"),
		))
}

// --- 15 --------------------------------------------------------------------

func ekinet() message {
	t := at(time.October, 22, 19, 44, 50, jst)
	rcpt := "hanako.sato@example.com"
	from := "ekinet-info@mail.jreast-ekinet.xyz"
	seed := "ekinet-15"
	h := hop{rp: from, rcpt: rcpt, helo: "mail.jreast-ekinet.xyz", rdns: "mail.jreast-ekinet.xyz", ip: "43.153.201.15", tls: true, t: t.Add(5 * time.Second)}
	link := "https://eki-net.jreast-ekinet.xyz/Personal/member/login/?mail=" + rcpt
	// U+2064 (INVISIBLE PLUS) inside the brand name, as real campaigns do to dodge filters.
	brand := "えき\u2064ねっと"
	subject := "【" + brand + "】自動退会処理のお知らせ"
	text := lines(
		brand+"をご利用いただきありがとうございます。",
		"",
		"お客様のアカウントは、長期間ログインが確認されていないため、",
		"自動退会の対象となりました。",
		"",
		"24時間以内にログインいただけない場合、アカウントは自動的に退会となり、",
		"保有しているJRE POINTはすべて失効いたします。",
		"",
		"引き続きご利用される場合は、下記URLよりログインしてください。",
		link,
		"",
		"※本メールは送信専用アドレスから配信しています。",
		"JR東日本 "+brand,
	)
	html := `<html><body>
<p>` + brand + `をご利用いただきありがとうございます。</p>
<p>お客様のアカウントは、長期間ログインが確認されていないため、自動退会の対象となりました。</p>
<p><b style="color:red">24時間以内</b>にログインいただけない場合、アカウントは自動的に退会となり、保有しているJRE POINTはすべて失効いたします。</p>
<p><a href="` + link + `">https://www.eki-net.com/Personal/member/login/</a></p>
<p>JR東日本 ` + brand + `</p>
</body></html>
`
	b := "=-" + hexid(seed+"/b", 18)
	return h.deliver(seed, Entry{"【えき<U+2064>ねっと】自動退会処理のお知らせ", "phish",
		"えきねっと / JR東日本 brand from jreast-ekinet.xyz; invisible U+2064 inside the brand name in subject and body (filter evasion, invisible-character finding); anchor text www.eki-net.com vs href on jreast-ekinet.xyz; recipient address in URL; 24時間以内 deadline and point-forfeit pressure; SPF pass only (attacker domain), no DKIM/DMARC; UTF-8 QP"},
		hs(h.spf("pass"), dkimNone, dmarc("none", "none", "mail.jreast-ekinet.xyz")),
		basic(u8(brand)+" <"+from+">", rcpt, u8(subject), date(t), "<"+hexid(seed+"/mid", 32)+"@mail.jreast-ekinet.xyz>",
			`Content-Type: multipart/alternative; boundary="`+b+`"`),
		multipart(b,
			part(qp(text), "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"),
			part(qp(html), "Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"),
		))
}

// --- 16 --------------------------------------------------------------------

func yamatoPhish() message {
	t := at(time.October, 23, 13, 9, 31, jst)
	rcpt := "ken.ito@example.com"
	from := "info@kuronekoyamato-delivery.top"
	seed := "yamato-16"
	h := hop{rp: from, rcpt: rcpt, helo: "kuronekoyamato-delivery.top", rdns: "", ip: "47.91.52.77", t: t.Add(7 * time.Second)}
	subject := "お荷物お届けのお知らせ（ご不在のため持ち帰りました）"
	text := lines(
		"ヤマト運輸をご利用いただきありがとうございます。",
		"",
		"お客様宛にお荷物をお届けに伺いましたが、ご不在のため持ち帰りました。",
		"お荷物は保管期限を過ぎると差出人へ返送されます。",
		"",
		"送り状番号：4812-3391-2207",
		"保管期限：2026年10月25日",
		"",
		"再配達のお申し込みおよび配送料（330円）のお支払いは下記より：",
		"https://yamato-redelivery.duckdns.org/track?no=481233912207",
		"",
		"ヤマト運輸株式会社",
	)
	return h.deliver(seed, Entry{subject, "phish",
		"ヤマト運輸 brand from kuronekoyamato-delivery.top (real: kuronekoyamato.co.jp); Shift_JIS encoded-word headers and base64 Shift_JIS body; link on a dynamic-DNS host (duckdns.org); redelivery fee request; no SPF/DKIM/DMARC; origin without reverse DNS"},
		hs(h.spf("none"), dkimNone, dmarc("none", "none", "kuronekoyamato-delivery.top")),
		basic(ewSJIS("ヤマト運輸")+" <"+from+">", rcpt, ewSJIS(subject), date(t), "<"+hexid(seed+"/mid", 18)+"@kuronekoyamato-delivery.top>",
			"Content-Type: text/plain; charset=Shift_JIS",
			"Content-Transfer-Encoding: base64"),
		b64([]byte(sjis(text))))
}

// --- 17 --------------------------------------------------------------------

func yamatoNotice() message {
	t := at(time.October, 26, 8, 2, 11, jst)
	rcpt := "ken.ito@example.com"
	from := "mail@kuronekoyamato.co.jp"
	seed := "yamato-17"
	h := hop{rp: "return@kuronekoyamato.co.jp", rcpt: rcpt, helo: "mo-yamato01.kuronekoyamato.co.jp", rdns: "mo-yamato01.kuronekoyamato.co.jp", ip: "133.242.61.14", tls: true, t: t.Add(3 * time.Second)}
	subject := "ヤマト運輸 お届け予定のお知らせ"
	text := lines(
		"伊藤 健 様",
		"",
		"ヤマト運輸です。",
		"下記のお荷物のお届け予定をお知らせします。",
		"",
		"送り状番号：5120-8841-3306",
		"お届け予定日時：2026年10月27日 14時から16時",
		"ご依頼主：アマゾンジャパン合同会社",
		"",
		"お届け日時の変更は下記よりお手続きいただけます（料金はかかりません）。",
		"https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number=512088413306",
		"",
		"※このメールは送信専用です。",
		"ヤマト運輸株式会社",
	)
	return h.deliver(seed, Entry{subject, "benign",
		"none expected: genuine counterpart of message 16: ヤマト運輸 from kuronekoyamato.co.jp with aligned DKIM/DMARC pass, ISO-2022-JP headers and body, link to toi.kuronekoyamato.co.jp, no fee"},
		hs(
			h.spf("pass"),
			"dkim=pass (2048-bit key) header.d=kuronekoyamato.co.jp header.s=ymt2026 header.b="+dkimB(seed),
			dmarc("pass", "reject", "kuronekoyamato.co.jp"),
		),
		cat(hs(dkim("kuronekoyamato.co.jp", "ymt2026", "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type", t, seed)),
			basic(ewJIS("ヤマト運輸")+" <"+from+">", rcpt, ewJIS(subject), date(t), "<"+hexid(seed+"/mid", 22)+".ymt@kuronekoyamato.co.jp>",
				"Content-Type: text/plain; charset=ISO-2022-JP",
				"Content-Transfer-Encoding: 7bit")),
		jis(text))
}

// --- 18 --------------------------------------------------------------------

func dhlFee() message {
	t := at(time.October, 27, 16, 40, 5, cet)
	rcpt := "j.miller@example.com"
	from := "noreply@dhl-parcel-support.com"
	seed := "dhl-18"
	h := hop{rp: "bounce@dhl-parcel-support.com", rcpt: rcpt, helo: "dhl-parcel-support.com", rdns: "", ip: "5.75.190.90", t: t.Add(4 * time.Second)}
	link := "http://dhl.parcel-redelivery.top/pay/?id=" + hexid(seed, 24)
	html := `<html><body style="font-family:Arial">
<div style="background:#ffcc00;padding:12px"><b style="color:#d40511;font-size:22px">DHL</b> Express</div>
<p>Dear customer,</p>
<p>Your parcel <b>JD014600006281740112</b> is being held at our distribution centre because the
customs duty of <b>EUR 1.99</b> has not been paid.</p>
<p>Please pay the outstanding fee within <b>48 hours</b>, otherwise the parcel will be returned to the sender.</p>
<p><a href="` + link + `">Pay now and schedule delivery</a></p>
<p>Thank you for choosing DHL.<br>DHL Express Customer Service</p>
</body></html>
`
	return h.deliver(seed, Entry{"DHL: Your parcel JD014600006281740112 is on hold - customs fee unpaid", "phish",
		"DHL brand from dhl-parcel-support.com (real: dhl.com); small customs fee payment request with 48-hour deadline (en); plain-http link to dhl.parcel-redelivery.top (brand name as subdomain label); SPF fail, no DKIM, no DMARC policy; origin without reverse DNS"},
		hs(h.spf("fail"), dkimNone, dmarc("none", "none", "dhl-parcel-support.com")),
		basic("DHL Express <"+from+">", rcpt, "DHL: Your parcel JD014600006281740112 is on hold - customs fee unpaid", date(t), "<"+hexid(seed+"/mid", 24)+"@dhl-parcel-support.com>",
			"Content-Type: text/html; charset=utf-8",
			"Content-Transfer-Encoding: quoted-printable"),
		qp(html))
}

// --- 19 --------------------------------------------------------------------

func itPasswordExpiry() message {
	t := at(time.October, 28, 9, 0, 0, jst)
	rcpt := "hanako.sato@example.com"
	from := "it-helpdesk@example.com"
	seed := "itpw-19"
	h := hop{rp: "it-helpdesk@example.com", rcpt: rcpt, helo: "intranet-app01.corp.example.com", rdns: "intranet-app01.corp.example.com", ip: "10.20.1.15", tls: true, t: t.Add(1 * time.Second)}
	text := lines(
		"Hello Hanako,",
		"",
		"Your Example Co. network password expires in 3 days (on 31 October 2026).",
		"Please change it before then from a company device:",
		"",
		"  https://sso.example.com/password/change",
		"",
		"If the password expires you will not be able to sign in to email or VPN",
		"until the helpdesk resets it. The helpdesk will never ask for your",
		"password by email or phone.",
		"",
		"Example Co. IT Helpdesk (ext. 4100)",
	)
	return h.deliver(seed, Entry{"Your password expires in 3 days", "borderline",
		"credential and deadline wording (password expires, change it) that phishing also uses, but internal: sender example.com aligned with DKIM/DMARC pass, origin in private network 10.20.1.15 relayed by mx.example.com, link to sso.example.com (recipient's own domain); should score low-to-medium with the reasons shown"},
		hs(
			h.spf("pass"),
			"dkim=pass (2048-bit key) header.d=example.com header.s=corp header.b="+dkimB(seed),
			dmarc("pass", "reject", "example.com"),
		),
		hs(
			dkim("example.com", "corp", "From:To:Subject:Date:Message-ID", t, seed),
			"From: Example Co. IT Helpdesk <"+from+">",
			"To: "+rcpt,
			"Subject: Your password expires in 3 days",
			"Date: "+date(t),
			"Message-ID: <pwexpiry."+hexid(seed, 12)+"@intranet-app01.corp.example.com>",
			"Auto-Submitted: auto-generated",
			mime10,
			"Content-Type: text/plain; charset=utf-8",
			"Content-Transfer-Encoding: 7bit",
		),
		text)
}

// --- 20 --------------------------------------------------------------------

func m365WebApp() message {
	t := at(time.October, 29, 4, 21, 56, time.UTC)
	rcpt := "j.miller@example.com"
	from := "noreply@mail-notices365.com"
	seed := "m365-20"
	h := hop{rp: from, rcpt: rcpt, helo: "mail-notices365.com", rdns: "", ip: "139.162.214.5", t: t.Add(3 * time.Second)}
	link := "https://m365-password-keep.web.app/?e=" + rcpt
	html := `<html><body style="font-family:Segoe UI,Arial">
<p><b>Microsoft 365</b></p>
<p>Password Expiry Notice for <b>` + rcpt + `</b></p>
<p>The password to your mailbox <b>` + rcpt + `</b> expires today. You can keep your current password
or change it. If no action is taken, you will be signed out and incoming messages will be rejected.</p>
<p><a href="` + link + `" style="background:#0078d4;color:#fff;padding:8px 14px;text-decoration:none">Keep Current Password</a></p>
<p style="font-size:11px;color:#666">example.com Email Administrator &bull; This message was sent from an unmonitored address.</p>
</body></html>
`
	return h.deliver(seed, Entry{"Password Expiry Notice for j.miller@example.com", "phish",
		"Microsoft 365 brand from mail-notices365.com; recipient address in subject and link; link on a free hosting platform (web.app / Firebase); keep-current-password credential lure with same-day deadline; recipient's domain used as sender label; no SPF/DKIM/DMARC"},
		hs(h.spf("none"), dkimNone, dmarc("none", "none", "mail-notices365.com")),
		basic(`"example.com Administrator" <`+from+">", rcpt, "Password Expiry Notice for "+rcpt, date(t), "<"+hexid(seed+"/mid", 30)+"@mail-notices365.com>",
			"Content-Type: text/html; charset=utf-8",
			"Content-Transfer-Encoding: base64"),
		b64([]byte(html)))
}

// --- 21 --------------------------------------------------------------------

func bankStatement() message {
	t := at(time.October, 30, 7, 15, 0, edt)
	rcpt := "j.miller@example.com"
	from := "no-reply@alerts.northwindbank.example"
	seed := "bank-21"
	h := hop{rp: "bounces@alerts.northwindbank.example", rcpt: rcpt, helo: "mta3.alerts.northwindbank.example", rdns: "mta3.alerts.northwindbank.example", ip: "54.85.143.20", tls: true, t: t.Add(2 * time.Second)}
	text := lines(
		"Northwind Bank",
		"",
		"Your October statement is ready",
		"",
		"Checking account ending in 4417",
		"Statement period: Oct 1, 2026 - Oct 29, 2026",
		"",
		"To view it, sign in to online banking as usual at",
		"https://www.northwindbank.example/ and choose Statements & Documents.",
		"",
		"For your security we do not include links that sign you in, and we will",
		"never ask for your password or one-time codes by email.",
		"",
		"Northwind Bank, Member FDIC",
		"Manage alert preferences: https://www.northwindbank.example/alerts",
	)
	return h.deliver(seed, Entry{"Your October statement is ready", "benign",
		"none expected: bank notice from its own alerts subdomain with aligned DKIM/DMARC pass; mentions sign-in and password only to warn; links to the bank's own domain"},
		hs(
			"spf=pass (mx.example.com: domain of "+h.rp+" designates 54.85.143.20 as permitted sender) smtp.mailfrom=alerts.northwindbank.example",
			"dkim=pass (2048-bit key) header.d=northwindbank.example header.s=alerts1 header.b="+dkimB(seed),
			dmarc("pass", "reject", "alerts.northwindbank.example"),
		),
		cat(hs(dkim("northwindbank.example", "alerts1", "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type", t, seed)),
			basic("Northwind Bank <"+from+">", "John Miller <"+rcpt+">", "Your October statement is ready", date(t), "<stmt-202610-"+hexid(seed, 14)+"@alerts.northwindbank.example>",
				"Content-Type: text/plain; charset=us-ascii",
				"Content-Transfer-Encoding: 7bit")),
		text)
}

// --- 22 --------------------------------------------------------------------

func voicemailR2() message {
	t := at(time.November, 2, 15, 33, 12, est)
	rcpt := "ken.ito@example.com"
	from := "voicemail@telephony-notify.net"
	seed := "vm-22"
	h := hop{rp: from, rcpt: rcpt, helo: "smtp.telephony-notify.net", rdns: "", ip: "149.28.19.44", t: t.Add(2 * time.Second)}
	link := "https://pub-3f9a1c5e7b2d4e6f8a0b1c2d3e4f5a6b.r2.dev/vm/index.html#" + rcpt
	subject := "\U0001F50A New voicemail from +1 (312) 555-0187 (0:42)"
	html := `<html><body style="font-family:Arial">
<p><b>You have a new voice message</b></p>
<table><tr><td>From:</td><td>+1 (312) 555-0187</td></tr>
<tr><td>Length:</td><td>0:42</td></tr>
<tr><td>Received:</td><td>Monday, November 2, 2026 3:31 PM</td></tr></table>
<p><a href="` + link + `">&#9654; Play Voice Message</a></p>
<p style="font-size:11px">Sign in with your Microsoft 365 account to listen. Voicemail is kept for 24 hours.</p>
</body></html>
`
	return h.deliver(seed, Entry{subject, "phish",
		"voicemail lure with emoji in an encoded-word subject; link on Cloudflare R2 public bucket (r2.dev) with the recipient address in the fragment; Microsoft 365 sign-in request; 24-hour retention pressure; SPF softfail, no DKIM/DMARC"},
		hs(h.spf("softfail"), dkimNone, dmarc("none", "none", "telephony-notify.net")),
		basic("Voice Mail Service <"+from+">", rcpt, u8(subject), date(t), "<"+hexid(seed+"/mid", 24)+"@telephony-notify.net>",
			"Content-Type: text/html; charset=utf-8",
			"Content-Transfer-Encoding: quoted-printable"),
		qp(html))
}

// --- 23 --------------------------------------------------------------------

func ipfsQuota() message {
	t := at(time.November, 3, 2, 8, 44, time.UTC)
	rcpt := "info@example.com"
	from := "postmaster@example-com-mailserver.com"
	seed := "ipfs-23"
	cid := "bafybei" + base32ish(hexid(seed, 52))
	link := "https://ipfs.io/ipfs/" + cid + "/index.html#" + rcpt
	h := hop{rp: from, rcpt: rcpt, helo: "example-com-mailserver.com", rdns: "", ip: "173.212.188.3", t: t.Add(3 * time.Second)}
	text := lines(
		"Mail Delivery System - example.com",
		"",
		"Dear info@example.com,",
		"",
		"Your mailbox storage is 99% full (49.6 GB of 50 GB). 17 incoming messages",
		"are on hold and will be deleted if you do not increase your quota.",
		"",
		"Upgrade storage and release messages:",
		link,
		"",
		"example.com Email Server Administrator",
	)
	return h.deliver(seed, Entry{"Mailbox quota exceeded: 17 messages on hold for info@example.com", "phish",
		"webmail-quota lure impersonating the recipient's own mail system from example-com-mailserver.com (recipient domain embedded in a foreign domain); link to a page on an IPFS gateway (ipfs.io/ipfs/<CID>) with the address in the fragment; role recipient info@; no auth"},
		hs(h.spf("none"), dkimNone, dmarc("none", "none", "example-com-mailserver.com")),
		basic("Mail Delivery System <"+from+">", rcpt, "Mailbox quota exceeded: 17 messages on hold for "+rcpt, date(t), "<"+hexid(seed+"/mid", 20)+"@example-com-mailserver.com>",
			"Content-Type: text/plain; charset=us-ascii",
			"Content-Transfer-Encoding: 7bit"),
		text)
}

// base32ish maps hex digits onto the RFC 4648 lowercase base32 alphabet so a
// fake CIDv1 looks right.
func base32ish(hex string) string {
	const alpha = "abcdefghijklmnopqrstuvwxyz234567"
	var b strings.Builder
	for i := 0; i < len(hex); i++ {
		b.WriteByte(alpha[(int(hex[i])*7+i)%32])
	}
	return b.String()
}

// --- 24 --------------------------------------------------------------------

func bitlyNetflix() message {
	t := at(time.November, 4, 20, 12, 9, time.UTC)
	rcpt := "hanako.sato@example.com"
	from := "info@account-netflix-billing.com"
	seed := "nflx-24"
	h := hop{rp: from, rcpt: rcpt, helo: "account-netflix-billing.com", rdns: "", ip: "159.89.231.7", t: t.Add(2 * time.Second)}
	html := `<html><body style="font-family:Helvetica,Arial;background:#141414;color:#fff">
<h2 style="color:#e50914">NETFLIX</h2>
<p>Hi,</p>
<p>We were unable to process your payment for the next billing cycle. Your membership will be
cancelled unless you update your payment details within 24 hours.</p>
<p><a href="https://bit.ly/4kQ9xZt" style="background:#e50914;color:#fff;padding:10px 18px">UPDATE ACCOUNT</a></p>
<p>Need help? Visit the <a href="https://help.netflix.com/">Help Center</a>.</p>
<p>&mdash; Your friends at Netflix</p>
</body></html>
`
	return h.deliver(seed, Entry{"Your payment was declined - update your billing details", "phish",
		"Netflix brand from account-netflix-billing.com; main call-to-action behind a bit.ly shortener (destination hidden); one genuine help.netflix.com link as camouflage; 24-hour cancellation pressure; SPF pass only (attacker domain), no DKIM/DMARC"},
		hs(h.spf("pass"), dkimNone, dmarc("none", "none", "account-netflix-billing.com")),
		basic("Netflix <"+from+">", rcpt, "Your payment was declined - update your billing details", date(t), "<"+hexid(seed+"/mid", 28)+"@account-netflix-billing.com>",
			"Content-Type: text/html; charset=utf-8",
			"Content-Transfer-Encoding: 7bit"),
		html)
}

// --- 25 --------------------------------------------------------------------

func marketingUrgency() message {
	t := at(time.November, 5, 17, 0, 1, est)
	rcpt := "j.miller@example.com"
	from := "deals@shop.example.net"
	seed := "mkt-25"
	rp := "bounces+18822731-" + hexid(seed, 4) + "-j.miller=example.com@em7231.shop.example.net"
	h := hop{rp: rp, rcpt: rcpt, helo: "o1.ptr4821.shop.example.net", rdns: "o1.ptr4821.shop.example.net", ip: "167.89.101.12", tls: true, t: t.Add(4 * time.Second)}
	click := func(n int) string {
		return "https://u18822731.ct.sendgrid.net/ls/click?upn=" + fakeB64(seed+itoa(int64(n)), 60)
	}
	html := `<html><body style="font-family:Arial;max-width:600px">
<h1 style="color:#b00">LAST 24 HOURS: 40% OFF EVERYTHING</h1>
<p>Hurry, John! Our autumn sale ends at midnight. Act now before your favourites sell out.</p>
<p><a href="` + click(1) + `">SHOP THE SALE</a></p>
<p><a href="` + click(2) + `">Jackets</a> | <a href="` + click(3) + `">Boots</a> | <a href="` + click(4) + `">Tents</a></p>
<p style="font-size:11px">Example Outdoor, 123 Main St, Springfield.
<a href="` + click(5) + `">Unsubscribe</a> | <a href="` + click(6) + `">Preferences</a></p>
<img src="https://u18822731.ct.sendgrid.net/wf/open?upn=` + fakeB64(seed+"/open", 40) + `" width="1" height="1">
</body></html>
`
	return h.deliver(seed, Entry{"\u23F0 Last 24 hours: 40% off everything", "borderline",
		"urgency wording (last 24 hours, act now, hurry) and every link hidden behind SendGrid click-tracking redirects, emoji subject; but aligned DKIM/DMARC pass, SendGrid hop, List-Unsubscribe: should land low-to-medium (marketing), not phishing"},
		hs(
			"spf=pass (mx.example.com: domain of "+rp+" designates 167.89.101.12 as permitted sender) smtp.mailfrom=em7231.shop.example.net",
			"dkim=pass (1024-bit key) header.d=shop.example.net header.s=s1 header.b="+dkimB(seed),
			"dkim=pass (1024-bit key) header.d=sendgrid.info header.s=smtpapi header.b="+dkimB(seed+"sg"),
			dmarc("pass", "none", "shop.example.net"),
		),
		hs(
			dkim("shop.example.net", "s1", "from:mime-version:subject:list-unsubscribe:list-unsubscribe-post:\n\t content-type:to:cc:content-type:from:subject:to", t, seed),
			dkim("sendgrid.info", "smtpapi", "from:mime-version:subject:list-unsubscribe:list-unsubscribe-post:\n\t content-type:to:cc:content-type:from:subject:to", t, seed+"sg"),
			"Received: by filterdrecv-7b9d8c6f4-x2lqm with SMTP id filterdrecv-7b9d8c6f4-x2lqm-1-"+strings.ToUpper(hexid(seed, 8))+"-1F\n\t"+date(t.UTC()),
			"From: Example Outdoor <"+from+">",
			"To: "+rcpt,
			"Subject: "+u8("\u23F0 Last 24 hours: 40% off everything"),
			"Date: "+date(t),
			"Message-ID: <"+fakeB64(seed+"/mid", 22)+"@ismtpd0004p1iad2.sendgrid.net>",
			"List-Unsubscribe: <"+click(5)+">",
			"List-Unsubscribe-Post: List-Unsubscribe=One-Click",
			mime10,
			"Content-Type: text/html; charset=utf-8",
			"Content-Transfer-Encoding: quoted-printable",
		),
		qp(html))
}

// --- 26 --------------------------------------------------------------------

func ipLiteral() message {
	t := at(time.November, 6, 11, 47, 30, est)
	rcpt := "finance@example.com"
	from := "dse_na2@docu-sign-mail.com"
	seed := "docu-26"
	h := hop{rp: from, rcpt: rcpt, helo: "docu-sign-mail.com", rdns: "", ip: "134.209.23.81", t: t.Add(3 * time.Second)}
	link := "http://198.51.100.23/docusign/view.php?doc=" + hexid(seed, 20) + "&u=" + rcpt
	html := `<html><body style="font-family:Arial">
<div style="background:#1e4ca1;color:#fff;padding:16px"><b>DocuSign</b></div>
<p>Accounts Department sent you a document to review and sign.</p>
<p><b>Payment_Authorization_Nov2026.pdf</b></p>
<p><a href="` + link + `" style="background:#ffc820;padding:10px 20px;color:#000">REVIEW DOCUMENT</a></p>
<p>Please complete by end of day.</p>
<p style="font-size:10px">Do Not Share This Email. This email contains a secure link to DocuSign.</p>
</body></html>
`
	return h.deliver(seed, Entry{"Accounts Department sent you Payment_Authorization_Nov2026.pdf to review and sign", "phish",
		"DocuSign brand from docu-sign-mail.com (real: docusign.net); link to a bare IPv4 address over plain http with the recipient address in the query; end-of-day pressure; role recipient finance@; SPF fail, DMARC none"},
		hs(h.spf("fail"), dkimNone, dmarc("none", "none", "docu-sign-mail.com")),
		basic("DocuSign via Accounts Department <"+from+">", rcpt, "Accounts Department sent you Payment_Authorization_Nov2026.pdf to review and sign", date(t), "<"+hexid(seed+"/mid", 32)+"@docu-sign-mail.com>",
			"Content-Type: text/html; charset=utf-8",
			"Content-Transfer-Encoding: base64"),
		b64([]byte(html)))
}
