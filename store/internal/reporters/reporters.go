// Package reporters keeps who reported a message found inside a report
// wrapper in a bbolt file. One record per wrapper, keyed by the message
// key ‖ the wrapper's key (the SHA-256 of the wrapper's bytes), so that
// reading the same report mailbox again adds nothing and the records of
// one message are one key range. Records are derived data (a new scan
// rebuilds them), kept as JSON (record.ReporterRecord).
package reporters

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/record"
)

// Bucket holds ReporterRecord JSON under message key ‖ wrapper key.
var Bucket = []byte("reporters")

// Max is the number of reporter records kept per message; later reports
// of the same message are not recorded.
const Max = 10000

// Prepared is the reporter record of a message found inside a report
// wrapper, encoded before the write transaction: the wrapper's key and the
// record.
type Prepared struct {
	Wrapper [32]byte
	Rec     []byte
}

// Put records the prepared reporter r under message key k. A record
// already present is kept (the first sighting of a wrapper wins, like
// locators).
func Put(tx *bolt.Tx, k []byte, r *Prepared) error {
	b := tx.Bucket(Bucket)
	if b == nil {
		return nil // a store opened before this bucket existed and not yet upgraded
	}
	key := append(append(make([]byte, 0, 64), k...), r.Wrapper[:]...)
	if b.Get(key) != nil {
		return nil
	}
	if CountPrefix(b, k, Max) >= Max {
		return nil
	}
	return b.Put(key, r.Rec)
}

// CountPrefix counts the keys of b starting with prefix, up to max.
func CountPrefix(b *bolt.Bucket, prefix []byte, max int) int {
	return CountPrefixAt(b.Cursor(), prefix, max)
}

// CountPrefixAt is CountPrefix with a cursor of the bucket, which a
// caller counting for many messages reuses (a new cursor allocates its
// stack on the first seek).
func CountPrefixAt(c *bolt.Cursor, prefix []byte, max int) int {
	n := 0
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && n < max; k, _ = c.Next() {
		n++
	}
	return n
}

// List returns the reports of message k, oldest report first (then by
// reporter address); an empty slice when there are none.
func List(tx *bolt.Tx, k []byte) ([]record.ReporterRecord, error) {
	out := []record.ReporterRecord{}
	b := tx.Bucket(Bucket)
	if b == nil {
		return out, nil
	}
	c := b.Cursor()
	for rk, v := c.Seek(k); rk != nil && bytes.HasPrefix(rk, k); rk, v = c.Next() {
		var r record.ReporterRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return nil, fmt.Errorf("reporter %x: %w", rk, codec.ErrCorrupt)
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b record.ReporterRecord) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return bytes.Compare([]byte(a.From.Address), []byte(b.From.Address))
	})
	return out, nil
}

// Counts walks the bucket once and calls fn with each reported message
// key and its number of reports, in key order.
func Counts(tx *bolt.Tx, fn func(k []byte, n int)) {
	b := tx.Bucket(Bucket)
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
