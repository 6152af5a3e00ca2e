package store

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The ID-keyed indexes (reports: message ID → blob pointer ‖ sequence;
// msgid: Message-ID ‖ message ID) cannot be keyed by arrival order: they
// are looked up by ID. Message IDs are hashes, so every message stored
// dirtied a random leaf of each (16 KiB pages): once a store held more
// leaves than a commit held messages, ingest rewrote two pages and held
// two dirty nodes on the heap per message, and until then every commit
// rewrote the whole of both indexes. That is what made ingest superlinear
// (3× the messages cost 5× the CPU and 3× the memory).
//
// Schema 6 gives each index a tail bucket of the same format: new entries
// go to the tail, which stays small (a commit dirties few of its pages),
// and when it reaches 1/tailShare of the whole it is merged into the main
// bucket in sorted order (each main leaf rewritten once per merge, i.e.
// once per N/tailShare messages rather than once per message). A key is
// in the main bucket or in the tail, never both; readers look in both.
var (
	bucketReportsTail = []byte("reports_tail") // as bucketReports, for messages stored since the last merge
	bucketMsgIDTail   = []byte("msgid_tail")   // as bucketMsgID, for entries written since the last merge
)

// Merge policy: the tails are merged when they hold at least
// tailMin entries and 1/tailShare of all messages.
const (
	tailShare = 8
	tailMin   = 4096
)

// migrateTails upgrades schema 5 to 6: the tail buckets are created (by
// initTx, with allBuckets) empty; nothing is moved.
func migrateTails(*bolt.Tx) error { return nil }

// indexGet returns the value of message k in the reports index (main
// bucket or tail) and the bucket that holds it; nil when absent. The
// tail, small, is tried first: an ingest looks up the messages it just
// stored.
func indexGet(tx *bolt.Tx, k []byte) ([]byte, *bolt.Bucket) {
	for _, name := range [][]byte{bucketReportsTail, bucketReports} {
		if b := tx.Bucket(name); b != nil {
			if v := b.Get(k); v != nil {
				return v, b
			}
		}
	}
	return nil, nil
}

// forEachIndexed calls fn for every message ID of the reports index, in
// ID order (the main bucket and the tail merged).
func forEachIndexed(tx *bolt.Tx, fn func(k, v []byte) error) error {
	return mergeWalk(tx.Bucket(bucketReports), tx.Bucket(bucketReportsTail), nil, fn)
}

// mergeWalk calls fn for the keys of a and b that start with prefix, in
// key order, from seek (nil: from prefix). A nil bucket is empty.
func mergeWalk(a, b *bolt.Bucket, prefix []byte, fn func(k, v []byte) error) error {
	return mergeWalkFrom(a, b, prefix, prefix, fn)
}

func mergeWalkFrom(a, b *bolt.Bucket, seek, prefix []byte, fn func(k, v []byte) error) error {
	type cur struct {
		c    *bolt.Cursor
		k, v []byte
	}
	var cs []*cur
	for _, bk := range []*bolt.Bucket{a, b} {
		if bk == nil {
			continue
		}
		c := &cur{c: bk.Cursor()}
		if seek == nil {
			c.k, c.v = c.c.First()
		} else {
			c.k, c.v = c.c.Seek(seek)
		}
		cs = append(cs, c)
	}
	for {
		var min *cur
		for _, c := range cs {
			if c.k == nil || !bytes.HasPrefix(c.k, prefix) {
				continue
			}
			if min == nil || bytes.Compare(c.k, min.k) < 0 {
				min = c
			}
		}
		if min == nil {
			return nil
		}
		if err := fn(min.k, min.v); err != nil {
			return err
		}
		min.k, min.v = min.c.Next()
	}
}

// msgIDPut adds the Message-ID index entry mk (to the tail, unless the
// main bucket has it).
func msgIDPut(tx *bolt.Tx, mk []byte) error {
	if m := tx.Bucket(bucketMsgID); m != nil && m.Get(mk) != nil {
		return nil
	}
	t := tx.Bucket(bucketMsgIDTail)
	if t == nil {
		return tx.Bucket(bucketMsgID).Put(mk, nil)
	}
	if t.Get(mk) != nil {
		return nil
	}
	return msgIDPutNew(tx, mk)
}

// msgIDPutNew adds the Message-ID index entry mk, which is in neither
// bucket (its message is new), to the tail.
func msgIDPutNew(tx *bolt.Tx, mk []byte) error {
	t := tx.Bucket(bucketMsgIDTail)
	if t == nil {
		return tx.Bucket(bucketMsgID).Put(mk, nil)
	}
	if err := t.Put(mk, nil); err != nil {
		return err
	}
	_, err := t.NextSequence() // counts entries since the last merge
	return err
}

// msgIDDelete removes the Message-ID index entry mk wherever it is.
func msgIDDelete(tx *bolt.Tx, mk []byte) error {
	for _, name := range [][]byte{bucketMsgID, bucketMsgIDTail} {
		if b := tx.Bucket(name); b != nil {
			if err := b.Delete(mk); err != nil {
				return err
			}
		}
	}
	return nil
}

// mergeTails merges both tails into their main buckets, inside a write
// transaction, when the reports tail holds at least least entries and
// 1/tailShare of all messages.
func mergeTails(tx *bolt.Tx, least uint64) error {
	t := tx.Bucket(bucketReportsTail)
	if t == nil {
		return nil
	}
	n, all := t.Sequence(), tx.Bucket(bucketReports).Sequence()
	if n < least || n*tailShare < all {
		return nil
	}
	for _, p := range [][2][]byte{{bucketReports, bucketReportsTail}, {bucketMsgID, bucketMsgIDTail}} {
		if err := mergeTail(tx, p[0], p[1]); err != nil {
			return fmt.Errorf("merge %s: %w", p[1], err)
		}
	}
	return nil
}

// mergeTail moves every entry of bucket tail into bucket main, in key
// order, and empties tail (deleting and re-creating it frees its pages
// and resets its entry count).
func mergeTail(tx *bolt.Tx, main, tail []byte) error {
	mb, tb := tx.Bucket(main), tx.Bucket(tail)
	if mb == nil || tb == nil {
		return nil
	}
	var arena []byte // values, copied: tail's pages are freed below
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
	if err := tx.DeleteBucket(tail); err != nil {
		return err
	}
	_, err = tx.CreateBucket(tail)
	return err
}

// errStopWalk ends a mergeWalk early (not an error).
var errStopWalk = errors.New("stop")
