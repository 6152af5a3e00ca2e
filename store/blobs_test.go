package store

import (
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/triage-tools/triage/store/internal/analyst"
	"github.com/triage-tools/triage/store/internal/codec"
	bolt "go.etcd.io/bbolt"
)

// A schema-1 database (reports stored under their IDs) is upgraded in
// place on a read-write open and its reports stay readable.
func TestMigrateSchema1Reports(t *testing.T) {
	s, path := tempStore(t, "v1.db")
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
		if err := downgradeToV2(tx); err != nil {
			return err
		}
		k, _ := parseID(rep.ID)
		v := tx.Bucket(bucketBlobs).Get(tx.Bucket(bucketReports).Get(k[:]))
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

// putAll writes every pair of kvs into b.
func putAll(b *bolt.Bucket, kvs []kv) error {
	for _, e := range kvs {
		if err := b.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

// downgradeToV2 rewrites a current database into the schema-2 layout:
// report format 1 (no flags byte), no checksums, no analyst digest.
func downgradeToV2(tx *bolt.Tx) error {
	if err := downgradeToV4(tx); err != nil {
		return err
	}
	var blobs []kv
	idx := tx.Bucket(bucketReports)
	err := idx.ForEach(func(k, p []byte) error {
		v, err := getReport(tx, k)
		if err != nil {
			return err
		}
		z, err := zstdForm(v) // schemas 1 and 2 compressed with zstd
		if err != nil {
			return err
		}
		blobs = append(blobs, kv{append([]byte(nil), p...), append([]byte{1}, z[2:]...)})
		return nil
	})
	if err != nil {
		return err
	}
	if err := putAll(tx.Bucket(bucketBlobs), blobs); err != nil {
		return err
	}
	for _, name := range append([][]byte{bucketRows}, analystBuckets...) {
		var all []kv
		err := tx.Bucket(name).ForEach(func(k, sv []byte) error {
			v, err := codec.Unseal(name, k, sv)
			all = append(all, kv{append([]byte(nil), k...), append([]byte(nil), v...)})
			return err
		})
		if err != nil {
			return err
		}
		if err := putAll(tx.Bucket(name), all); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketMeta).Delete(analyst.KeyDigest); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, 2))
}

// A schema-2 database gets checksums and the analyst digest on its first
// read-write open; labels, notes and reports read back unchanged.
func TestMigrateSchema2Checksums(t *testing.T) {
	s, path := tempStore(t, "v2.db")
	reps := fill(t, s, 5, 3)
	mustLabel(t, s, reps[0].ID, "phish", alice)
	mustLabel(t, s, reps[0].ID, "spam", alice)
	if _, err := s.AddNote(reps[1].ID, "look at the hops", alice); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(downgradeToV2); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(path, Options{ReadOnly: true}); err == nil {
		t.Error("read-only open of schema 2 succeeded")
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	cur, hist, err := s2.Label(reps[0].ID)
	if err != nil || cur != "spam" || len(hist) != 2 {
		t.Errorf("label after migration: %q %d %v", cur, len(hist), err)
	}
	if notes, err := s2.Notes(reps[1].ID); err != nil || len(notes) != 1 || notes[0].Text != "look at the hops" {
		t.Errorf("notes after migration: %+v %v", notes, err)
	}
	if r, err := s2.Report(reps[2].ID); err != nil || r.Score != reps[2].Score || r.Imported {
		t.Errorf("report after migration: %v", err)
	}
}

// zstdForm re-encodes a stored report in format 2 (JSON in a zstd frame),
// as schema 2 wrote it.
func zstdForm(v []byte) ([]byte, error) {
	r, err := codec.DecodeReport(v)
	if err != nil {
		return nil, err
	}
	enc, _, err := codec.Codecs()
	if err != nil {
		return nil, err
	}
	js, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	out := codec.AppendString([]byte{codec.FormatZstdJSON, v[1]}, r.AnalyzerVersion)
	return enc.EncodeAll(js, out), nil
}
