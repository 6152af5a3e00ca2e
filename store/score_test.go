package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/store/internal/codec"
)

func TestCompareByScore(t *testing.T) {
	day := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	rows := []Row{
		{ID: "a", Score: 100, RawScore: 105, Date: day},
		{ID: "b", Score: 100, RawScore: 240, Date: day},
		{ID: "c", Score: 0, RawScore: -10, Date: day},
		{ID: "d", Score: 100, RawScore: 105, Date: day.Add(time.Minute)},
		{ID: "e", Score: 0, RawScore: 0, Date: day},
	}
	slices.SortStableFunc(rows, func(a, b Row) int { return CompareRows(&a, &b) })
	var got []string
	for _, r := range rows {
		got = append(got, r.ID)
	}
	if want := []string{"b", "d", "a", "e", "c"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v (raw score, then newer first)", got, want)
	}
}

func TestRowCodecRawScore(t *testing.T) {
	row := RowFromReport(fakeReport(1, rand.New(rand.NewPCG(1, 1))))
	row.Score, row.RawScore = 100, 275
	enc := codec.AppendRow(nil, &row)
	k := make([]byte, 32)
	var rd rowDecoder
	var got Row
	if err := rd.decode(make([]byte, ptrLen), withID(k, codec.Seal(bucketRows, k, enc)), &got); err != nil || got.Score != 100 || got.RawScore != 275 {
		t.Fatalf("decoded score %d raw %d (%v), want 100 275", got.Score, got.RawScore, err)
	}
	// A row of format 1 (before raw scores) reads its score as raw score.
	v1 := append([]byte{codec.RowFormatV1}, binary.AppendVarint(nil, 42)...)
	v1 = append(v1, enc[1+len(binary.AppendVarint(nil, 100))+len(binary.AppendVarint(nil, 275)):]...)
	if err := rd.decode(make([]byte, ptrLen), withID(k, codec.Seal(bucketRows, k, v1)), &got); err != nil || got.Score != 42 || got.RawScore != 42 || got.Subject != row.Subject {
		t.Fatalf("format 1 row: score %d raw %d subject %q (%v)", got.Score, got.RawScore, got.Subject, err)
	}
}

// TestImportRawScore: an export written before raw_score existed gets the
// raw score from its findings; a consistent raw score is kept.
func TestImportRawScore(t *testing.T) {
	src := openTestStore(t)
	fill(t, src, 2, 0)
	var out bytes.Buffer
	if _, err := src.Export(&out, ExportOptions{All: true, Format: FormatJSONL, AnalyzerVersion: testAnalyzerVersion, Now: time.Now}); err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	var in bytes.Buffer
	in.Write(lines[0])
	in.WriteByte('\n')
	wantRaw := map[string]int{}
	for i, l := range lines[1:] {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatal(err)
		}
		id := m["id"].(string)
		var fs []analysis.Finding
		b, _ := json.Marshal(m["findings"])
		json.Unmarshal(b, &fs)
		sum := analysis.RawScore(fs)
		m["score"] = max(0, min(100, sum))
		if i == 0 {
			delete(m, "raw_score") // an old export
		} else {
			m["raw_score"] = sum
		}
		wantRaw[id] = sum
		b, _ = json.Marshal(m)
		in.Write(b)
		in.WriteByte('\n')
	}
	dst := openTestStore(t)
	if _, err := dst.Import(context.Background(), &in, Actor{Name: "carol", Source: "import"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for id, want := range wantRaw {
		rep, err := dst.Report(id)
		if err != nil {
			t.Fatal(err)
		}
		if rep.RawScore != want || rep.Score != max(0, min(100, want)) {
			t.Errorf("%s: score %d raw %d, want raw %d", id, rep.Score, rep.RawScore, want)
		}
	}
}
