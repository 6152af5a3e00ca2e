package analysis

import (
	"testing"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/unwrap"
	"github.com/triage-tools/triage/internal/devdata"
)

// BenchmarkStages gives the cost per message of the analysis steps added
// with report unwrapping, campaigns, learned features and QR/PDF reading,
// on the corpus sample of BenchmarkAnalyze (compare its us/msg): each
// message is analysed once, then one step runs again on what the
// analysis had when it ran. "media" is the QR and PDF reading of
// URL extraction (an image decoded once and seen again costs a look-up,
// as in a scan); "unwrap" is the check every message pays and the
// unwrapping of the sample's wrappers. The folded text that near and
// features read is made once (its cost is part of the content rules').
func BenchmarkStages(b *testing.B) {
	msgs, _ := devdata.Sample(b, 2000)
	an := New(nil)
	lim := an.cfg.Limits
	as := make([]*analyzer, len(msgs))
	outer := make([]*message.Parsed, len(msgs))
	for i, m := range msgs {
		p := message.Parse(m, lim)
		outer[i] = p
		raw, op, wrap := original(m, p, lim, nil)
		rep := an.analyze(raw, op, wrap)
		as[i] = &analyzer{cfg: &an.cfg, reg: an.cfg.Brands, inf: an.cfg.Infra, p: op, rep: rep, f: &findings{an: an, list: rep.Findings}}
		as[i].fromDomain = rep.Summary.From.Address
		as[i].foldContent() // kept: near and features read it
	}
	perMsg := func(b *testing.B, fn func(i int, a *analyzer)) {
		b.ReportAllocs()
		defer devdata.ReportCPU(b)()
		for b.Loop() {
			for i, a := range as {
				fn(i, a)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(as)), "ns/msg")
	}
	b.Run("near", func(b *testing.B) {
		perMsg(b, func(_ int, a *analyzer) { a.near() })
	})
	b.Run("features", func(b *testing.B) {
		perMsg(b, func(_ int, a *analyzer) { a.features() })
	})
	b.Run("media", func(b *testing.B) {
		perMsg(b, func(_ int, a *analyzer) { a.linkOnly = a.linkOnly[:0]; a.media() })
	})
	b.Run("unwrap", func(b *testing.B) {
		perMsg(b, func(i int, _ *analyzer) {
			if unwrap.Candidate(outer[i]) {
				unwrap.Unwrap(msgs[i], outer[i], lim)
			}
		})
	})
}

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
