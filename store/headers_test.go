package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/demo/demotest"
)

// Reports are stored without their raw header list; Report restores it
// from the message when a raw reader is configured, and only when the
// bytes still hash to the message ID.
func TestHeadersRestoredFromRaw(t *testing.T) {
	raw := []byte("From: a@example.org\r\nTo: b@example.com\r\nSubject: hello\r\n\r\nbody\r\n")
	sum := sha256.Sum256(raw)
	id := "sha256:" + hex.EncodeToString(sum[:])
	rep := analysis.Analyze(raw, nil)
	if rep.ID != id || len(rep.Headers) != 3 {
		t.Fatalf("analysis: id %s, %d headers", rep.ID, len(rep.Headers))
	}
	path := filepath.Join(t.TempDir(), "h.db")
	reader := func(string, []Locator) ([]byte, error) { return raw, nil }
	s, err := Open(path, Options{Raw: func(id string, l []Locator) ([]byte, error) { return reader(id, l) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.PutBatch([]Entry{{Report: rep, Locator: Locator{Path: "/m.mbox", Offset: 10, Length: int64(len(raw))}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Report(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Headers) != 3 || got.Headers[2].Value != "hello" {
		t.Errorf("headers not restored: %+v", got.Headers)
	}
	if len(rep.Headers) != 3 {
		t.Errorf("PutBatch modified the caller's report")
	}

	reader = func(string, []Locator) ([]byte, error) { return []byte("something else"), nil }
	got, _ = s.Report(id)
	if len(got.Headers) != 0 || len(got.Warnings) == 0 || !strings.Contains(got.Warnings[len(got.Warnings)-1], "changed") {
		t.Errorf("changed mailbox: headers %v, warnings %v", got.Headers, got.Warnings)
	}
	reader = func(string, []Locator) ([]byte, error) { return nil, errors.New("gone") }
	got, _ = s.Report(id)
	if len(got.Headers) != 0 || !strings.Contains(strings.Join(got.Warnings, "|"), "gone") {
		t.Errorf("missing mailbox: headers %v, warnings %v", got.Headers, got.Warnings)
	}
}

// TestRowTextsAreCopies: a row keeps none of the report's header strings,
// which share one buffer per message; the list holds rows for as long as
// the workbench runs.
func TestRowTextsAreCopies(t *testing.T) {
	raw := []byte("From: Alice Example <alice@example.org>\r\nTo: b@example.com\r\n" +
		"Subject: quarterly invoice\r\nMessage-ID: <m1@example.org>\r\n\r\nbody\r\n")
	rep := analysis.Analyze(raw, nil)
	row := RowFromReport(rep)
	for _, p := range [][2]string{
		{row.Subject, rep.Summary.Subject}, {row.FromName, rep.Summary.From.Name},
		{row.FromAddr, rep.Summary.From.Address}, {row.MessageID, rep.Summary.MessageID},
	} {
		if p[0] != p[1] || p[0] == "" {
			t.Fatalf("row text %q, report %q", p[0], p[1])
		}
		if unsafe.StringData(p[0]) == unsafe.StringData(p[1]) {
			t.Errorf("row text %q shares the report's memory", p[0])
		}
	}
}

// BenchmarkRowFromReport measures the list row of a report, built for
// every message analysed, with a store or without.
func BenchmarkRowFromReport(b *testing.B) {
	_, reps := demotest.Analysed(b)
	for b.Loop() {
		for _, r := range reps {
			_ = RowFromReport(r)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reps)), "ns/report")
}
