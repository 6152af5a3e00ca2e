package analysis

import (
	"testing"

	"github.com/triage-tools/triage/internal/devdata"
)

// BenchmarkAnalyze measures the full analysis (parse, hops, auth, URLs,
// rules) of ~2,000 corpus messages per iteration on one goroutine.
func BenchmarkAnalyze(b *testing.B) {
	msgs, size := devdata.Sample(b, 2000)
	cfg := &Config{}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, m := range msgs {
			Analyze(m, cfg)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N*len(msgs))/sec, "msg/s")
	b.ReportMetric(float64(b.N)*float64(size)/sec/1e6, "MB/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(msgs))/1e3, "us/msg")
}

// BenchmarkAnalyzeParallel is BenchmarkAnalyze on GOMAXPROCS goroutines
// sharing one Config: the throughput a scan can reach. One op is one
// message.
func BenchmarkAnalyzeParallel(b *testing.B) {
	msgs, size := devdata.Sample(b, 2000)
	cfg := &Config{}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			Analyze(msgs[i%len(msgs)], cfg)
			i++
		}
	})
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)/sec, "msg/s")
	b.ReportMetric(float64(b.N)*float64(size)/float64(len(msgs))/sec/1e6, "MB/s")
}
