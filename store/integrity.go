package store

import (
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/triage-tools/triage/store/internal/codec"
	bolt "go.etcd.io/bbolt"
)

// ErrCorrupt is returned (wrapped, naming the file) when the database file
// is damaged: a bbolt page that does not parse, a meta page that fails its
// checksum, a file shorter than its own high-water mark, or a label, note,
// history or report record whose checksum does not match. Run
// "triage check --repair" to salvage labels and notes.
var ErrCorrupt = codec.ErrCorrupt

// The record codecs live in store/internal/codec.
var (
	seal        = codec.Seal
	unseal      = codec.Unseal
	sealSum     = codec.SealSum
	entryDigest = codec.EntryDigest
	xorDigest   = codec.XorDigest
)

const sealLen = codec.SealLen

// errCorrupt is the package-internal name of ErrCorrupt.
var errCorrupt = ErrCorrupt

// Integrity. Values that must not silently change carry a 4-byte
// CRC-32C trailer computed over the bucket name, the key and the value
// (seal/unseal), so a value moved to another key or bucket does not verify
// either: labels, label_history, notes, report_blobs and rows. Absence is
// caught by a digest kept in the meta bucket: the XOR of
// SHA-256(bucket ‖ 0 ‖ key ‖ sealed value)[:16] over every entry of labels,
// label_history and notes, updated in the same transaction as every write
// to them and verified on every Open (cost: one read of the labeled
// messages' records).

var (
	keyDigest      = []byte("analyst_digest")
	analystBuckets = [][]byte{bucketLabels, bucketLabelHistory, bucketNotes}
)

func getDigest(tx *bolt.Tx) ([16]byte, error) {
	var d [16]byte
	v := tx.Bucket(bucketMeta).Get(keyDigest)
	if len(v) != 16 {
		return d, fmt.Errorf("%w: meta: analyst digest missing", ErrCorrupt)
	}
	copy(d[:], v)
	return d, nil
}

// putSealed writes v sealed under k in an analyst bucket and updates the
// digest; v nil deletes the entry.
func putSealed(tx *bolt.Tx, bucket, k, v []byte) error {
	d, err := getDigest(tx)
	if err != nil {
		return err
	}
	b := tx.Bucket(bucket)
	if old := b.Get(k); old != nil {
		xorDigest(&d, entryDigest(bucket, k, old))
	}
	if v == nil {
		if err := b.Delete(k); err != nil {
			return err
		}
	} else {
		sv := seal(bucket, k, v)
		xorDigest(&d, entryDigest(bucket, k, sv))
		if err := b.Put(k, sv); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketMeta).Put(keyDigest, d[:])
}

// getSealed returns the verified value of k in an analyst bucket, or nil.
func getSealed(tx *bolt.Tx, bucket, k []byte) ([]byte, error) {
	sv := tx.Bucket(bucket).Get(k)
	if sv == nil {
		return nil, nil
	}
	return unseal(bucket, k, sv)
}

// verifyAnalyst checks every analyst record and the digest, that the
// current label is the last history event, and that every labeled or
// annotated message still has its report and row.
func verifyAnalyst(tx *bolt.Tx) error {
	want, err := getDigest(tx)
	if err != nil {
		return err
	}
	for _, name := range allBuckets {
		if tx.Bucket(name) == nil {
			return fmt.Errorf("%w: bucket %s missing", ErrCorrupt, name)
		}
	}
	var got [16]byte
	for _, name := range analystBuckets {
		err := tx.Bucket(name).ForEach(func(k, sv []byte) error {
			if _, err := unseal(name, k, sv); err != nil {
				return err
			}
			if len(k) != 32 || !hasMessage(tx, k) || getBySeq(tx, bucketRows, k) == nil {
				return fmt.Errorf("%w: %s %x: no such message", ErrCorrupt, name, k)
			}
			xorDigest(&got, entryDigest(name, k, sv))
			return nil
		})
		if err != nil {
			return err
		}
	}
	if got != want {
		return fmt.Errorf("%w: labels, notes or history: digest mismatch (records missing or added)", ErrCorrupt)
	}
	return tx.Bucket(bucketLabelHistory).ForEach(func(k, _ []byte) error {
		_, _, err := currentLabel(tx, k)
		return err
	})
}

// guard runs fn turning a panic (bbolt asserts on damaged pages) or a
// memory fault (a page beyond the mapped file) into ErrCorrupt naming the
// file. Faults are only recoverable in the goroutine that set
// SetPanicOnFault, so every transaction func is wrapped with it too.
func (s *Store) guard(fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if p := recover(); p != nil {
			err = &fileError{path: s.path, err: fmt.Errorf("%w: %v", ErrCorrupt, p)}
		}
	}()
	err = fn()
	var fe *fileError
	if err != nil && errors.Is(err, ErrCorrupt) && !errors.As(err, &fe) {
		err = &fileError{path: s.path, err: err}
	}
	return err
}

// fileError names the damaged file.
type fileError struct {
	path string
	err  error
}

func (e *fileError) Error() string { return e.err.Error() + " (file " + e.path + ")" }
func (e *fileError) Unwrap() error { return e.err }

func (s *Store) guardTx(fn func(tx *bolt.Tx) error) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error { return s.guard(func() error { return fn(tx) }) }
}

// view runs fn in a guarded read transaction.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	return s.guard(func() error { return s.db.View(s.guardTx(fn)) })
}
