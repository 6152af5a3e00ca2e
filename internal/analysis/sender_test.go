package analysis

import (
	"testing"

	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/content"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/fold"
	"github.com/triage-tools/triage/internal/testutil"
)

func TestDisplayNameAddress(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"service@paypal.com", "service@paypal.com", true},
		{"\"service@PayPal.com\"", "service@paypal.com", true},
		{"PayPal.com Support", "paypal.com", true},
		{"Amazon.co.jp via Osst-users", "amazon.co.jp", true},
		{"Amazons.co.jp", "amazons.co.jp", true},
		{"etc-meisai.jp", "etc-meisai.jp", true},
		{"ＡＭＡＺＯＮ．ＣＯ．ＪＰ", "amazon.co.jp", true},
		{"Mr. Smith", "", false},
		{"Version 1.2", "", false},
		{"John Doe", "", false},
		{"image.jpeg", "", false},
		{"カゴヤ・ジャパン株式会社", "", false},
		{"", "", false},
	} {
		got, ok := DisplayNameAddress(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("DisplayNameAddress(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzBrandFind(f *testing.F) {
	for _, s := range []string{"Active! mail – カゴヤ・ジャパン株式会社", "ＡＭＡＺＯＮ", "ア\u2061マゾン", "au", "楽天カード楽天", "E T C", "Аррlе"} {
		f.Add(s)
	}
	r := brands.Default()
	domain.SetMemo(false)
	f.Cleanup(func() { domain.SetMemo(true) })
	f.Fuzz(func(t *testing.T, s string) {
		ms := r.Find(s)
		if len(ms) > 32 { // Find returns at most 32 brands
			t.Fatalf("%d matches", len(ms))
		}
		seen := map[*brands.Brand]bool{}
		for _, m := range ms {
			if m.Brand == nil || seen[m.Brand] {
				t.Fatalf("bad or duplicate match %+v", m)
			}
			seen[m.Brand] = true
		}
		brands.Lookalike(s, r)
		DisplayNameAddress(s)
		scanContent(s)
	})
}

// scanContent folds text as the analyzer does and scans it.
func scanContent(text string) content.Terms {
	buf, release := fold.ForMatch(text, fold.MatchMode)
	defer release()
	return content.Scan(buf)
}

func TestJoinSpelledOut(t *testing.T) {
	testutil.Cases(t, "joinSpelledOut", joinSpelledOut, map[string]string{
		"D/H/L-verzending.Rg": "DHL-verzending.Rg",
		"F.e.d.E.x":           "FedEx",
		"P a y P a l Service": "PayPal Service",
		"J. R. Smith":         "J. R. Smith", // two letters, and ". " is two separators
		"A-B test":            "A-B test",
		"Ann Lee":             "Ann Lee",
		"x/y/z":               "xyz",
		"":                    "",
		"日/本/語":               "日/本/語",
	})
}

// TestSpelledOutBrandClaim: a brand spelled out letter by letter in the
// display name is still a claim of that brand.
func TestSpelledOutBrandClaim(t *testing.T) {
	rep := Analyze(plainMail(`"D/H/L-verzending" <newsletters@duringfell.example>`, "Pat <pat@example.org>",
		"Uw pakket", "Voer uw contactgegevens in om uw pakket te ontvangen."), nil)
	if !fired(rep)["sender.brand_domain_mismatch"] {
		t.Errorf("no brand claim for a spelled-out DHL: %+v", rep.Findings)
	}
}
