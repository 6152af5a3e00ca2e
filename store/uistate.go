package store

import (
	"errors"
	"fmt"
	"strings"

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

// UI state is kept in the meta bucket under "ui/" keys, so that it never
// collides with the schema version.
const (
	uiStatePrefix = "ui/"
	maxUIKey      = 1024
	maxUIValue    = 256 << 10
)

// UIState returns the value stored under key by PutUIState (ok false when
// there is none). Keys are chosen by the caller, e.g.
// "filters/alice/monday"; the value is copied out of the transaction.
func (s *Store) UIState(key string) (value []byte, ok bool, err error) {
	if key == "" || len(key) > maxUIKey {
		return nil, false, fmt.Errorf("store: ui state: invalid key")
	}
	err = s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get([]byte(uiStatePrefix + key)); v != nil {
			value, ok = append([]byte(nil), v...), true
		}
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
	if key == "" || len(key) > maxUIKey || len(value) > maxUIValue {
		return fmt.Errorf("store: put ui state: key or value too long")
	}
	err := s.batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeta)
		if value == nil {
			return b.Delete([]byte(uiStatePrefix + key))
		}
		return b.Put([]byte(uiStatePrefix+key), value)
	})
	if err != nil {
		return fmt.Errorf("store: put ui state: %w", err)
	}
	return nil
}

// UIStateKeys returns the keys stored under prefix, in order, without the
// prefix's "ui/" namespace (at most limit keys; limit ≤ 0 means 1000).
func (s *Store) UIStateKeys(prefix string, limit int) ([]string, error) {
	if limit <= 0 {
		limit = 1000
	}
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketMeta).Cursor()
		p := []byte(uiStatePrefix + prefix)
		for k, _ := c.Seek(p); k != nil && len(out) < limit && strings.HasPrefix(string(k), string(p)); k, _ = c.Next() {
			out = append(out, string(k[len(uiStatePrefix):]))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: ui state keys: %w", err)
	}
	return out, nil
}
