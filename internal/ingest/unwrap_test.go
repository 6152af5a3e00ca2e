package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis/unwrap/unwraptest"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// readRaw is the raw reader the commands give the store.
func readRaw(_ string, locs []store.Locator) ([]byte, error) {
	var last error
	for _, l := range locs {
		raw, err := mailbox.ReadRaw(l)
		if err == nil {
			return raw, nil
		}
		last = err
	}
	return nil, last
}

// TestFiftyReporters: fifty people report the same phish (as attachments,
// .eml and ARF); the store holds one message, the original, with fifty
// reporters; a label is one decision; the export keeps the fifty
// reporters and re-derives the original's raw bytes from the wrappers.
func TestFiftyReporters(t *testing.T) {
	seed := testutil.ReadFile(t, "../analysis/testdata/seed/activemail.eml")
	var mbox bytes.Buffer
	for i := range 50 {
		r := unwraptest.Reporter{Name: fmt.Sprintf("Employee %d", i), Addr: fmt.Sprintf("e%d@corp.example", i),
			Note: fmt.Sprintf("note %d", i), Date: time.Date(2026, 12, 1, 9, i, 0, 0, time.UTC)}
		var w []byte
		switch i % 3 {
		case 0:
			w = unwraptest.Attached(seed, r)
		case 1:
			w = unwraptest.OctetEML(seed, r)
		default:
			w = unwraptest.ARF(seed, r, false)
		}
		fmt.Fprintf(&mbox, "From reporter Mon Dec  1 09:00:00 2026\n%s\n", bytes.ReplaceAll(w, []byte("\r\n"), []byte("\n")))
	}
	path := filepath.Join(t.TempDir(), "report.mbox")
	testutil.WriteFile(t, path, mbox.Bytes())
	st, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{Raw: readRaw})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	evc := make(chan Event, 1024)
	opts := Options{Store: st, Progress: evc, BatchSize: 7}
	if _, err := Run(context.Background(), []string{path}, opts); err != nil {
		t.Fatal(err)
	}
	close(evc)
	var events []Event
	for ev := range evc {
		events = append(events, ev)
	}
	rows, err := st.Rows()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Reported != 50 || !strings.HasSuffix(rows[0].FromAddr, "@kagoya.jp") {
		t.Fatalf("rows = %+v", rows)
	}
	id := rows[0].ID
	var last int
	for _, ev := range events {
		for _, r := range ev.Rows {
			last = r.Reported
		}
	}
	if last != 50 {
		t.Errorf("last announced row reported ×%d, want 50", last)
	}
	if _, err := st.SetLabel(id, "phish", store.Actor{Name: "t"}); err != nil {
		t.Fatal(err)
	}
	lab, hist, err := st.Label(id)
	if err != nil || lab != "phish" || len(hist) != 1 {
		t.Errorf("label %q, history %d, %v", lab, len(hist), err)
	}
	reps, err := st.Reporters(id)
	if err != nil || len(reps) != 50 {
		t.Fatalf("reporters: %d, %v", len(reps), err)
	}
	if reps[0].From.Address != "e0@corp.example" || reps[0].Note != "note 0" || reps[0].Locator.Unwrap != "" || reps[0].Locator.Offset == 0 {
		t.Errorf("first reporter = %+v", reps[0])
	}
	wrapper, err := mailbox.ReadRaw(reps[0].Locator)
	if err != nil || !bytes.Contains(wrapper, []byte("e0@corp.example")) {
		t.Errorf("wrapper bytes not reachable: %v", err)
	}
	rep, err := st.Report(id)
	if err != nil || len(rep.Headers) == 0 {
		t.Fatalf("report headers not restored from the wrapper: %v, %q", err, rep.Warnings)
	}
	var out bytes.Buffer
	if _, err := st.Export(&out, store.ExportOptions{IncludeRaw: true, Raw: readRaw}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Messages []store.ExportMessage `json:"messages"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	m := doc.Messages[0]
	if len(m.Reporters) != 50 || m.Wrapper == nil || m.RawError != "" || m.Raw == nil ||
		*m.Raw != string(seed) {
		t.Errorf("export: %d reporters, wrapper %v, raw error %q, raw %v %d", len(m.Reporters), m.Wrapper != nil, m.RawError, m.Raw != nil, len(m.RawBase64))
	}
	// A second run over the same mailbox adds no reporter.
	if _, err := Run(context.Background(), []string{path}, Options{Store: st, Reanalyze: true}); err != nil {
		t.Fatal(err)
	}
	if reps, _ := st.Reporters(id); len(reps) != 50 {
		t.Errorf("after a rescan: %d reporters", len(reps))
	}
}
