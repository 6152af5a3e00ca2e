package listindex

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
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

// TestIndexRowMatchesReference checks the haystack and sender key of
// indexRow against the plain definition (lower-casing the NUL-joined
// fields, and senderKey) for ASCII, upper case, non-ASCII, invalid UTF-8
// and rows without a display name or lists.
func TestIndexRowMatchesReference(t *testing.T) {
	rs := []store.Row{
		{FromName: "Zoë MÜLLER", FromAddr: "Zoe@Example.TEST", Subject: "İstanbul ΣΟΦΙΑ Straße", Domains: []string{"Example.test"}, Hosts: []string{"WWW.example.test"}, Rules: []string{"sender.Brand"}},
		{FromAddr: "NoName@Example.test", Subject: "plain"},
		{FromName: "bad \xff\xfe UTF-8", FromAddr: "x@y.test", Subject: "\xc3", Rules: []string{"a", "\xe2\x82"}},
		{},
	}
	var x Index
	x.Make(len(rs))
	x.Add(rs, []int32{0, 1, 2, 3})
	for i := range rs {
		r := &rs[i]
		parts := []string{r.FromName, r.FromAddr, r.Subject}
		for _, g := range [][]string{r.Domains, r.Hosts, r.Rules} {
			parts = append(parts, g...)
		}
		if want := strings.ToLower(strings.Join(parts, "\x00")); x.hay[i] != want {
			t.Errorf("row %d: hay %q, want %q", i, x.hay[i], want)
		}
		if want := senderKey(r); x.Sender(int32(i)) != want {
			t.Errorf("row %d: sender %q, want %q", i, x.Sender(int32(i)), want)
		}
	}
}
