package store

import (
	"encoding/binary"
	"math/rand/v2"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A schema-1 database (reports stored under their IDs) is upgraded in
// place on a read-write open and its reports stay readable.
func TestMigrateSchema1Reports(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	s := openTestStoreAt(t, path)
	rep := fakeReport(1, rand.New(rand.NewPCG(1, 2)))
	if err := s.PutBatch([]Entry{{Report: rep, Locator: Locator{Path: "/x.mbox", Offset: 1, Length: 2}}}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Rewrite it into the schema-1 layout.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		k, _ := parseID(rep.ID)
		v, err := getReport(tx, k[:])
		if err != nil {
			return err
		}
		v = append([]byte(nil), v...)
		if err := tx.DeleteBucket(bucketBlobs); err != nil {
			return err
		}
		if err := tx.Bucket(bucketReports).Put(k[:], v); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, 1))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	if _, err := Open(path, Options{ReadOnly: true}); err == nil {
		t.Error("read-only open of an old schema succeeded without upgrade")
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s2.Report(rep.ID)
	if err != nil || got.ID != rep.ID {
		t.Fatalf("after migration: %v, %v", got, err)
	}
	s2.Close()
}
