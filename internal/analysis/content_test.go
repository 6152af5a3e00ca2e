package analysis

import (
	"slices"
	"strings"
	"testing"
)

func TestScanLexicons(t *testing.T) {
	tests := []struct {
		text       string
		pressure   []string
		credential []string
	}{
		{"Your account will be SUSPENDED unless you verify your account within 24 hours.",
			[]string{"will be suspended", "suspended", "within 24 hours", "24 hours"},
			[]string{"verify your"}},
		{"24時間以内にログインしない場合、アカウントは利用停止となります。",
			[]string{"24時間以内", "利用停止", "停止"}, []string{"ログイン"}},
		{"２４時間以内にパ\u200bスワードを", []string{"24時間以内"}, []string{"パスワード"}},
		{"Please Log In to update your payment method.", nil,
			[]string{"log in", "update your payment", "payment method"}},
		{"the blogging platform had a catalogue", nil, nil},
		// Cyrillic look-alike letters inside Latin words.
		{"Urg\u0435nt: v\u0435rify y\u043eur S\u043ec\u0456al S\u0435cur\u0456ty", []string{"urgent"},
			[]string{"verify your", "social security"}},
		{"", nil, nil},
	}
	for _, tt := range tests {
		p, c := ScanLexicons(tt.text)
		if !slices.Equal(p, tt.pressure) || !slices.Equal(c, tt.credential) {
			t.Errorf("ScanLexicons(%q) = %q, %q; want %q, %q", tt.text, p, c, tt.pressure, tt.credential)
		}
	}
	p, c := ScanLexicons(strings.Repeat("urgent 至急 停止 login password 本人確認 suspended locked disabled restricted immediately final notice expire 凍結 ロック 期限 失効 不正 異常 第三者 ", 200))
	if len(p) > maxLexiconTerms || len(c) > maxLexiconTerms {
		t.Errorf("unbounded: %d %d", len(p), len(c))
	}
}

func TestIsRoleAccount(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"admin@example.jp", true}, {"Admin@Example.JP", true}, {"info+news@x.com", true},
		{"<postmaster@x.com>", true}, {"noreply@x", true}, {"it@x.com", true}, {"support", true},
		{"taro.yamada@x.com", false}, {"administrators2@x.com", false}, {"", false}, {"@x.com", false},
	} {
		if got := IsRoleAccount(tt.in); got != tt.want {
			t.Errorf("IsRoleAccount(%q) = %v", tt.in, got)
		}
	}
}

func BenchmarkScanLexicons(b *testing.B) {
	text := mixedText(64 << 10)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		ScanLexicons(text)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
}
