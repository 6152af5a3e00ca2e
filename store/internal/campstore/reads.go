package campstore

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/campaign"
	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/ids"
	"github.com/triage-tools/triage/store/internal/record"
)

// View holds the campaigns bucket read in one transaction.
type View struct {
	Recs map[string]Record
}

// ReadView reads the campaigns bucket of tx.
func ReadView(tx *bolt.Tx) (View, error) {
	cv := View{Recs: map[string]Record{}}
	b := tx.Bucket(BucketCampaigns)
	if b == nil {
		return cv, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		r, err := decodeRecord(v)
		if err != nil {
			return err
		}
		cv.Recs[string(k)] = r
		return nil
	})
	return cv, err
}

// Resolve follows merges from cid to the campaign that holds it now.
func (cv View) Resolve(cid string) string {
	for range 64 {
		r, ok := cv.Recs[cid]
		if !ok || r.Into == "" {
			return cid
		}
		cid = r.Into
	}
	return cid
}

// Tally reads campaign members through a view: each member's campaign
// after merges, one shared string per campaign (the workbench keeps a ref
// in every row), and the number of members of each.
type Tally struct {
	cv     View
	shared map[string]string
	Size   map[string]int // members by campaign ID
}

// Tally starts a tally of members read through cv.
func (cv View) Tally() *Tally {
	return &Tally{cv: cv, shared: map[string]string{}, Size: map[string]int{}}
}

// Add counts member value v and returns its campaign's ID.
func (t *Tally) Add(v []byte) (string, error) {
	cid, _, err := DecodeMember(v)
	if err != nil {
		return "", err
	}
	cid = t.cv.Resolve(cid)
	if s, ok := t.shared[cid]; ok {
		cid = s
	} else {
		t.shared[cid] = cid
	}
	t.Size[cid]++
	return cid, nil
}

// Refs returns every assigned message's campaign and its size, by message
// ID.
func Refs(tx *bolt.Tx) (map[string]record.CampaignRef, error) {
	out := map[string]record.CampaignRef{}
	cv, err := ReadView(tx)
	if err != nil {
		return out, err
	}
	b := tx.Bucket(BucketMembers)
	if b == nil {
		return out, nil
	}
	t := cv.Tally()
	err = b.ForEach(func(k, v []byte) error {
		cid, err := t.Add(v)
		if err != nil {
			return err
		}
		out[ids.Format(v[:32])] = record.CampaignRef{ID: cid}
		return nil
	})
	for id, r := range out {
		r.Size = t.Size[r.ID]
		out[id] = r
	}
	return out, err
}

// List lists the campaigns with members, oldest first (only the one want
// resolves to, when want is not ""), with the members' signatures when
// withSigs is set.
func List(tx *bolt.Tx, want string, withSigs bool) ([]record.Campaign, error) {
	var out []record.Campaign
	cv, err := ReadView(tx)
	if err != nil {
		return nil, err
	}
	if want != "" {
		if _, ok := cv.Recs[want]; !ok {
			return nil, nil
		}
		want = cv.Resolve(want)
	}
	b := tx.Bucket(BucketMembers)
	if b == nil {
		return nil, nil
	}
	at := map[string]int{}
	err = b.ForEach(func(k, v []byte) error {
		cid, sb, err := DecodeMember(v)
		if err != nil {
			return err
		}
		cid = cv.Resolve(cid)
		if want != "" && cid != want {
			return nil
		}
		i, ok := at[cid]
		if !ok {
			i = len(out)
			at[cid] = i
			out = append(out, record.Campaign{ID: cid, Created: cv.Recs[cid].Created})
		}
		c := &out[i]
		c.Members = append(c.Members, ids.Format(v[:32]))
		if withSigs {
			sig, err := campaign.DecodeSig(sb)
			if err != nil {
				return fmt.Errorf("%w: %x: %w", codec.ErrCorrupt, k, err)
			}
			c.Sigs = append(c.Sigs, sig)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for from, r := range cv.Recs {
		if r.Into == "" {
			continue
		}
		if i, ok := at[cv.Resolve(from)]; ok {
			out[i].Merged = append(out[i].Merged, record.CampaignMerge{From: from, At: r.MergedAt})
		}
	}
	for i := range out {
		slices.SortFunc(out[i].Merged, func(a, b record.CampaignMerge) int { return strings.Compare(a.From, b.From) })
		out[i].SortMembers()
	}
	slices.SortFunc(out, func(a, b record.Campaign) int {
		return cmpSeq(cv.Recs[a.ID].Seq, cv.Recs[b.ID].Seq, a.ID, b.ID)
	})
	return out, nil
}

func cmpSeq(a, b uint64, ida, idb string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return strings.Compare(ida, idb)
}

// Of returns the campaign of the message whose member record is v, and
// its size (it reads every member record once to count).
func Of(tx *bolt.Tx, v []byte) (record.CampaignRef, error) {
	var ref record.CampaignRef
	cv, err := ReadView(tx)
	if err != nil {
		return ref, err
	}
	cid, _, err := DecodeMember(v)
	if err != nil {
		return ref, err
	}
	ref.ID = cv.Resolve(cid)
	err = tx.Bucket(BucketMembers).ForEach(func(_, v []byte) error {
		c, _, err := DecodeMember(v)
		if err == nil && (c == ref.ID || cv.Resolve(c) == ref.ID) {
			ref.Size++
		}
		return nil
	})
	return ref, err
}

// FillRows sets the Campaign of each of rows (in arrival order) from
// the campaign members in tx. A member whose row is not where arrival
// order puts it (not expected) is found through a map of the rows' IDs.
func FillRows(tx *bolt.Tx, rows []record.Row) error {
	b := tx.Bucket(BucketMembers)
	if b == nil {
		return nil
	}
	cv, err := ReadView(tx)
	if err != nil {
		return err
	}
	t := cv.Tally()
	var byID map[string]int // built on the first member out of order
	var hexID [len(ids.Prefix) + 64]byte
	copy(hexID[:], ids.Prefix)
	next := 0 // the row the next member should belong to
	c := b.Cursor()
	for q, v := c.First(); q != nil; q, v = c.Next() {
		cid, err := t.Add(v)
		if err != nil {
			return err
		}
		hex.Encode(hexID[len(ids.Prefix):], v[:32])
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
