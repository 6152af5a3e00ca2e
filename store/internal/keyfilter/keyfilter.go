// Package keyfilter keeps a Bloom filter of the message keys in a store's
// reports index, so that storing a message the store has never seen skips
// the two index look-ups that would find nothing: one when a batch is
// prepared (is the report current?) and one when it is committed (does
// the message have a sequence number yet?). On big.mbox into a fresh store
// those look-ups were about a tenth of the store's CPU, since each one
// searches two B+trees (the index's tail, then its main bucket).
//
// A key the filter holds may or may not be in the index (about 1% of
// absent keys look present at full capacity); a key it does not hold is
// certainly absent, provided the filter is complete. It is complete when
// every key given a sequence number went through Add: the index's main
// bucket counts those (its sequence, one per new message), and the filter
// records the count it is complete at. A write that adds keys without the
// filter (an import, an older triage) advances the count, and the next
// write transaction that asks for the filter rebuilds it from the index.
// Deleting a key leaves its bits set: more look-ups, never a wrong answer.
package keyfilter

import (
	"encoding/binary"
	"math/bits"
	"sync/atomic"
)

// hashes is the number of bits set per key: with bitsPerKey bits a key,
// the false-positive rate at capacity is about 0.8%.
const (
	hashes     = 7
	bitsPerKey = 10
	// minCapacity is the smallest filter built (80 KiB).
	minCapacity = 1 << 16
)

// Filter is a Bloom filter of 32-byte keys (SHA-256 sums, so their bytes
// are already uniform and serve as the hashes). Lookups are safe
// concurrently with Add; Add and Complete are for the single writer.
type Filter struct {
	words    []atomic.Uint64
	nbits    uint64
	n, limit uint64 // keys added; keys it is sized for
	seq      uint64 // the index count it is complete at
}

func newFilter(capacity uint64) *Filter {
	capacity = max(capacity, minCapacity)
	nwords := (capacity*bitsPerKey + 63) / 64
	return &Filter{words: make([]atomic.Uint64, nwords), nbits: nwords * 64, limit: capacity}
}

// halves returns the two hashes of k for double hashing: two 64-bit
// halves of the key (the second odd, so that the probes differ).
func halves(k []byte) (h1, h2 uint64) {
	var b [16]byte
	if copy(b[:], k) < 16 { // not a message key: any stable spread will do
		b[15] ^= byte(len(k))
	}
	return binary.LittleEndian.Uint64(b[:]), binary.LittleEndian.Uint64(b[8:]) | 1
}

// probe is the word and bit of probe i, mapped onto nbits without a
// modulo.
func (f *Filter) probe(h1, h2, i uint64) (word, mask uint64) {
	pos, _ := bits.Mul64(h1+i*h2, f.nbits)
	return pos / 64, 1 << (pos % 64)
}

// MayContain reports whether k may be in the index; false means it is not
// (when the filter is complete).
func (f *Filter) MayContain(k []byte) bool {
	h1, h2 := halves(k)
	for i := range uint64(hashes) {
		if w, m := f.probe(h1, h2, i); f.words[w].Load()&m == 0 {
			return false
		}
	}
	return true
}

// Add records k, a key just put in the index.
func (f *Filter) Add(k []byte) {
	f.n++
	h1, h2 := halves(k)
	for i := range uint64(hashes) {
		w, m := f.probe(h1, h2, i)
		f.words[w].Or(m)
	}
}

// Complete records that the filter holds every key of the index whose
// count (its main bucket's sequence) is seq.
func (f *Filter) Complete(seq uint64) { f.seq = seq }

// Keys holds the filter of one store. The zero value holds none.
type Keys struct{ cur atomic.Pointer[Filter] }

// Absent reports whether k is certainly not in the index. It is a hint
// for readers outside the write transaction: the filter may have moved on
// since their snapshot, and a store without a filter yet answers false.
func (ks *Keys) Absent(k []byte) bool {
	f := ks.cur.Load()
	return f != nil && !f.MayContain(k)
}

// ForWrite returns the filter for a write transaction that sees the
// index count seq: the current one when it is complete at seq and not
// over its size, else a new one, sized for twice the count, that walk
// fills by calling add with every key of the index (in that same
// transaction). The writer Adds each key it puts in the index and calls
// Complete before committing; if the transaction fails, Drop.
func (ks *Keys) ForWrite(seq uint64, walk func(add func(k []byte)) error) (*Filter, error) {
	if f := ks.cur.Load(); f != nil && f.seq == seq && f.n < f.limit {
		return f, nil
	}
	f := newFilter(2 * seq)
	if err := walk(f.Add); err != nil {
		ks.Drop()
		return nil, err
	}
	f.seq = seq
	ks.cur.Store(f)
	return f, nil
}

// Drop forgets the filter (after a failed write): the next write
// rebuilds it.
func (ks *Keys) Drop() { ks.cur.Store(nil) }
