package analyst

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/store/internal/record"
)

var testBuckets = Buckets{Meta: []byte("meta"), Labels: []byte("labels"), History: []byte("label_history"), Notes: []byte("notes")}

func openTestDB(t *testing.T) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "a.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{testBuckets.Meta, testBuckets.Labels, testBuckets.History, testBuckets.Notes} {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(testBuckets.Meta).Put(KeyDigest, make([]byte, 16))
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// AppendLabel stores byte for byte what PutLabel stores for the whole
// history, and LastLabel finds the last event, whatever the actors' names
// hold (here the very bytes that mark an element).
func TestAppendLabelMatchesPutLabel(t *testing.T) {
	db := openTestDB(t)
	k1, k2 := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	names := []string{"alice", `x,{"label":"phish"}`, "\",{\"label\":", "bob\u2028", "</script>&"}
	labels := []string{"phish", "", "spam", "bec", ""}
	var hist []record.LabelEvent
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	for i := range 12 {
		prev := ""
		if len(hist) > 0 {
			prev = hist[len(hist)-1].Label
		}
		ev := record.LabelEvent{Label: labels[i%len(labels)], Previous: prev, Actor: record.Actor{Name: names[i%len(names)], Source: "ssh"}, Time: t0.Add(time.Duration(i) * time.Second)}
		if i == 3 {
			ev.Dropped = 7
		}
		hist = append(hist, ev)
		err := db.Update(func(tx *bolt.Tx) error {
			cur, last, ok, h, err := testBuckets.LastLabel(tx, k1)
			if err != nil {
				return err
			}
			if i > 0 && (!ok || last != hist[i-1] || cur != hist[i-1].Label) {
				t.Errorf("event %d: LastLabel = %q %+v %v, want %+v", i, cur, last, ok, hist[i-1])
			}
			if err := testBuckets.AppendLabel(tx, k1, h, ev); err != nil {
				return err
			}
			return testBuckets.PutLabel(tx, k2, hist)
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.View(func(tx *bolt.Tx) error {
			for _, b := range [][]byte{testBuckets.History, testBuckets.Labels} {
				v1, _ := GetSealed(tx, b, k1)
				v2, _ := GetSealed(tx, b, k2)
				if !bytes.Equal(v1, v2) {
					t.Errorf("event %d: %s appended %q, put %q", i, b, v1, v2)
				}
			}
			cur, got, err := testBuckets.CurrentLabel(tx, k1)
			if err != nil || cur != ev.Label || len(got) != len(hist) {
				t.Errorf("event %d: CurrentLabel = %q, %d events, %v", i, cur, len(got), err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// A history not in the encoder's form (spaces, another field order) is
// decoded whole, and appended to correctly.
func TestLastLabelOtherForm(t *testing.T) {
	db := openTestDB(t)
	k := bytes.Repeat([]byte{3}, 32)
	raw := `[ {"previous":"","label":"phish","actor":{"analyst":"a"},"time":"2026-01-02T03:04:05Z"} ]`
	ev := record.LabelEvent{Label: "spam", Previous: "phish", Actor: record.Actor{Name: "b"}, Time: time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)}
	err := db.Update(func(tx *bolt.Tx) error {
		if err := testBuckets.putHistory(tx, k, []byte(raw), "phish"); err != nil {
			return err
		}
		cur, last, ok, h, err := testBuckets.LastLabel(tx, k)
		if err != nil || cur != "phish" || !ok || last.Actor.Name != "a" {
			t.Errorf("LastLabel = %q %+v %v %v", cur, last, ok, err)
		}
		return testBuckets.AppendLabel(tx, k, h, ev)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *bolt.Tx) error {
		cur, hist, err := testBuckets.CurrentLabel(tx, k)
		if err != nil || cur != "spam" || len(hist) != 2 || hist[1] != ev {
			js, _ := json.Marshal(hist)
			t.Errorf("after append: %q %s %v", cur, js, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
