// Package foldtest holds sample text for the benchmarks of the folding
// matcher and the packages that scan with it (brands, content).
package foldtest

import "strings"

// MixedText returns about n bytes of mixed Japanese/English mail text with
// a few brand names, full-width forms and hidden characters.
func MixedText(n int) string {
	parts := []string{
		"いつもご利用いただきありがとうございます。お客様のアカウント情報を確認する必要があります。\n",
		"Thank you for your order. Your package is on its way and will arrive within three business days.\n",
		"【重要】ご利用確認のお願い。２４時間以内にご対応ください。ｶｰﾄﾞ情報の更新はこちら\n",
		"The meeting has been moved to Thursday; please review the attached agenda before the deadline online.\n",
		"三井住友カードをご利用のお客様へ。Ama\u200bzon プライムの自動更新について。\n",
		"Best regards,\nTaro Yamada\nSales Department\nhttps://www.example.co.jp/contact\n",
	}
	var sb strings.Builder
	for i := 0; sb.Len() < n; i++ {
		sb.WriteString(parts[i%len(parts)])
	}
	return sb.String()
}
