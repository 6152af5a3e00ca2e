// Package analyst keeps the analyst's records in a bbolt file: current
// labels, label histories and notes, each value sealed (a CRC-32C trailer
// over bucket, key and value, store/internal/codec) and all of them
// covered by a digest in the meta bucket, so that a changed, moved,
// missing or added record is caught. The store names the buckets
// (Buckets) and passes in its transactions.
//
// The digest is the XOR of SHA-256(bucket ‖ 0 ‖ key ‖ sealed value)[:16]
// over every entry of the labels, history and notes buckets, updated in
// the same transaction as every write to them and verified on every open
// (cost: one read of the labeled messages' records).
package analyst

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/record"
)

// KeyDigest is the meta key of the digest.
var KeyDigest = []byte("analyst_digest")

// Buckets names the buckets of the analyst records.
type Buckets struct {
	Meta    []byte // holds KeyDigest
	Labels  []byte // id → current label (absent when unlabeled)
	History []byte // id → JSON []LabelEvent, oldest first
	Notes   []byte // id → JSON []Note
}

func (b Buckets) all() [][]byte { return [][]byte{b.Labels, b.History, b.Notes} }

func (b Buckets) digest(tx *bolt.Tx) ([16]byte, error) {
	var d [16]byte
	v := tx.Bucket(b.Meta).Get(KeyDigest)
	if len(v) != 16 {
		return d, fmt.Errorf("%w: meta: analyst digest missing", codec.ErrCorrupt)
	}
	copy(d[:], v)
	return d, nil
}

// PutSealed writes v sealed under k in an analyst bucket and updates the
// digest; v nil deletes the entry.
func (b Buckets) PutSealed(tx *bolt.Tx, bucket, k, v []byte) error {
	d, err := b.digest(tx)
	if err != nil {
		return err
	}
	bk := tx.Bucket(bucket)
	if old := bk.Get(k); old != nil {
		codec.XorDigest(&d, codec.EntryDigest(bucket, k, old))
	}
	if v == nil {
		if err := bk.Delete(k); err != nil {
			return err
		}
	} else {
		sv := codec.Seal(bucket, k, v)
		codec.XorDigest(&d, codec.EntryDigest(bucket, k, sv))
		if err := bk.Put(k, sv); err != nil {
			return err
		}
	}
	return tx.Bucket(b.Meta).Put(KeyDigest, d[:])
}

// GetSealed returns the verified value of k in an analyst bucket, or nil.
func GetSealed(tx *bolt.Tx, bucket, k []byte) ([]byte, error) {
	sv := tx.Bucket(bucket).Get(k)
	if sv == nil {
		return nil, nil
	}
	return codec.Unseal(bucket, k, sv)
}

// getSealedJSON reads and verifies the sealed JSON list stored under k in
// bucket (nil when there is none); a record that does not decode is
// corrupt, naming what.
func getSealedJSON[T any](tx *bolt.Tx, bucket, k []byte, what string) ([]T, error) {
	v, err := GetSealed(tx, bucket, k)
	if v == nil || err != nil {
		return nil, err
	}
	var list []T
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", codec.ErrCorrupt, what, err)
	}
	return list, nil
}

// CurrentLabel returns the verified current label of k and its history;
// the label must be the last history event (they live on different pages,
// so a damaged page that drops one of them is caught).
func (b Buckets) CurrentLabel(tx *bolt.Tx, k []byte) (string, []record.LabelEvent, error) {
	lv, err := GetSealed(tx, b.Labels, k)
	if err != nil {
		return "", nil, err
	}
	hist, err := getSealedJSON[record.LabelEvent](tx, b.History, k, "label history")
	if err != nil {
		return "", nil, err
	}
	last := ""
	if len(hist) > 0 {
		last = hist[len(hist)-1].Label
	}
	if string(lv) != last || (lv != nil && len(lv) == 0) {
		return "", nil, fmt.Errorf("%w: label of %x disagrees with its history", codec.ErrCorrupt, k)
	}
	return last, hist, nil
}

// PutLabel writes a history and sets the current label to its last event.
func (b Buckets) PutLabel(tx *bolt.Tx, k []byte, hist []record.LabelEvent) error {
	js, err := json.Marshal(hist)
	if err != nil {
		return err
	}
	last := ""
	if len(hist) > 0 {
		last = hist[len(hist)-1].Label
	}
	return b.putHistory(tx, k, js, last)
}

