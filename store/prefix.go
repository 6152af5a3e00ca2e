package store

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/triage-tools/triage/store/internal/tailidx"
	bolt "go.etcd.io/bbolt"
)

// IDsWithPrefix returns the IDs of the stored messages whose hex digest
// starts with hexPrefix (lower-case hex digits, without "sha256:", 1 to 64
// of them), in ID order, at most limit of them (limit ≤ 0: no bound).
// Callers that need to tell "unique" from "ambiguous" ask for 2 or more.
func (s *Store) IDsWithPrefix(hexPrefix string, limit int) ([]string, error) {
	if len(hexPrefix) == 0 || len(hexPrefix) > 64 || !isHex(hexPrefix) {
		return nil, fmt.Errorf("store: id prefix %q: not 1 to 64 lower-case hex digits", truncate(hexPrefix, 80))
	}
	whole, _ := hex.DecodeString(hexPrefix[:len(hexPrefix)&^1])
	odd := len(hexPrefix)%2 == 1
	var nib byte
	seek := whole
	if odd {
		nib = fromHex(hexPrefix[len(hexPrefix)-1])
		seek = append(bytes.Clone(whole), nib<<4)
	}
	match := func(k []byte) bool {
		return bytes.HasPrefix(k, whole) && (!odd || len(k) > len(whole) && k[len(whole)]>>4 == nib)
	}
	var ids []string
	err := s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketReports) == nil {
			return nil
		}
		err := reportsIndex.Walk(tx, seek, whole, func(k, _ []byte) error {
			if !match(k) {
				return tailidx.ErrStop
			}
			ids = append(ids, formatID(k))
			if limit > 0 && len(ids) >= limit {
				return tailidx.ErrStop
			}
			return nil
		})
		return err
	})
	return ids, err
}
