package campaign

import (
	"testing"

	"github.com/triage-tools/triage/internal/demo/demotest"
)

// BenchmarkSigOf measures the signature of a report, which the store
// computes for every new message it files (campstore.PrepareSig).
func BenchmarkSigOf(b *testing.B) {
	_, reps := demotest.Analysed(b)
	for b.Loop() {
		for _, r := range reps {
			s := SigOf(r)
			_ = s.Append(nil)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reps)), "ns/report")
}

// BenchmarkDecodeSig measures reading a signature record back, once per
// member when a store loads its campaign index.
func BenchmarkDecodeSig(b *testing.B) {
	_, reps := demotest.Analysed(b)
	var recs [][]byte
	for _, r := range reps {
		s := SigOf(r)
		recs = append(recs, s.Append(nil))
	}
	for b.Loop() {
		for _, rec := range recs {
			if _, err := DecodeSig(rec); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}
