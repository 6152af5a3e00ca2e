package message

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/triage-tools/triage/internal/devdata"
)

// benchMessages loads the fixtures plus, when the shared corpus exists, up
// to ~2,000 messages from easy_ham and phishing_pot into memory.
func benchMessages(b *testing.B, corpus bool) [][]byte {
	b.Helper()
	var msgs [][]byte
	files, _ := filepath.Glob(filepath.Join("testdata", "parse", "*.eml"))
	if corpus {
		if d, ok := devdata.Find("corpus"); ok {
			ham, _ := filepath.Glob(filepath.Join(d, "ham", "spamassassin_easy_ham", "*.eml"))
			pot, _ := filepath.Glob(filepath.Join(d, "phishing_pot", "*.eml"))
			if len(ham) > 1200 {
				ham = ham[:1200]
			}
			files = append(append(files, ham...), pot...)
		}
		if seed, ok := devdata.Find("fixtures", "seed", "kagoya-activemail.eml"); ok {
			files = append(files, seed)
		}
	}
	for _, f := range files {
		if raw, err := os.ReadFile(f); err == nil {
			msgs = append(msgs, raw)
		}
	}
	if len(msgs) == 0 {
		b.Skip("no messages")
	}
	return msgs
}

// startParseBench sets the benchmark's bytes per op to the mean size of
// msgs, turns on allocation reports and resets the timer.
func startParseBench(b *testing.B, msgs [][]byte) {
	var total int64
	for _, m := range msgs {
		total += int64(len(m))
	}
	b.SetBytes(total / int64(len(msgs)))
	b.ReportAllocs()
	b.ResetTimer()
}

func runParseBench(b *testing.B, msgs [][]byte) {
	lim := DefaultLimits()
	startParseBench(b, msgs)
	for i := 0; b.Loop(); i++ {
		Parse(msgs[i%len(msgs)], lim)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}

// BenchmarkParse measures Parse over in-memory messages; MB/s comes from
// SetBytes (mean message size), msg/s is reported explicitly.
func BenchmarkParse(b *testing.B) {
	b.Run("fixtures", func(b *testing.B) { runParseBench(b, benchMessages(b, false)) })
	b.Run("corpus", func(b *testing.B) {
		msgs := benchMessages(b, true)
		b.Logf("%d messages", len(msgs))
		runParseBench(b, msgs)
	})
	b.Run("corpus-parallel", func(b *testing.B) {
		msgs := benchMessages(b, true)
		lim := DefaultLimits()
		startParseBench(b, msgs)
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				Parse(msgs[i%len(msgs)], lim)
				i++
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
	})
}
