package ui

import (
	"slices"
	"testing"

	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// TestSortOrdersKeptAreCurrent cycles through every sort again and again
// while rows arrive, change, get labels and learned scores, and checks
// after each step that the list's order is a fresh sort of its rows by
// the sort shown: an order kept from an earlier visit to a sort must
// never be stale, and a visit with no change in between must reuse it.
func TestSortOrdersKeptAreCurrent(t *testing.T) {
	l := newList(&kit.Common{})
	rows := bigRows(300)
	l.Load(slices.Clone(rows[:200]))
	check := func(step string) {
		t.Helper()
		want := make([]int32, len(l.rows))
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortFunc(want, l.less)
		if !slices.Equal(l.order, want) {
			t.Fatalf("%s, sort %s: order is not a fresh sort of the rows", step, l.sort)
		}
	}
	cycle := func(step string) {
		t.Helper()
		for range numSorts {
			l.CycleSort()
			check(step)
		}
	}
	cycle("first cycle")
	before := l.order
	cycle("second cycle")
	if &before[0] != &l.order[0] {
		t.Error("a sort visited again with no change in between was sorted again")
	}
	for i, change := range []func(){
		func() { l.SetLabel(l.rows[5].ID, "phish") },
		func() {
			l.SetLearned(map[string]learn.Brief{l.rows[9].ID: {Sum: 9, Points: 3}, l.rows[1].ID: {Sum: -2}})
		},
		func() { l.Add(rows[200:250]) },
		func() {
			r := l.rows[17]
			r.Score, r.RawScore, r.Reported, r.FromName = 99, 130, 4, "Aaron"
			l.Add([]store.Row{r})
		},
		func() { l.SetLabel(l.rows[0].ID, "spam") },
		func() { // a resync: every label read again
			labels := map[string]string{l.rows[3].ID: "benign", l.rows[7].ID: "phish", l.rows[0].ID: "spam"}
			l.SetLabels(labels)
		},
		func() { l.SetLearned(nil) },
	} {
		for range i % int(numSorts) { // the change happens under a different sort each time
			l.CycleSort()
		}
		change()
		check("after the change")
		cycle("after the change")
	}
}
