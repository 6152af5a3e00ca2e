package analysis

import (
	"testing"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/unwrap"
	"github.com/triage-tools/triage/internal/devdata"
)

// BenchmarkUnwrapPrecheck measures what mail pays for report unwrapping
// before any wrapper is found: unwrap.Candidate on the parsed message (the
// parse is the analysis's own). Compare its ns/msg with BenchmarkAnalyze's
// us/msg; the sample's wrappers are counted.
func BenchmarkUnwrapPrecheck(b *testing.B) {
	msgs, _ := devdata.Sample(b, 2000)
	ps := make([]*message.Parsed, len(msgs))
	for i, m := range msgs {
		ps[i] = message.Parse(m, DefaultLimits())
	}
	cands := 0
	b.ResetTimer()
	for b.Loop() {
		cands = 0
		for _, p := range ps {
			if unwrap.Candidate(p) {
				cands++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ps)), "ns/msg")
	b.ReportMetric(float64(cands), "candidates")
}
