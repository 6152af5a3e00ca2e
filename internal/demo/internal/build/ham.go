package build

import (
	"strings"
	"time"
)

// Legitimate and borderline mail: notifications, lists, newsletters,
// internal and customer mail that the rules must not call phishing.

// --- 1 --------------------------------------------------------------------

func githubNotification() message {
	t := at(time.October, 2, 9, 14, 7, gmt)
	rcpt := "ken.ito@example.com"
	seed := "gh-1"
	h := hop{rp: "noreply@github.com", rcpt: rcpt, helo: "out-21.smtp.github.com", rdns: "out-21.smtp.github.com", ip: "192.30.252.204", tls: true, t: t.Add(3 * time.Second)}
	body := lines(
		"@mtanaka requested your review on: example-org/relay#482 Bound header size in the",
		"Received parser.",
		"",
		"The parser now stops after 64 KiB of header data and reports a warning",
		"instead of growing without limit. Benchmarks are in the PR description.",
		"",
		"You can view, comment on, or merge this pull request online at:",
		"",
		"  https://github.com/example-org/relay/pull/482",
		"",
		"Commit Summary",
		"",
		"  * 3f9c2e1 received: stop after 64 KiB of header data",
		"  * a81d044 received: add benchmark for long chains",
		"",
		"File Changes (2 files)",
		"",
		"  * M internal/received/parse.go (31)",
		"  * M internal/received/parse_test.go (58)",
		"",
		"Patch Links:",
		"",
		"  * https://github.com/example-org/relay/pull/482.patch",
		"  * https://github.com/example-org/relay/pull/482.diff",
		"",
		"-- ",
		"Reply to this email directly, view it on GitHub:",
		"https://github.com/example-org/relay/pull/482",
		"You are receiving this because your review was requested.",
	)
	return message{
		Entry: Entry{
			Subject:  "[example-org/relay] Bound header size in the Received parser (PR #482)",
			Category: "benign",
			Signals:  "none expected: github.com sender with aligned SPF/DKIM/DMARC pass, links to github.com only, list headers",
		},
		envFrom: "noreply@github.com", delivered: t.Add(5 * time.Second),
		header: cat(h.inbound(seed,
			h.spf("pass"),
			"dkim=pass (2048-bit key; unprotected) header.d=github.com header.i=@github.com header.s=pf2023 header.b="+dkimB(seed),
			dmarc("pass", "reject", "github.com")),
			hs(
				dkim("github.com", "pf2023", "Date:From:Reply-To:To:Cc:Subject:List-ID:List-Archive:\n\t List-Unsubscribe:From", t, seed),
				"Date: "+date(t),
				"From: Mai Tanaka <notifications@github.com>",
				"Reply-To: example-org/relay <reply+ABCDQ5K7XG3EVBQ4PL2M6FGFN7W4TEVBNHHJ3RLX4Y@reply.github.com>",
				"To: example-org/relay <relay@noreply.github.com>",
				"Cc: Ken Ito <ken.ito@example.com>, Review requested <review_requested@noreply.github.com>",
				"Message-ID: <example-org/relay/pull/482@github.com>",
				"Subject: [example-org/relay] Bound header size in the Received parser (PR #482)",
				mime10,
				"Content-Type: text/plain; charset=UTF-8",
				"Content-Transfer-Encoding: 7bit",
				"List-ID: example-org/relay <relay.example-org.github.com>",
				"List-Archive: https://github.com/example-org/relay",
				"List-Unsubscribe: <mailto:unsub+ABCDQ5K7XG3EVBQ4PL2M6FGFN7W4TEVBNHHJ3RLX4Y@reply.github.com>,\n <https://github.com/notifications/unsubscribe/ABCDQ5K7XG3EVBQ4PL2M6FGFN7W4TEVBNHHJ3RLX4Y>",
				"X-GitHub-Reason: review_requested",
				"X-GitHub-Sender: mtanaka",
				"X-GitHub-Recipient: kenito",
				"X-Auto-Response-Suppress: All",
			)),
		body: body,
	}
}

// --- 3 --------------------------------------------------------------------

