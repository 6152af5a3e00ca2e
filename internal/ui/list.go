package ui

import (
	"cmp"
	"slices"
	"strings"

	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/internal/ui/filter"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/internal/ui/listindex"
	"github.com/triage-tools/triage/internal/ui/listrow"
	"github.com/triage-tools/triage/store"
)

type sortKey int

const (
	sortScore sortKey = iota
	sortDate
	sortSender
	sortLabel
	sortReported // most reports first (report mailboxes)
	sortModel    // the learned model's log-odds (learned.go)
	sortCombined // rules' raw score plus learned points
	numSorts
)

// String returns the sort's name as shown in the list header and status.
func (k sortKey) String() string {
	return [numSorts]string{"score", "date", "sender", "label", "reported", "model", "combined"}[k]
}

// List is the virtualised message list. It keeps every row once, an index
// slice in sort order and an index slice of the rows matching the filter;
// only the visible window is rendered. The selection follows the message (by
// row index, never by position) when rows arrive, the sort changes or the
// filter changes. When a change the analyst did not make (another
// analyst's label, a re-analysed row) would filter the selected row out, it
// stays shown, pinned at its sort position, until the cursor leaves it.
type List struct {
	c *kit.Common

	rows []store.Row
	idx  listindex.Index // the search index, slot i for row i
	byID map[string]int32

	order []int32 // all rows, in sort order
	// sorts keeps the orders of the sorts shown before (nil: none), so
	// that cycling back to one needs no sort of every row; see setSort.
	// Rows that arrive or change drop them all, a label change the label
	// order's, learned scores the learned orders'. l.order is never
	// changed in place while one of them may hold it.
	sorts [numSorts][]int32
	shown []int32 // rows matching filter, in sort order
	sort  sortKey
	flt   filter.Spec

	cursor int   // index into shown
	sel    int32 // row index of the selection, -1 when none
	pinned int32 // row kept in shown although the filter excludes it, -1 when none
	offset int   // first visible index into shown
	height int   // rows visible, set by SetHeight

	saved map[string]string // the analyst's saved filters, for @NAME
	// broken is set while the query being typed does not parse (the list
	// then shows the last valid query's result).
	broken bool

	marked     map[int32]bool
	labelCount map[string]int

	// committed holds the labels this session saw committed (its own and
	// other sessions' changes, by message ID, including messages whose row
	// has not arrived yet) while rows read from the store before those
	// commits may still arrive: the initial Rows() read and the ingest's
	// batches. Such a row carries the label of its read time, so a
	// committed label always wins over it. Settle drops the map once no
	// stale row can arrive; it is nil then.
	committed map[string]string
	// resynced is set when a resync (SetLabels) replaced committed while
	// rows may still arrive: committed then holds every label, and a
	// message missing from it has none.
	resynced bool

	// rendered caches each visible row's rendering: redrawing the list
	// after a key press or another analyst's label then re-renders only the
	// rows that changed (SSH mode runs many sessions on two cores).
	rendered listrow.Cache

	// cache keeps recent filter results (query → shown) for the current
	// rows, sort and labels, so that deleting a character is instant.
	cache map[string][]int32

	// learned is the learned model's view of each row (learned.go), nil
	// while the model is untrained or absent.
	learned map[string]learn.Brief

	memo *kit.LineMemo // the rendered column header
}

func newList(c *kit.Common) List {
	return List{
		c:          c,
		byID:       map[string]int32{},
		rendered:   listrow.Cache{},
		sel:        -1,
		pinned:     -1,
		marked:     map[int32]bool{},
		labelCount: map[string]int{},
		committed:  map[string]string{},
		height:     10,
		memo:       &kit.LineMemo{},
	}
}

// Settle ends the tracking of committed labels: call it once no row read
// before the session's label changes can arrive any more (the initial
// rows are loaded and the ingest run has finished).
func (l *List) Settle() { l.committed = nil }

