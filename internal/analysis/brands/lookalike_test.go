package brands

import (
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

func TestDomainLookalike(t *testing.T) {
	r := Default()
	type look struct{ brand, kind, official string }
	cases := map[string]look{
		"kagoya.jp":                       {"KAGOYA", LookalikeTLDSwap, "kagoya.com"},
		"secure.kagoya.jp":                {"KAGOYA", LookalikeTLDSwap, "kagoya.com"},
		"amazon-co-jp.security-check.top": {"Amazon", LookalikeEmbeddedBrand, "amazon.com"},
		"amazon.co.jp.xyz":                {"Amazon", LookalikeEmbeddedBrand, "amazon.com"},
		"paypal-login.com":                {"PayPal", LookalikeEmbeddedBrand, "paypal.com"},
		"secure-smbc.xyz":                 {"三井住友銀行", LookalikeEmbeddedBrand, "smbc.co.jp"},
		"paypa1.com":                      {"PayPal", LookalikeConfusable, "paypal.com"},
		"rnicrosoft.com":                  {"Microsoft", LookalikeConfusable, "microsoft.com"},
		"аpple.com":                       {"Apple", LookalikeConfusable, "apple.com"},
		"xn--pple-43d.com":                {"Apple", LookalikeConfusable, "apple.com"},
		"arnazon.co.jp":                   {"Amazon", LookalikeConfusable, "amazon.co.jp"},
		"pay-pal.com":                     {"PayPal", LookalikeConfusable, "paypal.com"},
		"googel.com":                      {"Google", LookalikeEditDistance, "google.com"},
		"paypall.com":                     {"PayPal", LookalikeEditDistance, "paypal.com"},
		"mercarl-jp.top":                  {"メルカリ", LookalikeEmbeddedBrand, "mercari.com"},
		"rakutenn-card.co.jp":             {"楽天カード", LookalikeEditDistance, "rakuten-card.co.jp"},
	}
	// Negatives: no look-alike of any brand.
	for _, d := range []string{
		"amazon.co.jp", "www.paypal.com", "example.com", "sakura-hotel.jp", "purchase.com", "apply.com",
		"mainstream.com", "online.com", "34-227-30-224.cprapid.com", "bucket.s3.amazonaws.com", "192.0.2.1", "localhost", "",
	} {
		cases[d] = look{}
	}
	lookalike := func(domain string) look {
		b, kind, official := Lookalike(domain, r)
		if b == nil {
			return look{"", kind, official}
		}
		return look{b.Name, kind, official}
	}
	testutil.Cases(t, "Lookalike", lookalike, cases)
}

func TestDamerauLevenshtein(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		max  int
		want int
	}{
		{"amazon", "amazon", 1, 0}, {"amazon", "amzaon", 1, 1}, {"paypal", "paypa", 1, 1},
		{"google", "gogle", 1, 1}, {"microsoft", "micrsooft", 2, 1}, {"abc", "xyz", 1, 2},
		{"rakuten", "rakutenn", 1, 1},
	} {
		if got := damerauLevenshtein(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("dl(%q,%q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func BenchmarkDomainLookalike(b *testing.B) {
	r := Default()
	domains := []string{"kagoya.jp", "amazon-co-jp.security-check.top", "mail.example.org", "lists.sourceforge.net", "paypa1.com", "www.google.com"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Lookalike(domains[i%len(domains)], r)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "domains/s")
}

// The look-alike digraphs (rn, vv, cl) fold to their letter in any case;
// letters that only start a digraph stay, and "c1" is c and l, not d.
func TestSkeletonDigraphs(t *testing.T) {
	const in, want = "RN-vV_Cl.example rvc arn0r c1", "m-w_d.example rvc amor cl"
	if got := skeletonHost(in); got != want {
		t.Errorf("skeletonHost(%q) = %q, want %q", in, got, want)
	}
}