func mailingList() message {
	t := at(time.October, 6, 16, 2, 41, cet)
	rcpt := "hanako.sato@example.com"
	seed := "list-3"
	list := "relay-dev@lists.example.org"
	bounce := "relay-dev-bounces+hanako.sato=example.com@lists.example.org"
	h := hop{rp: bounce, rcpt: rcpt, helo: "lists.example.org", rdns: "lists.example.org", ip: "88.198.52.40", tls: true, t: t.Add(41 * time.Second)}
	body := lines(
		"On Mon, Oct 5, 2026 at 11:20 PM Ken Ito <ken.ito@example.com> wrote:",
		"> Is anyone else seeing the duplicate Received lines from the new relay?",
		"> They show up twice with the same queue ID.",
		"",
		"Yes, that is the milter re-injecting the message after the DKIM step.",
		"It is harmless, but confusing when you read the hop chain. Setting",
		"",
		"    milter_header_checks = pcre:/etc/postfix/milter_header_checks",
		"",
		"with a rule that drops the second copy fixed it here. Details are in the",
		"wiki page: https://wiki.example.org/relay/duplicate-received",
		"",
		"Regards,",
		"Anna",
		"",
		"_______________________________________________",
		"relay-dev mailing list",
		"relay-dev@lists.example.org",
		"https://lists.example.org/mailman/listinfo/relay-dev",
		"To unsubscribe send an email to relay-dev-leave@lists.example.org",
	)
	return message{
		Entry: Entry{
			Subject:  "Re: [relay-dev] duplicate Received lines after milter",
			Category: "benign",
			Signals:  "none expected: mailing list (List-Id, List-Unsubscribe, footer), From rewritten \"Anna Berg via relay-dev\" with Reply-To original author, ARC set from the list, DMARC pass for the list domain, two upstream hops",
		},
		envFrom: bounce, delivered: h.t.Add(3 * time.Second),
		header: cat(h.inbound(seed,
			"spf=pass (mx.example.com: domain of "+bounce+" designates 88.198.52.40 as permitted sender) smtp.mailfrom=lists.example.org",
			"dkim=pass (2048-bit key) header.d=lists.example.org header.s=list header.b="+dkimB(seed),
			dmarc("pass", "none", "lists.example.org"),
			"arc=pass (i=1 spf=pass dkim=pass dmarc=pass) smtp.remote-ip=88.198.52.40"),
			hs(
				"ARC-Seal: i=1; a=rsa-sha256; d=lists.example.org; s=arc; t="+itoa(t.Unix())+"; cv=none;\n\tb="+fakeB64(seed+"/arcseal", 72)+"\n\t "+fakeB64(seed+"/arcseal2", 72),
				"ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=lists.example.org;\n\ts=arc; t="+itoa(t.Unix())+"; h=from:reply-to:subject:date:message-id:to:cc;\n\tbh="+fakeB64(seed+"/arcbh", 43)+"=;\n\tb="+fakeB64(seed+"/arcb", 72)+"\n\t "+fakeB64(seed+"/arcb2", 72),
				"ARC-Authentication-Results: i=1; lists.example.org;\n\tspf=pass smtp.mailfrom=example.net;\n\tdkim=pass header.d=example.net header.s=mail;\n\tdmarc=pass (p=quarantine) header.from=example.net",
				dkim("lists.example.org", "list", "from:reply-to:subject:date:message-id:to:cc:list-id:\n\t list-unsubscribe:list-post", t, seed),
				received("mail.example.net (mail.example.net [95.216.12.80])", "lists.example.org (Postfix)", "ESMTPS", qid(seed+"/u1"), list, t.Add(30*time.Second)),
				received("[192.168.10.23] (unknown [91.64.87.201])", "mail.example.net (Postfix)", "ESMTPSA", qid(seed+"/u2"), list, t.Add(2*time.Second)),
				"Message-ID: <c41e7a9d-3b5f-4e2a-9d10-"+hexid(seed, 12)+"@example.net>",
				"Date: "+date(t),
				"From: Anna Berg via relay-dev <relay-dev@lists.example.org>",
				"Reply-To: Anna Berg <anna.berg@example.net>",
				"To: relay-dev@lists.example.org",
				"Cc: Ken Ito <ken.ito@example.com>",
				"Subject: Re: [relay-dev] duplicate Received lines after milter",
				"In-Reply-To: <CAO9rT2x8n4Wv@mail.example.com>",
				"References: <CAO9rT2x8n4Wv@mail.example.com>",
				mime10,
				"Content-Type: text/plain; charset=UTF-8; format=flowed",
				"Content-Transfer-Encoding: 7bit",
				"User-Agent: Mozilla Thunderbird",
				"List-Id: Relay developers <relay-dev.lists.example.org>",
				"List-Archive: <https://lists.example.org/archives/relay-dev/>",
				"List-Post: <mailto:relay-dev@lists.example.org>",
				"List-Help: <mailto:relay-dev-request@lists.example.org?subject=help>",
				"List-Unsubscribe: <mailto:relay-dev-leave@lists.example.org>,\n <https://lists.example.org/mailman/options/relay-dev>",
				"X-Original-From: Anna Berg <anna.berg@example.net>",
				"Precedence: list",
				"X-Mailman-Version: 3.3.9",
				"Sender: relay-dev-bounces@lists.example.org",
			)),
		body: body,
	}
}

// --- 5 --------------------------------------------------------------------

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
			mimePart(qp(text), "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"),
			mimePart(qp(html), "Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"),
		))
}

// --- 8 --------------------------------------------------------------------

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

// --- 10 -------------------------------------------------------------------

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

// --- 14 -------------------------------------------------------------------

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
			mimePart(qp(text), `Content-Type: text/plain; charset="utf-8"`, "Content-Transfer-Encoding: quoted-printable"),
			mimePart(qp(html), `Content-Type: text/html; charset="utf-8"`, "Content-Transfer-Encoding: quoted-printable"),
		))
}

// --- 17 -------------------------------------------------------------------

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

// --- 19 -------------------------------------------------------------------

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

// --- 21 -------------------------------------------------------------------

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

// --- 25 -------------------------------------------------------------------

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

// --- 28 -------------------------------------------------------------------

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
			mimePart(lines("Ken,", "", "Here is the Q4 budget draft we discussed. The travel line is still an", "estimate; I will update it after Thursday's meeting.", "", "Hanako"),
				"Content-Type: text/plain; charset=UTF-8; format=flowed", "Content-Transfer-Encoding: 7bit"),
			attachment("application/pdf", "Q4-budget-draft.pdf", pdfDoc("Q4 budget draft - Example Co.")),
		))
}

// --- 32 -------------------------------------------------------------------

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

// --- 38 -------------------------------------------------------------------

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
			mimePart(lines("You have been invited to the following event.", "", "Relay sync", "When: Tue Dec 1, 2026 10:00 - 10:30 (CET)", "Where: https://meet.example.net/relay-sync", "Organizer: Anna Berg"),
				"Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 7bit"),
			mimePart(b64([]byte(ics)),
				"Content-Type: text/calendar; charset=UTF-8; method=REQUEST",
				"Content-Transfer-Encoding: base64"),
		))
}
