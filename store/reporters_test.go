package store

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/store/internal/codec"
)

// TestLocatorUnwrapCodec: a locator set with an unwrap path round-trips
// (format 3), and sets without one keep format 1 or 2.
func TestLocatorUnwrapCodec(t *testing.T) {
	set := codec.LocatorSet{Locs: []Locator{{Path: "r.mbox", Offset: 10, Length: 99, Unwrap: "attached:2/inline:0"}, {Path: "x.eml"}}, More: 3}
	v := codec.AppendLocators(nil, set)
	if v[0] != codec.LocFormatUnwrap {
		t.Fatalf("format %d", v[0])
	}
	got, err := codec.DecodeLocators(v)
	if err != nil || got.More != 3 || len(got.Locs) != 2 || got.Locs[0] != set.Locs[0] || got.Locs[1] != set.Locs[1] {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	if v := codec.AppendLocators(nil, codec.LocatorSet{Locs: []Locator{{Path: "a"}}}); v[0] != codec.LocFormat {
		t.Errorf("plain set uses format %d", v[0])
	}
}

// TestReportersPerWrapper: one record per wrapper (the same wrapper seen
// again adds nothing), counted in rows, listed oldest first.
func TestReportersPerWrapper(t *testing.T) {
	s := openTestStore(t)
	r := rand.New(rand.NewPCG(1, 2))
	base := fakeReport(1, r)
	var entries []Entry
	for i := range 3 {
		rep := *base
		rep.Wrapper = &analysis.Wrapper{ID: idOf(string(rune('a' + i))), Kind: "attached", Path: "attached:2", Depth: 1,
			Reporter: analysis.Reporter{From: analysis.Address{Address: string(rune('c'-i)) + "@corp.example"},
				Date: time.Date(2026, 12, 1, 9, 3-i, 0, 0, time.UTC)}}
		entries = append(entries, Entry{Report: &rep, Locator: Locator{Path: "r.mbox", Offset: int64(1 + 100*i), Length: 50, Unwrap: "attached:2"}})
	}
	for range 2 {
		if err := s.PutBatch(entries); err != nil {
			t.Fatal(err)
		}
	}
	reps, err := s.Reporters(base.ID)
	if err != nil || len(reps) != 3 {
		t.Fatalf("reporters: %d, %v", len(reps), err)
	}
	if reps[0].From.Address != "a@corp.example" || reps[0].Locator.Unwrap != "" || reps[0].Locator.Offset != 201 {
		t.Errorf("first = %+v", reps[0])
	}
	rows, _ := s.Rows()
	if len(rows) != 1 || rows[0].Reported != 3 {
		t.Errorf("rows = %+v", rows)
	}
	if rf, _ := s.RowsFor([]string{base.ID}); len(rf) != 1 || rf[0].Reported != 3 {
		t.Errorf("RowsFor = %+v", rf)
	}
	if _, err := s.Reporters(idOf("unknown")); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}
