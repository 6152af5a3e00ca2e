package codec_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/klauspost/compress/s2"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/demo/demotest"
	"github.com/triage-tools/triage/store/internal/codec"
)

// demoReports analyses the demo mailbox (internal/demo/demotest).
func demoReports(t *testing.T) []*analysis.Report {
	t.Helper()
	_, reps := demotest.Analysed(t)
	return reps
}

// s2JSON is a report in format 3, as schema 4 to 6 wrote it.
func s2JSON(t *testing.T, r *analysis.Report) []byte {
	t.Helper()
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return s2.Encode(nil, js)
}

// TestReportRoundTrip: a report read back from the stored form (CBOR now,
// JSON before) gives the same JSON as the report itself, so show, export
// and the workbench cannot tell which form a report was stored in.
func TestReportRoundTrip(t *testing.T) {
	reps := demoReports(t)
	if len(reps) < 30 {
		t.Fatalf("demo mailbox gave %d reports", len(reps))
	}
	// A report with every optional part set, beyond what the demo holds.
	d, yes := 1.5, true
	reps[0].Hops = append(reps[0].Hops, analysis.Hop{Index: 9, Delay: &d, Time: time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("", 9*3600)),
		Net: &analysis.NetInfo{IP: "192.0.2.1", ASN: 64500, AsOf: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}, Flags: []string{"a\xffb"}})
	reps[0].Auth.SPFAligned = &yes
	reps[1].Summary.Date = time.Time{} // no Date header
	reps[1].Summary.Sender = &analysis.Address{Name: "x"}
	reps[0].Imported = true
	reps = append(reps, codec.FilledReport(t)) // and every field of every type
	for _, r := range reps {
		want, _ := json.Marshal(r)
		enc, err := codec.EncodeReport(nil, r)
		if err != nil {
			t.Fatal(err)
		}
		if enc[0] != codec.FormatS2CBOR {
			t.Fatalf("%s: written in format %d, want %d", r.ID, enc[0], codec.FormatS2CBOR)
		}
		// JSON turned a bad UTF-8 byte into U+FFFD when it was written:
		// a format 3 report reads back as its JSON round trip.
		var viaJSON analysis.Report
		if err := json.Unmarshal(want, &viaJSON); err != nil {
			t.Fatal(err)
		}
		want3, _ := json.Marshal(&viaJSON)
		old := append(codec.AppendString([]byte{codec.FormatS2JSON, enc[1]}, r.AnalyzerVersion), s2JSON(t, r)...)
		for _, c := range []struct{ v, want []byte }{{enc, want}, {old, want3}} {
			v, want := c.v, c.want
			back, err := codec.DecodeReport(v)
			if err != nil {
				t.Fatalf("%s format %d: %v", r.ID, v[0], err)
			}
			if got, _ := json.Marshal(back); !bytes.Equal(got, want) {
				t.Fatalf("%s format %d: read back as\n%s\nwant\n%s", r.ID, v[0], got, want)
			}
			if back.Imported != r.Imported {
				t.Fatalf("%s format %d: imported %v, want %v", r.ID, v[0], back.Imported, r.Imported)
			}
		}
		if av, _, err := codec.ReportVersion(enc); err != nil || av != r.AnalyzerVersion {
			t.Fatalf("ReportVersion = %q, %v; want %q", av, err, r.AnalyzerVersion)
		}
	}
}

// TestReportDamaged: a record whose compressed CBOR is cut short, or is
// not CBOR, is reported as damage, never a panic.
func TestReportDamaged(t *testing.T) {
	r := demoReports(t)[0]
	enc, err := codec.EncodeReport(nil, r)
	if err != nil {
		t.Fatal(err)
	}
	head := codec.AppendString([]byte{codec.FormatS2CBOR, 0}, r.AnalyzerVersion)
	body, err := s2.Decode(nil, enc[len(head):])
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"cut":      append(bytes.Clone(head), s2.Encode(nil, body[:len(body)/2])...),
		"not cbor": append(bytes.Clone(head), s2.Encode(nil, []byte(`{"id":"x"}`))...),
		"no s2":    append(bytes.Clone(head), body...),
		"format 5": append([]byte{5}, enc[1:]...),
	}
	for name, v := range cases {
		if _, err := codec.DecodeReport(v); !errors.Is(err, codec.ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
}

// FuzzDecodeReport: whatever a damaged (or crafted) report record holds,
// DecodeReport returns a report or ErrCorrupt, never panics, and a
// report it returns encodes again.
func FuzzDecodeReport(f *testing.F) {
	r := &analysis.Report{ID: "sha256:00", AnalyzerVersion: "1", Hops: []analysis.Hop{{Index: 1, Time: time.Unix(1, 0).UTC()}}}
	enc, err := codec.EncodeReport(nil, r)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(enc)
	f.Add(append(codec.AppendString([]byte{codec.FormatS2CBOR, 0}, "1"), s2.Encode(nil, []byte{0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})...))
	f.Add(append(codec.AppendString([]byte{codec.FormatS2JSON, 0}, "1"), s2.Encode(nil, []byte(`{"hops":[{}]}`))...))
	f.Fuzz(func(t *testing.T, v []byte) {
		rep, err := codec.DecodeReport(v)
		if err != nil {
			if !errors.Is(err, codec.ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
			return
		}
		if _, err := codec.EncodeReport(nil, rep); err != nil {
			t.Fatalf("a decoded report does not encode: %v", err)
		}
	})
}
