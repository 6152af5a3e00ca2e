// Package scanjsonl writes `triage scan --jsonl`: one record per message,
// with its learned part scored in batches on every CPU (naming the evidence
// of a cached message analyses it again) and written in mailbox order.
package scanjsonl

import (
	"encoding/json"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/store"
)

// Record is one line of `scan --jsonl`.
type Record struct {
	ID          string                `json:"id"`
	Locator     mailbox.Locator       `json:"locator"`
	MessageID   string                `json:"message_id"`
	Date        *time.Time            `json:"date"`
	From        analysis.Address      `json:"from"`
	To          []analysis.Address    `json:"to"`
	Subject     string                `json:"subject"`
	Size        int                   `json:"size"`
	Warnings    []string              `json:"warnings"`
	Score       int                   `json:"score"`
	RawScore    int                   `json:"raw_score"`
	Findings    []analysis.Finding    `json:"findings"`
	Hops        []analysis.Hop        `json:"hops"`
	Auth        analysis.Auth         `json:"auth"`
	System      string                `json:"system,omitempty"`
	URLs        []analysis.URL        `json:"urls"`
	Attachments []analysis.Attachment `json:"attachments"`
	Cached      bool                  `json:"cached,omitempty"`
	// Wrapper is set when the message is the original found inside a
	// report wrapper; Reporters then holds that wrapper's reporter (the
	// store counts the reports of the same original across lines).
	Wrapper   *analysis.Wrapper   `json:"wrapper,omitempty"`
	Reporters []analysis.Reporter `json:"reporters,omitempty"`
	// Model and Combined: the learned part (docs/learning.md).
	Model    learn.Result `json:"model"`
	Combined int          `json:"combined"`
}

// NewRecord is the record of it, without its learned part (Model,
// Combined), which Batch scores.
func NewRecord(it ingest.Item) Record {
	r := it.Report
	rec := Record{
		ID:          r.ID,
		Locator:     it.Loc,
		MessageID:   r.Summary.MessageID,
		From:        r.Summary.From,
		To:          r.Summary.To,
		Subject:     r.Summary.Subject,
		Size:        r.Size,
		Warnings:    r.Warnings,
		Score:       r.Score,
		RawScore:    r.RawScore,
		Findings:    r.Findings,
		Hops:        r.Hops,
		Auth:        r.Auth,
		System:      r.System,
		URLs:        r.URLs,
		Attachments: r.Attachments,
		Cached:      it.Cached,
	}
	if r.Wrapper != nil {
		rec.Wrapper = r.Wrapper
		rec.Reporters = []analysis.Reporter{r.Wrapper.Reporter}
	}
	if !r.Summary.Date.IsZero() {
		d := r.Summary.Date
		rec.Date = &d
	}
	for _, s := range []*[]string{&rec.Warnings} {
		if *s == nil {
			*s = []string{}
		}
	}
	if rec.To == nil {
		rec.To = []analysis.Address{}
	}
	if rec.Findings == nil {
		rec.Findings = []analysis.Finding{}
	}
	return rec
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

// Batch holds scan --jsonl records until their learned part is
// scored: naming the evidence of a cached message analyses it again
// (scoreItem), so a batch is scored on every CPU, then written in order.
type Batch struct {
	Model    *learn.Model       // scores the records (nil: not trained)
	Store    *store.Store       // stored features of cached messages (nil: none)
	Analyzer *analysis.Analyzer // names evidence by analysing again (nil: never)
	Enc      *json.Encoder      // writes the records
	recs     []Record
	reps     []*analysis.Report
}

// batchSize bounds the records a Batch holds.
const batchSize = 64

// Add holds the record of it, and scores and writes the batch when full.
func (b *Batch) Add(it ingest.Item) error {
	b.recs = append(b.recs, NewRecord(it))
	b.reps = append(b.reps, it.Report)
	if len(b.recs) >= batchSize {
		return b.Flush()
	}
	return nil
}

// Flush scores and writes the records held.
func (b *Batch) Flush() error {
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range min(runtime.GOMAXPROCS(0), len(b.recs)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(b.recs); i = int(next.Add(1) - 1) {
				sc := scoreItem(b.Model, b.Store, b.Analyzer, b.reps[i], b.recs[i].Locator)
				b.recs[i].Model, b.recs[i].Combined = sc.Model, sc.Combined
			}
		})
	}
	wg.Wait()
	for i := range b.recs {
		if err := b.Enc.Encode(b.recs[i]); err != nil {
			return err
		}
	}
	clear(b.reps)
	b.recs, b.reps = b.recs[:0], b.reps[:0]
	return nil
}
