package fold

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

type matchRec struct{ id, start, end int }

func collect(scan func(func(id, start, end int) bool), limit int) []matchRec {
	var out []matchRec
	scan(func(id, start, end int) bool {
		out = append(out, matchRec{id, start, end})
		return limit <= 0 || len(out) < limit
	})
	return out
}

// checkScan compares scan (two streams for long texts) with a plain
// sequential walk, in full and when the callback stops early, and with a
// naive search for the set of matches.
func checkScan(t testing.TB, m *Matcher, pats []string, text string) {
	t.Helper()
	want := collect(func(fn func(id, start, end int) bool) { m.scanFrom(text, 0, 0, fn) }, 0)
	got := collect(func(fn func(id, start, end int) bool) { m.Scan(text, fn) }, 0)
	if !slices.Equal(got, want) {
		t.Fatalf("text of %d bytes: scan found %d matches, sequential %d\n got %v\nwant %v", len(text), len(got), len(want), head(got), head(want))
	}
	for _, limit := range []int{1, 2, 7, 63, 64, 65, 511, 512, 513, 2100} {
		if limit > len(want) {
			break
		}
		got := collect(func(fn func(id, start, end int) bool) { m.Scan(text, fn) }, limit)
		if !slices.Equal(got, want[:limit]) {
			t.Fatalf("stopping after %d: got %v, want %v", limit, head(got), head(want[:limit]))
		}
	}
	if pats == nil {
		return
	}
	// Naive: every occurrence, ASCII case-insensitive.
	lt := asciiLower(text) // the Matcher folds ASCII letters only
	found := make(map[matchRec]bool, len(want))
	for _, w := range want {
		found[w] = true
	}
	n := 0
	for id, p := range pats {
		if p == "" {
			continue
		}
		lp := asciiLower(p)
		for k := 0; k+len(lp) <= len(lt); k++ {
			if lt[k:k+len(lp)] == lp {
				n++
				if !found[matchRec{id, k, k + len(lp)}] {
					t.Fatalf("missed %q at %d", p, k)
				}
			}
		}
	}
	if n != len(want) {
		t.Fatalf("naive search finds %d matches, the Matcher %d", n, len(want))
	}
}

func head(m []matchRec) []matchRec {
	if len(m) > 12 {
		return m[:12]
	}
	return m
}

func newTestMatcher(pats []string) *Matcher {
	b := make([][]byte, len(pats))
	for i, p := range pats {
		b[i] = []byte(p)
	}
	return NewMatcher(b)
}

func TestMatcherScanHalves(t *testing.T) {
	pats := []string{"ab", "abab", "b", "bab", "aaaa", "abcabcabcabcabcabcabcabc", "", "c", "Zq"}
	m := newTestMatcher(pats)
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, scanSplitMin - 1, scanSplitMin, scanSplitMin + 1, 3000, 4099, 10000, 40000} {
		for round := 0; round < 30; round++ {
			alpha := "abcz "
			if round%3 == 0 {
				alpha = "ab" // dense matches: the second half's buffer overflows
			}
			var sb strings.Builder
			for sb.Len() < n {
				sb.WriteByte(alpha[r.IntN(len(alpha))])
			}
			checkScan(t, m, pats, sb.String())
		}
	}
	// A match across the middle, and one pattern longer than half the text.
	text := strings.Repeat("x", scanSplitMin/2-3) + "abcabcabcabcabcabcabcabc" + strings.Repeat("y", scanSplitMin/2)
	checkScan(t, m, pats, text)
	// The longest pattern across every chunk boundary, at every offset.
	long24 := "abcabcabcabcabcabcabcabc"
	for _, n := range []int{4 * 1024, 4*1024 + 3, 9000} {
		for k := 1; k < scanStreams; k++ {
			b := k * (n / scanStreams)
			for d := -len(long24); d <= 1; d++ {
				buf := []byte(strings.Repeat("z", n))
				copy(buf[b+d:], long24)
				checkScan(t, m, pats, string(buf))
			}
		}
	}
	long := newTestMatcher([]string{strings.Repeat("q", 900), "q"})
	checkScan(t, long, nil, strings.Repeat("q", 2000))
}

func FuzzMatcherScan(f *testing.F) {
	f.Add(strings.Repeat("ab", 700), uint8(3))
	f.Add(strings.Repeat("verify your ログイン urgent ", 60), uint8(0))
	small := []string{"ab", "abab", "b", "bab", "ログ", "イン"}
	sm := newTestMatcher(small)
	f.Fuzz(func(t *testing.T, s string, rep uint8) {
		if rep > 0 && len(s) < 64 {
			s = strings.Repeat(s, int(rep)*20)
		}
		checkScan(t, sm, small, s)
	})
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = LowerByte(c)
	}
	return string(b)
}
