package ui

import (
	"slices"
	"strings"
	"sync"

	"github.com/triage-tools/triage/store"
)

// The list's search index: per row a lower-cased haystack of sender,
// subject, domains, URL hosts and rule IDs, its bigram set (to skip rows
// cheaply) and byte frequencies over all rows (to scan for a query's
// rarest byte). Rows are indexed when they arrive; matching only reads the
// index, so it can run on two goroutines.

// bloom is a 256-bit set of the byte bigrams of a string.
type bloom [4]uint64

func bigramBloom(s string) bloom {
	var b bloom
	for i := 0; i+1 < len(s); i++ {
		h := (uint(s[i])*31 + uint(s[i+1])) & 255
		b[h>>6] |= 1 << (h & 63)
	}
	return b
}

// covers reports whether every bigram of q may occur in the row.
func (b *bloom) covers(q *bloom) bool {
	return b[0]&q[0] == q[0] && b[1]&q[1] == q[1] && b[2]&q[2] == q[2] && b[3]&q[3] == q[3]
}

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
	l.bloom[i] = bigramBloom(h)
	for k := 0; k < len(h); k++ {
		freq[h[k]]++
	}
	l.sender[i] = senderKey(r)
}

func (l *List) match(i int32) bool { return l.eval(i, l.flt.root) }

// eval reports whether row i matches node n (nil matches everything).
func (l *List) eval(i int32, n *fnode) bool {
	if n == nil {
		return true
	}
	r := &l.rows[i]
	switch n.kind {
	case fAnd:
		for _, k := range n.kids {
			if !l.eval(i, k) {
				return false
			}
		}
		return true
	case fOr:
		for _, k := range n.kids {
			if l.eval(i, k) {
				return true
			}
		}
		return false
	case fNot:
		return !l.eval(i, n.kids[0])
	case fText:
		return l.bloom[i].covers(&n.bl) && containsAt(l.hay[i], n.s, n.rare)
	case fScore:
		return compareScore(r.Score, n.op, n.n)
	case fLabel:
		return slices.Contains(n.labels, r.Label)
	case fRule:
		return slices.ContainsFunc(r.Rules, func(rule string) bool { return hasPrefixFold(rule, n.s) })
	case fFrom:
		return strings.Contains(l.sender[i], n.s)
	case fDomain:
		return slices.ContainsFunc(r.Domains, func(d string) bool {
			return strings.EqualFold(d, n.s) || len(d) > len(n.s) && d[len(d)-len(n.s)-1] == '.' && hasSuffixFold(d, n.s)
		})
	case fURL:
		return slices.ContainsFunc(r.Hosts, func(h string) bool { return strings.Contains(strings.ToLower(h), n.s) })
	}
	return false
}

func compareScore(s int, op string, n int) bool {
	switch op {
	case "<":
		return s < n
	case "<=":
		return s <= n
	case ">":
		return s > n
	case "=":
		return s == n
	}
	return s >= n
}

func hasPrefixFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }
func hasSuffixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[len(s)-len(p):], p)
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

// containsAt reports whether t occurs in h, scanning h for t's byte at
// index rare (the rarest in the corpus) with IndexByte and verifying around
// each hit. It is much faster than strings.Contains when t starts with a
// byte that is common in the haystack.
func containsAt(h, t string, rare int) bool {
	if len(t) == 0 {
		return true
	}
	c := t[rare]
	for pos := rare; pos < len(h); {
		j := strings.IndexByte(h[pos:], c)
		if j < 0 {
			return false
		}
		start := pos + j - rare
		if start+len(t) > len(h) {
			return false
		}
		if h[start:start+len(t)] == t {
			return true
		}
		pos += j + 1
	}
	return false
}

// SetFilter applies a filter query, reusing the previous result when the new
// query can only narrow it. A query that does not parse changes nothing and
// returns the error (wrapping errFilter).
func (l *List) SetFilter(q string) error {
	f, err := parseFilter(q, l.c.Labels, l.savedFilter)
	if err != nil {
		return err
	}
	if f.root != nil {
		f.root.walk(func(n *fnode) bool {
			if n.kind == fText {
				n.rare = l.rareByte(n.s)
			}
			return false
		})
	}
	narrow := f.narrows(&l.flt)
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
