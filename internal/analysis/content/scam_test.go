package content

import (
	"slices"
	"testing"
)

// TestScanScamKinds: scam terms land in their own lists, a term shared
// with the lure list lands in both, in every corpus language.
func TestScanScamKinds(t *testing.T) {
	for _, tc := range []struct {
		text string
		kind func(Terms) []string
		want string
	}{
		{"the inheritance for the beneficiary", func(t Terms) []string { return t.AdvanceFee }, "beneficiary"},
		{"the inheritance for the beneficiary", func(t Terms) []string { return t.Lures }, "beneficiary"},
		{"uma herança do meu falecido marido", func(t Terms) []string { return t.AdvanceFee }, "falecido"},
		{"HERENCIA de un cliente FALLECIDO", func(t Terms) []string { return t.AdvanceFee }, "fallecido"},
		{"der Nachlass eines Kunden", func(t Terms) []string { return t.AdvanceFee }, "nachlass"},
		{"un héritage sans bénéficiaire", func(t Terms) []string { return t.AdvanceFee }, "bénéficiaire"},
		{"een erfenis van een overleden klant", func(t Terms) []string { return t.AdvanceFee }, "overleden"},
		{"故人の遺産を相続", func(t Terms) []string { return t.AdvanceFee }, "遺産"},
		{"I'm single sincere girl, what state are you from", func(t Terms) []string { return t.Romance }, "what state are you"},
		{"If you did not authorize this charge call us", func(t Terms) []string { return t.Callback }, "did not authorize"},
		{"Caso não reconheça, ligue para a central", func(t Terms) []string { return t.Callback }, "ligue para"},
		{"buy Google Play gift cards and scratch the back", func(t Terms) []string { return t.GiftCard }, "scratch the back"},
		{"ギフトカードを購入してください", func(t Terms) []string { return t.GiftCard }, "ギフトカード"},
	} {
		got := tc.kind(scanContent(tc.text))
		if !slices.Contains(got, tc.want) {
			t.Errorf("Scan(%q): %v lacks %q", tc.text, got, tc.want)
		}
	}
	if got := scanContent("the deceased's estate"); len(got.Romance)+len(got.Callback)+len(got.GiftCard) != 0 {
		t.Errorf("advance-fee text hit other scam lists: %+v", got)
	}
}
