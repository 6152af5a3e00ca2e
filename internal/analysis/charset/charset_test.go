package charset

import (
	"math/rand/v2"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
	"golang.org/x/text/encoding"
)

// TestDecodeIntoMatchesBytes: the pooled decoder gives the bytes and
// errors of Decoder.Bytes, whatever the size of the buffer it starts with,
// for the decoder of each family that Lookup gives.
func TestDecodeIntoMatchesBytes(t *testing.T) {
	var encs []encoding.Encoding
	for _, label := range []string{"windows-1252", "koi8-r", "shift_jis", "euc-jp", "iso-2022-jp",
		"gb18030", "gbk", "hz-gb-2312", "euc-kr", "big5", "utf-16"} {
		enc, _ := Lookup(label)
		if enc == nil {
			t.Fatalf("Lookup(%q): no decoder", label)
		}
		encs = append(encs, enc)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		b := make([]byte, r.IntN(600))
		for j := range b {
			if r.IntN(3) == 0 {
				b[j] = byte(0x20 + r.IntN(0x5f))
			} else {
				b[j] = byte(r.IntN(256))
			}
		}
		enc := encs[i%len(encs)]
		want, werr := enc.NewDecoder().Bytes(b)
		small := make([]byte, 0, 1+r.IntN(64))
		for _, bp := range []*[]byte{&small, getScratch()} {
			got, err := decodeInto(bp, enc, b)
			if (err != nil) != (werr != nil) || (err == nil && string(got) != string(want)) {
				t.Fatalf("%v on % x: got %q %v, want %q %v", enc, b, got, err, want, werr)
			}
		}
	}
}

// TestDetectAllocations pins Detect's cost on 8-bit text of unknown
// charset: it tries five CJK decoders and windows-1252 in pooled buffers
// (7 now; 19 before, a growing buffer per decoder).
func TestDetectAllocations(t *testing.T) {
	if testutil.Race {
		t.Skip("allocation counts are not meaningful under -race")
	}
	b := []byte("Gr\xfc\xdfe aus M\xfcnchen, \x93caf\xe9\x94 \x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd plain ascii text")
	n := testing.AllocsPerRun(50, func() { Detect(b) })
	if n > 10 {
		t.Errorf("Detect: %.0f allocations, want ≤ 10", n)
	}
}
