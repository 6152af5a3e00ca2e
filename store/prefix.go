package store

import (
	"fmt"

	"github.com/triage-tools/triage/store/internal/ids"
	"github.com/triage-tools/triage/store/internal/tailidx"
	bolt "go.etcd.io/bbolt"
)

// IDsWithPrefix returns the IDs of the stored messages whose hex digest
// starts with hexPrefix (lower-case hex digits, without "sha256:", 1 to 64
// of them), in ID order, at most limit of them (limit ≤ 0: no bound).
// Callers that need to tell "unique" from "ambiguous" ask for 2 or more.
func (s *Store) IDsWithPrefix(hexPrefix string, limit int) ([]string, error) {
	p, ok := ids.ParseHexPrefix(hexPrefix)
	if !ok {
		return nil, fmt.Errorf("store: id prefix %q: not 1 to 64 lower-case hex digits", truncate(hexPrefix, 80))
	}
	var out []string
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		out, err = idsWithPrefix(tx, p, limit)
		return err
	})
	return out, err
}

// idsWithPrefix returns the IDs of the reports index that start with p,
// in ID order, at most limit of them (limit ≤ 0: no bound).
func idsWithPrefix(tx *bolt.Tx, p ids.HexPrefix, limit int) ([]string, error) {
	if tx.Bucket(bucketReports) == nil {
		return nil, nil
	}
	var out []string
	err := reportsIndex.Walk(tx, p.Seek(), p.Whole, func(k, _ []byte) error {
		if !p.Match(k) {
			return tailidx.ErrStop
		}
		out = append(out, formatID(k))
		if limit > 0 && len(out) >= limit {
			return tailidx.ErrStop
		}
		return nil
	})
	return out, err
}
