package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/triage-tools/triage/store/internal/campstore"
	"github.com/triage-tools/triage/store/internal/learned"
	bolt "go.etcd.io/bbolt"
)

// migrateSeqs upgrades schema 4 to 5: every message gets a sequence
// number in the order its report was first stored (its blob pointer's
// order), kept after the blob pointer in the reports index, and the rows,
// features, campaign_members and locators buckets are re-keyed by it
// (see the comment on ptrLen). Records of a message without a report
// cannot be reached and are dropped. Labels, label history, notes,
// reporters and the enrichment cache are keyed by ID and not touched, so
// the analyst digest is unchanged.
func migrateSeqs(tx *bolt.Tx) error {
	idx := tx.Bucket(bucketReports)
	if idx == nil {
		return nil
	}
	type ent struct {
		k   [32]byte
		ptr []byte
	}
	var all []ent
	err := idx.ForEach(func(k, v []byte) error {
		if len(k) != 32 || len(v) != ptrLen {
			return fmt.Errorf("%w: report index entry %x", ErrCorrupt, k)
		}
		all = append(all, ent{k: [32]byte(k), ptr: bytes.Clone(v)})
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(all, func(a, b ent) int { return bytes.Compare(a.ptr, b.ptr) })
	seqs := make(map[[32]byte][]byte, len(all))
	for i, e := range all {
		p := binary.BigEndian.AppendUint64(e.ptr, uint64(i+1))
		if err := idx.Put(e.k[:], p); err != nil {
			return err
		}
		seqs[e.k] = p[ptrLen:]
	}
	if err := idx.SetSequence(uint64(len(all))); err != nil {
		return err
	}
	for _, name := range [][]byte{bucketRows, learned.BucketFeatures, campstore.BucketMembers, bucketLocators} {
		if err := rekeyBySeq(tx, name, seqs, !bytes.Equal(name, bucketLocators)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// rekeyBySeq rewrites the ID-keyed bucket name under sequence keys,
// prefixing each value with its message ID when withID.
func rekeyBySeq(tx *bolt.Tx, name []byte, seqs map[[32]byte][]byte, withIDs bool) error {
	b := tx.Bucket(name)
	if b == nil {
		return nil
	}
	var all []kv
	err := b.ForEach(func(k, v []byte) error {
		if len(k) != 32 {
			return nil
		}
		q := seqs[[32]byte(k)]
		if q == nil {
			return nil // no report: unreachable
		}
		if withIDs {
			v = withID(k, v)
		} else {
			v = bytes.Clone(v)
		}
		all = append(all, kv{q, v})
		return nil
	})
	if err != nil {
		return err
	}
	return refill(tx, name, all)
}

// kv is one key and value of a bucket being rewritten.
type kv struct{ k, v []byte }

// refill replaces the bucket name with a new one that holds all, written
// in key order and filled densely (all is sorted in place).
func refill(tx *bolt.Tx, name []byte, all []kv) error {
	if err := tx.DeleteBucket(name); err != nil {
		return err
	}
	nb, err := tx.CreateBucket(name)
	if err != nil {
		return err
	}
	nb.FillPercent = 1.0
	slices.SortFunc(all, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
	for _, e := range all {
		if err := nb.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}
