package main

import (
	"math/rand/v2"
	"strings"
)

// Recipients: a local part, sometimes with a number, at one of the
// domains mx.example.com receives for.
var (
	localParts = []string{
		"ken.ito", "hanako.sato", "j.miller", "a.suzuki", "t.yamada", "m.kobayashi", "y.watanabe",
		"s.nakamura", "r.kato", "e.yoshida", "laura.chen", "d.brooks", "p.novak", "m.garcia",
		"o.schmidt", "l.rossi", "n.kim", "c.dubois", "admin", "info", "support", "finance",
		"sales", "hr", "it-helpdesk", "accounts", "office", "ceo", "reception", "billing",
	}
	rcptDomains = []string{"example.com", "example.com", "example.com", "sales.example.com", "jp.example.com"}
	attachNames = []string{"Report", "Minutes", "Statement", "Scan", "Quotation", "Schedule", "Notes"}
)

// Neutral sentences for filler paragraphs: ordinary business mail, no
// pressure, credential or payment wording, no links, so that filler does
// not change what the rules see beyond the amount of text.
var sentencesEN = []string{
	"The meeting notes from last week are in the shared folder.",
	"We moved the weekly planning call to Thursday morning.",
	"Thanks again for the detailed summary of the workshop.",
	"The new office printer on the third floor is working again.",
	"Our team finished the migration of the test servers yesterday.",
	"Please bring your ideas for the spring offsite to the next meeting.",
	"The cafeteria will serve a special lunch menu on Friday.",
	"I have added a few comments to the draft, mostly about wording.",
	"The conference room booking system now shows the projector status.",
	"We are still collecting feedback on the onboarding guide.",
	"The parking lot will be resurfaced over the long weekend.",
	"Several colleagues asked for a longer session on the new tools.",
	"The library of templates has been tidied up and renamed.",
	"Last quarter's customer survey had a good response rate.",
	"The design review went well and we agreed on the next steps.",
	"I will be travelling next week but can join calls in the afternoon.",
	"The translation of the manual into Japanese is almost complete.",
	"We found a small mistake in the figures and corrected it.",
	"The team lunch is planned for the last Friday of the month.",
	"The release notes describe every change in plain language.",
	"Our booth at the trade fair attracted many visitors this year.",
	"The training videos are now available with subtitles.",
	"Facilities will replace the air filters on every floor.",
	"The newsletter will include a short interview with the new team.",
	"Thank you for organising the visit of our partners from Osaka.",
	"The schedule for the summer holidays is on the intranet page.",
	"We would like to hear how the new desk layout works for you.",
	"The archive of old project documents has been moved to storage.",
	"A short demo of the prototype is planned for the end of the sprint.",
	"Everyone is welcome to join the reading group on Wednesdays.",
	// Starts a line now and then, so the mboxrd quoting is exercised.
	"From next month on, the front desk opens at eight.",
}

var sentencesJP = []string{
	"先週の会議の議事録を共有フォルダに保存しました。",
	"定例の打ち合わせは木曜日の午前に変更になりました。",
	"研修の資料について、いくつかコメントを追加しました。",
	"三階の複合機は修理が終わり、通常どおり使えます。",
	"来月の社内イベントの企画について、ご意見をお寄せください。",
	"新しい会議室の予約方法は社内ポータルに掲載しています。",
	"先日のセミナーには多くの方にご参加いただきました。",
	"製品マニュアルの英語版の作成を進めています。",
	"夏季休暇の予定表を更新しましたのでご確認ください。",
	"取引先との打ち合わせは予定どおり実施しました。",
	"社内報の次号では新しいチームを紹介する予定です。",
	"展示会の準備は順調に進んでいます。",
	"アンケートの結果をまとめた資料を作成しました。",
	"大阪からのお客様の訪問日程が決まりました。",
	"年末の大掃除の分担表を作成しています。",
	"新しい機能の説明会を来週開催します。",
	"資料の誤字を修正し、最新版に差し替えました。",
	"昼食会は月末の金曜日に予定しています。",
	"駐車場の工事は週末の三日間で行われます。",
	"引き続きどうぞよろしくお願いいたします。",
}

// paragraph returns three to six sentences in English or Japanese.
func paragraph(rng *rand.Rand, jp bool) string {
	pool, sep := sentencesEN, " "
	if jp {
		pool, sep = sentencesJP, ""
	}
	n := 3 + rng.IntN(4)
	var b strings.Builder
	for k := range n {
		if k > 0 {
			b.WriteString(sep)
		}
		b.WriteString(pool[rng.IntN(len(pool))])
	}
	return b.String()
}
