package ui

import (
	"reflect"
	"slices"
	"testing"
	"unsafe"

	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// TestListLoadAdopts checks that Load gives an empty list the state Add
// gives it (order, index, label counts, committed labels winning) while
// keeping the caller's rows instead of a copy, that a later Add does not
// write into the caller's array, and that rows Add would skip or merge
// (no ID, a repeated ID) fall back to Add.
func TestListLoadAdopts(t *testing.T) {
	mk := func(n int) []store.Row {
		rows := bigRows(n)
		if n > 7 {
			rows[3].Label, rows[7].Label = "phish", "spam"
		}
		return rows
	}
	want := newList(&kit.Common{})
	want.committed[mk(1)[0].ID] = "benign"
	want.Add(mk(40))
	got := newList(&kit.Common{})
	got.committed[mk(1)[0].ID] = "benign"
	rows := mk(40)
	got.Load(rows)
	if unsafe.SliceData(got.rows) != unsafe.SliceData(rows) {
		t.Error("Load copied the rows")
	}
	if !reflect.DeepEqual(got.rows, want.rows) || !slices.Equal(got.order, want.order) || !slices.Equal(got.shown, want.shown) ||
		!reflect.DeepEqual(got.byID, want.byID) || !reflect.DeepEqual(got.labelCount, want.labelCount) ||
		!reflect.DeepEqual(got.idx, want.idx) {
		t.Fatal("Load and Add give different lists")
	}
	if got.rows[0].Label != "benign" || got.labelCount["benign"] != 1 {
		t.Errorf("committed label lost: %q", got.rows[0].Label)
	}
	spare := make([]store.Row, 41, 50)
	copy(spare, mk(41))
	l := newList(&kit.Common{})
	l.Load(spare[:40])
	l.Add(spare[40:41])
	if got := spare[:41][40].Label; got != "" || len(l.rows) != 41 {
		t.Errorf("Add after Load: %d rows", len(l.rows))
	}
	l.rows[40].Label = "x"
	if spare[40].Label == "x" {
		t.Error("the list's rows share the caller's array past the loaded ones")
	}
	for _, bad := range [][]store.Row{append(mk(5), mk(1)...), append(mk(5), store.Row{})} {
		a, b := newList(&kit.Common{}), newList(&kit.Common{})
		a.Add(slices.Clone(bad))
		b.Load(bad)
		if len(a.rows) != len(b.rows) || !slices.Equal(a.order, b.order) {
			t.Errorf("fallback: %d rows, want %d", len(b.rows), len(a.rows))
		}
	}
}
