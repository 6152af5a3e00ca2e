package ui

import (
	"cmp"
	"slices"
)

// rowKey is a row's place in the score or date order, packed so that a
// sort compares keys in one array instead of rows scattered over the
// heap: k1, k2, k3 ascending, then the row's ID (^x orders x descending
// without the overflow of -x).
type rowKey struct {
	k1, k2, k3 int64
	i          int32
}

// sortRows sorts the row indexes order as l.less does. The score and
// date orders (the default and the common one) sort packed keys: with
// 100,000 rows a sort by less spent most of its time fetching rows.
func (l *List) sortRows(order []int32) {
	if l.sort != sortScore && l.sort != sortDate {
		slices.SortFunc(order, l.less)
		return
	}
	keys := make([]rowKey, len(order))
	for j, i := range order {
		r := &l.rows[i]
		sec, nsec := r.Date.Unix(), int64(r.Date.Nanosecond())
		if l.sort == sortScore { // CompareRows: raw score, then date, both descending
			keys[j] = rowKey{^int64(r.RawScore), ^sec, ^nsec, i}
		} else { // date descending, then CompareRows
			keys[j] = rowKey{^sec, ^nsec, ^int64(r.RawScore), i}
		}
	}
	slices.SortFunc(keys, func(a, b rowKey) int {
		if c := cmp.Compare(a.k1, b.k1); c != 0 {
			return c
		}
		if c := cmp.Compare(a.k2, b.k2); c != 0 {
			return c
		}
		if c := cmp.Compare(a.k3, b.k3); c != 0 {
			return c
		}
		return cmp.Compare(l.rows[a.i].ID, l.rows[b.i].ID)
	})
	for j := range keys {
		order[j] = keys[j].i
	}
}
