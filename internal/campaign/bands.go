package campaign

import "github.com/triage-tools/triage/internal/analysis/near"

// bandTable holds the SimHash band buckets: for each of the 1<<18 band
// keys, the fingerprints seen with it (at most BandCap, oldest first) and
// their campaigns. A bucket is a chain of blocks of four entries (a cache
// line each) in a few large arrays, without pointers: a million-message
// index holds some 3 million entries, which as one slice per bucket cost
// the collector a pointer per bucket and up to twice their size in slice
// capacity.
type bandTable struct {
	heads  []int32       // band key → 1 + its first block, 0 for an empty bucket; allocated at the first add
	chunks [][]bandBlock // block i is chunks[i/bandChunk][i%bandChunk]
	n      int32         // blocks in use
}

type bandBlock struct {
	sim  [bandBlockLen]uint64
	c    [bandBlockLen]int32 // campaign indexes
	next int32               // 1 + the bucket's next block, 0 at its end
	n    int32               // entries in use
}

const (
	bandKeys     = 1 << 18
	bandBlockLen = 4
	bandChunk    = 1 << 12 // blocks per chunk: 224 KiB
)

func (t *bandTable) block(i int32) *bandBlock {
	return &t.chunks[uint32(i)/bandChunk][uint32(i)%bandChunk]
}

// match calls see with the campaign of each fingerprint of bucket k within
// MaxDistance of sim, oldest first, and returns how many it compared.
func (t *bandTable) match(k, sim uint64, see func(c int32)) int {
	if t.heads == nil {
		return 0
	}
	compared := 0
	for i := t.heads[k]; i != 0; {
		b := t.block(i - 1)
		for j := range b.n {
			if near.Distance(b.sim[j], sim) <= MaxDistance {
				see(b.c[j])
			}
		}
		compared += int(b.n)
		i = b.next
	}
	return compared
}

// add appends fingerprint sim of campaign c to bucket k, unless the
// bucket holds it already or is full.
func (t *bandTable) add(k, sim uint64, c int32) {
	if t.heads == nil {
		t.heads = make([]int32, bandKeys)
	}
	link, n := &t.heads[k], 0
	var last *bandBlock
	for *link != 0 {
		last = t.block(*link - 1)
		for j := range last.n {
			if last.sim[j] == sim {
				return
			}
		}
		n += int(last.n)
		link = &last.next
	}
	if n >= BandCap {
		return
	}
	if last == nil || last.n == bandBlockLen {
		if int(t.n) == len(t.chunks)*bandChunk {
			t.chunks = append(t.chunks, make([]bandBlock, bandChunk))
		}
		t.n++
		*link = t.n
		last = t.block(t.n - 1)
	}
	last.sim[last.n], last.c[last.n] = sim, c
	last.n++
}
