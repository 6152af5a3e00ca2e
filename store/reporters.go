package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Reporters: who reported a message found inside a report wrapper. One
// record per wrapper, keyed by the message key ‖ the wrapper's key (the
// SHA-256 of the wrapper's bytes), so that reading the same report mailbox
// again adds nothing and the records of one message are one key range.
// Records are derived data (a new scan rebuilds them), kept as JSON.

// bucketReporters holds ReporterRecord JSON under message key ‖ wrapper key.
var bucketReporters = []byte("reporters")

// MaxReporters is the number of reporter records kept per message; later
// reports of the same message are not recorded.
const MaxReporters = 10000

// putReporter records the reporter of entry e, whose report came out of a
// wrapper, under message key k. A record already present is kept (the
// first sighting of a wrapper wins, like locators).
func putReporter(tx *bolt.Tx, k []byte, r *preparedReporter) error {
	b := tx.Bucket(bucketReporters)
	if b == nil {
		return nil // a store opened before this bucket existed and not yet upgraded
	}
	key := append(append(make([]byte, 0, 64), k...), r.wrapper[:]...)
	if b.Get(key) != nil {
		return nil
	}
	if countPrefix(b, k, MaxReporters) >= MaxReporters {
		return nil
	}
	return b.Put(key, r.rec)
}

// preparedReporter is the reporter record of a message found inside a
// report wrapper, encoded by Prepare: the wrapper's key and the record.
type preparedReporter struct {
	wrapper [32]byte
	rec     []byte
}

// prepareReporter encodes the reporter record of e, whose report has a
// Wrapper.
func prepareReporter(e *Entry) (*preparedReporter, error) {
	w := e.Report.Wrapper
	wk, err := parseID(w.ID)
	if err != nil {
		// Not made by Analyze: still one record per distinct wrapper ID.
		wk = sha256.Sum256([]byte(w.ID))
	}
	rec := ReporterRecord{Reporter: w.Reporter, Kind: w.Kind, Path: w.Path, Locator: e.Locator.Wrapper()}
	v, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	return &preparedReporter{wrapper: wk, rec: v}, nil
}

// countPrefix counts the keys of b starting with prefix, up to max.
func countPrefix(b *bolt.Bucket, prefix []byte, max int) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && n < max; k, _ = c.Next() {
		n++
	}
	return n
}

// Reporters returns the reports of a message, oldest report first (then
// by reporter address). A message never reported yields an empty slice;
// an unknown ID yields ErrNotFound.
func (s *Store) Reporters(id string) ([]ReporterRecord, error) {
	k, err := parseID(id)
	if err != nil {
		return nil, err
	}
	var out []ReporterRecord
	err = s.view(func(tx *bolt.Tx) error {
		if !hasMessage(tx, k[:]) {
			return ErrNotFound
		}
		var err error
		out, err = reportersTx(tx, k[:])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: reporters %s: %w", id, err)
	}
	return out, nil
}

func reportersTx(tx *bolt.Tx, k []byte) ([]ReporterRecord, error) {
	out := []ReporterRecord{}
	b := tx.Bucket(bucketReporters)
	if b == nil {
		return out, nil
	}
	c := b.Cursor()
	for rk, v := c.Seek(k); rk != nil && bytes.HasPrefix(rk, k); rk, v = c.Next() {
		var r ReporterRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, fmt.Errorf("reporter %x: %w", rk, errCorrupt)
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b ReporterRecord) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return bytes.Compare([]byte(a.From.Address), []byte(b.From.Address))
	})
	return out, nil
}

// reportedCounts walks the reporters bucket once and calls fn with each
// reported message key and its number of reports, in key order.
func reportedCounts(tx *bolt.Tx, fn func(k []byte, n int)) {
	b := tx.Bucket(bucketReporters)
	if b == nil {
		return
	}
	c := b.Cursor()
	var cur []byte
	n := 0
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) != 64 {
			continue
		}
		if cur != nil && bytes.Equal(cur, k[:32]) {
			n++
			continue
		}
		if cur != nil {
			fn(cur, n)
		}
		cur, n = append(cur[:0], k[:32]...), 1
	}
	if cur != nil {
		fn(cur, n)
	}
}

// fillReported sets Reported on rows (as Rows returns them).
func fillReported(tx *bolt.Tx, rows []Row) {
	counts := map[string]int{}
	reportedCounts(tx, func(k []byte, n int) { counts[formatID(k)] = n })
	if len(counts) == 0 {
		return
	}
	for i := range rows {
		if n, ok := counts[rows[i].ID]; ok {
			rows[i].Reported = n
		}
	}
}

// ReportedCount returns the number of reports of each given message that
// was reported at all.
func (s *Store) ReportedCount(ids []string) (map[string]int, error) {
	out := map[string]int{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReporters)
		if b == nil {
			return nil
		}
		for _, id := range ids {
			k, err := parseID(id)
			if err != nil {
				continue
			}
			if n := countPrefix(b, k[:], MaxReporters); n > 0 {
				out[id] = n
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: reported counts: %w", err)
	}
	return out, nil
}
