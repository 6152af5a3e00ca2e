package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/store/internal/exchange"
)

var fixedNow = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// labelAndNote gives a store some history to export.
func labelAndNote(t *testing.T, s *Store, reps []*analysis.Report) {
	t.Helper()
	bob := Actor{Name: "bob", Key: "SHA256:k", Source: "ssh"}
	for i, rep := range reps {
		switch i % 4 {
		case 0:
			mustLabel(t, s, rep.ID, "phish", alice)
		case 1:
			mustLabel(t, s, rep.ID, "spam", alice)
			mustLabel(t, s, rep.ID, "benign", bob)
		case 2:
			mustLabel(t, s, rep.ID, "bec", bob)
			n, err := s.AddNote(rep.ID, "wire transfer <request> & \"CEO\"", bob)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.EditNote(rep.ID, n.ID, "wire transfer request, confirmed", alice); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func mustLabel(t testing.TB, s *Store, id, label string, by Actor) {
	t.Helper()
	if _, err := s.SetLabel(id, label, by); err != nil {
		t.Fatal(err)
	}
}

func export(t *testing.T, s *Store, opts ExportOptions) ([]byte, int) {
	t.Helper()
	var buf bytes.Buffer
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	n, err := s.Export(&buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), n
}

func TestExportImportRoundTrip(t *testing.T) {
	for _, format := range []string{FormatJSON, FormatJSONL} {
		t.Run(format, func(t *testing.T) {
			src := openTestStore(t)
			reps := fill(t, src, 40, 10)
			labelAndNote(t, src, reps)
			out, n := export(t, src, ExportOptions{Format: format, AnalyzerVersion: testAnalyzerVersion})
			if n != 30 { // i%4 == 3 stays unlabeled
				t.Fatalf("exported %d messages, want 30", n)
			}
			if format == FormatJSON {
				var doc struct {
					Schema   string            `json:"schema"`
					Count    int               `json:"count"`
					Messages []json.RawMessage `json:"messages"`
				}
				if err := json.Unmarshal(out, &doc); err != nil {
					t.Fatalf("export is not valid JSON: %v", err)
				}
				if doc.Schema != ExportSchema || doc.Count != 30 || len(doc.Messages) != 30 {
					t.Errorf("doc: schema %q count %d messages %d", doc.Schema, doc.Count, len(doc.Messages))
				}
			} else {
				lines := strings.Split(strings.TrimSpace(string(out)), "\n")
				if len(lines) != 31 {
					t.Fatalf("%d lines, want 31", len(lines))
				}
				for _, l := range lines {
					if !json.Valid([]byte(l)) {
						t.Fatalf("invalid line %q", l)
					}
				}
			}

			dst := openTestStore(t)
			ch, cancel := dst.Subscribe()
			defer cancel()
			sum, err := dst.Import(context.Background(), bytes.NewReader(out), Actor{Name: "carol", Source: "import"}, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := ImportSummary{Messages: 30, NewMessages: 30, LabelsApplied: 30, NotesAdded: 10}
			if !reflect.DeepEqual(sum, want) {
				t.Errorf("summary %+v, want %+v", sum, want)
			}
			if n := len(ch); n != 40 { // 30 labels, notes on 10 messages
				t.Errorf("import announced %d changes, want 40", n)
			}
			again, _ := export(t, dst, ExportOptions{Format: format, AnalyzerVersion: testAnalyzerVersion})
			// The only difference: reports are marked as imported.
			if n := bytes.Count(again, []byte(`,"imported":true`)); n != 30 {
				t.Errorf("re-export marks %d reports as imported, want 30", n)
			}
			if again = bytes.ReplaceAll(again, []byte(`,"imported":true`), nil); !bytes.Equal(out, again) {
				t.Errorf("re-export differs:\n%.600s\n---\n%.600s", out, again)
			}
			// Importing again changes nothing.
			sum, err = dst.Import(context.Background(), bytes.NewReader(out), alice, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if want := (ImportSummary{Messages: 30}); !reflect.DeepEqual(sum, want) {
				t.Errorf("second import %+v", sum)
			}
		})
	}
}

func TestExportSelection(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 12, 11)
	labelAndNote(t, s, reps)
	for _, tt := range []struct {
		opts ExportOptions
		want int
	}{
		{ExportOptions{}, 9},
		{ExportOptions{All: true}, 12},
		{ExportOptions{Labels: []string{"phish", "bec"}}, 6},
		{ExportOptions{All: true, Labels: []string{"benign"}}, 3},
	} {
		_, n := export(t, s, tt.opts)
		if n != tt.want {
			t.Errorf("%+v: %d messages, want %d", tt.opts, n, tt.want)
		}
	}
	empty := openTestStore(t)
	out, n := export(t, empty, ExportOptions{})
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil || n != 0 || doc["count"] != 0.0 {
		t.Errorf("empty export %s: %v", out, err)
	}
	if _, err := s.Export(&bytes.Buffer{}, ExportOptions{Format: "xml"}); err == nil {
		t.Error("unknown format accepted")
	}
	if _, err := s.Export(&bytes.Buffer{}, ExportOptions{IncludeRaw: true}); err == nil {
		t.Error("IncludeRaw without Raw accepted")
	}
}

func TestExportRaw(t *testing.T) {
	s := openTestStore(t)
	raws := map[string][]byte{}
	mk := func(raw []byte) *analysis.Report {
		id := idOf(string(raw))
		raws[id] = raw
		return &analysis.Report{ID: id, AnalyzerVersion: "1"}
	}
	text := mk([]byte("From: a@b\r\nSubject: héllo\r\n\r\nbody\r\n"))
	bin := mk([]byte("Subject: x\r\n\r\n\xff\xfe latin1 \xe9\r\n"))
	lost := mk([]byte("gone"))
	liar := mk([]byte("original"))
	if err := s.PutBatch([]Entry{{Report: text}, {Report: bin}, {Report: lost}, {Report: liar}}); err != nil {
		t.Fatal(err)
	}
	read := func(id string, _ []Locator) ([]byte, error) {
		switch id {
		case lost.ID:
			return nil, os.ErrNotExist
		case liar.ID:
			return []byte("tampered"), nil
		}
		return raws[id], nil
	}
	out, n := export(t, s, ExportOptions{All: true, Format: FormatJSONL, IncludeRaw: true, Raw: read})
	if n != 4 {
		t.Fatalf("n = %d", n)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[1:]
	got := map[string]map[string]any{}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		got[m["id"].(string)] = m
	}
	if got[text.ID]["raw"] != string(raws[text.ID]) || got[text.ID]["raw_base64"] != nil {
		t.Errorf("text message: %v", got[text.ID])
	}
	if b, _ := base64.StdEncoding.DecodeString(got[bin.ID]["raw_base64"].(string)); !bytes.Equal(b, raws[bin.ID]) || got[bin.ID]["raw"] != nil {
		t.Errorf("binary message: %v", got[bin.ID])
	}
	if e, _ := got[lost.ID]["raw_error"].(string); !strings.Contains(e, "not exist") {
		t.Errorf("lost message: %v", got[lost.ID])
	}
	if e, _ := got[liar.ID]["raw_error"].(string); !strings.Contains(e, "do not match") {
		t.Errorf("tampered message: %v", got[liar.ID])
	}
}

func TestImportConflicts(t *testing.T) {
	a := openTestStore(t)
	b := openTestStore(t)
	reps := fill(t, a, 4, 12)
	fill(t, b, 4, 12)
	bob := Actor{Name: "bob", Source: "tui"}
	// 0: a says phish, later b says spam → conflict, b wins.
	mustLabel(t, a, reps[0].ID, "phish", alice)
	time.Sleep(2 * time.Millisecond)
	mustLabel(t, b, reps[0].ID, "spam", bob)
	// 1: b says spam, later a says phish → conflict, a keeps phish.
	mustLabel(t, b, reps[1].ID, "spam", bob)
	time.Sleep(2 * time.Millisecond)
	mustLabel(t, a, reps[1].ID, "phish", alice)
	// 2: only b labels → applied, no conflict.
	mustLabel(t, b, reps[2].ID, "benign", bob)
	// 3: same label on both sides → no conflict.
	mustLabel(t, a, reps[3].ID, "bec", alice)
	mustLabel(t, b, reps[3].ID, "bec", bob)
	// Notes: a note created on b and edited there, another on a.
	nb, _ := b.AddNote(reps[0].ID, "b's note", bob)
	if _, err := b.EditNote(reps[0].ID, nb.ID, "b's note, edited", bob); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddNote(reps[0].ID, "a's note", alice); err != nil {
		t.Fatal(err)
	}

	out, _ := export(t, b, ExportOptions{})
	sum, err := a.Import(context.Background(), bytes.NewReader(out), alice, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := ImportSummary{Messages: 4, LabelsApplied: 2, LabelConflicts: 2, NotesAdded: 1}
	if !reflect.DeepEqual(sum, want) {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	for i, w := range []struct {
		cur    string
		events int
	}{{"spam", 2}, {"phish", 2}, {"benign", 1}, {"bec", 2}} {
		cur, hist, err := a.Label(reps[i].ID)
		if err != nil || cur != w.cur || len(hist) != w.events {
			t.Errorf("message %d: %q with %d events (%v), want %q with %d", i, cur, len(hist), err, w.cur, w.events)
		}
		for j := 1; j < len(hist); j++ {
			if hist[j].Time.Before(hist[j-1].Time) {
				t.Errorf("message %d: history not in time order", i)
			}
		}
	}
	notes, _ := a.Notes(reps[0].ID)
	if len(notes) != 2 || notes[1].Text != "b's note, edited" || len(notes[1].History) != 1 {
		t.Errorf("notes %+v", notes)
	}
	// A further edit on b merges as a new version of the same note.
	if _, err := b.EditNote(reps[0].ID, nb.ID, "b's note, final", bob); err != nil {
		t.Fatal(err)
	}
	out, _ = export(t, b, ExportOptions{})
	if sum, err = a.Import(context.Background(), bytes.NewReader(out), alice, ImportOptions{}); err != nil || sum.NotesAdded != 0 || sum.LabelConflicts != 0 {
		t.Errorf("second import %+v %v", sum, err)
	}
	notes, _ = a.Notes(reps[0].ID)
	if len(notes) != 2 || notes[1].Text != "b's note, final" || len(notes[1].History) != 2 {
		t.Errorf("notes after edit import %+v", notes)
	}
}

func TestImportRejects(t *testing.T) {
	s := openTestStore(t)
	for _, in := range []string{
		``,
		`[]`,
		`{"schema":"other/v9","messages":[]}`,
		`{"messages":[]}`,
		`{"schema":"triage.corpus/v1","messages":[{"id":`,
		`{"schema":"triage.corpus/v1","messages":{}}`,
	} {
		if _, err := s.Import(context.Background(), strings.NewReader(in), alice, ImportOptions{}); err == nil {
			t.Errorf("Import(%q) succeeded", in)
		}
	}
	// Malformed IDs and unknown labels are skipped and counted.
	in := `{"schema":"triage.corpus/v1","exported_at":"2026-01-01T00:00:00Z"}
{"id":"sha256:nothex","label":"phish"}
{"id":"` + idOf("x") + `","label":"weird","label_history":[{"label":"weird","previous":"","actor":{"analyst":"z","source":"cli"},"time":"2026-01-01T00:00:00Z"}]}
{"id":"` + idOf("y") + `","label":"spam"}
`
	sum, err := s.Import(context.Background(), strings.NewReader(in), alice, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := ImportSummary{Messages: 2, NewMessages: 2, LabelsApplied: 1, Skipped: map[string]int{exchange.SkipMalformedID: 1, exchange.SkipUnknownLabel: 1}}
	if !reflect.DeepEqual(sum, want) {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	if cur, hist, _ := s.Label(idOf("y")); cur != "spam" || len(hist) != 1 || hist[0].Actor != alice {
		t.Errorf("label without history: %q %+v", cur, hist)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write([]byte("one")); return err }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := WriteFileAtomic(path, func(w io.Writer) error { w.Write([]byte("partial")); return boom }); !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "one" {
		t.Errorf("file = %q after failed write", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temp files left: %v", ents)
	}
}
