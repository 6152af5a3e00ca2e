package charset

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// TestDecodeIntoMatchesBytes: the pooled decoder gives the bytes and
// errors of Decoder.Bytes, whatever the size of the buffer it starts with.
func TestDecodeIntoMatchesBytes(t *testing.T) {
	encs := []encoding.Encoding{
		charmap.Windows1252, charmap.KOI8R, japanese.ShiftJIS, japanese.EUCJP, japanese.ISO2022JP,
		simplifiedchinese.GB18030, simplifiedchinese.GBK, simplifiedchinese.HZGB2312, korean.EUCKR,
		traditionalchinese.Big5, unicode.UTF16(unicode.BigEndian, unicode.UseBOM),
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
	if raceOn {
		t.Skip("allocation counts are not meaningful under -race")
	}
	b := []byte("Gr\xfc\xdfe aus M\xfcnchen, \x93caf\xe9\x94 \x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd plain ascii text")
	n := testing.AllocsPerRun(50, func() { Detect(b) })
	if n > 10 {
		t.Errorf("Detect: %.0f allocations, want ≤ 10", n)
	}
}
