package ui

import (
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

func benchModel(b *testing.B, n int) Model {
	b.Helper()
	return benchModelRows(b, bigRows(n))
}

func benchModelRows(b *testing.B, rows []store.Row) Model {
	b.Helper()
	m := New(Options{Location: time.UTC, NoSubscribe: true})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m = nm.(Model)
	// Stream in batches, as ingest does.
	for i := 0; i < len(rows); i += 5000 {
		nm, _ = m.Update(rowsMsg{rows: rows[i:min(i+5000, len(rows))]})
		m = nm.(Model)
	}
	m.focus = focusList
	return m
}

// BenchmarkCursorMove100k: one key press (j) and a full View with 100,000
// rows listed. Target ≤ 16 ms.
func BenchmarkCursorMove100k(b *testing.B) { benchCursor(b, benchModel(b, 100_000)) }

// benchCursor times a key press (j) and a full View on m.
func benchCursor(b *testing.B, m Model) {
	down := keyMsg("j")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		nm, _ := m.Update(down)
		m = nm.(Model)
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/key")
}

// BenchmarkFilterKeystroke100k: one keystroke in the filter (alternately
// narrowing and widening the query) and a View, with 100,000 rows, all
// matching the query. The result cache is cleared before each keystroke, so
// every widening is a full scan. Target ≤ 50 ms.
func BenchmarkFilterKeystroke100k(b *testing.B) { benchFilter(b, false) }

// BenchmarkFilterKeystrokeCached100k is the same with the result cache
// (typing then deleting a character returns to a cached result).
func BenchmarkFilterKeystrokeCached100k(b *testing.B) { benchFilter(b, true) }

func benchFilter(b *testing.B, cached bool) {
	benchFilterOn(b, benchModel(b, 100_000), "invoice", "1", cached)
}

// benchFilterOn types query into m's filter, then times typing add and
// deleting it again, alternately, each with a View; without cached the
// result cache is cleared first, so every keystroke is a full scan.
func benchFilterOn(b *testing.B, m Model, query, add string, cached bool) {
	nm, _ := m.Update(keyMsg("/"))
	m = nm.(Model)
	for _, r := range query {
		nm, _ = m.Update(keyMsg(string(r)))
		m = nm.(Model)
	}
	typeKey, back := keyMsg(add), keyMsg("backspace")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := typeKey
		if i%2 == 1 {
			k = back
		}
		if !cached {
			m.list.invalidate()
		}
		nm, _ := m.Update(k)
		m = nm.(Model)
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/key")
}

// BenchmarkAddBatch100k: merging a batch of 500 rows into 100,000.
func BenchmarkAddBatch100k(b *testing.B) {
	m := benchModel(b, 100_000)
	extra := bigRows(200_000)[100_000:]
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		lo := (i * 500) % len(extra)
		m.list.Add(extra[lo : lo+500])
	}
}

// benchStore opens the store named by TRIAGE_BENCH_DB read-only until the
// benchmark ends, or skips the benchmark.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	s, err := store.Open(testutil.Getenv(b, "TRIAGE_BENCH_DB", "STORE.db"), store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

// storeRows opens the store named by TRIAGE_BENCH_DB read-only and returns
// its rows (as the workbench loads them), or skips the benchmark.
// scripts/scale.sh uses it to time keys on a store of 1,000,000 messages.
func storeRows(b *testing.B) []store.Row {
	b.Helper()
	rows, err := benchStore(b).Rows()
	if err != nil {
		b.Fatal(err)
	}
	return rows
}

// BenchmarkStoreCursorMove: a key press (j) and a full View with every row
// of the store at TRIAGE_BENCH_DB listed.
func BenchmarkStoreCursorMove(b *testing.B) { benchCursor(b, benchModelRows(b, storeRows(b))) }

// BenchmarkStoreFilterKeystroke: a keystroke in the filter that widens the
// query again (a full scan, the result cache cleared) and a View, over every
// row of the store at TRIAGE_BENCH_DB.
func BenchmarkStoreFilterKeystroke(b *testing.B) {
	benchFilterOn(b, benchModelRows(b, storeRows(b)), "paypal", "x", false)
}

// BenchmarkLoad100k: the list's first load of 100,000 rows (the search
// index and the sort), as the workbench does after a re-open before its
// first full frame.
func BenchmarkLoad100k(b *testing.B) {
	rows := bigRows(100_000)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m := New(Options{Location: time.UTC, NoSubscribe: true})
		rs := slices.Clone(rows) // Load adopts its rows
		b.StartTimer()
		m.list.Load(rs)
	}
}
