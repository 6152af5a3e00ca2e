package store

import (
	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/store/internal/exchange"
)

// The validation of imported values is in store/internal/exchange.

// importNotes merges notes by ID (exchange.MergeNotes). It returns how many
// notes were new and whether anything changed.
func importNotes(tx *bolt.Tx, k []byte, in []Note, sum *ImportSummary) (added int, changed bool, err error) {
	if len(in) == 0 {
		return 0, false, nil
	}
	notes, err := getNotes(tx, k)
	if err != nil {
		return 0, false, err
	}
	notes, added, changed = exchange.MergeNotes(notes, in, sum)
	if !changed {
		return 0, false, nil
	}
	return added, true, putNotes(tx, k, notes)
}