// putHistory writes the JSON history js of k and sets the current label
// to last, its last event's.
func (b Buckets) putHistory(tx *bolt.Tx, k, js []byte, last string) error {
	if err := b.PutSealed(tx, b.History, k, js); err != nil {
		return err
	}
	if last == "" {
		if tx.Bucket(b.Labels).Get(k) == nil {
			return nil
		}
		return b.PutSealed(tx, b.Labels, k, nil)
	}
	return b.PutSealed(tx, b.Labels, k, []byte(last))
}

// GetNotes returns the verified notes of k, nil when it has none.
func (b Buckets) GetNotes(tx *bolt.Tx, k []byte) ([]record.Note, error) {
	return getSealedJSON[record.Note](tx, b.Notes, k, "notes")
}

// PutNotes writes the notes of k.
func (b Buckets) PutNotes(tx *bolt.Tx, k []byte, notes []record.Note) error {
	js, err := json.Marshal(notes)
	if err != nil {
		return err
	}
	return b.PutSealed(tx, b.Notes, k, js)
}

// Verify checks that the buckets of all exist, every analyst record and
// the digest, that each record's message exists (exists), and that the
// current label is the last history event.
func (b Buckets) Verify(tx *bolt.Tx, all [][]byte, exists func(k []byte) bool) error {
	want, err := b.digest(tx)
	if err != nil {
		return err
	}
	for _, name := range all {
		if tx.Bucket(name) == nil {
			return fmt.Errorf("%w: bucket %s missing", codec.ErrCorrupt, name)
		}
	}
	var got [16]byte
	for _, name := range b.all() {
		err := tx.Bucket(name).ForEach(func(k, sv []byte) error {
			if _, err := codec.Unseal(name, k, sv); err != nil {
				return err
			}
			if len(k) != 32 || !exists(k) {
				return fmt.Errorf("%w: %s %x: no such message", codec.ErrCorrupt, name, k)
			}
			codec.XorDigest(&got, codec.EntryDigest(name, k, sv))
			return nil
		})
		if err != nil {
			return err
		}
	}
	if got != want {
		return fmt.Errorf("%w: labels, notes or history: digest mismatch (records missing or added)", codec.ErrCorrupt)
	}
	return tx.Bucket(b.History).ForEach(func(k, _ []byte) error {
		_, _, err := b.CurrentLabel(tx, k)
		return err
	})
}

// Decision is what Relabel does with one message.
type Decision int

// Decisions.
const (
	Skip   Decision = iota // leave the message alone
	Set                    // set its label
	Refuse                 // report it as refused, with its current label and who set it
)

// Relabel changes the labels of the messages keys (IDs ids) in the write
// transaction tx as decide says from each one's current label and the
// last event of its history (hist, nil when it has none): Set appends an event by by at t setting the label decide returns. It
// returns the changes made and the messages refused (Event.Label the
// current label, Event.Actor who set it last). A message that does not
// exist is an error wrapping notFound that names it.
func (b Buckets) Relabel(tx *bolt.Tx, keys [][32]byte, ids []string, by record.Actor, t time.Time, exists func([]byte) bool, notFound error,
	decide func(i int, cur string, hist []record.LabelEvent) (string, Decision)) (done, refused []record.LabelChange, err error) {
	for i, k := range keys {
		if !exists(k[:]) {
			return nil, nil, fmt.Errorf("%s: %w", ids[i], notFound)
		}
		cur, lastEv, ok, h, err := b.LastLabel(tx, k[:])
		if err != nil {
			return nil, nil, err
		}
		var hist []record.LabelEvent
		if ok {
			hist = []record.LabelEvent{lastEv}
		}
		switch to, d := decide(i, cur, hist); d {
		case Refuse:
			ev := record.LabelEvent{Label: cur}
			if len(hist) > 0 {
				ev = hist[len(hist)-1]
				ev.Label = cur
			}
			refused = append(refused, record.LabelChange{ID: ids[i], Event: ev})
		case Set:
			ev := record.LabelEvent{Label: to, Previous: cur, Actor: by, Time: t}
			if err := b.AppendLabel(tx, k[:], h, ev); err != nil {
				return nil, nil, err
			}
			done = append(done, record.LabelChange{ID: ids[i], Event: ev})
		}
	}
	return done, refused, nil
}
