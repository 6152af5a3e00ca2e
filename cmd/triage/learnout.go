package main

import (
	"encoding/json"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/features"
	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/store"
)

// namedFeatures extracts the features of a stored message again from its
// raw bytes, with names, for the model's evidence; nil when the message
// cannot be read. The default analyzer is used: a feature its rules would
// not produce stays unnamed.
func namedFeatures(id string, locs []store.Locator) *features.Set {
	raw, err := readRaw(id, locs)
	if err != nil {
		return nil
	}
	f := analysis.New(nil).Analyze(raw).Features
	return &f
}

// scoreItem is the learned part of a report shown by scan --jsonl: its
// in-memory features when analysed now, else the stored ones. Stored
// features have no names: when the evidence of a cached message names a
// feature only by its bucket, the message is read again from loc and
// analysed with an, and its evidence named from that (only then, and only
// if it is still the same message).
func scoreItem(m *learn.Model, st *store.Store, an *analysis.Analyzer, rep *analysis.Report, loc store.Locator) learn.Scored {
	set := rep.Features
	if set.Len() == 0 && st != nil {
		if s, ok, err := st.Features(rep.ID); err == nil && ok {
			set = s
		}
	}
	sc := learn.ScoreReport(m, rep.RawScore, &set)
	if an == nil || !sc.Model.Unnamed() {
		return sc
	}
	raw, err := mailbox.ReadRaw(loc)
	if err != nil {
		return sc
	}
	again := an.Analyze(raw)
	if again.ID != rep.ID {
		return sc
	}
	set = set.WithNames(&again.Features)
	return learn.ScoreReport(m, rep.RawScore, &set)
}

// explain is the learned part of a stored message for the workbench's
// summary pane: its stored features scored by the store's model, named
// by analysing raw again (when given).
func (env *runEnv) explain(id string, raw []byte) (*learn.Scored, error) {
	m, err := env.st.Model()
	if err != nil {
		return nil, err
	}
	set, ok, err := env.st.Features(id)
	if err != nil {
		return nil, err
	}
	rep, err := env.st.Report(id)
	if err != nil {
		return nil, err
	}
	if !ok {
		sc := learn.ScoreReport(nil, rep.RawScore, &set)
		sc.Model.Note = "not analysed here: no features"
		return &sc, nil
	}
	if raw != nil && m.Trained() {
		named := env.an.Analyze(raw).Features
		set = set.WithNames(&named)
	}
	sc := learn.ScoreReport(m, rep.RawScore, &set)
	return &sc, nil
}

// jsonlBatch holds scan --jsonl records until their learned part is
// scored: naming the evidence of a cached message analyses it again
// (scoreItem), so a batch is scored on every CPU, then written in order.
type jsonlBatch struct {
	m    *learn.Model
	st   *store.Store
	an   *analysis.Analyzer
	enc  *json.Encoder
	recs []scanRecord
	reps []*analysis.Report
}

// jsonlBatchSize bounds the records a jsonlBatch holds.
const jsonlBatchSize = 64

func (b *jsonlBatch) add(it ingest.Item) error {
	b.recs = append(b.recs, newScanRecord(it))
	b.reps = append(b.reps, it.Report)
	if len(b.recs) >= jsonlBatchSize {
		return b.flush()
	}
	return nil
}

// flush scores and writes the records held.
func (b *jsonlBatch) flush() error {
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range min(runtime.GOMAXPROCS(0), len(b.recs)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(b.recs); i = int(next.Add(1) - 1) {
				sc := scoreItem(b.m, b.st, b.an, b.reps[i], b.recs[i].Locator)
				b.recs[i].Model, b.recs[i].Combined = sc.Model, sc.Combined
			}
		})
	}
	wg.Wait()
	for i := range b.recs {
		if err := b.enc.Encode(b.recs[i]); err != nil {
			return err
		}
	}
	clear(b.reps)
	b.recs, b.reps = b.recs[:0], b.reps[:0]
	return nil
}
