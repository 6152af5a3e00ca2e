package keyfilter

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"testing"
)

func key(i int) []byte {
	s := sha256.Sum256(binary.BigEndian.AppendUint64(nil, uint64(i)))
	return s[:]
}

// TestFilterHoldsEveryKey: no key added is ever reported absent, and at
// full capacity few absent keys look present.
func TestFilterHoldsEveryKey(t *testing.T) {
	f := newFilter(100_000)
	for i := range 100_000 {
		f.Add(key(i))
	}
	for i := range 100_000 {
		if !f.MayContain(key(i)) {
			t.Fatalf("key %d added but reported absent", i)
		}
	}
	fp := 0
	for i := 100_000; i < 200_000; i++ {
		if f.MayContain(key(i)) {
			fp++
		}
	}
	if rate := float64(fp) / 100_000; rate > 0.015 {
		t.Errorf("false-positive rate %.4f at capacity, want about 0.008", rate)
	}
	if g := newFilter(10); g.MayContain(key(1)) {
		t.Error("an empty filter reports a key")
	}
}

// TestForWrite: the filter is kept while the index count it is complete at
// matches and it has room, and rebuilt from the index otherwise.
func TestForWrite(t *testing.T) {
	var ks Keys
	if ks.Absent(key(1)) {
		t.Fatal("a store without a filter says a key is absent")
	}
	index := [][]byte{key(1), key(2)}
	walks := 0
	walk := func(add func([]byte)) error {
		walks++
		for _, k := range index {
			add(k)
		}
		return nil
	}
	f, err := ks.ForWrite(2, walk)
	if err != nil || walks != 1 || ks.Absent(key(2)) || !ks.Absent(key(3)) {
		t.Fatalf("first build: err %v, %d walks, absent(2)=%v absent(3)=%v", err, walks, ks.Absent(key(2)), ks.Absent(key(3)))
	}
	f.Add(key(3)) // the writer puts key 3 in the index
	index = append(index, key(3))
	f.Complete(3)
	if g, _ := ks.ForWrite(3, walk); g != f || walks != 1 {
		t.Fatalf("complete filter not kept (%d walks)", walks)
	}
	// Another writer adds key 4 without the filter: the count moves on.
	index = append(index, key(4))
	if g, _ := ks.ForWrite(4, walk); g == f || walks != 2 || ks.Absent(key(4)) {
		t.Fatalf("stale filter kept: %d walks, absent(4)=%v", walks, ks.Absent(key(4)))
	}
	g := ks.cur.Load()
	for i := g.n; i <= g.limit; i++ {
		g.Add(key(int(1000 + i)))
	}
	if h, _ := ks.ForWrite(4, walk); h == g || walks != 3 {
		t.Fatalf("full filter kept: %d walks", walks)
	}
	boom := errors.New("boom")
	if _, err := ks.ForWrite(5, func(func([]byte)) error { return boom }); !errors.Is(err, boom) || ks.cur.Load() != nil {
		t.Fatalf("failed walk: err %v, filter %v", err, ks.cur.Load())
	}
	ks.Drop()
	if ks.Absent(key(9)) {
		t.Fatal("dropped filter still answers")
	}
}
