package campaign

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/near"
)

// TestBandTableMatchesSlices checks the band table against the plain
// model it replaced (a slice per bucket): the same entries, in the same
// order, the same caps and duplicates refused, over enough buckets to
// span several chunks of blocks.
func TestBandTableMatchesSlices(t *testing.T) {
	type entry struct {
		sim uint64
		c   int32
	}
	var tb bandTable
	model := map[uint64][]entry{}
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 60_000 {
		k := uint64(r.IntN(20_000)) // ~3 entries a bucket, some full
		if i%7 == 0 {
			k = 4242 // one hot bucket, capped
		}
		sim := r.Uint64()
		if i%2 == 0 {
			sim = k*0x9e3779b97f4a7c15 ^ 1<<r.IntN(64) // near the bucket's others: every probe matches them all, in order
		}
		if l := model[k]; len(l) > 0 && i%5 == 0 {
			sim = l[r.IntN(len(l))].sim // a duplicate, refused
		}
		c := int32(r.IntN(1000))
		tb.add(k, sim, c)
		if l := model[k]; len(l) < BandCap && !slices.ContainsFunc(l, func(e entry) bool { return e.sim == sim }) {
			model[k] = append(l, entry{sim, c})
		}
	}
	if int(tb.n) <= bandChunk {
		t.Fatalf("only %d blocks: the test does not cross a chunk", tb.n)
	}
	for k, want := range model {
		if n := tb.len(k); n != len(want) {
			t.Fatalf("bucket %d: %d entries, want %d", k, n, len(want))
		}
		for _, probe := range want {
			var got, exp []int32
			tb.match(k, probe.sim, func(c int32) { got = append(got, c) })
			for _, e := range want {
				if near.Distance(e.sim, probe.sim) <= MaxDistance {
					exp = append(exp, e.c)
				}
			}
			if !slices.Equal(got, exp) {
				t.Fatalf("bucket %d, probe %x: campaigns %v, want %v", k, probe.sim, got, exp)
			}
		}
	}
	if n := tb.len(4242); n != BandCap {
		t.Errorf("hot bucket holds %d, want %d", n, BandCap)
	}
	var empty bandTable
	if n := empty.match(1, 2, func(int32) { t.Error("match in an empty table") }); n != 0 {
		t.Errorf("empty table compared %d", n)
	}
}

// len returns the number of entries in bucket k (tests).
func (t *bandTable) len(k uint64) int {
	n := 0
	if t.heads != nil {
		for i := t.heads[k]; i != 0; i = t.block(i - 1).next {
			n += int(t.block(i - 1).n)
		}
	}
	return n
}
