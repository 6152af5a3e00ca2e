package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// benchMailbox returns the mailbox to benchmark: $TRIAGE_BENCH_MBOX (e.g.
// corpus.mbox from shared/bench/mkcorpus.py) or a generated one.
func benchMailbox(b *testing.B) (string, int64) {
	b.Helper()
	p := os.Getenv("TRIAGE_BENCH_MBOX")
	if p == "" {
		p = filepath.Join(b.TempDir(), "bench.mbox")
		testutil.WriteFile(b, p, []byte(mboxOf(0, 5000)))
	}
	fi, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	return p, fi.Size()
}

func benchRun(b *testing.B, opts Options, withStore bool) {
	path, size := benchMailbox(b)
	opts.Analyzer = analysis.New(nil)
	var msgs int
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if withStore {
			b.StopTimer()
			st, err := store.Open(filepath.Join(b.TempDir(), "b.db"), store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			opts.Store = st
			b.StartTimer()
		}
		stats, err := Run(context.Background(), []string{path}, opts)
		if err != nil {
			b.Fatal(err)
		}
		msgs += stats.Messages
		if withStore {
			opts.Store.Close()
		}
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msg/s")
}

// BenchmarkReadParse is the ceiling: mailbox splitting plus MIME parsing
// and decoding on all cores, no rules, no store.
func BenchmarkReadParse(b *testing.B) { benchRun(b, Options{parseOnly: true}, false) }

// BenchmarkAnalyze is the full analysis pipeline without a store.
func BenchmarkAnalyze(b *testing.B) { benchRun(b, Options{}, false) }

// BenchmarkAnalyzeStore is the full pipeline into a fresh store.
func BenchmarkAnalyzeStore(b *testing.B) { benchRun(b, Options{}, true) }

// BenchmarkStoreShare is the store's own share of an ingest, without
// analysis: the reports of the mailbox's first 20,000 messages (analysed
// once, before timing) are prepared in jobs of readBatch, as the workers
// do, and committed in groups of 1,024 messages into a fresh store, on
// one goroutine. Its time per message is steadier than the difference of
// two timed scans on a shared machine.
func BenchmarkStoreShare(b *testing.B) {
	path, _ := benchMailbox(b)
	var items []Item
	_, err := Run(context.Background(), []string{path}, Options{Emit: func(it Item) error {
		if len(items) < 20000 {
			it.Report.Headers = nil
			items = append(items, it)
		}
		return nil
	}})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(filepath.Join(b.TempDir(), "b.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		var group []*store.Prepared
		for i := 0; i < len(items); i += readBatch {
			job := items[i:min(i+readBatch, len(items))]
			entries := make([]store.Entry, len(job))
			for k := range job {
				entries[k] = store.Entry{Report: job[k].Report, Locator: job[k].Loc, Row: &job[k].Row}
			}
			p, err := st.Prepare(entries)
			if err != nil {
				b.Fatal(err)
			}
			if group = append(group, p); len(group)*readBatch >= 1024 || i+readBatch >= len(items) {
				if err := st.Commit(group...); err != nil {
					b.Fatal(err)
				}
				group = group[:0]
			}
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(items))*float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}
