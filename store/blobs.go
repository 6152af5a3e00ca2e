package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Reports are written append-only: the encoded report goes into the
// report_blobs bucket under the next sequence number, and the reports
// bucket maps the message ID to that number (8 bytes, big endian). Message
// IDs are hashes, so writing reports straight under their IDs scatters
// every batch over the whole B-tree: each commit rewrote most pages
// (values are kilobytes, often overflow pages), which made a 100k-message
// scan I/O-bound and left pages half full. Sequential keys fill pages
// completely and a commit touches only the tail plus the small index.

var bucketBlobs = []byte("report_blobs") // 8-byte sequence → encoded report

// errDanglingReport is reported when an index entry has no blob.
var errDanglingReport = fmt.Errorf("%w: report index points at a missing blob", ErrCorrupt)

// getReport returns the encoded report of message key k, or nil.
func getReport(tx *bolt.Tx, k []byte) ([]byte, error) {
	idx := tx.Bucket(bucketReports)
	if idx == nil {
		return nil, nil
	}
	p := idx.Get(k)
	if p == nil {
		return nil, nil
	}
	if len(p) != 8 {
		return nil, fmt.Errorf("%w: bad pointer of %d bytes", errDanglingReport, len(p))
	}
	v := tx.Bucket(bucketBlobs).Get(p)
	if v == nil {
		return nil, errDanglingReport
	}
	return unseal(bucketBlobs, k, v)
}

// putReport stores the encoded report v of message key k, replacing (and
// freeing) an earlier version.
func putReport(tx *bolt.Tx, k, v []byte) error {
	idx, blobs := tx.Bucket(bucketReports), tx.Bucket(bucketBlobs)
	blobs.FillPercent = 1.0 // append-only
	if old := idx.Get(k); len(old) == 8 {
		if err := blobs.Delete(old); err != nil {
			return err
		}
	}
	seq, err := blobs.NextSequence()
	if err != nil {
		return err
	}
	p := binary.BigEndian.AppendUint64(make([]byte, 0, 8), seq)
	if err := blobs.Put(p, seal(bucketBlobs, k, v)); err != nil {
		return err
	}
	return idx.Put(k, p)
}

// migrateChecksums seals every report blob (adding the flags byte of
// report format 2), row, label, history and note record, and computes the
// analyst digest. It rewrites those buckets in one transaction.
func migrateChecksums(tx *bolt.Tx) error {
	type kv struct{ k, v []byte }
	collect := func(b *bolt.Bucket) ([]kv, error) {
		var all []kv
		err := b.ForEach(func(k, v []byte) error {
			all = append(all, kv{append([]byte(nil), k...), append([]byte(nil), v...)})
			return nil
		})
		return all, err
	}
	idx, blobs := tx.Bucket(bucketReports), tx.Bucket(bucketBlobs)
	ptrs, err := collect(idx)
	if err != nil {
		return err
	}
	for _, e := range ptrs {
		v := blobs.Get(e.v)
		if len(v) < 1 || v[0] != 1 {
			return fmt.Errorf("report %x: %w", e.k, errDanglingReport)
		}
		nv := append([]byte{reportFormatZstdJSON, 0}, v[1:]...)
		if err := blobs.Put(e.v, seal(bucketBlobs, e.k, nv)); err != nil {
			return err
		}
	}
	var d [16]byte
	for _, name := range append([][]byte{bucketRows}, analystBuckets...) {
		all, err := collect(tx.Bucket(name))
		if err != nil {
			return err
		}
		for _, e := range all {
			sv := seal(name, e.k, e.v)
			if err := tx.Bucket(name).Put(e.k, sv); err != nil {
				return err
			}
			if !bytes.Equal(name, bucketRows) {
				xorDigest(&d, entryDigest(name, e.k, sv))
			}
		}
	}
	return tx.Bucket(bucketMeta).Put(keyDigest, d[:])
}

// migrateBlobs moves schema-1 reports (stored under their IDs) into blobs.
func migrateBlobs(tx *bolt.Tx) error {
	idx := tx.Bucket(bucketReports)
	blobs, err := tx.CreateBucketIfNotExists(bucketBlobs)
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
