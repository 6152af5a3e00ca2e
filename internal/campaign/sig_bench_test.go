package campaign

import (
	"fmt"
	"math/rand/v2"
	"runtime"
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

// BenchmarkIndexAdd adds 200,000 signatures to an index, as an ingest
// does: random fingerprints (so that the band buckets fill as they do in
// a large store) and subjects from 1,000 templates. It reports the time
// per message and the index's live heap per message.
func BenchmarkIndexAdd(b *testing.B) {
	const n = 200_000
	r := rand.New(rand.NewPCG(3, 4))
	sigs := make([]Sig, n)
	ids := make([]string, n)
	for i := range sigs {
		sigs[i] = Sig{Skeleton: fmt.Sprintf("template %d of a campaign", r.IntN(1000)), SimHash: r.Uint64()}
		ids[i] = fmt.Sprintf("sha256:%064x", r.Uint64())
	}
	var heap float64
	for b.Loop() {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		ix := NewIndex()
		for i := range sigs {
			ix.Add(ids[i], &sigs[i])
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&m1)
		heap = float64(m1.HeapAlloc) - float64(m0.HeapAlloc)
		runtime.KeepAlive(ix)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/msg")
	b.ReportMetric(heap/n, "heapB/msg")
}