func (l *List) less(a, b int32) int {
	ra, rb := &l.rows[a], &l.rows[b]
	switch l.sort {
	case sortDate:
		if c := ra.Date.Compare(rb.Date); c != 0 {
			return -c
		}
	case sortSender:
		if c := cmp.Compare(l.idx.Sender(a), l.idx.Sender(b)); c != 0 {
			return c
		}
	case sortModel, sortCombined:
		if c := l.lessLearned(a, b); c != 0 {
			return c
		}
	case sortLabel:
		if (ra.Label == "") != (rb.Label == "") {
			if ra.Label == "" {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(ra.Label, rb.Label); c != 0 {
			return c
		}
	case sortReported:
		if c := cmp.Compare(rb.Reported, ra.Reported); c != 0 {
			return c
		}
	}
	if c := store.CompareRows(ra, rb); c != 0 {
		return c
	}
	return cmp.Compare(ra.ID, rb.ID)
}

// Load is Add for rows the list may keep: the initial read of the store
// (Store.Rows returns a fresh slice each time). Into an empty list it
// adopts rows as they are, without a copy (a second array of every row
// was a quarter of the workbench's heap at 100k messages), and may write
// into them: the caller must not use rows afterwards.
func (l *List) Load(rows []store.Row) {
	if len(l.rows) != 0 || len(rows) == 0 {
		l.Add(rows)
		return
	}
	byID := make(map[string]int32, len(rows))
	for i := range rows {
		id := rows[i].ID
		if _, dup := byID[id]; dup || id == "" {
			l.Add(rows) // Add skips or merges such rows
			return
		}
		byID[id] = int32(i)
	}
	l.byID = byID
	l.rows = rows[:len(rows):len(rows)] // a later append copies
	fresh := make([]int32, len(rows))
	for i := range l.rows {
		r := &l.rows[i]
		if label, ok := l.committedLabel(r.ID); ok {
			r.Label = label
		}
		l.labelCount[r.Label]++
		fresh[i] = int32(i)
	}
	l.idx.Make(len(rows))
	l.idx.Add(l.rows, fresh)
	l.invalidate()
	l.sorts = [numSorts][]int32{}
	l.sortRows(fresh)
	l.order = fresh
	l.refilter(false, true)
}

// Add inserts new rows and updates known ones (matched by ID). New rows are
// sorted among themselves and merged into the sort order, so a batch costs
// O(b log b + n).
//
// A row's label is the one it was read with, which may be stale: a label
// committed since (seen through SetLabel) wins, and a row without a label
// (a message analysed again, whose row never carries one) keeps the label
// the list already shows.
func (l *List) Add(rows []store.Row) {
	var fresh []int32
	resort := false
	if len(l.rows) == 0 && len(rows) > 0 { // first (bulk) load: size once
		l.byID = make(map[string]int32, len(rows))
		l.rows = slices.Grow(l.rows, len(rows))
		l.idx.Grow(len(rows))
	}
	for i := range rows {
		r := rows[i]
		if r.ID == "" {
			continue
		}
		if label, ok := l.committedLabel(r.ID); ok {
			r.Label = label
		}
		if idx, ok := l.byID[r.ID]; ok {
			old := l.rows[idx]
			if r.Label == "" && old.Label != "" {
				r.Label = old.Label // a re-analysed row does not carry the label
			}
			if sameRow(&old, &r) {
				continue // e.g. an unchanged mailbox replayed from the store
			}
			l.labelCount[old.Label]--
			l.labelCount[r.Label]++
			l.rows[idx] = r
			delete(l.rendered, idx)
			l.idx.Set(l.rows, idx)
			resort = resort || old.Score != r.Score || old.RawScore != r.RawScore || !old.Date.Equal(r.Date) || old.Label != r.Label ||
				old.FromAddr != r.FromAddr || old.FromName != r.FromName || old.Reported != r.Reported
			continue
		}
		idx := int32(len(l.rows))
		l.rows = append(l.rows, r)
		l.idx.Append()
		l.byID[r.ID] = idx
		l.labelCount[r.Label]++
		fresh = append(fresh, idx)
	}
	l.idx.Add(l.rows, fresh)
	l.invalidate()
	if resort || len(fresh) > 0 {
		l.sorts = [numSorts][]int32{}
	}
	if resort {
		l.order = append(l.order, fresh...)
		slices.SortFunc(l.order, l.less)
	} else if len(fresh) > 0 {
		slices.SortFunc(fresh, l.less)
		l.order = mergeSorted(l.order, fresh, l.less)
	}
	l.refilter(false, true)
}

func mergeSorted(a, b []int32, less func(x, y int32) int) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if less(b[j], a[i]) < 0 {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// refilter recomputes shown from order (or, when narrow, from shown) and
// restores the selection. With pin (a change the analyst did not ask for),
// a selected row that the filter now excludes stays shown (pinSelection).
func (l *List) refilter(narrow, pin bool) {
	if l.pinned >= 0 && narrow {
		narrow = false // shown holds a row the filter excludes
	}
	l.pinned = -1
	if c, ok := l.cache[l.flt.Raw]; ok && !l.flt.Empty() {
		l.shown = c
		l.restoreSelection(pin)
		return
	}
	switch {
	case l.flt.Empty():
		l.shown = l.order
	case narrow:
		l.shown = l.idx.Filter(&l.flt, l.rows, l.shown)
	default:
		l.shown = l.idx.Filter(&l.flt, l.rows, l.order)
	}
	if !l.flt.Empty() {
		if l.cache == nil || len(l.cache) >= 32 {
			l.cache = map[string][]int32{}
		}
		l.cache[l.flt.Raw] = l.shown
	}
	l.restoreSelection(pin)
}

// pinSelection keeps the selected row shown after a refilter that the
// analyst did not ask for: it is inserted at its sort position (into a copy
// of shown, never into a cached result) and the cursor stays on it.
func (l *List) pinSelection() {
	if l.sel < 0 || int(l.sel) >= len(l.rows) {
		return
	}
	p, _ := slices.BinarySearchFunc(l.shown, l.sel, l.less)
	shown := make([]int32, 0, len(l.shown)+1)
	shown = append(append(append(shown, l.shown[:p]...), l.sel), l.shown[p:]...)
	l.shown = shown
	l.pinned = l.sel
	l.cursor = p
	l.scroll()
}

// unpin drops the pinned row from shown once the cursor has left it.
func (l *List) unpin() {
	if l.pinned < 0 || l.pinned == l.sel {
		return
	}
	if p := slices.Index(l.shown, l.pinned); p >= 0 {
		l.shown = slices.Delete(slices.Clone(l.shown), p, p+1)
		if p < l.cursor {
			l.cursor--
		}
	}
	l.pinned = -1
	l.scroll()
}

// invalidate drops cached filter results after rows, labels or the sort
// changed.
func (l *List) invalidate() { clear(l.cache) }

func (l *List) restoreSelection(pin bool) {
	if l.sel >= 0 {
		if p := slices.Index(l.shown, l.sel); p >= 0 {
			l.cursor = p
			l.scroll()
			return
		}
		if pin {
			l.pinSelection()
			return
		}
	}
	l.cursor = min(max(l.cursor, 0), max(len(l.shown)-1, 0))
	if len(l.shown) > 0 {
		l.sel = l.shown[l.cursor]
	} else {
		l.sel = -1
	}
	l.scroll()
}

// SetFilter applies a filter query, reusing the previous result when the new
// query can only narrow it. A query that does not parse changes nothing and
// returns the error (wrapping filter.ErrFilter).
func (l *List) SetFilter(q string) error {
	f, err := filter.Parse(q, l.c.Labels, l.savedFilter)
	if err != nil {
		return err
	}
	f.SetRare(l.idx.RareByte)
	narrow := f.Narrows(&l.flt)
	l.flt = f
	l.refilter(narrow, false)
	return nil
}

// savedFilter resolves @NAME in queries.
func (l *List) savedFilter(name string) (string, bool) {
	q, ok := l.saved[name]
	return q, ok
}

// Filter returns the current query.
func (l *List) Filter() string { return l.flt.Raw }

// CycleSort switches to the next sort order and re-sorts.
func (l *List) CycleSort() {
	l.setSort((l.sort + 1) % numSorts)
}

// setSort re-sorts by k, or takes k's order kept from before.
func (l *List) setSort(k sortKey) {
	l.sorts[l.sort] = l.order
	l.sort = k
	l.invalidate()
	if o := l.sorts[k]; o != nil {
		l.order = o
	} else {
		l.order = slices.Clone(l.order)
		l.sortRows(l.order)
	}
	l.refilter(false, true)
}

// SetLabel records a committed label change for message id; it reports
// whether the row is known. The label of a row not listed yet is kept for
// when it arrives (see Add), until Settle.
func (l *List) SetLabel(id, label string) bool {
	if l.committed != nil {
		l.committed[id] = label
	}
	i, ok := l.byID[id]
	if !ok {
		return false
	}
	if l.relabel(i, label) {
		l.labelsChanged()
	}
	return true
}

// relabel gives row i label, keeping the label counts; it reports whether
// the label changed. The caller re-sorts (labelsChanged).
func (l *List) relabel(i int32, label string) bool {
	r := &l.rows[i]
	if r.Label == label {
		return false
	}
	l.labelCount[r.Label]--
	l.labelCount[label]++
	r.Label = label
	return true
}

// labelsChanged re-sorts and re-filters after rows' labels changed: the
// label order is stale, and so is a filter on labels.
func (l *List) labelsChanged() {
	l.invalidate()
	l.sorts[sortLabel] = nil
	if l.sort == sortLabel {
		l.order = slices.Clone(l.order)
		slices.SortFunc(l.order, l.less)
		l.refilter(false, true)
	} else if l.flt.UsesLabels() {
		l.refilter(false, true)
	}
}

// Label returns the current label of row id.
func (l *List) Label(id string) string {
	if i, ok := l.byID[id]; ok {
		return l.rows[i].Label
	}
	return ""
}

// Selected returns the selected row.
func (l *List) Selected() (store.Row, bool) {
	if l.sel < 0 || len(l.shown) == 0 {
		return store.Row{}, false
	}
	return l.rows[l.sel], true
}

// Move moves the cursor by delta rows, clamped.
func (l *List) Move(delta int) {
	if len(l.shown) == 0 {
		return
	}
	l.cursor = min(max(l.cursor+delta, 0), len(l.shown)-1)
	l.sel = l.shown[l.cursor]
	l.unpin()
	l.scroll()
}

// Select moves the cursor to row id when it is shown.
func (l *List) Select(id string) {
	i, ok := l.byID[id]
	if !ok {
		return
	}
	if p := slices.Index(l.shown, i); p >= 0 {
		l.Move(p - l.cursor)
	}
}

// Top and Bottom jump to the first and last row.
func (l *List) Top()    { l.Move(-len(l.shown)) }
func (l *List) Bottom() { l.Move(len(l.shown)) }

// SetHeight sets the number of visible rows (for paging and scrolling).
func (l *List) SetHeight(h int) {
	l.height = max(h, 1)
	l.scroll()
}

func (l *List) scroll() {
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = max(0, min(l.offset, len(l.shown)-l.height))
}

// NextUnlabeled moves the cursor to the next unlabeled row after the cursor,
// wrapping around; it stays put when every shown row is labeled.
func (l *List) NextUnlabeled() {
	n := len(l.shown)
	for k := 1; k <= n; k++ {
		p := (l.cursor + k) % n
		if l.rows[l.shown[p]].Label == "" {
			l.Move(p - l.cursor)
			return
		}
	}
}

// ToggleMark marks or unmarks the selected row and moves down.
func (l *List) ToggleMark() {
	if l.sel < 0 {
		return
	}
	if l.marked[l.sel] {
		delete(l.marked, l.sel)
	} else {
		l.marked[l.sel] = true
	}
	l.Move(1)
}

// MarkAll marks every shown row, or clears all marks when all are marked.
func (l *List) MarkAll() {
	all := len(l.marked) >= len(l.shown)
	if all {
		for _, i := range l.shown {
			if !l.marked[i] {
				all = false
				break
			}
		}
	}
	if all {
		clear(l.marked)
		return
	}
	for _, i := range l.shown {
		l.marked[i] = true
	}
}

// Targets returns the IDs an action applies to: the marked rows that are
// shown, in list order, or else the selected row.
func (l *List) Targets() []string {
	var ids []string
	if len(l.marked) > 0 {
		for _, i := range l.shown {
			if l.marked[i] {
				ids = append(ids, l.rows[i].ID)
			}
		}
	}
	if len(ids) == 0 {
		if r, ok := l.Selected(); ok {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// ClearMarks removes every mark.
func (l *List) ClearMarks() { clear(l.marked) }

// Counts returns total rows, shown rows and marked rows.
func (l *List) Counts() (total, shown, marked int) {
	return len(l.rows), len(l.shown), len(l.marked)
}

// View renders the visible window of the list: a column header and height-1
// rows. It is a pure function of the list.
func (l List) View(width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	st := &l.c.Styles
	cols := listrow.ColumnsFor(width)
	var b strings.Builder
	b.Grow(height * (2*width + 80)) // styles and wide characters: one allocation
	b.WriteString(l.memo.Line(l.c.StylesGen, kit.MemoKey("header", width, l.sort.String()), func() string { return listrow.Header(l.c, width, l.sort.String()) }))
	rowsH := height - 1
	if len(l.shown) == 0 {
		b.WriteString("\n")
		if len(l.rows) == 0 {
			b.WriteString(st.Dim.Render(kit.Pad("  no messages yet", width)))
		} else if l.broken {
			b.WriteString(st.Dim.Render(kit.Pad("  (the filter being typed has an error: see above)", width)))
		} else {
			b.WriteString(st.Dim.Render(kit.Pad("  no message matches the filter", width)))
		}
		rowsH--
		for ; rowsH > 0; rowsH-- {
			b.WriteString("\n")
		}
		return b.String()
	}
	off := max(0, min(l.offset, len(l.shown)-rowsH))
	if l.cursor >= off+rowsH {
		off = l.cursor - rowsH + 1
	}
	for k := 0; k < rowsH; k++ {
		b.WriteString("\n")
		p := off + k
		if p >= len(l.shown) {
			continue
		}
		i := l.shown[p]
		b.WriteString(l.cachedRow(i, cols, width, p == l.cursor, l.marked[i]))
	}
	return b.String()
}

// cachedRow is the rendering of row i, from the list's row cache.
func (l *List) cachedRow(i int32, cols listrow.Columns, width int, cur, marked bool) string {
	return l.rendered.Row(l.c, i, &l.rows[i], cols, width, cur, marked)
}

// sameRow reports whether two versions of a row would list, sort and
// filter identically.
func sameRow(a, b *store.Row) bool {
	return a.Score == b.Score && a.Label == b.Label && a.Date.Equal(b.Date) &&
		a.FromName == b.FromName && a.FromAddr == b.FromAddr && a.Subject == b.Subject &&
		slices.Equal(a.Domains, b.Domains) && slices.Equal(a.Hosts, b.Hosts) && slices.Equal(a.Rules, b.Rules) &&
		a.Reported == b.Reported
}
