package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

func benchModel(b *testing.B, n int) Model {
	b.Helper()
	m := New(Options{Location: time.UTC, NoSubscribe: true})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m = nm.(Model)
	rows := bigRows(n)
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
func BenchmarkCursorMove100k(b *testing.B) {
	m := benchModel(b, 100_000)
	down := keyMsg("j")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		nm, _ := m.Update(down)
		m = nm.(Model)
		_ = m.View()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/key")
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
	m := benchModel(b, 100_000)
	nm, _ := m.Update(keyMsg("/"))
	m = nm.(Model)
	for _, r := range "invoice" {
		nm, _ = m.Update(keyMsg(string(r)))
		m = nm.(Model)
	}
	typeKey, back := keyMsg("1"), keyMsg("backspace")
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
