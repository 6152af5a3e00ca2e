// Package tailidx keeps an ID-keyed bbolt index as a main bucket and a
// small tail bucket of the same format.
//
// An index looked up by a hash (a message ID) cannot be keyed by arrival
// order, so every new entry dirties a random leaf of it (16 KiB pages):
// once a store holds more leaves than a commit holds messages, an ingest
// rewrites a page and holds a dirty node on the heap per message, and until
// then every commit rewrites the whole index. New entries therefore go to
// the tail, which stays small (a commit dirties few of its pages), and
// when it reaches 1/Share of the whole it is merged into the main bucket
// in key order (each main leaf rewritten once per merge, i.e. once per
// N/Share messages rather than once per message). A key is in the main
// bucket or in the tail, never both; readers look in both.
package tailidx

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Merge policy: the tails are merged when they hold at least Min entries
// and 1/Share of all entries. Each merge rewrites most of the main
// bucket's leaves, and a commit most of the tail's: with 4 rather than 8,
// an ingest of 300,000 messages took 1.36–1.38 times its analysis's CPU
// instead of 1.38–1.40 (4 pairs) and 30–40 MB less memory; at 106,150
// messages the two are within noise.
const (
	Share = 4
	Min   = 4096
)

// ErrStop ends a Walk early; Walk then returns nil.
var ErrStop = errors.New("tailidx: stop")

// Index names the two buckets of one index. A store without the tail
// bucket (not yet upgraded) writes to the main bucket.
type Index struct{ Main, Tail []byte }

// Get returns the value of k and the bucket that holds it (nil, nil when
// absent). The tail, small, is tried first: an ingest looks up the keys
// it just wrote.
func (ix Index) Get(tx *bolt.Tx, k []byte) ([]byte, *bolt.Bucket) {
	for _, name := range [][]byte{ix.Tail, ix.Main} {
		if b := tx.Bucket(name); b != nil {
			if v := b.Get(k); v != nil {
				return v, b
			}
		}
	}
	return nil, nil
}

// NewEntryBucket returns the bucket a key in neither bucket goes to: the
// tail, with the new entry counted (its sequence counts the entries since
// the last merge), or the main bucket when there is no tail.
func (ix Index) NewEntryBucket(tx *bolt.Tx) (*bolt.Bucket, error) {
	t := tx.Bucket(ix.Tail)
	if t == nil {
		return tx.Bucket(ix.Main), nil
	}
	_, err := t.NextSequence()
	return t, err
}

// Add adds k → v unless either bucket has k.
func (ix Index) Add(tx *bolt.Tx, k, v []byte) error {
	if v0, _ := ix.Get(tx, k); v0 != nil {
		return nil
	}
	return ix.AddNew(tx, k, v)
}

// AddNew adds k → v, which is in neither bucket.
func (ix Index) AddNew(tx *bolt.Tx, k, v []byte) error {
	b, err := ix.NewEntryBucket(tx)
	if err != nil {
		return err
	}
	return b.Put(k, v)
}

// Delete removes k wherever it is.
func (ix Index) Delete(tx *bolt.Tx, k []byte) error {
	for _, name := range [][]byte{ix.Main, ix.Tail} {
		if b := tx.Bucket(name); b != nil {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// Walk calls fn for the keys of both buckets that start with prefix, in
// key order, from seek (nil: from prefix). fn may return ErrStop.
func (ix Index) Walk(tx *bolt.Tx, seek, prefix []byte, fn func(k, v []byte) error) error {
	if seek == nil {
		seek = prefix
	}
	type cur struct {
		c    *bolt.Cursor
		k, v []byte
	}
	var cs []*cur
	for _, name := range [][]byte{ix.Main, ix.Tail} {
		if b := tx.Bucket(name); b != nil {
			c := &cur{c: b.Cursor()}
			if seek == nil {
				c.k, c.v = c.c.First()
			} else {
				c.k, c.v = c.c.Seek(seek)
			}
			cs = append(cs, c)
		}
	}
	for {
		var least *cur
		for _, c := range cs {
			if c.k != nil && bytes.HasPrefix(c.k, prefix) && (least == nil || bytes.Compare(c.k, least.k) < 0) {
				least = c
			}
		}
		if least == nil {
			return nil
		}
		if err := fn(least.k, least.v); err == ErrStop {
			return nil
		} else if err != nil {
			return err
		}
		least.k, least.v = least.c.Next()
	}
}

// Merge merges the tail of every index of ixs into its main bucket, inside
// a write transaction, when the first one's tail holds at least least
// entries and 1/Share of all (its main bucket's sequence counts them).
func Merge(tx *bolt.Tx, least uint64, ixs ...Index) error {
	if len(ixs) == 0 {
		return nil
	}
	t, m := tx.Bucket(ixs[0].Tail), tx.Bucket(ixs[0].Main)
	if t == nil || m == nil {
		return nil
	}
	if n := t.Sequence(); n < least || n*Share < m.Sequence() {
		return nil
	}
	for _, ix := range ixs {
		if err := ix.MergeTail(tx); err != nil {
			return fmt.Errorf("merge %s: %w", ix.Tail, err)
		}
	}
	return nil
}

// MergeTail moves every entry of the tail into the main bucket, in key
// order, and empties the tail (deleting and re-creating it frees its pages
// and resets its entry count).
func (ix Index) MergeTail(tx *bolt.Tx) error {
	mb, tb := tx.Bucket(ix.Main), tx.Bucket(ix.Tail)
	if mb == nil || tb == nil {
		return nil
	}
	var arena []byte // keys and values, copied: the tail's pages are freed below
	type kv struct{ k, v [2]int }
	var all []kv
	err := tb.ForEach(func(k, v []byte) error {
		e := kv{k: [2]int{len(arena), len(arena) + len(k)}}
		arena = append(arena, k...)
		e.v = [2]int{len(arena), len(arena) + len(v)}
		arena = append(arena, v...)
		all = append(all, e)
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range all {
		v := arena[e.v[0]:e.v[1]:e.v[1]]
		if e.v[0] == e.v[1] {
			v = nil
		}
		if err := mb.Put(arena[e.k[0]:e.k[1]], v); err != nil {
			return err
		}
	}
	if err := tx.DeleteBucket(ix.Tail); err != nil {
		return err
	}
	_, err = tx.CreateBucket(ix.Tail)
	return err
}
