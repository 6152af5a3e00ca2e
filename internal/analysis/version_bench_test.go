package analysis

import "testing"

// BenchmarkNew measures building an Analyzer (configuration copy, rule
// index and version hash): the per-call overhead of Analyze(raw, cfg).
func BenchmarkNew(b *testing.B) {
	cfg := &Config{}
	b.ReportAllocs()
	for b.Loop() {
		New(cfg)
	}
}
