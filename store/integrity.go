package store

import (
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/triage-tools/triage/store/internal/analyst"
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

// errCorrupt is the package-internal name of ErrCorrupt.
var errCorrupt = ErrCorrupt

// Integrity. Values that must not silently change carry a 4-byte
// CRC-32C trailer computed over the bucket name, the key and the value
// (seal/unseal), so a value moved to another key or bucket does not verify
// either: labels, label_history, notes, report_blobs and rows. Absence of
// an analyst record is caught by a digest (store/internal/analyst).
var (
	analystRecs    = analyst.Buckets{Meta: bucketMeta, Labels: bucketLabels, History: bucketLabelHistory, Notes: bucketNotes}
	analystBuckets = [][]byte{bucketLabels, bucketLabelHistory, bucketNotes}

	currentLabel = analystRecs.CurrentLabel
	putLabel     = analystRecs.PutLabel
	getNotes     = analystRecs.GetNotes
	putNotes     = analystRecs.PutNotes
)

// verifyAnalyst checks every analyst record and the digest, that the
// current label is the last history event, and that every labeled or
// annotated message still has its report and row.
func verifyAnalyst(tx *bolt.Tx) error {
	return analystRecs.Verify(tx, allBuckets, func(k []byte) bool {
		return hasMessage(tx, k) && getBySeq(tx, bucketRows, k) != nil
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
