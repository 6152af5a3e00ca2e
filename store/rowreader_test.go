package store

import (
	"reflect"
	"testing"
)

// TestSourceRows checks that a RowReader delivers a source's rows in the
// source's order with their labels, across batch boundaries, whether the
// source follows arrival order or not, skipping IDs without a row, and
// that it matches RowsFor.
func TestSourceRows(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 40, 7)
	label(t, s, reps[6].ID, "phish")
	var ids []string
	for i := 5; i <= 20; i++ { // arrival order
		ids = append(ids, reps[i].ID)
	}
	ids = append(ids, reps[3].ID, idOf("never stored")) // out of order, unknown
	for i := 21; i <= 25; i++ {
		ids = append(ids, reps[i].ID)
	}
	ids = append(ids, reps[39].ID, reps[0].ID, reps[0].ID) // the last row, then back, twice
	want := putTestSource(t, s, ids)
	if len(want) != len(ids)-1 || want[1].Label != "phish" {
		t.Fatalf("RowsFor: %d rows (want %d), label %q", len(want), len(ids)-1, want[1].Label)
	}
	for _, batch := range []int{1, 7, 100} {
		rr, err := s.SourceRows("/mail/src.mbox")
		if err != nil {
			t.Fatal(err)
		}
		if rr.Len() != len(ids) {
			t.Fatalf("Len = %d, want %d", rr.Len(), len(ids))
		}
		var got []Row
		for {
			rows, err := rr.Next(batch)
			if err != nil {
				t.Fatal(err)
			}
			if rows == nil {
				break
			}
			if len(rows) > batch {
				t.Fatalf("batch of %d rows, asked %d", len(rows), batch)
			}
			got = append(got, rows...)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("batch %d: rows differ from RowsFor:\n got %d rows\nwant %d rows", batch, len(got), len(want))
			for i := range min(len(got), len(want)) {
				if got[i].ID != want[i].ID {
					t.Errorf("first difference at %d: %s, want %s", i, got[i].ID, want[i].ID)
					break
				}
			}
		}
	}
	if _, err := s.SourceRows("/mail/unknown.mbox"); err == nil {
		t.Error("unknown source: no error")
	}
}

// TestSourceRowsReadAhead checks the read-ahead of a RowReader: two
// batches are read ahead, calls that change the batch size get the
// batches read ahead with the previous size, and the rows still arrive
// in order, each once, with their labels.
func TestSourceRowsReadAhead(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 30, 5)
	label(t, s, reps[12].ID, "phish")
	var ids []string
	for _, r := range reps {
		ids = append(ids, r.ID)
	}
	want := putTestSource(t, s, ids)
	rr, err := s.SourceRows("/mail/src.mbox")
	if err != nil {
		t.Fatal(err)
	}
	var got []Row
	// Asked sizes, and the sizes delivered: the first call reads 4 and
	// reads twice 4 ahead, which the two calls asking for 10 get; the
	// third reads 10 and the last 8 ahead.
	for i, c := range []struct{ ask, get int }{{4, 4}, {10, 4}, {10, 4}, {10, 10}, {2, 8}, {50, 0}} {
		rows, err := rr.Next(c.ask)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != c.get {
			t.Fatalf("call %d: Next(%d) = %d rows, want %d", i, c.ask, len(rows), c.get)
		}
		got = append(got, rows...)
	}
	if rows, err := rr.Next(5); rows != nil || err != nil {
		t.Fatalf("after the end: %d rows, %v", len(rows), err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows differ from RowsFor: got %d, want %d", len(got), len(want))
	}
}

// putTestSource records ids as the messages of source /mail/src.mbox and
// returns their rows as RowsFor gives them (what reading the source must
// give).
func putTestSource(t *testing.T, s *Store, ids []string) []Row {
	t.Helper()
	if err := s.PutSource(Fingerprint{Path: "/mail/src.mbox", Count: len(ids)}, ids); err != nil {
		t.Fatal(err)
	}
	rows, err := s.RowsFor(ids)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
