package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// BenchmarkStoreFirstFrame: the workbench's way to its first full frame
// on the store at TRIAGE_BENCH_DB (opened once, read-only): every row
// read as Init's loadRows reads them, the list loaded (its search index
// and sort) and a View at 160×48. Process start, the store's open and the
// terminal's own drawing are not in it. scripts/scale.sh reports it.
func BenchmarkStoreFirstFrame(b *testing.B) {
	s := benchStore(b)
	n := 0
	for b.Loop() {
		m := New(Options{Location: time.UTC, NoSubscribe: true, Store: s})
		nm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
		msg := loadRows(s)()
		nm, _ = nm.(Model).Update(msg)
		m = nm.(Model)
		if m.err != nil {
			b.Fatal(m.err)
		}
		_ = m.View()
		n = len(msg.(rowsMsg).rows)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/frame")
	b.ReportMetric(float64(n), "rows")
}

// BenchmarkSortKey100k: the sort key (o), which re-sorts the list by the
// next order, and a View, with 100,000 rows listed; each sort's order is
// dropped before, so every key sorts every row.
func BenchmarkSortKey100k(b *testing.B) { benchSortKey(b, false) }

// BenchmarkSortKeyCached100k is the same once every sort has been shown:
// the list keeps their orders. Target ≤ 16 ms.
func BenchmarkSortKeyCached100k(b *testing.B) { benchSortKey(b, true) }

func benchSortKey(b *testing.B, cached bool) {
	m := benchModel(b, 100_000)
	k := keyMsg("o")
	for range numSorts {
		nm, _ := m.Update(k)
		m = nm.(Model)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if !cached {
			m.list.sorts = [numSorts][]int32{}
		}
		nm, _ := m.Update(k)
		m = nm.(Model)
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/key")
}
