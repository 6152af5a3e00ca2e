package content

import (
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

func TestFindAmount(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  string
		large bool
	}{
		{"a charge of $299.00 has been applied", "$299.00", false},
		{"Compra de R$1.299,99 em LOJAS", "R$1.299,99", false},
		{"doar US$ 2.500.000 (dois milhões", "US$ 2.500.000", true},
		{"a payment of €520,000 from", "€520,000", true},
		{"funds totaling $53.7 million USD", "$53.7", true},
		{"Total: 1.250,00 EUR", "1.250,00 EUR", false},
		{"賞金3000万円", "3000万円", true},
		{"una herencia de 8,5 millones de dólares sin", "8,5 millones de dólar", true},
		{"einen Nachlass von 6,2 Millionen Euro.", "6,2 Millionen Euro", true},
		{"balance of +11,765$ will be", "11,765$", false},
	} {
		got, ok := FindAmount(tc.in)
		if !ok || got.Text != tc.want || got.Large != tc.large {
			t.Errorf("FindAmount(%q) = %+v, %v; want %q large %v", tc.in, got, ok, tc.want, tc.large)
		}
	}
	for _, in := range []string{"meeting at 10:30 in room 4", "version 2.4.1 is out", "order 821111 placed", "usda 300 acres"} {
		if got, ok := FindAmount(in); ok {
			t.Errorf("FindAmount(%q) = %+v, want none", in, got)
		}
	}
}

func TestFindPhone(t *testing.T) {
	const none = "(none)"
	testutil.Cases(t, "FindPhone", testutil.Found(FindPhone, none), map[string]string{
		"Reach us at +1 802-203-6615.":                 "+1 802-203-6615",
		"Support Line: +1 (828) 280 7472 Best regards": "+1 (828) 280 7472",
		"ligue para: 0800-400-9030 Protocolo":          "0800-400-9030",
		"Phone: +22872399768 ":                         "+22872399768",
		"call 06 12 34 56 78 today":                    "06 12 34 56 78",
		"Protocolo:61194482249":                        none,
		"Date: 2025-06-12 10:00":                       none,
		"IP 192.168.100.200 seen":                      none,
		"order #NP00X10383838":                         none,
		"total 1,538,656 BTC":                          none,
		"ID : 39829496":                                none,
		"2023-08-26 21:21:05":                          none,
	})
}

// TestFindPhoneLinear: separators without digits are skipped in one pass
// (a quadratic scan would not finish 2 MB within the test timeout).
func TestFindPhoneLinear(t *testing.T) {
	s := strings.Repeat("( ", 1<<20)
	if _, ok := FindPhone(s); ok {
		t.Fatal("phone found in separators")
	}
	if _, ok := FindAmount(strings.Repeat("1,", 1<<20)); ok {
		t.Fatal("amount found without a currency")
	}
}

func FuzzFindAmountPhone(f *testing.F) {
	for _, s := range []string{"a charge of $299.00", "R$1.299,99", "+1 (828) 280 7472", "0800-400-9030", "3000万円", "( ( 1 2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if a, ok := FindAmount(s); ok && !strings.Contains(s, a.Text) {
			t.Errorf("amount %q not in input", a.Text)
		}
		if p, ok := FindPhone(s); ok && !strings.Contains(s, p) {
			t.Errorf("phone %q not in input", p)
		}
	})
}
