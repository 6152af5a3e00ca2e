// Package listindex is the search index of the workbench's message list:
// per row a lower-cased haystack of sender, subject, domains, URL hosts and
// rule IDs, its bigram set (to skip rows cheaply), the sender sort key, and
// byte frequencies over all rows (to scan for a query's rarest byte). Rows
// are indexed when they arrive; matching only reads the index, so it can
// run on two goroutines.
package listindex

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/ui/filter"
	"github.com/triage-tools/triage/store"
)

// Index is the search index of a list's rows, slot i for row i.
type Index struct {
	hay    []string       // lower-cased search text per row
	bloom  []filter.Bloom // bigram sets of hay, to skip rows cheaply
	freq   [256]int       // byte frequencies over all hay, to pick the rarest needle byte
	sender []string       // lower-cased sort key per row
}

// Make gives the index n empty slots (for rows adopted in one piece).
func (x *Index) Make(n int) {
	x.hay = make([]string, n)
	x.bloom = make([]filter.Bloom, n)
	x.sender = make([]string, n)
}

// Grow reserves room for n more slots (the first bulk load).
func (x *Index) Grow(n int) {
	x.hay = slices.Grow(x.hay, n)
	x.bloom = slices.Grow(x.bloom, n)
	x.sender = slices.Grow(x.sender, n)
}

// Append adds one empty slot, for a row indexed later by Add.
func (x *Index) Append() {
	x.hay = append(x.hay, "")
	x.bloom = append(x.bloom, filter.Bloom{})
	x.sender = append(x.sender, "")
}

// Sender is the sender sort key of row i.
func (x *Index) Sender(i int32) string { return x.sender[i] }

// Add builds the index of rows idx of rows, on two goroutines for a large
// batch (the first load of a big mailbox).
func (x *Index) Add(rows []store.Row, idx []int32) {
	if len(idx) < 4096 {
		for _, i := range idx {
			x.indexRow(rows, i, &x.freq)
		}
		return
	}
	half := len(idx) / 2
	var other [256]int
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, i := range idx[half:] {
			x.indexRow(rows, i, &other)
		}
	})
	for _, i := range idx[:half] {
		x.indexRow(rows, i, &x.freq)
	}
	wg.Wait()
	for k, n := range other {
		x.freq[k] += n
	}
}

// Set indexes row i again (its row changed).
func (x *Index) Set(rows []store.Row, i int32) { x.indexRow(rows, i, &x.freq) }

// indexRow fills the index of row i (writing only slot i of the index
// slices, so rows can be indexed concurrently) and counts its bytes into
// freq. The haystack is built lower-cased in one allocation, and the
// sender key of a row with a display name is a prefix of it.
func (x *Index) indexRow(rows []store.Row, i int32, freq *[256]int) {
	r := &rows[i]
	n := len(r.FromName) + len(r.FromAddr) + len(r.Subject) + 2
	for _, group := range [...][]string{r.Domains, r.Hosts, r.Rules} {
		for _, s := range group {
			n += 1 + len(s)
		}
	}
	var b strings.Builder
	b.Grow(n)
	writeLower(&b, r.FromName)
	b.WriteByte(0)
	writeLower(&b, r.FromAddr)
	senderLen := b.Len()
	b.WriteByte(0)
	writeLower(&b, r.Subject)
	for _, group := range [...][]string{r.Domains, r.Hosts, r.Rules} {
		for _, s := range group {
			b.WriteByte(0)
			writeLower(&b, s)
		}
	}
	h := b.String()
	x.hay[i] = h
	x.bloom[i] = filter.BigramBloom(h)
	for k := 0; k < len(h); k++ {
		freq[h[k]]++
	}
	if r.FromName != "" {
		x.sender[i] = h[:senderLen] // senderKey's lower(name) NUL lower(address)
	} else {
		x.sender[i] = senderKey(r)
	}
}

// writeLower writes strings.ToLower(s) to b, without allocating for ASCII.
// Lower-casing the NUL-separated parts one by one gives what lower-casing
// their concatenation gives: NUL is ASCII, so no rune spans two parts.
func writeLower(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			b.WriteString(strings.ToLower(s))
			return
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
}

// parallelMin is the slice length from which Filter uses two goroutines
// (the target machine has two cores).
const parallelMin = 20000

// Filter returns the elements of src whose rows match flt, in order, in a
// new slice. Matching only reads the index, so halves run concurrently.
func (x *Index) Filter(flt *filter.Spec, rows []store.Row, src []int32) []int32 {
	scan := func(part []int32) []int32 {
		out := make([]int32, 0, len(part)/4)
		for _, i := range part {
			if flt.Match(&rows[i], x.hay[i], &x.bloom[i], x.sender[i]) {
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

// RareByte returns the index of t's byte that is rarest in the index.
func (x *Index) RareByte(t string) int {
	rare := 0
	for j := 1; j < len(t); j++ {
		if x.freq[t[j]] < x.freq[t[rare]] {
			rare = j
		}
	}
	return rare
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
