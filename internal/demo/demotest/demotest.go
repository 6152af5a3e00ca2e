// Package demotest analyses the built-in demo mailbox for tests. Its
// messages hold every kind of evidence a report has: hops, authentication
// results, URLs, attachments, report wrappers, invalid UTF-8, time zones.
package demotest

import (
	"bytes"
	"testing"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/demo"
	"github.com/triage-tools/triage/internal/mailbox"
)

// Analysed returns the demo mailbox's raw messages and their reports, in
// mailbox order, analysed with the default configuration; it stops tb
// when the mailbox cannot be read.
func Analysed(tb testing.TB) (raws [][]byte, reps []*analysis.Report) {
	tb.Helper()
	r, err := mailbox.OpenReader(demo.Name, bytes.NewReader(demo.Mbox()))
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	a := analysis.New(nil)
	for m, err := range mailbox.All(r) {
		if err != nil {
			tb.Fatal(err)
		}
		raws = append(raws, m.Raw)
		reps = append(reps, a.Analyze(m.Raw))
	}
	return raws, reps
}
