package ui

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// TestSortRowsMatchesLess checks the packed-key sort of the score and
// date orders against a sort by less (the reference), on rows with
// equal scores, equal dates, dates equal but for nanoseconds, zero
// dates, dates in other zones and extreme raw scores; and that the other
// orders still sort by less.
func TestSortRowsMatchesLess(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	rows := make([]store.Row, 3000)
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	scores := []int{0, 1, 50, 100, 130, -7, math.MaxInt64, math.MinInt64}
	zones := []*time.Location{time.UTC, time.FixedZone("", 3600), time.FixedZone("", -5*3600)}
	for i := range rows {
		r := store.Row{ID: fmt.Sprintf("sha256:%064x", rng.IntN(1<<40)), RawScore: scores[rng.IntN(len(scores))],
			FromAddr: fmt.Sprintf("a%d@x.example", rng.IntN(20)), Label: []string{"", "phish", "spam"}[rng.IntN(3)], Reported: rng.IntN(3)}
		r.Score = min(max(r.RawScore, 0), 100)
		switch rng.IntN(5) {
		case 0: // zero date
		case 1:
			r.Date = t0.Add(time.Duration(rng.IntN(3)) * time.Nanosecond).In(zones[rng.IntN(len(zones))])
		default:
			r.Date = t0.Add(time.Duration(rng.IntN(40)-20) * time.Hour).In(zones[rng.IntN(len(zones))])
		}
		rows[i] = r
	}
	l := newList(&kit.Common{})
	l.Load(rows)
	for k := range numSorts {
		l.sort = k
		want := make([]int32, len(l.rows))
		for i := range want {
			want[i] = int32(i)
		}
		got := slices.Clone(want)
		rng.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		slices.SortFunc(want, l.less)
		l.sortRows(got)
		if !slices.Equal(got, want) {
			t.Errorf("sort %s: sortRows differs from a sort by less", k)
		}
	}
}
