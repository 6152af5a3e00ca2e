package store

import (
	"errors"
	"fmt"

	"github.com/triage-tools/triage/store/internal/uistate"
	bolt "go.etcd.io/bbolt"
)

// ErrLabelChanged is returned by SetLabelIf when the message's current
// label is not the expected one (someone changed it in between).
var ErrLabelChanged = errors.New("store: label changed since")

// SetLabelIf is SetLabel with a check-and-set: it sets label only when the
// current label is expect and the last change was made by by.Name (for
// "undo my own change"), all in one transaction. Otherwise it changes
// nothing and returns an error wrapping ErrLabelChanged whose event
// carries the current label and who set it (Label and Actor). Other
// errors are SetLabel's.
func (s *Store) SetLabelIf(id, label, expect string, by Actor) (LabelEvent, error) {
	var cur LabelEvent
	ev, err := s.setLabel(id, label, by, func(prev string, hist []LabelEvent) error {
		cur = LabelEvent{Label: prev}
		if len(hist) > 0 {
			cur = hist[len(hist)-1]
			cur.Label = prev
		}
		if prev != expect || (len(hist) > 0 && hist[len(hist)-1].Actor.Name != by.Name) {
			return ErrLabelChanged
		}
		return nil
	})
	if errors.Is(err, ErrLabelChanged) {
		return cur, err
	}
	return ev, err
}

// UIState returns the value stored under key by PutUIState (ok false when
// there is none). Keys are chosen by the caller, e.g.
// "filters/alice/monday"; the value is copied out of the transaction.
func (s *Store) UIState(key string) (value []byte, ok bool, err error) {
	if !uistate.ValidKey(key) {
		return nil, false, fmt.Errorf("store: ui state: invalid key")
	}
	err = s.view(func(tx *bolt.Tx) error {
		value, ok = uistate.Get(tx.Bucket(bucketMeta), key)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("store: ui state: %w", err)
	}
	return value, ok, nil
}

// PutUIState stores value under key (committed when it returns); a nil
// value deletes the key. Keys are at most 1 KiB, values 256 KiB.
func (s *Store) PutUIState(key string, value []byte) error {
	if !uistate.ValidKey(key) || len(value) > uistate.MaxValue {
		return fmt.Errorf("store: put ui state: key or value too long")
	}
	err := s.batch(func(tx *bolt.Tx) error { return uistate.Put(tx.Bucket(bucketMeta), key, value) })
	if err != nil {
		return fmt.Errorf("store: put ui state: %w", err)
	}
	return nil
}

// UIStateKeys returns the keys stored under prefix, in order, without the
// prefix's "ui/" namespace (at most limit keys; limit ≤ 0 means 1000).
func (s *Store) UIStateKeys(prefix string, limit int) (out []string, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		out = uistate.Keys(tx.Bucket(bucketMeta), prefix, limit)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: ui state keys: %w", err)
	}
	return out, nil
}
