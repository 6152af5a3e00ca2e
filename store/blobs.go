package store

import (
	"encoding/binary"
	"fmt"

	"github.com/triage-tools/triage/store/internal/codec"
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

// Message sequence numbers (schema 5). The reports bucket maps a message
// ID to its blob pointer (8 bytes) followed by the message's sequence
// number (8 bytes, big endian), given once, at the first insert, in
// arrival order. The bulky per-message buckets (rows, locators, features,
// campaign_members) are keyed by that number, so that ingest appends at
// the right edge of each B+tree instead of rewriting pages all over it on
// every commit (which left about 40% of a fresh store as freed pages and
// made each commit's dirty pages, held on the heap, grow with the store).
// Only the reports and Message-ID indexes stay keyed by hash. Values of
// buckets walked by cursor (rows, features, campaign_members) start with
// the 32-byte message ID.
const ptrLen = 8

// seqOf returns the sequence key of message k, or nil when it has none.
func seqOf(tx *bolt.Tx, k []byte) []byte {
	if p, _ := reportsIndex.Get(tx, k); len(p) == 2*ptrLen {
		return p[ptrLen:]
	}
	return nil
}

// getBySeq returns the value of message k in the sequence-keyed bucket
// name, or nil.
func getBySeq(tx *bolt.Tx, name, k []byte) []byte {
	b := tx.Bucket(name)
	if b == nil {
		return nil
	}
	if q := seqOf(tx, k); q != nil {
		return b.Get(q)
	}
	return nil
}

// idValue splits a value that starts with its message ID.
func idValue(v []byte) (k, rest []byte, ok bool) {
	if len(v) < 32 {
		return nil, nil, false
	}
	return v[:32], v[32:], true
}

// withID returns k ‖ v in a fresh slice (bbolt keeps it until commit).
func withID(k, v []byte) []byte {
	return append(append(make([]byte, 0, len(k)+len(v)), k...), v...)
}

// errDanglingReport is reported when an index entry has no blob.
var errDanglingReport = fmt.Errorf("%w: report index points at a missing blob", ErrCorrupt)

// getReport returns the encoded report of message key k, or nil.
func getReport(tx *bolt.Tx, k []byte) ([]byte, error) {
	p, _ := reportsIndex.Get(tx, k)
	if p == nil {
		return nil, nil
	}
	return reportAt(tx, k, p)
}

// reportAt is getReport of message k whose index entry is p (not nil).
func reportAt(tx *bolt.Tx, k, p []byte) ([]byte, error) {
	if len(p) != ptrLen && len(p) != 2*ptrLen {
		return nil, fmt.Errorf("%w: bad pointer of %d bytes", errDanglingReport, len(p))
	}
	v := tx.Bucket(bucketBlobs).Get(p[:ptrLen])
	if v == nil {
		return nil, errDanglingReport
	}
	return codec.Unseal(bucketBlobs, k, v)
}

// putReport stores the encoded report v of message k, replacing (and
// freeing) an earlier version, and returns the message's sequence key
// (given now to a new message).
func putReport(tx *bolt.Tx, k, v []byte) ([]byte, error) {
	return putSealedReport(tx, k, codec.Seal(bucketBlobs, k, v))
}

// putSealedReport is putReport of a report already sealed for
// report_blobs under k (PutBatch seals while encoding, so the commit does
// not copy every report once more). bbolt keeps sv until the commit.
func putSealedReport(tx *bolt.Tx, k, sv []byte) ([]byte, error) {
	old, in := reportsIndex.Get(tx, k)
	return putSealedReportAt(tx, k, sv, old, in)
}

// putSealedReportAt is putSealedReport given the message's index entry
// old and the bucket in that holds it (both nil for a new message), as
// reportsIndex.Get returns them.
func putSealedReportAt(tx *bolt.Tx, k, sv, old []byte, in *bolt.Bucket) ([]byte, error) {
	idx, blobs := tx.Bucket(bucketReports), tx.Bucket(bucketBlobs)
	blobs.FillPercent = 1.0 // append-only
	if len(old) >= ptrLen {
		if err := blobs.Delete(old[:ptrLen]); err != nil {
			return nil, err
		}
	}
	seq, err := blobs.NextSequence()
	if err != nil {
		return nil, err
	}
	p := binary.BigEndian.AppendUint64(make([]byte, 0, 2*ptrLen), seq)
	if err := blobs.Put(p, sv); err != nil {
		return nil, err
	}
	if len(old) == 2*ptrLen {
		p = append(p, old[ptrLen:]...)
	} else {
		ms, err := idx.NextSequence()
		if err != nil {
			return nil, err
		}
		p = binary.BigEndian.AppendUint64(p, ms)
	}
	if in == nil { // a new message: into the tail (tailidx.go)
		if in, err = reportsIndex.NewEntryBucket(tx); err != nil {
			return nil, err
		}
	}
	return p[ptrLen:], in.Put(k, p)
}
