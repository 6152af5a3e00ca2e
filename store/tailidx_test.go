package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/store/internal/tailidx"
	bolt "go.etcd.io/bbolt"
)

// downgradeToV5 rewrites a current database into the schema-5 layout:
// the index tails merged into their main buckets and deleted.
func downgradeToV5(tx *bolt.Tx) error {
	for _, ix := range []tailidx.Index{reportsIndex, msgIDIndex} {
		if err := ix.MergeTail(tx); err != nil {
			return err
		}
		if err := tx.DeleteBucket(ix.Tail); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, 5))
}

// tailCounts returns the number of entries in the reports index's main
// bucket and tail.
func tailCounts(t *testing.T, s *Store) (main, tail int) {
	t.Helper()
	err := s.db.View(func(tx *bolt.Tx) error {
		main = tx.Bucket(bucketReports).Stats().KeyN
		tail = tx.Bucket(bucketReportsTail).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return main, tail
}

// New messages go to the index tails: a commit between merges writes
// nothing to the main ID-keyed buckets (whose leaves are all over the
// file), and
// the tails are merged once they hold 1/tailidx.Share of the messages. Every
// message stays reachable by ID, ID prefix and Message-ID throughout.
func TestIndexTailsMerge(t *testing.T) {
	s := openTestStore(t)
	s.tailMin = 64
	var all []string
	for round := range 12 {
		mainBefore, _ := tailCounts(t, s)
		reps := fill(t, s, 50, uint64(100+round))
		main, tail := tailCounts(t, s)
		for _, r := range reps {
			all = append(all, r.ID)
		}
		if main+tail != len(all) {
			t.Fatalf("round %d: %d + %d index entries, want %d", round, main, tail, len(all))
		}
		if tail != 0 && main != mainBefore {
			t.Errorf("round %d: a commit without a merge wrote %d entries to the main index", round, main-mainBefore)
		}
		if tail >= int(s.tailMin) && tail*tailidx.Share >= len(all) {
			t.Errorf("round %d: tail of %d entries for %d messages was not merged", round, tail, len(all))
		}
	}
	main, _ := tailCounts(t, s)
	if main == 0 {
		t.Fatal("the tails were never merged")
	}
	for _, id := range all {
		if _, err := s.Report(id); err != nil {
			t.Fatal(err)
		}
		got, err := s.Resolve(strings.TrimPrefix(id, IDPrefix)[:16])
		if err != nil || got != id {
			t.Fatalf("resolve prefix of %s: %s, %v", id, got, err)
		}
		ids, err := s.IDsWithPrefix(strings.TrimPrefix(id, IDPrefix)[:15], 2)
		if err != nil || len(ids) != 1 || ids[0] != id {
			t.Fatalf("IDsWithPrefix of %s: %v, %v", id, ids, err)
		}
		rows, err := s.RowsFor([]string{id})
		if err != nil || len(rows) != 1 {
			t.Fatalf("row of %s: %v", id, err)
		}
		if got, err := s.Resolve(rows[0].MessageID); err != nil || got != id {
			t.Fatalf("resolve Message-ID %q: %s, %v", rows[0].MessageID, got, err)
		}
	}
	n, err := s.Count()
	if err != nil || n != len(all) {
		t.Fatalf("count %d (%v), want %d", n, err, len(all))
	}
	checkInvariants(t, s)
}

// A schema-5 store (no index tails) is upgraded on open without changes;
// what it held reads back the same, and new messages go to the tails.
func TestMigrateSchema5Tails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v5.db")
	s := openTestStoreAt(t, path)
	s.tailMin = 64
	reps := fill(t, s, 300, 8)
	if _, err := s.SetLabel(reps[3].ID, "phish", Actor{Name: "ana", Source: "test"}); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, s)
	if err := s.db.Update(downgradeToV5); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openTestStoreAt(t, path)
	after := takeSnapshot(t, s)
	if !reflectEqual(before, after) {
		t.Error("the store differs after the upgrade")
	}
	main, tail := tailCounts(t, s)
	if main != 300 || tail != 0 {
		t.Fatalf("after the upgrade: %d main, %d tail entries", main, tail)
	}
	more := fill(t, s, 10, 9)
	if _, tail = tailCounts(t, s); tail != 10 {
		t.Errorf("%d tail entries after 10 new messages", tail)
	}
	if _, err := s.Resolve(more[9].ID); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, s)
}

// An import merges the index tails as ingest does: a large import does
// not leave every imported message in the tails.
func TestImportMergesIndexTails(t *testing.T) {
	src := openTestStore(t)
	reps := fill(t, src, 600, 13)
	out, _ := export(t, src, ExportOptions{All: true})
	s := openTestStore(t)
	s.tailMin = 64
	if _, err := s.Import(context.Background(), bytes.NewReader(out), alice, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	main, tail := tailCounts(t, s)
	if main+tail != len(reps) || main == 0 || tail*tailidx.Share >= len(reps) && tail >= 64 {
		t.Fatalf("after importing %d messages: %d in the main index, %d in the tail", len(reps), main, tail)
	}
	for _, r := range reps {
		if _, err := s.Resolve(r.ID); err != nil {
			t.Fatal(err)
		}
	}
	checkInvariants(t, s)
}
