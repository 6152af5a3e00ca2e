package content

import (
	"slices"
	"testing"
)

// TestScanScamKinds: scam terms land in their own lists, a term shared
// with the lure list lands in both, in every corpus language.
func TestScanScamKinds(t *testing.T) {
	for _, tc := range []struct {
		list  string
		terms func(Terms) []string
		found map[string]string // text → a term of the list found in it
	}{
		{"advance fee", func(t Terms) []string { return t.AdvanceFee }, map[string]string{
			"the inheritance for the beneficiary": "beneficiary",
			"uma herança do meu falecido marido":  "falecido",
			"HERENCIA de un cliente FALLECIDO":    "fallecido",
			"der Nachlass eines Kunden":           "nachlass",
			"un héritage sans bénéficiaire":       "bénéficiaire",
			"een erfenis van een overleden klant": "overleden",
			"故人の遺産を相続":                            "遺産",
		}},
		{"lures", func(t Terms) []string { return t.Lures }, map[string]string{
			"the inheritance for the beneficiary": "beneficiary",
		}},
		{"romance", func(t Terms) []string { return t.Romance }, map[string]string{
			"I'm single sincere girl, what state are you from": "what state are you",
		}},
		{"call-back", func(t Terms) []string { return t.Callback }, map[string]string{
			"If you did not authorize this charge call us": "did not authorize",
			"Caso não reconheça, ligue para a central":     "ligue para",
		}},
		{"gift card", func(t Terms) []string { return t.GiftCard }, map[string]string{
			"buy Google Play gift cards and scratch the back": "scratch the back",
			"ギフトカードを購入してください":                                 "ギフトカード",
		}},
	} {
		for text, want := range tc.found {
			if got := tc.terms(scanContent(text)); !slices.Contains(got, want) {
				t.Errorf("Scan(%q): %s %v lacks %q", text, tc.list, got, want)
			}
		}
	}
	if got := scanContent("the deceased's estate"); len(got.Romance)+len(got.Callback)+len(got.GiftCard) != 0 {
		t.Errorf("advance-fee text hit other scam lists: %+v", got)
	}
}
