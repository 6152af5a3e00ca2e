package campaign

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis"
)

// TestSigLinkTemplates pins the link templates of a signature: they are
// stored with every campaign member, and a template written differently
// would no longer join a new message to the campaigns of stored ones.
func TestSigLinkTemplates(t *testing.T) {
	cases := []struct{ url, unwrapped, want string }{
		{"https://Evil.Example/Login/Verify?next=/a/b", "", "evil.example/login/verify"},
		{"https://evil.example", "", "evil.example/"},
		{"https://evil.example/", "", "evil.example/"},
		{"https://evil.example///", "", "evil.example/"},
		{"https://evil.example/a//b/c/d/e/f", "", "evil.example/a/b/c/…"},
		{"https://evil.example/a/b/c/d", "", "evil.example/a/b/c/d"},
		{"https://evil.example/track/12345/ABCDEFGHIJKLMNOPQRSTUVWXYZ/x", "", "evil.example/track/*/*/x"},
		{"https://evil.example/ÄBC/Straße", "", "evil.example/äbc/straße"},
		{"https://evil.example/a#frag/b", "", "evil.example/a"},
		{"https://safe.example/r?u=x", "https://evil.example/Pay/Now", "evil.example/pay/now"},
		{"https://evil.example/" + strings.Repeat("x", 300), "", "evil.example/*"},
	}
	for _, c := range cases {
		r := &analysis.Report{URLs: []analysis.URL{{URL: c.url, Unwrapped: c.unwrapped, Host: "h.evil.example", Domain: "evil.example"}}}
		s := SigOf(r)
		if len(s.Links) != 1 || s.Links[0] != c.want {
			t.Errorf("%s: links %q, want %q", c.url, s.Links, c.want)
		}
	}
	// A long template is clipped to maxString bytes, not inside a UTF-8
	// sequence.
	r := &analysis.Report{URLs: []analysis.URL{{URL: "https://x/a", Host: "x", Domain: "a" + strings.Repeat("é", 200)}}}
	if s := SigOf(r); len(s.Links) != 1 || len(s.Links[0]) != maxString-1 || !utf8.ValidString(s.Links[0]) {
		t.Errorf("long template %q (%d bytes)", s.Links, len(s.Links[0]))
	}
	// Duplicates are kept once, and at most maxList distinct links.
	r = &analysis.Report{}
	for i := range 20 {
		p := "/same"
		if i%2 == 1 {
			p = "/p" + strings.Repeat("q", i)
		}
		r.URLs = append(r.URLs, analysis.URL{URL: "https://evil.example" + p, Host: "evil.example", Domain: "evil.example"})
	}
	s := SigOf(r)
	if len(s.Links) != maxList || s.Links[0] != "evil.example/same" || slices.Index(s.Links[1:], "evil.example/same") >= 0 {
		t.Errorf("links %q", s.Links)
	}
}

// TestSigDupKey pins the exact-duplicate key: stored members carry it.
func TestSigDupKey(t *testing.T) {
	r := &analysis.Report{Summary: analysis.Summary{From: analysis.Address{Address: "Bill@Evil.Example"}}}
	r.Near.Skeleton, r.Near.Body = "your invoice #", 0xfeedface
	s := SigOf(r)
	want := keyHash('d', "bill@evil.example\x00your invoice #", strconv.FormatUint(0xfeedface, 16))
	if s.Dup != want {
		t.Errorf("dup %#x, want %#x", s.Dup, want)
	}
	const stored uint64 = 0x2e71066c2db29322 // the value stores hold
	if s.Dup != stored {
		t.Errorf("dup %#x, want the stored %#x", s.Dup, stored)
	}
}
