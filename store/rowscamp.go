package store

import (
	"fmt"

	"github.com/triage-tools/triage/store/internal/boltfile"
	"github.com/triage-tools/triage/store/internal/campstore"
	bolt "go.etcd.io/bbolt"
)

// RowsWithCampaigns is Rows with each row's Campaign filled in, as
// CampaignRefs gives it. The campaign members are keyed by arrival, as
// the rows are, so they are read alongside the rows instead of through a
// map of every message ID (at a million messages that map was seconds
// of work and a few hundred megabytes). The members are read in a second
// read transaction: a message stored in between has no campaign here.
func (s *Store) RowsWithCampaigns() ([]Row, error) {
	rows, err := s.Rows()
	if err != nil {
		return nil, err
	}
	err = s.view(func(tx *bolt.Tx) error {
		defer boltfile.Unmap(s.db, tx) // every member was read: see RowReader
		return campstore.FillRows(tx, rows)
	})
	if err != nil {
		return nil, fmt.Errorf("store: rows: campaigns: %w", err)
	}
	return rows, nil
}
