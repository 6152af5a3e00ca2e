package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis/features"
	"github.com/triage-tools/triage/store/internal/learned"
)

// getFeatures returns the current-version features of message k, ok false
// when there are none.
func getFeatures(tx *bolt.Tx, k []byte) ([]uint32, bool) {
	_, v, ok := idValue(getBySeq(tx, learned.BucketFeatures, k))
	if !ok {
		return nil, false
	}
	return learned.DecodeFeatures(v)
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
		b := tx.Bucket(learned.BucketFeatures)
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
	if err := learned.PutFeatures(w.tx, k, q, hashes); err != nil {
		return err
	}
	mb := w.tx.Bucket(learned.BucketMembers)
	if w.tx.Bucket(bucketLabels).Get(k) == nil && (mb == nil || mb.Get(k) == nil) {
		return nil
	}
	return w.s.syncMember(w.tx, k, w.deltas)
}
