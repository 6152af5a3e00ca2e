package ui

import (
	"strings"
	"sync"

	"github.com/triage-tools/triage/internal/ui/filter"
	"github.com/triage-tools/triage/store"
)

// The list's search index: per row a lower-cased haystack of sender,
// subject, domains, URL hosts and rule IDs, its bigram set (to skip rows
// cheaply) and byte frequencies over all rows (to scan for a query's
// rarest byte). Rows are indexed when they arrive; matching only reads the
// index, so it can run on two goroutines.

// indexAll builds the filter index of new rows, on two goroutines for a
// large batch (the first load of a big mailbox).
func (l *List) indexAll(idx []int32) {
	if len(idx) < 4096 {
		for _, i := range idx {
			l.indexRow(i, &l.freq)
		}
		return
	}
	half := len(idx) / 2
	var other [256]int
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, i := range idx[half:] {
			l.indexRow(i, &other)
		}
	})
	for _, i := range idx[:half] {
		l.indexRow(i, &l.freq)
	}
	wg.Wait()
	for k, n := range other {
		l.freq[k] += n
	}
}

func (l *List) index(i int32) { l.indexRow(i, &l.freq) }

// indexRow fills the filter index of row i (writing only slot i of the
// index slices, so rows can be indexed concurrently) and counts its bytes
// into freq.
func (l *List) indexRow(i int32, freq *[256]int) {
	r := &l.rows[i]
	var b strings.Builder
	b.WriteString(r.FromName)
	b.WriteByte(0)
	b.WriteString(r.FromAddr)
	b.WriteByte(0)
	b.WriteString(r.Subject)
	for _, group := range [][]string{r.Domains, r.Hosts, r.Rules} {
		for _, s := range group {
			b.WriteByte(0)
			b.WriteString(s)
		}
	}
	h := strings.ToLower(b.String())
	l.hay[i] = h
	l.bloom[i] = filter.BigramBloom(h)
	for k := 0; k < len(h); k++ {
		freq[h[k]]++
	}
	l.sender[i] = senderKey(r)
}

func (l *List) match(i int32) bool {
	return l.flt.Match(&l.rows[i], l.hay[i], &l.bloom[i], l.sender[i])
}

// parallelMin is the slice length from which filterSlice uses two
// goroutines (the target machine has two cores).
const parallelMin = 20000

// filterSlice returns the elements of src that match the filter, in order,
// in a new slice. match only reads the list, so halves can run concurrently.
func (l *List) filterSlice(src []int32) []int32 {
	scan := func(part []int32) []int32 {
		out := make([]int32, 0, len(part)/4)
		for _, i := range part {
			if l.match(i) {
				out = append(out, i)
			}
		}
		return out
	}
	if len(src) < parallelMin {
		return scan(src)
	}
	half := len(src) / 2
	var second []int32
	done := make(chan struct{})
	go func() {
		second = scan(src[half:])
		close(done)
	}()
	first := scan(src[:half])
	<-done
	return append(first, second...)
}

// SetFilter applies a filter query, reusing the previous result when the new
// query can only narrow it. A query that does not parse changes nothing and
// returns the error (wrapping filter.ErrFilter).
func (l *List) SetFilter(q string) error {
	f, err := filter.Parse(q, l.c.Labels, l.savedFilter)
	if err != nil {
		return err
	}
	f.SetRare(l.rareByte)
	narrow := f.Narrows(&l.flt)
	l.flt = f
	l.refilter(narrow, false)
	return nil
}

// rareByte returns the index of t's byte that is rarest in the index.
func (l *List) rareByte(t string) int {
	rare := 0
	for j := 1; j < len(t); j++ {
		if l.freq[t[j]] < l.freq[t[rare]] {
			rare = j
		}
	}
	return rare
}

// savedFilter resolves @NAME in queries.
func (l *List) savedFilter(name string) (string, bool) {
	q, ok := l.saved[name]
	return q, ok
}

// senderKey is the sender sort key of r: what the FROM column shows (the
// display name, else the address), lower-cased, then the address.
func senderKey(r *store.Row) string {
	shown := r.FromName
	if shown == "" {
		shown = r.FromAddr
	}
	return strings.ToLower(shown) + "\x00" + strings.ToLower(r.FromAddr)
}
