package near

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"github.com/triage-tools/triage/internal/analysis/fold"
)

func TestSkeleton(t *testing.T) {
	for _, tc := range []struct {
		subject string
		names   []string
		want    string
	}{
		{"Re: [SPAM] Your order #123456 has shipped", nil, "your order # has shipped"},
		{"FW: Invoice INV-8842AX for alice@example.com", nil, "invoice # for @"},
		{"Alice, your account bob.smith@corp.example is locked", []string{"bob.smith@corp.example", "Alice"}, "your account is locked"},
		{"Dear bob.smith, verify now", []string{"bob.smith@corp.example"}, "dear verify now"},
		{"【重要】ETCマイレージ 2024年8月", nil, "重要 etcマイレージ #年 #月"},
		{"Ama\u200bzon: ＳＥＣＵＲＩＴＹ alert", nil, "amazon security alert"},
		{"", nil, ""},
	} {
		if got := Skeleton(tc.subject, tc.names); got != tc.want {
			t.Errorf("Skeleton(%q) = %q, want %q", tc.subject, got, tc.want)
		}
	}
}

func folded(s string) string { return string(fold.Append(nil, s, fold.MatchMode)) }

const lure = `Dear customer, we noticed unusual sign-in activity on your account.
To keep your account safe, please verify your identity within 24 hours by
following the link below. If you do not verify, your account will be
suspended and you will lose access to your orders and saved payment
methods. Thank you for your prompt attention to this matter.`

func TestSimHashNearDuplicates(t *testing.T) {
	a, n := SimHash(folded(lure + " Reference 4471-ABCD-9921, sent to alice@example.com."))
	if n < MinShingles || a == 0 {
		t.Fatalf("SimHash gave %x over %d shingles", a, n)
	}
	// Invisible characters inside words, another tracking number and
	// recipient, and full-width letters: the same text to a reader.
	b, _ := SimHash(folded(strings.ReplaceAll(lure, "account", "acc\u200bou\u2060nt") + " Reference 1234-ZZZZ-0000, sent to bob@example.org."))
	if d := Distance(a, b); d > 3 {
		t.Errorf("near-duplicate distance %d > 3 (%016x vs %016x)", d, a, b)
	}
	other := `The quarterly planning meeting moved to Thursday afternoon. Please bring
the updated budget spreadsheets and the notes from the vendor review so that
we can finalise the procurement schedule before the holidays begin.`
	c, _ := SimHash(folded(other))
	if d := Distance(a, c); d <= 3 {
		t.Errorf("unrelated texts at distance %d", d)
	}
}

func TestSimHashShortOrRepetitive(t *testing.T) {
	if h, _ := SimHash("click here now"); h != 0 {
		t.Errorf("short text fingerprinted: %x", h)
	}
	// A table of numbers is all placeholders: nothing to fingerprint.
	if h, n := SimHash(strings.Repeat("0x1f 22 0x3c 4711 ", 500)); h != 0 {
		t.Errorf("numbers fingerprinted: %x over %d shingles", h, n)
	}
	// Repeated text counts once: 50 copies add only the two shingles
	// that span the seam.
	_, n1 := SimHash(lure)
	_, n2 := SimHash(strings.Repeat(lure+"\n", 50))
	if n2 > n1+2 {
		t.Errorf("repetition grew the shingle set: %d vs %d", n1, n2)
	}
}

func FuzzNear(f *testing.F) {
	f.Add("Re: [x] Order #12 for a@b.c", lure)
	f.Fuzz(func(t *testing.T, subject, body string) {
		if len(Skeleton(subject, []string{subject})) > 512+4 {
			t.Fatal("skeleton unbounded")
		}
		SimHash(body)
	})
}

// isCJKTable is isCJK without the fast paths.
func isCJKTable(r rune) bool {
	return r >= 0x2e80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) || r == 'ー')
}

func TestIsCJKFastPath(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isCJK(r) != isCJKTable(r) {
			t.Fatalf("isCJK(%U) = %v, tables say %v", r, isCJK(r), !isCJK(r))
		}
	}
}

// TestBitCountsMajority checks the packed counters against a plain vote
// per bit, up to maxShingles words.
func TestBitCountsMajority(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	for range 200 {
		var c bitCounts
		var v [64]int
		n := r.IntN(maxShingles + 1)
		for range n {
			h := r.Uint64()
			if r.IntN(3) == 0 {
				h |= 0xF0F0_0000_0000_000F // some bits set in most words
			}
			c.add(h)
			for b := range 64 {
				v[b] += int(h>>b&1)*2 - 1
			}
		}
		var want uint64
		for b := range 64 {
			if v[b] > 0 {
				want |= 1 << b
			}
		}
		if got := c.majority(n); got != want {
			t.Fatalf("n=%d: majority = %016x, want %016x", n, got, want)
		}
	}
}
