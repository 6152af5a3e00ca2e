package store

import (
	"encoding/hex"
	"fmt"

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
		defer unmapPages(s.db, tx) // every member was read: see RowReader
		return fillCampaigns(tx, rows)
	})
	if err != nil {
		return nil, fmt.Errorf("store: rows: campaigns: %w", err)
	}
	return rows, nil
}

// fillCampaigns sets the Campaign of each of rows (in arrival order) from
// the campaign members in tx. A member whose row is not where arrival
// order puts it (not expected) is found through a map of the rows' IDs.
func fillCampaigns(tx *bolt.Tx, rows []Row) error {
	b := tx.Bucket(campstore.BucketMembers)
	if b == nil {
		return nil
	}
	cv, err := campstore.ReadView(tx)
	if err != nil {
		return err
	}
	t := cv.Tally()
	var byID map[string]int // built on the first member out of order
	var hexID [len(IDPrefix) + 64]byte
	copy(hexID[:], IDPrefix)
	next := 0 // the row the next member should belong to
	c := b.Cursor()
	for q, v := c.First(); q != nil; q, v = c.Next() {
		cid, err := t.Add(v)
		if err != nil {
			return err
		}
		hex.Encode(hexID[len(IDPrefix):], v[:32])
		i := -1
		if byID == nil {
			for j := next; j < len(rows) && j < next+8; j++ { // a few rows without a member
				if rows[j].ID == string(hexID[:]) {
					i = j
					break
				}
			}
			if i < 0 {
				byID = make(map[string]int, len(rows))
				for j := range rows {
					byID[rows[j].ID] = j
				}
			}
		}
		if byID != nil {
			if j, ok := byID[string(hexID[:])]; ok {
				i = j
			}
		}
		if i >= 0 {
			rows[i].Campaign.ID = cid
			next = i + 1
		}
	}
	for i := range rows {
		if id := rows[i].Campaign.ID; id != "" {
			rows[i].Campaign.Size = t.Size[id]
		}
	}
	return nil
}
