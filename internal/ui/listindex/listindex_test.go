package listindex

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/triage-tools/triage/internal/ui/filter"
	"github.com/triage-tools/triage/store"
)

func rows(n int) []store.Row {
	out := make([]store.Row, n)
	for i := range out {
		out[i] = store.Row{
			ID: fmt.Sprintf("m%d", i), FromName: fmt.Sprintf("Sender %d", i%97), FromAddr: fmt.Sprintf("s%d@Example.test", i%97),
			Subject: fmt.Sprintf("Invoice %d", i), Domains: []string{fmt.Sprintf("d%d.test", i%13)},
		}
	}
	return out
}

// A batch large enough to be indexed on two goroutines gives the index
// that indexing row by row gives, and filtering a slice long enough to be
// split matches the rows a sequential scan matches, in order.
func TestIndexConcurrentMatchesSequential(t *testing.T) {
	rs := rows(parallelMin + 123)
	all := make([]int32, len(rs))
	for i := range all {
		all[i] = int32(i)
	}
	var par, seq Index
	par.Make(len(rs))
	par.Add(rs, all)
	for range rs {
		seq.Append()
	}
	for _, i := range all {
		seq.Set(rs, i)
	}
	if !reflect.DeepEqual(par, seq) {
		t.Fatal("two-goroutine index differs from the sequential one")
	}
	if got := par.Sender(5); got != "sender 5\x00s5@example.test" {
		t.Errorf("sender key = %q", got)
	}
	f, err := filter.Parse("d7.test", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.SetRare(par.RareByte)
	var want []int32
	for _, i := range all {
		if len(par.Filter(&f, rs, []int32{i})) == 1 { // below parallelMin: one goroutine
			want = append(want, i)
		}
	}
	got := par.Filter(&f, rs, all)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("filter: %d rows, sequential %d", len(got), len(want))
	}
}
