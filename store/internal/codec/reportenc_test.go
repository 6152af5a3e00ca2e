package codec

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/demo/demotest"
)

// FilledReport returns a report with every serialised field of every type
// set to a value that is not empty (two elements in each slice), so that
// a field an encoder leaves out changes its output. Exported for the
// package's external tests.
func FilledReport(t *testing.T) *analysis.Report {
	r := new(analysis.Report)
	n := 0
	var fill func(v reflect.Value, path string)
	fill = func(v reflect.Value, path string) {
		n++
		switch v.Kind() {
		case reflect.String:
			v.SetString(fmt.Sprintf("%s-%d-é", path, n))
		case reflect.Int, reflect.Int64:
			v.SetInt(int64(n * 37))
		case reflect.Uint32:
			v.SetUint(uint64(n * 41))
		case reflect.Uint64:
			v.SetUint(uint64(n) << 40)
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Float64:
			v.SetFloat(float64(n) + 0.25)
		case reflect.Pointer:
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem(), path)
		case reflect.Slice:
			s := reflect.MakeSlice(v.Type(), 2, 2)
			fill(s.Index(0), path+"[0]")
			fill(s.Index(1), path+"[1]")
			v.Set(s)
		case reflect.Struct:
			if v.Type() == reflect.TypeFor[time.Time]() {
				v.Set(reflect.ValueOf(time.Date(2026, 12, 6, 19, 30, n, 123456789, time.FixedZone("JST", 9*3600))))
				return
			}
			for i := range v.NumField() {
				f := v.Type().Field(i)
				if f.IsExported() && f.Tag.Get("json") != "-" {
					fill(v.Field(i), path+"."+f.Name)
				}
			}
		default:
			t.Fatalf("%s: a report field of kind %s: teach appendReportCBOR and this test", path, v.Kind())
		}
	}
	fill(reflect.ValueOf(r).Elem(), "Report")
	return r
}

// matchLibrary fails the test unless appendReportCBOR writes r as the
// CBOR library does.
func matchLibrary(t testing.TB, name string, r *analysis.Report) {
	t.Helper()
	want, err := cborEnc.Marshal(r)
	if err != nil {
		t.Fatalf("%s: library: %v", name, err)
	}
	got, ok := appendReportCBOR([]byte("prefix"), r)
	if !ok || !bytes.Equal(got[len("prefix"):], want) {
		t.Fatalf("%s: hand-written CBOR (ok %v) differs from the library's:\n got %x\nwant %x", name, ok, got[len("prefix"):], want)
	}
}

// TestReportCBORMatchesLibrary checks that the hand-written report
// encoder writes exactly what the CBOR library writes: on every demo
// report (with and without its header list), on a report with every
// field set, on an empty one, and on the edges of the encoding (nil and
// empty slices, negative numbers, special floats, long strings, times
// without a zone, without nanoseconds or zero).
func TestReportCBORMatchesLibrary(t *testing.T) {
	_, reps := demotest.Analysed(t)
	for _, r := range reps {
		matchLibrary(t, r.ID, r)
		c := *r
		c.Headers = nil
		matchLibrary(t, r.ID+" without headers", &c)
	}
	all := FilledReport(t)
	matchLibrary(t, "every field set", all)
	matchLibrary(t, "empty report", &analysis.Report{})

	edge := *all
	edge.Summary.To = []analysis.Address{} // empty, not nil: an empty array
	edge.Auth.Identity = &analysis.Identity{Domain: "example.com"}
	edge.Score, edge.RawScore, edge.Size = -1, -300, 1<<40
	edge.Findings = []analysis.Finding{{Rule: "r", Points: -25}, {Rule: "r", Points: math.MinInt64}}
	edge.Summary.Subject, edge.Warnings = strings.Repeat("y", 300), []string{"", "\xff\xfe not UTF-8"}
	for _, n := range []int{23, 24, 255, 256, 65535, 65536} { // the lengths where a head grows
		edge.Warnings = append(edge.Warnings, strings.Repeat("x", n))
	}
	edge.Summary.Date = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	hops := make([]analysis.Hop, 0, 5)
	for _, d := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, -1.5} {
		h := edge.Hops[0]
		h.Delay, h.Time = &d, time.Time{}
		hops = append(hops, h)
	}
	edge.Hops = hops
	matchLibrary(t, "edges", &edge)
	edge.Summary.To = nil
	edge.Auth.Identity.Methods = []string{}
	matchLibrary(t, "nil list", &edge)
}

// TestReportCBOROutOfRangeTimes checks that a time RFC 3339 cannot write
// makes the hand-written encoder step aside, and EncodeReport return the
// library's error.
func TestReportCBOROutOfRangeTimes(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600)),
	} {
		r := &analysis.Report{ID: "sha256:00"}
		r.Summary.Date = tm
		if _, ok := appendReportCBOR(nil, r); ok {
			t.Errorf("%v: hand-written encoder wrote it", tm)
		}
		if _, err := EncodeReport(nil, r); err == nil {
			t.Errorf("%v: EncodeReport gave no error", tm)
		}
	}
	r := &analysis.Report{ID: "sha256:00"}
	r.Summary.Date = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 23*3600+59*60))
	matchLibrary(t, "zone +23:59", r)
}

// FuzzReportCBOR analyses each input as a message and checks that the
// hand-written encoder writes its report as the library does.
func FuzzReportCBOR(f *testing.F) {
	raws, _ := demotest.Analysed(f)
	for _, raw := range raws {
		f.Add(raw)
	}
	a := analysis.New(analysis.DefaultConfig())
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := a.Analyze(raw)
		if _, err := cborEnc.Marshal(r); err != nil {
			if _, ok := appendReportCBOR(nil, r); ok {
				t.Fatalf("library refused the report (%v), the hand-written encoder did not", err)
			}
			return
		}
		matchLibrary(t, "fuzzed", r)
	})
}
