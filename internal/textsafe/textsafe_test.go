package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/testutil"
)

// cleanCase is one input of a cleaning function and its expected output.
type cleanCase struct{ name, in, want string }

// checkClean runs every case through clean (called name) and through the
// Untrusted method that must agree with it (method, called mname).
func checkClean(t *testing.T, tests []cleanCase, name string, clean func(string) string, mname string, method func(Untrusted) string) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tt.in); got != tt.want {
				t.Errorf("%s(%q) = %q, want %q", name, tt.in, got, tt.want)
			}
			if got := method(Untrusted(tt.in)); got != tt.want {
				t.Errorf("Untrusted(%q).%s() = %q, want %q", tt.in, mname, got, tt.want)
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []cleanCase{
		{"empty", "", ""},
		{"ascii", "Your mailbox will be suspended", "Your mailbox will be suspended"},
		{"cjk", "カゴヤ・ジャパン株式会社", "カゴヤ・ジャパン株式会社"},
		{"emoji", "ok 👍 🎉", "ok 👍 🎉"},
		{"emoji zwj family", "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"},
		{"emoji vs16 dropped", "❤\ufe0f love", "❤ love"},
		{"emoji vs16 zwj", "🏳\ufe0f\u200d🌈", "🏳\u200d🌈"},
		{"flag tags kept", "🏴\U000e0067\U000e0062\U000e007f", "🏴\U000e0067\U000e0062\U000e007f"},
		{"tags alone", "a\U000e0041b", "a‹U+E0041›b"},
		{"persian zwnj kept", "می\u200cخواهم", "می\u200cخواهم"},
		{"zwnj latin", "pay\u200cpal", "pay‹ZWNJ›pal"},
		{"zwj latin", "pay\u200dpal", "pay‹ZWJ›pal"},
		{"csi sgr", "\x1b[31mred\x1b[0m", "‹CSI›red‹CSI›"},
		{"csi cursor", "a\x1b[2J\x1b[Hb", "a‹CSI›‹CSI›b"},
		{"csi private", "\x1b[?1049h", "‹CSI›"},
		{"csi unterminated", "\x1b[12", "‹CSI›"},
		{"osc 52 bel", "x\x1b]52;c;ZXZpbA==\x07y", "x‹OSC›y"},
		{"osc title st", "\x1b]0;pwned\x1b\\after", "‹OSC›after"},
		{"osc c1 st", "\x1b]8;;http://e\u009clink", "‹OSC›link"},
		{"osc unterminated shows payload", "\x1b]0;title", "‹OSC›0;title"},
		{"dcs", "\x1bPq#0\x1b\\z", "‹DCS›z"},
		{"apc", "\x1b_Gf=1\x1b\\z", "‹APC›z"},
		{"pm", "\x1b^x\x07z", "‹PM›z"},
		{"sos", "\x1bXx\x07z", "‹SOS›z"},
		{"lone esc", "a\x1bb", "a‹ESC›b"},
		{"trailing esc", "a\x1b", "a‹ESC›"},
		{"esc esc", "\x1b\x1b[m", "‹ESC›‹CSI›"},
		{"nul bel", "a\x00b\x07", "a‹NUL›b‹BEL›"},
		{"backspace", "safe\x08\x08\x08\x08evil", "safe‹BS›‹BS›‹BS›‹BS›evil"},
		{"newline single", "a\r\nb", "a‹CR›‹LF›b"},
		{"tab single", "a\tb", "a b"},
		{"del", "a\x7fb", "a‹DEL›b"},
		{"c1 csi", "a\u009b31mb", "a‹U+009B›31mb"},
		{"c1 nel", "a\u0085b", "a‹U+0085›b"},
		{"rlo", "invoice\u202Efdp.exe", "invoice‹RLO›fdp.exe"},
		{"bidi all", "\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069\u200E\u200F\u061C",
			"‹LRE›‹RLE›‹PDF›‹LRO›‹LRI›‹RLI›‹FSI›‹PDI›‹LRM›‹RLM›‹ALM›"},
		{"zwsp", "pay\u200bpal", "pay‹ZWSP›pal"},
		{"wj bom shy", "a\u2060b\ufeffc\u00add", "a‹WJ›b‹BOM›c‹SHY›d"},
		{"invisible math", "a\u2061\u2062\u2063\u2064b", "a‹U+2061›‹U+2062›‹U+2063›‹U+2064›b"},
		{"mvs cgj", "a\u180eb\u034fc", "a‹U+180E›b‹U+034F›c"},
		{"hangul filler", "a\u3164b", "a‹U+3164›b"},
		{"line separator", "a\u2028b", "a‹U+2028›b"},
		{"vs at start", "\ufe0fa", "‹U+FE0F›a"},
		{"vs1", "a\ufe00", "a‹U+FE00›"},
		{"vs smuggling", "a\U000e0100\U000e0101", "a‹U+E0100›‹U+E0101›"},
		{"deprecated format", "a\u206ab", "a‹U+206A›b"},
		{"invalid utf8", "a\xffb\xc3", `a‹\xff›b‹\xc3›`},
		{"raw c1 byte", "a\x9bb", `a‹\x9b›b`},
		{"overlong", "\xc0\xaf", `‹\xc0›‹\xaf›`},
		{"surrogate", "\xed\xa0\x80", `‹\xed›‹\xa0›‹\x80›`},
		{"noncharacter", "a\uffffb", "a‹U+FFFF›b"},
		{"replacement char kept", "a\ufffdb", "a\ufffdb"},
		{"nbsp kept", "a\u00a0b", "a\u00a0b"},
		{"arabic text", "مرحبا", "مرحبا"},
	}
	checkClean(t, tests, "Clean", Clean, "String", Untrusted.String)
}

