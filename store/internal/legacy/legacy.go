// Package legacy holds the store's first two schema migrations, which
// rewrite the layouts of schema 1 and 2 in place. They run once, when
// such a store is opened (store.migrations); the buckets are the store's.
package legacy

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/store/internal/analyst"
	"github.com/triage-tools/triage/store/internal/codec"
)

// Buckets names the store buckets the migrations rewrite.
type Buckets struct {
	Index, Blobs, Rows, Meta []byte
	Analyst                  [][]byte // labels, label history, notes
	// Dangling is wrapped when an index entry has no report blob.
	Dangling error
}

// AddChecksums (schema 2 → 3) seals every report blob (adding the flags
// byte of report format 2), row, label, history and note record, and
// computes the analyst digest. It rewrites those buckets in one transaction.
func (b Buckets) AddChecksums(tx *bolt.Tx) error {
	type kv struct{ k, v []byte }
	collect := func(bk *bolt.Bucket) ([]kv, error) {
		var all []kv
		err := bk.ForEach(func(k, v []byte) error {
			all = append(all, kv{append([]byte(nil), k...), append([]byte(nil), v...)})
			return nil
		})
		return all, err
	}
	idx, blobs := tx.Bucket(b.Index), tx.Bucket(b.Blobs)
	ptrs, err := collect(idx)
	if err != nil {
		return err
	}
	for _, e := range ptrs {
		v := blobs.Get(e.v)
		if len(v) < 1 || v[0] != 1 {
			return fmt.Errorf("report %x: %w", e.k, b.Dangling)
		}
		nv := append([]byte{codec.FormatZstdJSON, 0}, v[1:]...)
		if err := blobs.Put(e.v, codec.Seal(b.Blobs, e.k, nv)); err != nil {
			return err
		}
	}
	var d [16]byte
	for _, name := range append([][]byte{b.Rows}, b.Analyst...) {
		all, err := collect(tx.Bucket(name))
		if err != nil {
			return err
		}
		for _, e := range all {
			sv := codec.Seal(name, e.k, e.v)
			if err := tx.Bucket(name).Put(e.k, sv); err != nil {
				return err
			}
			if !bytes.Equal(name, b.Rows) {
				codec.XorDigest(&d, codec.EntryDigest(name, e.k, sv))
			}
		}
	}
	return tx.Bucket(b.Meta).Put(analyst.KeyDigest, d[:])
}

// MoveToBlobs (schema 1 → 2) moves the reports, stored under their IDs in the
// index, into append-only blobs.
func (b Buckets) MoveToBlobs(tx *bolt.Tx) error {
	idx := tx.Bucket(b.Index)
	blobs, err := tx.CreateBucketIfNotExists(b.Blobs)
	if err != nil {
		return err
	}
	blobs.FillPercent = 1.0
	type kv struct{ k, v []byte }
	var all []kv
	if err := idx.ForEach(func(k, v []byte) error {
		all = append(all, kv{append([]byte(nil), k...), append([]byte(nil), v...)})
		return nil
	}); err != nil {
		return err
	}
	for _, e := range all {
		seq, err := blobs.NextSequence()
		if err != nil {
			return err
		}
		p := binary.BigEndian.AppendUint64(nil, seq)
		if err := blobs.Put(p, e.v); err != nil {
			return err
		}
		if err := idx.Put(e.k, p); err != nil {
			return err
		}
	}
	return nil
}
