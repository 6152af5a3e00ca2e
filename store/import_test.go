package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/store/internal/exchange"
)

func importString(t testing.TB, s *Store, in string, opts ImportOptions) (ImportSummary, error) {
	t.Helper()
	return s.Import(context.Background(), strings.NewReader(in), alice, opts)
}

// manyEvents is an export line for id with n distinct label events.
func manyEvents(id string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"schema":"triage.corpus/v1"}`+"\n"+`{"id":%q,"label_history":[`, id)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		l := []string{"phish", "spam"}[i%2]
		fmt.Fprintf(&b, `{"label":%q,"previous":"","actor":{"analyst":"z","source":"cli"},"time":%q}`, l, t0.Add(time.Duration(i)*time.Second).Format(time.RFC3339))
	}
	b.WriteString("]}\n")
	return b.String()
}

// Failure 5: an import adds at most MaxImportEvents events to a message,
// the newest, and records how many older ones it left out; importing it
// again adds nothing.
func TestImportBoundsEvents(t *testing.T) {
	s := openTestStore(t)
	rep := fill(t, s, 1, 5)[0]
	const n = 40_000
	in := manyEvents(rep.ID, n)
	start := time.Now()
	sum, err := importString(t, s, in, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d events imported in %v", n, time.Since(start))
	if sum.EventsDropped != n-MaxImportEvents {
		t.Errorf("dropped %d, want %d", sum.EventsDropped, n-MaxImportEvents)
	}
	cur, hist, err := s.Label(rep.ID)
	if err != nil || len(hist) != MaxImportEvents+1 || cur != "spam" {
		t.Fatalf("label %q with %d events (%v), want spam with %d", cur, len(hist), err, MaxImportEvents+1)
	}
	if hist[0].Dropped != n-MaxImportEvents || hist[1].Time.Sub(hist[0].Time) != time.Second {
		t.Errorf("first event %+v, want a marker of %d dropped events just before the kept ones", hist[0], n-MaxImportEvents)
	}
	if sum, err = importString(t, s, in, ImportOptions{}); err != nil || sum.LabelsApplied != 0 {
		t.Fatalf("second import: %+v %v", sum, err)
	}
	if _, hist2, _ := s.Label(rep.ID); len(hist2) != len(hist) {
		t.Errorf("second import grew the history to %d events", len(hist2))
	}
}

// Import stops at ctx cancellation.
func TestImportCancelled(t *testing.T) {
	s := openTestStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := `{"schema":"triage.corpus/v1"}` + "\n" + `{"id":"` + idOf("a") + `","label":"spam"}` + "\n"
	if _, err := s.Import(ctx, strings.NewReader(in), alice, ImportOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Import with a cancelled context: %v", err)
	}
}

// Failures 6 and 9: invalid items are counted by reason; with Strict the
// import fails and writes nothing.
func TestImportSkipsAndStrict(t *testing.T) {
	long := strings.Repeat("x", maxNoteText+1)
	in := `{"schema":"triage.corpus/v1","exported_at":"2026-01-01T00:00:00Z"}
{"id":"sha256:nothex","label":"phish"}
{"id":"` + idOf("a") + `","label":"spam","notes":[{"id":"n1","text":"` + long + `","author":{"analyst":"x","source":"cli"},"time":"2026-01-01T00:00:00Z"},{"id":"bad id\u001b]0;t\u0007","text":"t","author":{"analyst":"x","source":"cli"},"time":"2026-01-01T00:00:00Z"}]}
{"id":"` + idOf("b") + `","score":0,"findings":[{"rule":"x\u001b[31m","points":0,"summary":"s"}],"summary":{"from":{"name":"Bank","address":"a@b"},"subject":"fake","to":[],"date":"0001-01-01T00:00:00Z","message_id":""},"label_history":[{"label":"phish","previous":"","actor":{"analyst":"z","source":"\u001b[2J"},"time":"2026-01-01T00:00:00Z"}]}
{"id":"` + idOf("c") + `","attachments":[{"name":"a","declared_type":"t","size":1,"sha256":"zz"}]}
{"id":"` + idOf("d") + `","analyzer_version":"1\u001b]2;x","urls":[{"raw":"u","url":"u","source":"html-href","scheme":"http","host":"h","flags":["ok"],"defanged":"u"}]}
{"id":"` + idOf("e") + `","urls":[{"raw":"u","url":"u","source":"evil\u009b","scheme":"http","host":"h","defanged":"u"}]}
{"id":"` + idOf("f") + `","hops":[{"index":1,"time":"0001-01-01T00:00:00Z","raw":"r","flags":["a b"]}]}
`
	want := map[string]int{
		exchange.SkipMalformedID:   1,
		exchange.SkipNoteTooLong:   1,
		exchange.SkipInvalidNote:   1,
		exchange.SkipInvalidEvent:  1,
		exchange.SkipInvalidReport: 5, // b rule, c hash, d version, e url source, f hop flag
	}
	strict, reps, ch, cancel := subscribed(t, 1, 3)
	defer cancel()
	sum, err := importString(t, strict, in, ImportOptions{Strict: true})
	if !errors.Is(err, ErrImportRejected) {
		t.Fatalf("strict import: %v", err)
	}
	if n, _ := strict.Count(); n != 1 {
		t.Errorf("strict import wrote %d messages", n-1)
	}
	if len(ch) != 0 {
		t.Errorf("a rejected import announced %d changes", len(ch))
	}
	// Its place in the announcements is withdrawn: later changes go out.
	if _, err := strict.SetLabel(reps[0].ID, "phish", alice); err != nil {
		t.Fatal(err)
	}
	if len(ch) != 1 {
		t.Errorf("a label after the rejected import: %d changes announced, want 1", len(ch))
	}
	if fmt.Sprint(sum.Skipped) != fmt.Sprint(want) {
		t.Errorf("strict skipped %v, want %v", sum.Skipped, want)
	}

	s := openTestStore(t)
	sum, err = importString(t, s, in, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sum.Skipped) != fmt.Sprint(want) || sum.Messages != 6 {
		t.Errorf("skipped %v (%d messages), want %v", sum.Skipped, sum.Messages, want)
	}
	// A rejected report leaves an empty imported placeholder.
	r, err := s.Report(idOf("b"))
	if err != nil || r.Score != 0 || len(r.Findings) != 0 || r.Summary.Subject != "" || !r.Imported || len(r.Warnings) != 1 {
		t.Errorf("rejected report stored as %+v (%v)", r, err)
	}
	if cur, _, _ := s.Label(idOf("a")); cur != "spam" {
		t.Errorf("label of a: %q", cur)
	}
	if notes, _ := s.Notes(idOf("a")); len(notes) != 0 {
		t.Errorf("invalid notes imported: %+v", notes)
	}
	if cur, _, _ := s.Label(idOf("b")); cur != "" {
		t.Errorf("event with an invalid actor applied: %q", cur)
	}
}

// Failure 10: an imported report is marked, and replaced by the local
// analysis as soon as the message is analysed here, even when it claims
// the current analyzer version.
func TestImportedReportReplacedByAnalysis(t *testing.T) {
	src := openTestStore(t)
	local := fakeReport(1, rand.New(rand.NewPCG(9, 9)))
	fake := *local
	fake.Score, fake.Findings = 0, nil
	fake.Summary.Subject, fake.Summary.From = "all is well", analysis.Address{Name: "IT", Address: "it@corp.example"}
	if err := src.PutBatch([]Entry{{Report: &fake}}); err != nil {
		t.Fatal(err)
	}
	mustLabel(t, src, fake.ID, "benign", alice)
	out, _ := export(t, src, ExportOptions{AnalyzerVersion: testAnalyzerVersion})

	s := openTestStore(t)
	if _, err := s.Import(context.Background(), bytes.NewReader(out), alice, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Report(fake.ID)
	if err != nil || !r.Imported || r.Score != 0 {
		t.Fatalf("imported report: %+v %v", r, err)
	}
	exp, _ := export(t, s, ExportOptions{})
	if !bytes.Contains(exp, []byte(`"imported":true`)) {
		t.Errorf("export does not mark the imported report: %.300s", exp)
	}
	if err := s.PutBatch([]Entry{{Report: local, Locator: Locator{Path: "/m.mbox", Length: 1}}}); err != nil {
		t.Fatal(err)
	}
	r, err = s.Report(fake.ID)
	if err != nil || r.Imported || r.Score != local.Score || r.Summary.Subject != local.Summary.Subject {
		t.Errorf("after analysis: imported=%v score %d subject %q (%v), want local score %d", r.Imported, r.Score, r.Summary.Subject, err, local.Score)
	}
	rows, _ := s.Rows()
	if len(rows) != 1 || rows[0].Score != local.Score || rows[0].Label != "benign" {
		t.Errorf("row after analysis: %+v", rows)
	}
}

// FuzzImport feeds arbitrary bytes to Import: it must return an error or a
// summary, never panic, and leave a store whose invariants hold and whose
// labels are all in the label set.
func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"schema":"triage.corpus/v1","messages":[]}`))
	f.Add([]byte(manyEvents(idOf("a"), 3)))
	f.Add([]byte(`{"schema":"triage.corpus/v1"}` + "\n" + `{"id":"` + idOf("b") + `","label":"spam","notes":[{"id":"n1","text":"t","author":{"analyst":"x","source":"cli"},"time":"2026-01-01T00:00:00Z"}],"findings":[{"rule":"url.ip_encoded_host","points":10,"summary":"s"}],"locators":[{"path":"/m","offset":5,"length":9}]}`))
	src := openTestStore(f)
	reps := fill(f, src, 3, 1)
	mustLabel(f, src, reps[0].ID, "phish", alice)
	if _, err := src.AddNote(reps[1].ID, "n", alice); err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := src.Export(&buf, ExportOptions{All: true, Format: FormatJSONL}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	s := openTestStore(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		sum, err := s.Import(context.Background(), bytes.NewReader(in), alice, ImportOptions{Strict: len(in)%2 == 0})
		if err != nil && sum.SkippedTotal() < 0 {
			t.Fatal("negative skip count")
		}
		labels, err := s.Labels()
		if err != nil {
			t.Fatalf("Labels after import: %v", err)
		}
		for id, l := range labels {
			if _, ok := s.labelSet[l]; !ok {
				t.Fatalf("%s labeled %q, outside the label set", id, l)
			}
		}
	})
}
