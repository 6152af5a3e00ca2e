package fold

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/testutil"
)

func TestNormalize(t *testing.T) {
	testutil.Cases(t, "Normalize", Normalize, map[string]string{
		"":                              "",
		"plain ascii":                   "plain ascii",
		"AmAzOn":                        "amazon",
		"ＡＭＡＺＯＮ":                        "amazon",
		"Ama\u200bzon":                  "amazon",
		"ア\u2061マゾン":                    "アマゾン",
		"メ\ufe09ルカリ":                    "メルカリ",
		"a\u00adb\u034fc\u180ed\ufeffe": "abcde",
		"\u202eevil\u202c\u2066x\u2069": "evilx",
		"ｱﾏｿﾞﾝ":                         "アマゾン",
		"ﾊﾟｽﾜｰﾄﾞ":                       "パスワード",
		"ｳﾞ":                            "ヴ",
		"全角　スペース！":                      "全角 スペース!",
		"三井住友カード":                       "三井住友カード",
		"bad\xffutf8":                   "bad\xffutf8",
		"Аpple":                         "Аpple", // Cyrillic is kept by Normalize
	})
}

func TestNormalizeNoAlloc(t *testing.T) {
	for _, s := range []string{"already normal text 123", "三井住友カードのご利用確認", "ｶﾀｶﾅ"[:0]} {
		if n := testing.AllocsPerRun(100, func() { _ = Normalize(s) }); n != 0 {
			t.Errorf("Normalize(%q) allocates %v times", s, n)
		}
	}
}

func TestAppendFoldModes(t *testing.T) {
	tests := []struct {
		in   string
		mode Mode
		want string
	}{
		{"三 井 住 友", Squeeze, "三井住友"},
		{"三　井 住　友", Squeeze, "三井住友"},
		{"Mitsui Sumitomo", Squeeze, "Mitsui Sumitomo"},
		{"三井 Sumitomo", Squeeze, "三井 Sumitomo"},
		{"Аmazon", Confusable, "Amazon"},
		{"Аррlе", Confusable, "Apple"},
		{"Привет мир", Confusable, "Привет мир"},
	}
	for _, tt := range tests {
		if got := string(Append(nil, tt.in, tt.mode)); got != tt.want {
			t.Errorf("Append(%q, %d) = %q, want %q", tt.in, tt.mode, got, tt.want)
		}
	}
}

func TestInvisibleChars(t *testing.T) {
	cases := map[string][]string{
		"clean text\r\n\t":      nil,
		"a\u202eb":              {"U+202E RLO"},
		"x\u200by\u200bz\u2061": {"U+200B ZWSP", "U+2061 FUNCTION APPLICATION"},
		"\x1b[31m":              {"U+001B CTRL"},
		"\ufe0f\u00ad":          {"U+FE0F VS", "U+00AD SHY"},
	}
	testutil.Lists(t, "InvisibleChars", InvisibleChars, cases)
	for in, want := range cases {
		if HasInvisible(in) != (len(want) > 0) {
			t.Errorf("HasInvisible(%q) = %v", in, !(len(want) > 0))
		}
	}
	// Bounded.
	var sb strings.Builder
	for r := rune(0xe0000); r < 0xe0040; r++ {
		sb.WriteRune(r)
	}
	for r := rune(1); r < 0x20; r++ {
		sb.WriteRune(r)
	}
	if n := len(InvisibleChars(sb.String())); n != maxInvisibleNames {
		t.Errorf("got %d names, want %d", n, maxInvisibleNames)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"ＡＭＡＺＯＮ", "ｱﾏｿﾞﾝ", "Ama\u200bzon", "三 井 住 友", "Аррlе", "\xff\xfe", "ﾞﾞ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if len(n) > 3*len(s) {
			t.Fatalf("grew: %d -> %d", len(s), len(n))
		}
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("invalid output for valid input %q", s)
		}
		if utf8.ValidString(s) && Normalize(n) != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, Normalize(n))
		}
		_ = InvisibleChars(s)
		_ = Append(nil, s, Squeeze|Confusable|Lower)
	})
}
