package build

import "time"

// Japanese phishing: the seed case (KAGOYA) and brand lures in
// ISO-2022-JP, Shift_JIS and UTF-8.
var phishJPSpecs = []spec{{
	n: 2, seed: "kagoya-2", date: at(time.October, 5, 1, 38, 52, time.UTC), lag: 6 * time.Second, settle: 3 * time.Second,
	Entry: Entry{"【重要なお知らせ】Active! mail – カゴヤ・ジャパン株式会社 メールシステム更新に伴うアカウント確認のお願い", "phish",
		"seed case: brand KAGOYA claimed from kagoya.jp (real: kagoya.com, TLD swap); Return-Path = From; Message-ID @localhost.localdomain; origin HELO localhost.localdomain from 121.50.46.57 (TSUKAERUNET, JP); link host 34-227-30-224.cprapid.com encodes an IP, plain http login, anchor text shows secure.kagoya.jp; long URL with recipient address; role recipient admin@; 24-hour suspension pressure (ja); spf=softfail dmarc=fail; ISO-2022-JP text + base64 UTF-8 HTML"},
	from:     "support.center.Activemail@kagoya.jp",
	hop:      hop{rcpt: "admin@example.com", helo: "localhost.localdomain", ip: "121.50.46.57"},
	link:     "http://34-227-30-224.cprapid.com/wp-includes/css/activemail/kagoya/login.php?cmd=login_submit&id={hex:/token:64}&session={hex:/token:64}&email={rcpt}",
	boundary: "----=_Part_20261005013852_4417",
	auth:     []string{"{spf:softfail}", dkimNone, dmarc("fail", "none", "kagoya.jp")},
	header: []string{
		"Message-ID: <{hex:/mid:32}@localhost.localdomain>",
		"Date: {date}",
		"From: {u8:Active! mail – カゴヤ・ジャパン株式会社} <{from}>",
		"To: {rcpt}",
		"Subject: {subject:u8}",
		mime10,
		`Content-Type: multipart/alternative; boundary="{boundary}"`,
		"X-Mailer: PHPMailer 6.1.6 (https://github.com/PHPMailer/PHPMailer)",
	},
	body: []part{{
		header: []string{`Content-Type: text/plain; charset="ISO-2022-JP"`, "Content-Transfer-Encoding: 7bit"},
		text: lines(
			"{rcpt} 様",
			"",
			"平素はカゴヤ・ジャパンのサービスをご利用いただき、誠にありがとうございます。",
			"",
			"お客様のメールアカウントにおいて、認証エラーが複数回検出されました。",
			"メールシステムのセキュリティ更新に伴い、アカウントの確認が必要となります。",
			"",
			"対象アカウント: {rcpt}",
			"",
			"24時間以内にご確認いただけない場合、アカウントは停止されます。",
			"下記のリンクより Active! mail にログインし、確認を完了してください。",
			"",
			"{link}",
			"",
			"カゴヤ・ジャパン株式会社",
			"Active! mail サポートセンター",
		),
	}, {
		header: []string{`Content-Type: text/html; charset="UTF-8"`, "Content-Transfer-Encoding: base64"},
		text: `<html><body>
<p>{rcpt} 様</p>
<p>お客様のメールアカウントにおいて、認証エラーが複数回検出されました。<br>
メールシステムのセキュリティ更新に伴い、アカウントの確認が必要となります。</p>
<p>対象アカウント: <b>{rcpt}</b></p>
<p><font color="#cc0000">24時間以内にご確認いただけない場合、アカウントは停止されます。</font></p>
<p><a href="{link&}">https://secure.kagoya.jp/activemail/login</a></p>
<p>カゴヤ・ジャパン株式会社<br>Active! mail サポートセンター</p>
</body></html>
`,
	}},
}, {
	n: 4, seed: "amzn-4", date: at(time.October, 7, 22, 51, 3, jst), lag: 4 * time.Second,
	Entry: Entry{"Amazon.co.jp: お支払い方法の情報を更新してください", "phish",
		"Amazon brand from lookalike amazon-co-jp.com (hyphenated TLD of amazon.co.jp); link to the lookalike; SPF/DKIM/DMARC all pass for the lookalike (auth pass is not legitimacy); payment-update pressure with 48-hour deadline (ja); remote logo image"},
	from: "account-update@amazon-co-jp.com",
	hop:  hop{rp: "bounce@amazon-co-jp.com", rcpt: "hanako.sato@example.com", helo: "mail.amazon-co-jp.com", rdns: "45.77.140.13.vultrusercontent.com", ip: "45.77.140.13", tls: true},
	auth: []string{"{spf:pass}", "dkim=pass (1024-bit key) header.d=amazon-co-jp.com header.s=default header.b={b}", dmarc("pass", "none", "amazon-co-jp.com")},
	sigs: []sig{{"amazon-co-jp.com", "default", "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type", ""}},
	header: []string{
		"{dkim}",
		"Date: {date}",
		"From: {u8:Amazon.co.jp} <{from}>",
		"To: {rcpt}",
		"Subject: {subject:u8}",
		"Message-ID: <{hex:/mid:24}@amazon-co-jp.com>",
		mime10,
		"Content-Type: text/html; charset=UTF-8",
		"Content-Transfer-Encoding: base64",
	},
	body: []part{{text: `<html><head><meta charset="utf-8"></head><body style="font-family:sans-serif">
<table width="600"><tr><td><img src="https://www.amazon-co-jp.com/images/logo.png" alt="amazon.co.jp"></td></tr>
<tr><td>
<p>Amazon.co.jp をご利用いただきありがとうございます。</p>
<p>お客様のアカウントに登録されているお支払い方法の有効期限が切れているため、
ご注文を処理できませんでした。アカウントは一時的に保留されています。</p>
<p>以下のボタンからお支払い情報を更新してください。<b>48時間以内</b>に更新が確認できない場合、
アカウントおよび未発送のご注文はキャンセルされます。</p>
<p><a href="https://www.amazon-co-jp.com/ap/signin?openid.return_to=%2Fgp%2Fyour-account%2Fpayment&ref={hex::16}" style="background:#f0c14b;padding:8px 16px">お支払い情報を更新する</a></p>
<p>Amazon.co.jp カスタマーサービス</p>
</td></tr></table></body></html>
`}},
}, {
	n: 13, seed: "smbc-13", date: at(time.October, 20, 6, 17, 2, jst), lag: 4 * time.Second,
	Entry: Entry{"【三井住友カード】ご利用確認のお願い（24時間以内にご対応ください）", "phish",
		"ISO-2022-JP encoded-word subject/display name and 7bit ISO-2022-JP body; 三井住友カード brand from lookalike smbc-card-jp.com; link host vpass.smbc-card.com.secure-jp.cn (brand domain as a subdomain of another registrable domain); 24時間以内 deadline and card-suspension pressure; asks for password, card number, security code (ja credential lexicon); no SPF/DKIM/DMARC"},
	from: "vpass-info@smbc-card-jp.com",
	hop:  hop{rp: "vpass@smbc-card-jp.com", rcpt: "hanako.sato@example.com", helo: "mail.smbc-card-jp.com", ip: "47.74.168.20"},
	auth: []string{"{spf:none}", dkimNone, dmarc("none", "none", "smbc-card-jp.com")},
	header: basic("{jis:三井住友カード} <{from}>", "{rcpt}", "{subject:jis}", "{date}", "<{hex:/mid:26}@smbc-card-jp.com>",
		"Content-Type: text/plain; charset=ISO-2022-JP",
		"Content-Transfer-Encoding: 7bit",
		"X-Mailer: Foxmail 7.2.25.228[cn]"),
	body: []part{{text: lines(
		"三井住友カードをご利用いただき、ありがとうございます。",
		"",
		"お客様のカードにて、第三者による不正利用の可能性がある取引を検知しました。",
		"お客様の安全のため、現在カードのご利用を一時的に制限しております。",
		"",
		"24時間以内に下記URLよりご本人様確認を行ってください。",
		"期限までにご確認いただけない場合、カードのご利用を停止させていただきます。",
		"",
		"■ ご本人様確認はこちら",
		"https://vpass.smbc-card.com.secure-jp.cn/login/?id={hex::20}",
		"",
		"確認には Vpass ID、パスワード、カード番号、有効期限、セキュリティコードが必要です。",
		"",
		"三井住友カード株式会社",
	)}},
}, {
	// U+2064 (INVISIBLE PLUS) inside the brand name, as real campaigns do to dodge filters.
	n: 15, seed: "ekinet-15", date: at(time.October, 22, 19, 44, 50, jst), lag: 5 * time.Second,
	Entry: Entry{"【えき<U+2064>ねっと】自動退会処理のお知らせ", "phish",
		"えきねっと / JR東日本 brand from jreast-ekinet.xyz; invisible U+2064 inside the brand name in subject and body (filter evasion, invisible-character finding); anchor text www.eki-net.com vs href on jreast-ekinet.xyz; recipient address in URL; 24時間以内 deadline and point-forfeit pressure; SPF pass only (attacker domain), no DKIM/DMARC; UTF-8 QP"},
	from:     "ekinet-info@mail.jreast-ekinet.xyz",
	hop:      hop{rcpt: "hanako.sato@example.com", helo: "mail.jreast-ekinet.xyz", rdns: "mail.jreast-ekinet.xyz", ip: "43.153.201.15", tls: true},
	link:     "https://eki-net.jreast-ekinet.xyz/Personal/member/login/?mail={rcpt}",
	boundary: "=-{hex:/b:18}",
	auth:     []string{"{spf:pass}", dkimNone, dmarc("none", "none", "mail.jreast-ekinet.xyz")},
	header: basic("{u8:えき\u2064ねっと} <{from}>", "{rcpt}", "{u8:【えき\u2064ねっと】自動退会処理のお知らせ}", "{date}", "<{hex:/mid:32}@mail.jreast-ekinet.xyz>",
		`Content-Type: multipart/alternative; boundary="{boundary}"`),
	body: []part{{
		header: []string{"Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"},
		text: lines(
			"えき\u2064ねっとをご利用いただきありがとうございます。",
			"",
			"お客様のアカウントは、長期間ログインが確認されていないため、",
			"自動退会の対象となりました。",
			"",
			"24時間以内にログインいただけない場合、アカウントは自動的に退会となり、",
			"保有しているJRE POINTはすべて失効いたします。",
			"",
			"引き続きご利用される場合は、下記URLよりログインしてください。",
			"{link}",
			"",
			"※本メールは送信専用アドレスから配信しています。",
			"JR東日本 えき\u2064ねっと",
		),
	}, {
		header: []string{"Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"},
		text: `<html><body>
<p>えき` + "\u2064" + `ねっとをご利用いただきありがとうございます。</p>
<p>お客様のアカウントは、長期間ログインが確認されていないため、自動退会の対象となりました。</p>
<p><b style="color:red">24時間以内</b>にログインいただけない場合、アカウントは自動的に退会となり、保有しているJRE POINTはすべて失効いたします。</p>
<p><a href="{link}">https://www.eki-net.com/Personal/member/login/</a></p>
<p>JR東日本 えき` + "\u2064" + `ねっと</p>
</body></html>
`,
	}},
}, {
	n: 16, seed: "yamato-16", date: at(time.October, 23, 13, 9, 31, jst), lag: 7 * time.Second,
	Entry: Entry{"お荷物お届けのお知らせ（ご不在のため持ち帰りました）", "phish",
		"ヤマト運輸 brand from kuronekoyamato-delivery.top (real: kuronekoyamato.co.jp); Shift_JIS encoded-word headers and base64 Shift_JIS body; link on a dynamic-DNS host (duckdns.org); redelivery fee request; no SPF/DKIM/DMARC; origin without reverse DNS"},
	from: "info@kuronekoyamato-delivery.top",
	hop:  hop{rcpt: "ken.ito@example.com", helo: "kuronekoyamato-delivery.top", ip: "47.91.52.77"},
	auth: []string{"{spf:none}", dkimNone, dmarc("none", "none", "kuronekoyamato-delivery.top")},
	header: basic("{sjis:ヤマト運輸} <{from}>", "{rcpt}", "{subject:sjis}", "{date}", "<{hex:/mid:18}@kuronekoyamato-delivery.top>",
		"Content-Type: text/plain; charset=Shift_JIS",
		"Content-Transfer-Encoding: base64"),
	body: []part{{text: lines(
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
	)}},
}}
