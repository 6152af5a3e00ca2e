package build

import (
	"strings"
	"time"
)

// messages returns every demo message in mailbox order (roughly by date,
// 2026-10-02 to 2026-11-25).
func messages() []message {
	return []message{
		githubNotification(),
		kagoyaActiveMail(),
		mailingList(),
		amazonLookalike(),
		amazonOrder(),
		paypalDisplayName(),
		safeLinks(),
		sjisMaintenance(),
		htmlAttachment(),
		passwordReset(),
		rloAttachment(),
		terminalEscapes(),
		smbcCard(),
		newsletter(),
		ekinet(),
		yamatoPhish(),
		yamatoNotice(),
		dhlFee(),
		itPasswordExpiry(),
		m365WebApp(),
		bankStatement(),
		voicemailR2(),
		ipfsQuota(),
		bitlyNetflix(),
		marketingUrgency(),
		ipLiteral(),
		paypalUserinfo(),
		colleaguePDF(),
		punycode(),
		becGiftCards(),
		zipJS(),
		customerReply(),
		isoAttachment(),
		vendorBankChange(),
		oneNoteAttachment(),
		simulation(),
		doubleExtension(),
		calendarInvite(),
	}
}

// cat concatenates header lists.
func cat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// hs is shorthand for a literal header list.
func hs(h ...string) []string { return h }

// lines joins text lines with LF.
func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

const mime10 = "MIME-Version: 1.0"

// --- 1 ---------------------------------------------------------------------

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

// --- 2: the seed case ------------------------------------------------------

func kagoyaActiveMail() message {
	t := at(time.October, 5, 1, 38, 52, time.UTC)
	rcpt := "admin@example.com"
	from := "support.center.Activemail@kagoya.jp"
	seed := "kagoya-2"
	token := hexid(seed+"/token", 64)
	link := "http://34-227-30-224.cprapid.com/wp-includes/css/activemail/kagoya/login.php?cmd=login_submit&id=" + token + "&session=" + token + "&email=" + rcpt
	h := hop{rp: from, rcpt: rcpt, helo: "localhost.localdomain", ip: "121.50.46.57", t: at(time.October, 5, 10, 38, 58, jst)}
	subject := "【重要なお知らせ】Active! mail – カゴヤ・ジャパン株式会社 メールシステム更新に伴うアカウント確認のお願い"
	text := lines(
		rcpt+" 様",
		"",
		"平素はカゴヤ・ジャパンのサービスをご利用いただき、誠にありがとうございます。",
		"",
		"お客様のメールアカウントにおいて、認証エラーが複数回検出されました。",
		"メールシステムのセキュリティ更新に伴い、アカウントの確認が必要となります。",
		"",
		"対象アカウント: "+rcpt,
		"",
		"24時間以内にご確認いただけない場合、アカウントは停止されます。",
		"下記のリンクより Active! mail にログインし、確認を完了してください。",
		"",
		link,
		"",
		"カゴヤ・ジャパン株式会社",
		"Active! mail サポートセンター",
	)
	html := `<html><body>
<p>` + rcpt + ` 様</p>
<p>お客様のメールアカウントにおいて、認証エラーが複数回検出されました。<br>
メールシステムのセキュリティ更新に伴い、アカウントの確認が必要となります。</p>
<p>対象アカウント: <b>` + rcpt + `</b></p>
<p><font color="#cc0000">24時間以内にご確認いただけない場合、アカウントは停止されます。</font></p>
<p><a href="` + strings.ReplaceAll(link, "&", "&amp;") + `">https://secure.kagoya.jp/activemail/login</a></p>
<p>カゴヤ・ジャパン株式会社<br>Active! mail サポートセンター</p>
</body></html>
`
	b := "----=_Part_20261005013852_4417"
	return message{
		Entry: Entry{
			Subject:  subject,
			Category: "phish",
			Signals:  "seed case: brand KAGOYA claimed from kagoya.jp (real: kagoya.com, TLD swap); Return-Path = From; Message-ID @localhost.localdomain; origin HELO localhost.localdomain from 121.50.46.57 (TSUKAERUNET, JP); link host 34-227-30-224.cprapid.com encodes an IP, plain http login, anchor text shows secure.kagoya.jp; long URL with recipient address; role recipient admin@; 24-hour suspension pressure (ja); spf=softfail dmarc=fail; ISO-2022-JP text + base64 UTF-8 HTML",
		},
		envFrom: from, delivered: h.t.Add(3 * time.Second),
		header: cat(h.inbound(seed,
			h.spf("softfail"),
			dkimNone,
			dmarc("fail", "none", "kagoya.jp")),
			hs(
				"Message-ID: <"+hexid(seed+"/mid", 32)+"@localhost.localdomain>",
				"Date: "+date(t),
				"From: "+u8("Active! mail – カゴヤ・ジャパン株式会社")+" <"+from+">",
				"To: "+rcpt,
				"Subject: "+u8(subject),
				mime10,
				`Content-Type: multipart/alternative; boundary="`+b+`"`,
				"X-Mailer: PHPMailer 6.1.6 (https://github.com/PHPMailer/PHPMailer)",
			)),
		body: multipart(b,
			part(jis(text), `Content-Type: text/plain; charset="ISO-2022-JP"`, "Content-Transfer-Encoding: 7bit"),
			part(b64([]byte(html)), `Content-Type: text/html; charset="UTF-8"`, "Content-Transfer-Encoding: base64"),
		),
	}
}

// --- 3 ---------------------------------------------------------------------

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
