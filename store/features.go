package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis/features"
)

// bucketFeatures holds, per message analysed here, the hashed features the
// learned model reads: id → uvarint len ‖ features.Version ‖
// features.Append(hashes). Imported reports have none, so an import cannot
// teach the model features (docs/learning.md). The bucket is created by
// the first write; stores that never wrote one read as "no features".
var bucketFeatures = []byte("features")

// appendFeatures encodes a feature set for bucketFeatures.
func appendFeatures(dst []byte, hs []uint32) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(features.Version)))
	dst = append(dst, features.Version...)
	return features.Append(dst, hs)
}

// decodeFeatures decodes a bucketFeatures value; ok is false for another
// features version (stale: the message must be analysed again) or a
// corrupt value.
func decodeFeatures(v []byte) (hs []uint32, ok bool) {
	n, k := binary.Uvarint(v)
	if k <= 0 || n > uint64(len(v)-k) || !bytes.Equal(v[k:k+int(n)], []byte(features.Version)) {
		return nil, false
	}
	hs, err := features.Decode(v[k+int(n):])
	return hs, err == nil
}

// putFeatures writes the features of message k, whose sequence key is q
// (in a write transaction).
func putFeatures(tx *bolt.Tx, k, q []byte, hs []uint32) error {
	b, err := tx.CreateBucketIfNotExists(bucketFeatures)
	if err != nil {
		return err
	}
	b.FillPercent = 1.0 // appended in sequence order
	return b.Put(q, appendFeatures(append(make([]byte, 0, 32+5+4*len(hs)), k...), hs))
}

// getFeatures returns the current-version features of message k, ok false
// when there are none.
func getFeatures(tx *bolt.Tx, k []byte) ([]uint32, bool) {
	_, v, ok := idValue(getBySeq(tx, bucketFeatures, k))
	if !ok {
		return nil, false
	}
	return decodeFeatures(v)
}

// Features returns the stored feature set of a message (without names),
// ok false when it has none: never analysed here, or analysed by a triage
// with another features version.
func (s *Store) Features(id string) (set features.Set, ok bool, err error) {
	k, err := parseID(id)
	if err != nil {
		return features.Set{}, false, fmt.Errorf("store: features: %w", err)
	}
	err = s.view(func(tx *bolt.Tx) error {
		var hs []uint32
		hs, ok = getFeatures(tx, k[:])
		set = features.FromHashes(hs)
		return nil
	})
	return set, ok, err
}

// FeatureBytes returns the bytes and count of stored feature sets: the
// cost of the features at ingest.
func (s *Store) FeatureBytes() (n int, bytes int64, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeatures)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			n++
			bytes += int64(len(k) + len(v))
			return nil
		})
	})
	return n, bytes, err
}

// putFeatures stores the features of a report analysed here (an imported
// report has none) and, when the message is labeled or taught the model
// before, brings its model member up to date.
func (w *batchWriter) putFeatures(k, q []byte, hashes []uint32) error {
	if len(hashes) == 0 {
		return nil
	}
	if err := putFeatures(w.tx, k, q, hashes); err != nil {
		return err
	}
	mb := w.tx.Bucket(bucketModelMembers)
	if w.tx.Bucket(bucketLabels).Get(k) == nil && (mb == nil || mb.Get(k) == nil) {
		return nil
	}
	return w.s.syncMember(w.tx, k, w.deltas)
}
