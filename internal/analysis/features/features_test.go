package features

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unsafe"

	"github.com/triage-tools/triage/internal/testutil"
)

func names(s Set) []string {
	var out []string
	for _, h := range s.Hashes {
		out = append(out, s.Name(h))
	}
	slices.Sort(out)
	return out
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"verify your account now", []string{"verify", "your", "account", "now"}},
		{"a 12345 x9 ab", []string{"x9", "ab"}},
		{"アカウント", []string{"アカ", "カウ", "ウン", "ント"}},
		{"重要:お知らせ", []string{"重要", "お知", "知ら", "らせ"}},
		{"口 login", []string{"口", "login"}},
		{"Verify ÄBC Straße ABC。 x", []string{"Verify", "ÄBC", "Straße", "ABC"}},
		{"paypalアカウント", []string{"paypal", "アカ", "カウ", "ウン", "ント"}},
		{strings.Repeat("x", 100), []string{strings.Repeat("x", maxTokenLen)}},
	} {
		var got []string
		tokens(tc.in, kindPrefix[kBody], 100, func(s string, h uint32, hashed bool) bool {
			// a hashed token is hashed as add would: lower-cased first
			if want := fnvLowerASCII(kindPrefix[kBody], strings.ToLower(s)); hashed && h != want {
				t.Errorf("token %q: hash %#x, want %#x", s, h, want)
			}
			if hashed && hasNonASCII(s) && strings.ToLower(s) != s {
				t.Errorf("token %q hashed as it is, but it has a lower case", s)
			}
			got = append(got, s)
			return true
		})
		if !slices.Equal(got, tc.want) {
			t.Errorf("tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPathShape(t *testing.T) {
	testutil.Cases(t, "PathShape", PathShape, map[string]string{
		"":                                  "/",
		"/":                                 "/",
		"/wp-admin/js/x.php":                "/a/a/a.php",
		"/login/2024/index.html?u=a@b.c":    "/a/9/a.html",
		"/a1b2c3d4e5f6a7b8c9/verify":        "/h/a",
		"/1/2/3/4/5/6/7/8/9/10":             "/9/9/9/9/9/9/9/9/…",
		"/" + strings.Repeat("z", 40) + "/": "/h",
	})
}

func TestExtract(t *testing.T) {
	s := Extract(&Input{
		Subject: "アカウント確認", Body: "please verify your account",
		LinkDomains: []string{"duckdns.org"}, LinkPaths: []string{"/x/login.php"},
		SenderDomain: "kagoya.jp", OriginIP: "121.50.46.57",
		AttachmentType: []string{"application/zip .zip"}, Rules: []string{"url.ip_encoded_host"},
	})
	want := []string{"attachment application/zip .zip", "body account", "body please", "body verify", "body your",
		"identity none", "link domain duckdns.org", "link path /a/a.php", "origin net 121.50.46.0/24",
		"rule url.ip_encoded_host", "sender domain kagoya.jp",
		"subject アカ", "subject カウ", "subject ウン", "subject ント", "subject ト確", "subject 確認"}
	slices.Sort(want)
	if got := names(s); !slices.Equal(got, want) {
		t.Fatalf("names = %q\nwant %q", got, want)
	}
	if !slices.IsSorted(s.Hashes) || s.Name(Hash("body verify")) != "body verify" {
		t.Fatalf("hashes not sorted or not named: %v", s.Hashes)
	}
}

// TestHostileTokensBounded: 10 million distinct tokens cost no more than
// the caps allow, and the structural features are kept ahead of them.
func TestHostileTokensBounded(t *testing.T) {
	b := make([]byte, 0, 100<<20)
	for i := range int64(10_000_000) {
		b = strconv.AppendInt(append(b, 't'), i, 36)
		b = append(b, ' ')
	}
	s := Extract(&Input{Body: string(b), Rules: []string{"sender.brand_domain_mismatch"}, LinkDomains: []string{"evil.example"}})
	if s.Len() > MaxFeatures {
		t.Fatalf("%d features, cap %d", s.Len(), MaxFeatures)
	}
	for _, n := range []string{"rule sender.brand_domain_mismatch", "link domain evil.example"} {
		if s.Name(Hash(n)) != n {
			t.Errorf("%q dropped by the body tokens", n)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	for _, hs := range [][]uint32{nil, {0}, {1, 2, 3}, {5, 70000, Buckets - 1}} {
		b := Append(nil, hs)
		got, err := Decode(b)
		if err != nil || !slices.Equal(got, hs) && len(hs) > 0 {
			t.Errorf("round trip %v: %v, %v", hs, got, err)
		}
	}
	for _, bad := range [][]byte{nil, {2, 1}, {2, 1, 0}, {1, 0x80, 0x80, 0x80, 0x80, 0x10}, {0, 7}, append(Append(nil, []uint32{1}), 1)} {
		if _, err := Decode(bad); err == nil {
			t.Errorf("Decode(%x) accepted", bad)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Append(nil, []uint32{1, 9, 300}))
	f.Fuzz(func(t *testing.T, b []byte) {
		hs, err := Decode(b)
		if err != nil {
			return
		}
		if !slices.IsSorted(hs) || len(hs) > MaxFeatures {
			t.Fatalf("decoded %v", hs)
		}
		back, err := Decode(Append(nil, hs))
		if err != nil || !slices.Equal(back, hs) {
			t.Fatalf("re-encoded %v decodes to %v, %v", hs, back, err)
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	body := strings.Repeat("Please verify your account within 24 hours or it will be suspended. アカウントを確認してください。 ", 60)
	in := &Input{Subject: "Your mailbox is almost full", Body: body, LinkDomains: []string{"a.example", "b.example"},
		LinkPaths: []string{"/x/login.php", "/y"}, SenderDomain: "kagoya.jp", OriginIP: "121.50.46.57", Rules: []string{"a.b", "c.d"}}
	b.ReportAllocs()
	for range b.N {
		Extract(in)
	}
}

// isCJKTable is isCJK without the fast paths.
func isCJKTable(r rune) bool {
	if r < 0x1100 || r >= 0x1200 && r < 0x2E80 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

func TestIsCJKFastPath(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isCJK(r) != isCJKTable(r) {
			t.Fatalf("isCJK(%U) = %v, tables say %v", r, isCJK(r), !isCJK(r))
		}
	}
}

// TestCJKHasNoCase checks what addToken relies on: lower-casing leaves
// CJK tokens as they are.
func TestCJKHasNoCase(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isCJK(r) && unicode.ToLower(r) != r {
			t.Fatalf("%U is CJK and has a lower case", r)
		}
	}
}

// TestExtractFull checks that a body with more distinct tokens than
// MaxFeatures fills the set with the first ones and keeps the rules.
func TestExtractFull(t *testing.T) {
	var body strings.Builder
	for i := range 3 * MaxFeatures {
		fmt.Fprintf(&body, "w%d ", i)
	}
	s := Extract(&Input{Body: body.String(), Rules: []string{"a.b"}})
	if s.Len() != MaxFeatures {
		t.Fatalf("Len = %d, want %d", s.Len(), MaxFeatures)
	}
	for _, want := range []string{"rule a.b", "body w0", "body w900"} {
		if !slices.Contains(names(s), want) {
			t.Errorf("features lack %q", want)
		}
	}
	if slices.Contains(names(s), "body w2000") {
		t.Errorf("features hold a token read after the set was full")
	}
}

// TestNamesOwnTheirText checks that names stay right when the caller
// reuses the text's buffer (the analysis passes a pooled one).
func TestNamesOwnTheirText(t *testing.T) {
	buf := []byte("Verify your アカウント now")
	in := &Input{Subject: "Mailbox full", Body: unsafe.String(&buf[0], len(buf))}
	s := Extract(in)
	want := names(s)
	for i := range buf {
		buf[i] = 'z'
	}
	if got := names(s); !slices.Equal(got, want) {
		t.Fatalf("names changed with the caller's buffer: %q, was %q", got, want)
	}
	if !slices.Contains(want, "body アカ") || !slices.Contains(want, "body verify") {
		t.Fatalf("names = %q", want)
	}
}

// TestWithNames checks that a set decoded from the store gets its names
// back from the same message's features, and only for the buckets they
// share.
func TestWithNames(t *testing.T) {
	named := Extract(&Input{Subject: "Mailbox FULL", Body: "verify アカウント", SenderDomain: "kagoya.jp", Rules: []string{"a.b"}})
	hs, err := Decode(Append(nil, named.Hashes))
	if err != nil {
		t.Fatal(err)
	}
	other := Hash("body elsewhere")
	if slices.Contains(hs, other) {
		t.Skip("bucket collision")
	}
	hs = append(hs, other)
	slices.Sort(hs)
	stored := FromHashes(hs)
	if stored.Name(hs[0]) != "" {
		t.Fatalf("a decoded set has names")
	}
	got := stored.WithNames(&named)
	for _, h := range named.Hashes {
		if got.Name(h) != named.Name(h) || got.Name(h) == "" {
			t.Errorf("Name(%d) = %q, want %q", h, got.Name(h), named.Name(h))
		}
	}
	if got.Name(other) != "" {
		t.Errorf("Name of a bucket the other set lacks = %q", got.Name(other))
	}
	if !slices.Contains(names(got), "subject full") || !slices.Contains(names(got), "sender domain kagoya.jp") {
		t.Errorf("names = %q", names(got))
	}
}

func TestRadixSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 127, 128, 500, MaxFeatures} {
		keys := make([]uint64, n)
		for i := range keys {
			keys[i] = uint64(r.Uint32N(Buckets))<<32 | uint64(i)
		}
		want := slices.Clone(keys)
		slices.Sort(want)
		radixSort(keys, make([]uint64, n))
		if !slices.Equal(keys, want) {
			t.Fatalf("n=%d: radixSort differs from slices.Sort", n)
		}
	}
}

// TestHashesPinned pins the buckets of a few feature sets: they are stored
// and the learned model is trained on them, so a faster extraction must
// give the same buckets.
func TestHashesPinned(t *testing.T) {
	for _, tc := range []struct {
		in    Input
		n     int
		first uint32
		sum   uint64 // FNV-1a of the buckets, little-endian
	}{
		{Input{Subject: "Your mailbox is almost full", Body: "Please verify your account within 24 hours or it will be suspended. アカウントを確認してください。 Ünïcödé wörds, x9, 12345, supercalifragilisticexpialidociouswordthatislong",
			LinkDomains: []string{"a.example"}, LinkPaths: []string{"/x/login.php"}, SenderDomain: "kagoya.jp", OriginIP: "121.50.46.57",
			AttachmentType: []string{"application/pdf .pdf"}, Rules: []string{"a.b", "c.d"}}, 41, 3489, 0x8ea8e4f8466ca07a},
		{Input{Body: "VERIFY Verify verify ΚΩΔΙΚΌΣ 한국어 텍스트"}, 7, 3489, 0x9392332a51f0754d},
		{Input{}, 1, 3489, 0x4be3049765c71c6b},
	} {
		s := Extract(&tc.in)
		h := fnv.New64a()
		for _, b := range s.Hashes {
			h.Write([]byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24)})
		}
		first := uint32(0)
		if len(s.Hashes) > 0 {
			first = s.Hashes[0]
		}
		if len(s.Hashes) != tc.n || first != tc.first || h.Sum64() != tc.sum {
			t.Errorf("%.30q: %d buckets, first %d, sum %#x; pinned %d, %d, %#x", tc.in.Body, len(s.Hashes), first, h.Sum64(), tc.n, tc.first, tc.sum)
		}
	}
	if got := Hash("rule content.lure"); got != 6069 {
		t.Errorf("Hash = %d", got)
	}
}
