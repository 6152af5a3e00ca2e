package store

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	bolt "go.etcd.io/bbolt"
)

// TestRowsDecodedMatchesRows checks that rowsDecoded (two decoders)
// gives what Rows gives, labels and report counts included, over more
// rows than two of its jobs, and on an empty store; and that a rows
// bucket beyond the bound it sizes its result with (here a message
// counter set back) falls back to Rows.
func TestRowsDecodedMatchesRows(t *testing.T) {
	s := openTestStore(t)
	if got, err := s.rowsDecoded(); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %d rows, %v", len(got), err)
	}
	reps := fill(t, s, 2*rowsJobLen+300, 4)
	for _, i := range []int{3, rowsJobLen, 2*rowsJobLen + 299} {
		label(t, s, reps[i].ID, "phish")
	}
	base := fakeReport(1, rand.New(rand.NewPCG(1, 2)))
	base.Wrapper = &analysis.Wrapper{ID: idOf("w"), Kind: "attached", Path: "attached:2", Depth: 1,
		Reporter: analysis.Reporter{From: analysis.Address{Address: "r@corp.example"}, Date: time.Date(2026, 12, 1, 9, 3, 0, 0, time.UTC)}}
	if err := s.PutBatch([]Entry{{Report: base, Locator: Locator{Path: "r.mbox", Offset: 1, Length: 50, Unwrap: "attached:2"}}}); err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		want, err := s.Rows()
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.rowsDecoded()
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != len(reps)+1 || want[len(want)-1].Reported != 1 || want[3].Label != "phish" {
			t.Fatalf("%s: Rows gives %d rows, the last reported %d times", what, len(want), want[len(want)-1].Reported)
		}
		if !reflect.DeepEqual(got, want) {
			for i := range min(len(got), len(want)) {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("%s: row %d:\n got %+v\nwant %+v", what, i, got[i], want[i])
				}
			}
			t.Fatalf("%s: %d rows, Rows gives %d", what, len(got), len(want))
		}
	}
	check("two decoders")
	var seq uint64
	err := s.db.Update(func(tx *bolt.Tx) error {
		seq = tx.Bucket(bucketReports).Sequence()
		return tx.Bucket(bucketReports).SetSequence(10)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.rowsDecodedBounded(); err == nil {
		t.Fatal("rows beyond the bound: no error")
	}
	check("beyond the bound")
	err = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketReports).SetSequence(seq) })
	if err != nil {
		t.Fatal(err)
	}
}
