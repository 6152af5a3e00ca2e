package store

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"
)

// TestCommitSeesKeysImportedBetween: a message written by an import after
// the commits' key filter was built (the import does not update it) is
// still found when an ingest stores it afterwards, both in the same
// process: one row, the analysed report, every invariant intact. A filter
// trusted without checking the index count would give the message a
// second sequence number.
func TestCommitSeesKeysImportedBetween(t *testing.T) {
	src := openTestStore(t)
	reps := fill(t, src, 3, 7)
	mustLabel(t, src, reps[2].ID, "phish", alice)
	out, _ := export(t, src, ExportOptions{All: true})

	s := openTestStore(t)
	local := fakeReport(100, rand.New(rand.NewPCG(1, 2)))
	if err := s.PutBatch([]Entry{{Report: local}}); err != nil { // builds the filter
		t.Fatal(err)
	}
	if s.keys.Absent(mustKey(t, local.ID)) || !s.keys.Absent(mustKey(t, reps[2].ID)) {
		t.Fatal("filter after the first commit does not hold exactly its message")
	}
	if _, err := s.Import(context.Background(), bytes.NewReader(out), alice, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutBatch([]Entry{{Report: reps[2], Locator: Locator{Path: "/m.mbox", Length: 1}}}); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, s)
	rows, err := s.Rows()
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d rows (%v), want 4", len(rows), err)
	}
	if r, err := s.Report(reps[2].ID); err != nil || r.Imported {
		t.Errorf("report after analysis: imported=%v (%v)", r != nil && r.Imported, err)
	}
	if l, _, _ := s.Label(reps[2].ID); l != "phish" {
		t.Errorf("label %q after the ingest, want phish", l)
	}
}

func mustKey(t *testing.T, id string) []byte {
	t.Helper()
	k, err := parseID(id)
	if err != nil {
		t.Fatal(err)
	}
	return k[:]
}
