package analysis

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchCorpus loads up to n .eml messages of the shared development
// corpus (ham and phishing alike), skipping the benchmark when it is
// absent.
func benchCorpus(b *testing.B, n int) (msgs [][]byte, size int64) {
	b.Helper()
	root := filepath.Join(sharedDir(b), "corpus")
	for _, dir := range []string{"ham/spamassassin_easy_ham", "phishing_pot", "ham/mailing_lists", "phishing_jp"} {
		quota := n / 4
		_ = filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".eml") {
				return nil
			}
			if quota == 0 {
				return filepath.SkipAll
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			quota--
			msgs = append(msgs, raw)
			size += int64(len(raw))
			return nil
		})
	}
	if len(msgs) == 0 {
		b.Skip("no corpus messages")
	}
	return msgs, size
}

// BenchmarkAnalyze measures the full analysis (parse, hops, auth, URLs,
// rules) of ~2,000 corpus messages per iteration on one goroutine.
func BenchmarkAnalyze(b *testing.B) {
	msgs, size := benchCorpus(b, 2000)
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
	msgs, size := benchCorpus(b, 2000)
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
