package message

import (
	"fmt"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// headerHeavy is a message whose header has many small fields, folded
// ones, and encoded words: what most mail looks like above the body.
func headerHeavy(fields int) []byte {
	var b strings.Builder
	for i := range fields {
		fmt.Fprintf(&b, "X-Field-%d: value %d with some words\r\n", i, i)
		fmt.Fprintf(&b, "Received: from host%d.example.net (host%d.example.net [192.0.2.%d])\r\n\tby mx.example.org; Mon, 1 Jan 2024 00:00:%02d +0000\r\n", i, i, i%250, i%60)
	}
	b.WriteString("Subject: =?utf-8?B?w6nDqMOg?= =?utf-8?Q?caf=C3=A9?= plain\r\n")
	b.WriteString("From: a@example.com\r\n\r\nbody\r\n")
	return []byte(b.String())
}

// TestHeaderValuesShareAllocations pins the cost of the header block: its
// values share the walker's arena instead of taking one or two
// allocations each (12 now: one arena sized from the header block, Headers sized from its
// line count; 2 per field before, 218 for this message).
func TestHeaderValuesShareAllocations(t *testing.T) {
	if testutil.Race {
		t.Skip("allocation counts are not meaningful under -race")
	}
	raw := headerHeavy(50)
	n := testing.AllocsPerRun(20, func() { Parse(raw, Limits{}) })
	if n > 14 {
		t.Errorf("Parse of a 102-field header: %.0f allocations, want ≤ 14", n)
	}
}

// TestHeaderArenaGrowth checks that values stay intact when the arena is
// replaced by a larger one mid-header and that raw is not retained.
func TestHeaderArenaGrowth(t *testing.T) {
	raw := headerHeavy(200) // far more than the first arena holds
	p := Parse(raw, Limits{})
	for i := range raw {
		raw[i] = 'Z' // values must be copies
	}
	if len(p.Headers) != 402 {
		t.Fatalf("got %d header fields, want 402", len(p.Headers))
	}
	for i := range 200 {
		f, r := p.Headers[2*i], p.Headers[2*i+1]
		if want := fmt.Sprintf("value %d with some words", i); f.Key != fmt.Sprintf("X-Field-%d", i) || f.Value != want {
			t.Fatalf("field %d: %q: %q, want %q", 2*i, f.Key, f.Value, want)
		}
		want := fmt.Sprintf("from host%d.example.net (host%d.example.net [192.0.2.%d])\tby mx.example.org; Mon, 1 Jan 2024 00:00:%02d +0000", i, i, i%250, i%60)
		if r.Key != "Received" || r.Value != want {
			t.Fatalf("field %d: %q: %q, want %q", 2*i+1, r.Key, r.Value, want)
		}
	}
	s := p.Headers[400]
	if s.Value != "=?utf-8?B?w6nDqMOg?= =?utf-8?Q?caf=C3=A9?= plain" || s.Decoded != "éèàcafé plain" {
		t.Errorf("Subject = %q decoded %q", s.Value, s.Decoded)
	}
}

// TestDecodeHeaderAllocations: encoded words decode into pooled scratch;
// the result, the decoded runs and the latin-1 decoder are allocated (4;
// 9 before: a buffer per word, a growing pending buffer).
func TestDecodeHeaderAllocations(t *testing.T) {
	if testutil.Race {
		t.Skip("allocation counts are not meaningful under -race")
	}
	s := "=?utf-8?B?w6nDqMOg?= =?utf-8?Q?caf=C3=A9?= and =?iso-8859-1?Q?M=FCller?="
	if d, _ := decodeHeader(s); d != "éèàcafé and Müller" {
		t.Fatalf("decodeHeader = %q", d)
	}
	n := testing.AllocsPerRun(50, func() { decodeHeader(s) })
	if n > 4 {
		t.Errorf("decodeHeader: %.0f allocations, want ≤ 4", n)
	}
}
