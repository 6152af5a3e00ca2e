package store

import (
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/campaign"
	"github.com/triage-tools/triage/store/internal/analyst"
	"github.com/triage-tools/triage/store/internal/boltfile"
	"github.com/triage-tools/triage/store/internal/campstore"
	"github.com/triage-tools/triage/store/internal/notify"
	"github.com/triage-tools/triage/store/internal/record"
)

// Campaign storage is in store/internal/campstore.

// ErrNoCampaign is returned for a campaign ID the store does not know.
var ErrNoCampaign = campstore.ErrNoCampaign

// campaignSigs prepares, in parallel and outside the write transaction,
// the signatures of the entries that have no campaign yet (need); the
// others get nil.
func campaignSigs(entries []Entry, need []bool) []*campstore.PreparedSig {
	return campstore.PrepareSigs(len(entries), need, func(i int) *analysis.Report { return entries[i].Report })
}

// assignCampaigns gives every message of the prepared batches ps that has
// no campaign yet one, inside Commit's write transaction: its signature
// (prepared for the messages without a campaign when the batch was
// prepared) is added to the index, the assignment and any new campaign or
// merge are written. A message keeps the campaign it was first given
// (re-analysis does not move it). It runs once per transaction: the index
// is marked dirty until the commit, and a second call in the same
// transaction would rebuild it from the buckets.
func (s *Store) assignCampaigns(tx *bolt.Tx, ps []*Prepared) error {
	members := tx.Bucket(campstore.BucketMembers)
	camps := tx.Bucket(campstore.BucketCampaigns)
	if members == nil || camps == nil {
		return nil
	}
	members.FillPercent = 1.0 // appended in sequence order
	ix, unlock := s.camp.WriteIndex(tx)
	defer unlock()
	t := now()
	var buf []byte
	for _, pb := range ps {
		for i := range pb.keys {
			k := pb.keys[i][:]
			p := pb.sigs[i]
			q := pb.seqs[i] // written by this transaction (Commit)
			if p == nil || q == nil || members.Get(q) != nil {
				continue // clustered already (or not stored)
			}
			var err error
			if buf, err = campstore.Assign(members, camps, ix, q, k, pb.ids[i], p, t, buf); err != nil {
				return err
			}
		}
	}
	return nil
}

