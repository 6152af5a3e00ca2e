package content

import (
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/fold"
	"github.com/triage-tools/triage/internal/analysis/fold/foldtest"
	"github.com/triage-tools/triage/internal/testutil"
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
		got := scanContent(tt.text)
		p, c := got.Pressure, got.Credential
		if !slices.Equal(p, tt.pressure) || !slices.Equal(c, tt.credential) {
			t.Errorf("scanContent(%q) = %q, %q; want %q, %q", tt.text, p, c, tt.pressure, tt.credential)
		}
	}
	got := scanContent(strings.Repeat("urgent 至急 停止 login password 本人確認 suspended locked disabled restricted immediately final notice expire 凍結 ロック 期限 失効 不正 異常 第三者 ", 200))
	if len(got.Pressure) > maxLexiconTerms || len(got.Credential) > maxLexiconTerms {
		t.Errorf("unbounded: %d %d", len(got.Pressure), len(got.Credential))
	}
}

func TestIsRoleAccount(t *testing.T) {
	testutil.Cases(t, "IsRoleAccount", IsRoleAccount, map[string]bool{
		"admin@example.jp": true, "Admin@Example.JP": true, "info+news@x.com": true,
		"<postmaster@x.com>": true, "noreply@x": true, "it@x.com": true, "support": true,
		"taro.yamada@x.com": false, "administrators2@x.com": false, "": false, "@x.com": false,
	})
}

func BenchmarkScanLexicons(b *testing.B) {
	text := foldtest.MixedText(64 << 10)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		scanContent(text)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
}

// scanContent folds text as the analyzer does and scans it.
func scanContent(text string) Terms {
	buf, release := fold.ForMatch(text, fold.MatchMode)
	defer release()
	return Scan(buf)
}

func TestScanLures(t *testing.T) {
	got := scanContent("CONGRATULATIONS! You have won a prize. Parabéns, você ganhou! prizewinner 当選").Lures
	want := []string{"congratulations", "you have won", "prize", "parabéns", "ganhou", "当選"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("scanContent().Lures = %q, want %q", got, want)
	}
	if got := scanContent("the surprize party").Lures; len(got) != 0 {
		t.Errorf("lures matched inside a word: %q", got)
	}
}