func TestCleanMultiline(t *testing.T) {
	tests := []cleanCase{
		{"plain", "a\nb", "a\nb"},
		{"crlf", "a\r\nb\r\n", "a\nb\n"},
		{"lone cr", "a\rb", "a‹CR›b"},
		{"tab stops", "a\tb\n\tc\nabcdefgh\ti", "a       b\n        c\nabcdefgh        i"},
		{"tab after cjk", "日本\tx", "日本    x"},
		{"tab after placeholder", "\x00\tx", "‹NUL›   x"},
		{"esc in body", "line1\n\x1b[2Jline2", "line1\n‹CSI›line2"},
		{"vt ff", "a\vb\fc", "a‹VT›b‹FF›c"},
	}
	checkClean(t, tests, "CleanMultiline", CleanMultiline, "Multiline", Untrusted.Multiline)
}

func TestInspect(t *testing.T) {
	testutil.Cases(t, "Inspect", Inspect, map[string]Kind{
		"plain text":                  0,
		"日本語 👍":                       0,
		"❤\ufe0f":                     0,
		"👨\u200d👩":                    0,
		"a\tb":                        0,
		"\x1b[31m":                    Escape,
		"a\x00":                       Control,
		"a\u0085":                     Control,
		"a\u202eb":                    Bidi,
		"a\u200bb":                    Invisible,
		"a\xff":                       InvalidUTF8,
		"a\nb":                        Newline,
		"\x1b]52;c;x\x07\u202e\u200b": Escape | Control | Bidi | Invisible,
	})
	if s := (Escape | Bidi).String(); s != "escape|bidi" {
		t.Errorf("Kind.String = %q", s)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"hello", 10, "hello"},
		{"hello world", 5, "hell…"},
		{"日本語テキスト", 5, "日本…"},
		{"a\u202eb", 20, "a‹RLO›b"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		got := Truncate(tt.in, tt.width)
		if got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
		if w := Width(got); w > tt.width {
			t.Errorf("Truncate(%q, %d) width %d", tt.in, tt.width, w)
		}
		if u := Untrusted(tt.in).Truncate(tt.width); u != tt.want {
			t.Errorf("Untrusted(%q).Truncate(%d) = %q, want %q", tt.in, tt.width, u, tt.want)
		}
	}
}

func TestCleanNoAllocs(t *testing.T) {
	for _, s := range []string{"Re: your invoice #4411 is overdue", "カゴヤ・ジャパン 👍", ""} {
		if n := testing.AllocsPerRun(100, func() { _ = Clean(s); _ = CleanMultiline(s) }); n != 0 {
			t.Errorf("Clean(%q) allocates %v times", s, n)
		}
	}
}

// checkSafe fails when out contains anything a terminal could act on or
// that would hide or reorder text.
func checkSafe(t *testing.T, in, out string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("Clean(%q) = %q: invalid UTF-8", in, out)
	}
	for i, r := range out {
		bad := false
		switch {
		case r < 0x20:
			bad = !(multiline && r == '\n')
		case r == 0x7f, r >= 0x80 && r <= 0x9f:
			bad = true
		case bidiName(r) != "":
			bad = true
		case r == 0x200b || r == 0x2060 || r == 0xfeff || r == 0x00ad || r == 0x2028 || r == 0x2029:
			bad = true
		case r == 0x200c || r == 0x200d:
			// Allowed only in context (emoji, joining scripts).
			prev, _ := utf8.DecodeLastRuneInString(out[:i])
			next, _ := utf8.DecodeRuneInString(out[i+utf8.RuneLen(r):])
			ok := isEmoji(prev) && isEmoji(next) || joiningScript(prev) && joiningScript(next)
			bad = !ok
		case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef:
			bad = true
		}
		if bad {
			t.Fatalf("Clean(%q) = %q: unsafe rune %U at %d", in, out, r, i)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{
		"", "plain", "\x1b[31mred", "\x1b]52;c;ZXZpbA==\x07", "\x1b]0;t\x1b\\", "\u202e\u200b",
		"👨\u200d👩", "❤\ufe0f", "\xff\xfe", "\u0085\u009b", "a\tb\r\nc", "می\u200cخواهم",
		"🏴\U000e0067\U000e007f", "\x1bP\x1b\x1b]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		checkSafe(t, s, out, false)
		if strings.ContainsRune(out, '\n') {
			t.Fatalf("Clean(%q) contains a newline", s)
		}
		checkSafe(t, s, CleanMultiline(s), true)
		if Clean(out) != out {
			t.Fatalf("Clean not idempotent on %q: %q -> %q", s, out, Clean(out))
		}
		_ = Inspect(s)
	})
}

func BenchmarkClean(b *testing.B) {
	cases := []struct{ name, s string }{
		{"ascii", "Re: Your mailbox will be suspended within 24 hours - action required"},
		{"cjk", "【重要】Active! mail – カゴヤ・ジャパン株式会社 アカウント停止のお知らせ"},
		{"hostile", "Invoice\u202Efdp.exe \x1b]52;c;ZXZpbA==\x07 pay\u200bpal \x1b[2J\u0085"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.s)))
			b.ReportAllocs()
			for b.Loop() {
				_ = Clean(c.s)
			}
		})
	}
}

func TestTruncateASCIIFastPath(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{{"abcdef", 4, "abc…"}, {"abc", 4, "abc"}, {"abcd", 4, "abcd"}, {"a\x1bb", 10, "a‹ESC›b"}, {"会議の議事録", 5, "会議…"}} {
		if got := Truncate(c.in, c.w); got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
		if got := Width(Truncate(c.in, c.w)); got > c.w {
			t.Errorf("Truncate(%q, %d) is %d columns wide", c.in, c.w, got)
		}
	}
}