// CampaignRefs returns every assigned message's campaign and its size,
// by message ID. Messages stored before campaigns existed, or by an
// import, have none until they are analysed again.
func (s *Store) CampaignRefs() (map[string]CampaignRef, error) {
	var out map[string]CampaignRef
	err := s.view(func(tx *bolt.Tx) (err error) {
		out, err = campstore.Refs(tx)
		boltfile.Unmap(s.db, tx) // every member was read: see RowReader
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: campaigns: %w", err)
	}
	return out, nil
}

// Campaigns returns every campaign that has members, oldest first, with
// the members' signatures when withSigs is set.
func (s *Store) Campaigns(withSigs bool) ([]Campaign, error) {
	return s.campaigns("", withSigs)
}

// Campaign returns one campaign by ID; the ID of a campaign merged into
// another yields the one it was merged into. ErrNoCampaign when unknown.
func (s *Store) Campaign(id string, withSigs bool) (Campaign, error) {
	if !strings.HasPrefix(id, campaign.IDPrefix) {
		return Campaign{}, fmt.Errorf("store: campaign %q: %w", truncate(id, 40), ErrNoCampaign)
	}
	l, err := s.campaigns(id, withSigs)
	if err != nil {
		return Campaign{}, err
	}
	if len(l) == 0 {
		return Campaign{}, fmt.Errorf("store: campaign %s: %w", truncate(id, 40), ErrNoCampaign)
	}
	return l[0], nil
}

// campaigns lists the campaigns with members (only the one want resolves
// to, when want is not "").
func (s *Store) campaigns(want string, withSigs bool) ([]Campaign, error) {
	var out []Campaign
	err := s.view(func(tx *bolt.Tx) (err error) {
		out, err = campstore.List(tx, want, withSigs)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: campaigns: %w", err)
	}
	return out, nil
}

// LabelChange is one message's label change made by SetLabels or
// RevertLabels; Event.Previous is the label it replaced.
type LabelChange = record.LabelChange

// RevertOp undoes one label change: set To when the message's label is
// still Expect and by set it last.
type RevertOp = record.RevertOp

// SetLabels sets label on every message of ids in one transaction (all
// or nothing: a campaign label is one decision). With onlyUnlabeled,
// messages that already have a label are left alone; messages that have
// label already record nothing. It returns the changes made, after they
// are committed, and then announces them to subscribers. Errors:
// ErrUnknownLabel, ErrNotFound (naming the first unknown ID), ErrReadOnly.
func (s *Store) SetLabels(ids []string, label string, onlyUnlabeled bool, by Actor) ([]LabelChange, error) {
	if label != "" {
		if _, ok := s.labelSet[label]; !ok {
			return nil, fmt.Errorf("store: set labels %q: %w", truncate(label, 40), ErrUnknownLabel)
		}
	}
	out, _, err := s.relabel(ids, by, "set labels", func(_ int, cur string, _ []LabelEvent) (string, analyst.Decision) {
		if cur == label || (onlyUnlabeled && cur != "") {
			return "", analyst.Skip
		}
		return label, analyst.Set
	})
	return out, err
}

// RevertLabels applies ops in one transaction. An op whose message's
// label changed since (another label, or the last change made by someone
// else) is refused and returned in refused with the current label and
// who set it (Event.Label, Event.Actor); the others are done. Errors are
// SetLabels'.
func (s *Store) RevertLabels(ops []RevertOp, by Actor) (done, refused []LabelChange, err error) {
	ids := make([]string, len(ops))
	for i, op := range ops {
		if op.To != "" {
			if _, ok := s.labelSet[op.To]; !ok {
				return nil, nil, fmt.Errorf("store: revert labels %q: %w", truncate(op.To, 40), ErrUnknownLabel)
			}
		}
		ids[i] = op.ID
	}
	return s.relabel(ids, by, "revert labels", func(i int, cur string, hist []LabelEvent) (string, analyst.Decision) {
		switch {
		case cur != ops[i].Expect || (len(hist) > 0 && hist[len(hist)-1].Actor.Name != by.Name):
			return "", analyst.Refuse
		case cur == ops[i].To:
			return "", analyst.Skip
		}
		return ops[i].To, analyst.Set
	})
}

// relabel changes the labels of the messages ids in one transaction as
// decide says (analystRecs.Relabel), then announces the changes made, in
// commit order. what names the operation in errors.
func (s *Store) relabel(ids []string, by Actor, what string, decide func(i int, cur string, hist []LabelEvent) (string, analyst.Decision)) (done, refused []LabelChange, err error) {
	keys, err := parseIDs(ids)
	if err != nil {
		return nil, nil, fmt.Errorf("store: %s: %w", what, err)
	}
	t := now()
	var tk notify.Ticket[Change]
	err = s.update(func(tx *bolt.Tx) (err error) {
		s.hub.Stage(&tk)
		exists := func(k []byte) bool { return hasMessage(tx, k) }
		done, refused, err = analystRecs.Relabel(tx, keys, ids, by, t, exists, ErrNotFound, decide)
		return err
	})
	if err != nil {
		s.hub.Announce(&tk)
		return nil, nil, fmt.Errorf("store: %s: %w", what, err)
	}
	changes := make([]Change, len(done))
	for i, c := range done {
		changes[i] = Change{ID: c.ID, Kind: "label", Label: c.Event.Label, Actor: by}
	}
	s.hub.Announce(&tk, changes...)
	return done, refused, nil
}

func parseIDs(ids []string) ([][32]byte, error) {
	keys := make([][32]byte, len(ids))
	for i, id := range ids {
		k, err := parseID(id)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	return keys, nil
}

// importCampaign gives an imported message that has no campaign one: the
// campaign its export names (so that stores exchanging exports share
// campaign IDs), or else the one the index assigns.
func (s *Store) importCampaign(tx *bolt.Tx, k []byte, id string, sig *campaign.Sig, ref *CampaignRef) error {
	members, camps := tx.Bucket(campstore.BucketMembers), tx.Bucket(campstore.BucketCampaigns)
	q := seqOf(tx, k)
	if members == nil || camps == nil || q == nil || members.Get(q) != nil {
		return nil
	}
	ix, unlock := s.camp.WriteIndex(tx)
	defer unlock()
	return campstore.Import(members, camps, ix, q, k, id, sig, ref, now())
}

// CampaignSummaries returns the campaigns with at least minSize members,
// summarised from their rows, largest first (then by score, then ID).
// With only, just the campaigns with a member in only are listed (all
// members still count). Signatures are included.
func (s *Store) CampaignSummaries(minSize int, only map[string]bool) ([]CampaignSummary, error) {
	camps, err := s.Campaigns(true)
	if err != nil {
		return nil, err
	}
	all, err := s.Rows() // one read, rather than one per campaign
	if err != nil {
		return nil, err
	}
	return record.Summaries(camps, all, minSize, only), nil
}

// CampaignOf returns the campaign of message id and its size (a zero
// CampaignRef when the message has none). It reads the member records
// once to count the size.
func (s *Store) CampaignOf(id string) (CampaignRef, error) {
	k, err := parseID(id)
	if err != nil {
		return CampaignRef{}, fmt.Errorf("store: campaign of: %w", err)
	}
	var ref CampaignRef
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(campstore.BucketMembers)
		if b == nil {
			return nil
		}
		v := getBySeq(tx, campstore.BucketMembers, k[:])
		if v == nil {
			return nil
		}
		ref, err = campstore.Of(tx, v)
		return err
	})
	if err != nil {
		return CampaignRef{}, fmt.Errorf("store: campaign of %s: %w", id, err)
	}
	return ref, nil
}
