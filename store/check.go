package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/triage-tools/triage/store/internal/boltfile"
	"github.com/triage-tools/triage/store/internal/codec"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// maxCheckProblems bounds the problems a check lists.
const maxCheckProblems = 100

// CheckResult is what Check found.
type CheckResult struct {
	Problems []string // empty when the file is sound; at most 100
	Messages int      // reports indexed
	Labeled  int      // messages with a label history
	Notes    int      // messages with notes
}

func (r *CheckResult) problem(format string, args ...any) {
	if len(r.Problems) < maxCheckProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Check verifies the database at path without changing it: the meta pages
// and file size, bbolt's page consistency check (tx.Check), the checksum of
// every label, history, note, row and report record, and the analyst
// digest. A damaged file gives a result with Problems, not an error;
// errors are for a file that cannot be checked at all (missing, locked:
// ErrLocked within timeout).
func Check(path string, timeout time.Duration) (CheckResult, error) {
	var res CheckResult
	if err := boltfile.Preflight(path, ErrCorrupt); err != nil {
		res.problem("%v", err)
	}
	err := withReadOnly(path, timeout, func(s *Store) error {
		return s.view(func(tx *bolt.Tx) error { return checkTx(tx, &res) })
	})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return res, fmt.Errorf("%w: %s (lock not acquired within %v)", ErrLocked, path, timeout)
	case errors.Is(err, ErrCorrupt), errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum):
		res.problem("%v", err)
	case err != nil:
		return res, fmt.Errorf("store: check %s: %w", path, err)
	}
	return res, nil
}

// withReadOnly opens the database at path read-only (waiting at most
// timeout for the lock) under the store's panic guard, runs f on a Store
// around it and closes it. Errors are bbolt's, unwrapped.
func withReadOnly(path string, timeout time.Duration, f func(s *Store) error) error {
	s := &Store{path: path, readOnly: true}
	return s.guard(func() error {
		db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: timeout})
		if err != nil {
			return err
		}
		defer db.Close()
		s.db = db
		return f(s)
	})
}

func checkTx(tx *bolt.Tx, res *CheckResult) error {
	for err := range tx.Check() {
		res.problem("bbolt: %v", err)
	}
	if v, ok := schemaOf(tx); !ok || v != SchemaVersion {
		res.problem("schema %d (this triage checks %d; open the store read-write once to upgrade)", v, SchemaVersion)
		return nil
	}
	if err := verifyAnalyst(tx); err != nil {
		res.problem("%v", err)
	}
	if b := tx.Bucket(bucketLabelHistory); b != nil {
		res.Labeled = b.Stats().KeyN
	}
	if b := tx.Bucket(bucketNotes); b != nil {
		res.Notes = b.Stats().KeyN
	}
	if b := tx.Bucket(bucketRows); b != nil {
		_ = b.ForEach(func(q, iv []byte) error {
			k, v, ok := idValue(iv)
			if !ok {
				res.problem("%v: row %x", errCorrupt, q)
				return nil
			}
			if _, err := codec.Unseal(bucketRows, k, v); err != nil {
				res.problem("%v", err)
			}
			return nil
		})
	}
	_ = reportsIndex.Walk(tx, nil, nil, func(k, _ []byte) error {
		res.Messages++
		if _, err := getReport(tx, k); err != nil {
			res.problem("report %x: %v", k, err)
		}
		return nil
	})
	return nil
}

// SalvageResult counts what Salvage recovered and lost.
type SalvageResult struct {
	Messages int // messages written to the export
	Lost     int // label, history or note records that failed their checksum or did not decode
}

// Salvage reads every label history and note that can still be read and
// verified from a possibly damaged database and writes them to w as a
// JSON Lines export (schema triage.corpus/v1, no report data), to be
// imported into a fresh store. Records that fail their checksum are
// counted as lost; a bucket whose pages cannot be read is skipped. The
// file is opened read-only.
func Salvage(path string, timeout time.Duration, w io.Writer) (SalvageResult, error) {
	var res SalvageResult
	msgs := map[string]*ExportMessage{}
	var order []string
	get := func(k []byte) *ExportMessage {
		id := formatID(k)
		if m, ok := msgs[id]; ok {
			return m
		}
		m := &ExportMessage{ID: id}
		msgs[id] = m
		order = append(order, id)
		return m
	}
	err := withReadOnly(path, timeout, func(s *Store) error {
		for _, name := range [][]byte{bucketLabelHistory, bucketNotes} {
			// Each bucket on its own: a damaged one must not cost the other.
			_ = s.view(func(tx *bolt.Tx) error {
				b := tx.Bucket(name)
				if b == nil {
					return nil
				}
				return b.ForEach(func(k, sv []byte) error {
					v, err := codec.Unseal(name, k, sv)
					if err != nil || len(k) != 32 {
						res.Lost++
						return nil
					}
					m := get(k)
					if string(name) == string(bucketNotes) {
						err = json.Unmarshal(v, &m.Notes)
					} else {
						err = json.Unmarshal(v, &m.LabelHistory)
					}
					if err != nil {
						res.Lost++
					}
					return nil
				})
			})
		}
		return nil
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return res, fmt.Errorf("%w: %s (lock not acquired within %v)", ErrLocked, path, timeout)
	}
	if err != nil {
		return res, fmt.Errorf("store: salvage %s: %w", path, err)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ExportHeader{Schema: ExportSchema, ExportedAt: now(), Count: len(order)}); err != nil {
		return res, fmt.Errorf("store: salvage: %w", err)
	}
	for _, id := range order {
		if err := enc.Encode(msgs[id]); err != nil {
			return res, fmt.Errorf("store: salvage: %w", err)
		}
		res.Messages++
	}
	return res, nil
}
