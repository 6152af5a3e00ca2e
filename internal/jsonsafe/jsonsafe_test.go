package jsonsafe

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/textsafe"
)

// hostile holds every class the Writer must escape, next to text it must keep.
var hostile = []string{
	"csi \u009b31m c1 \u0085 del \x7f",
	"bidi \u202e\u2066\u200e\u061c",
	"zero-width \u200b\u200c\u200d\u2060\ufeff soft\u00adhyphen",
	"separators \u2028\u2029 tags \U000E0041 vs \ufe0f\U000E0100 filler \u3164 cgj \u034f nonchar \ufffe\U0001FFFF",
	"esc \x1b]0;title\x07 nul \x00",
	"kept: カゴヤ・ジャパン – é 🎣 \"quoted\" \\ <tag> &amp;",
}

type record struct {
	Name  string            `json:"name"`
	List  []string          `json:"list"`
	Map   map[string]string `json:"map"`
	Bytes []byte            `json:"bytes"`
}

func sample() record {
	m := map[string]string{}
	for _, h := range hostile {
		m[h] = h
	}
	return record{Name: strings.Join(hostile, "|"), List: hostile, Map: m, Bytes: []byte(hostile[0])}
}

// unsafeRunes returns the runes of s that must not appear raw.
func unsafeRunes(s string) []rune {
	var bad []rune
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				bad = append(bad, r)
				continue
			}
		}
		if r >= 0x20 && NeedsEscape(r) {
			bad = append(bad, r)
		}
	}
	return bad
}

func encode(t *testing.T, v any, ascii bool, chunk int) []byte {
	t.Helper()
	var out bytes.Buffer
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	jw := NewWriter(&out, ascii)
	b := plain.Bytes()
	for len(b) > 0 { // odd chunk sizes split runes across writes
		n := min(chunk, len(b))
		if _, err := jw.Write(b[:n]); err != nil {
			t.Fatal(err)
		}
		b = b[n:]
	}
	if err := jw.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestWriterRoundTrip(t *testing.T) {
	want := sample()
	for _, ascii := range []bool{false, true} {
		for _, chunk := range []int{1, 2, 3, 5, 7, 1 << 20} {
			got := encode(t, want, ascii, chunk)
			if bad := unsafeRunes(string(got)); len(bad) > 0 {
				t.Fatalf("ascii=%v chunk=%d: raw %U in %s", ascii, chunk, bad, got)
			}
			if ascii {
				for _, c := range got {
					if c >= utf8.RuneSelf {
						t.Fatalf("chunk=%d: non-ASCII byte %#x with ascii", chunk, c)
					}
				}
			}
			var back record
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("ascii=%v chunk=%d: %v\n%s", ascii, chunk, err, got)
			}
			if !reflect.DeepEqual(back, want) {
				t.Fatalf("ascii=%v chunk=%d: round trip changed the value:\n got %q\nwant %q", ascii, chunk, back, want)
			}
		}
	}
}

func TestWriterKeepsSafeText(t *testing.T) {
	got := string(encode(t, hostile[5], false, 3))
	want := `"kept: カゴヤ・ジャパン – é 🎣 \"quoted\" \\ <tag> &amp;"` + "\n"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	got = string(encode(t, "\u202e\U0001F3A3", false, 1))
	if want := `"\u202e🎣"` + "\n"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	got = string(encode(t, "é\U0001F3A3", true, 1))
	if want := `"\u00e9\ud83c\udfa3"` + "\n"; got != want {
		t.Fatalf("ascii: got %s, want %s", got, want)
	}
}

func TestWriterInvalidUTF8PassesThrough(t *testing.T) {
	var out bytes.Buffer
	jw := NewWriter(&out, false)
	in := []byte("a\xffb\xe2\x80") // invalid byte, then a truncated rune at the end
	if _, err := jw.Write(in); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 3 {
		t.Fatalf("the incomplete rune was not held back: %q", out.Bytes())
	}
	if _, err := jw.Write([]byte("x")); err != nil { // not a continuation byte
		t.Fatal(err)
	}
	jw.Flush()
	if got, want := out.String(), "a\xffb\xe2\x80x"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	out.Reset()
	jw.Write([]byte("\xe2\x80"))
	jw.Flush()
	if got := out.String(); got != "\xe2\x80" {
		t.Fatalf("Flush: got %q", got)
	}
}

func TestNeedsEscape(t *testing.T) {
	for _, r := range []rune{0x7f, 0x80, 0x9b, 0x9f, 0xad, 0x61c, 0x200b, 0x200d, 0x200e, 0x202a, 0x202e, 0x2028, 0x2029, 0x2060, 0x2066, 0xfeff, 0xfe0f, 0x3164, 0xfffe, 0xe0001, 0xe0041, 0x1fffe} {
		if !NeedsEscape(r) {
			t.Errorf("NeedsEscape(%U) = false", r)
		}
	}
	for _, r := range []rune{' ', 'a', '~', 0xa0, 0xe9, 0x2013, 0x30ab, 0x1f3a3, 0xfffd} {
		if NeedsEscape(r) {
			t.Errorf("NeedsEscape(%U) = true", r)
		}
	}
}

func FuzzWriter(f *testing.F) {
	for _, h := range hostile {
		f.Add(h, 3, false)
	}
	f.Fuzz(func(t *testing.T, s string, chunk int, ascii bool) {
		if chunk <= 0 || chunk > 64 {
			chunk = 1
		}
		got := encode(t, s, ascii, chunk)
		if bad := unsafeRunes(string(got)); len(bad) > 0 {
			t.Fatalf("raw %U in %q", bad, got)
		}
		var back, want string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%v: %q", err, got)
		}
		plain, _ := json.Marshal(s)
		json.Unmarshal(plain, &want)
		if back != want {
			t.Fatalf("round trip: %q != %q", back, want)
		}
	})
}

// TestEscapesWhatTerminalsHide: JSON output escapes exactly the runes that
// textsafe neutralises on a terminal (one classification, two outputs):
// every rune NeedsEscape picks is also one that Clean never prints raw
// between two letters, and every such invisible rune is escaped.
func TestEscapesWhatTerminalsHide(t *testing.T) {
	for r := rune(0xa0); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue // surrogates are not runes of valid UTF-8
		}
		esc := NeedsEscape(r)
		hidden := !strings.ContainsRune(textsafe.Clean("a"+string(r)+"b"), r)
		if esc && !hidden {
			t.Errorf("U+%04X: JSON escapes it but the terminal view prints it raw", r)
		}
		if textsafe.IsInvisible(r) != esc {
			t.Errorf("U+%04X: NeedsEscape %v, IsInvisible %v", r, esc, textsafe.IsInvisible(r))
		}
	}
}
