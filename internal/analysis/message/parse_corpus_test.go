package message

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis/date"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/devdata"
)

// TestParseCorpusNoPanic parses every file under corpus/mime and checks
// the basic invariants of the result.
func TestParseCorpusNoPanic(t *testing.T) {
	root := devdata.Dir(t, "corpus", "mime")
	n := 0
	devdata.EachFile(t, root, "", func(path string, raw []byte) {
		p := Parse(raw, DefaultLimits())
		n++
		for _, w := range p.Warnings {
			if strings.HasPrefix(w, "parse: internal error") {
				t.Errorf("%s: %s", path, w)
			}
		}
	})
	t.Logf("parsed %d files", n)
}

type stalwartAddr struct {
	Name    *string `json:"name"`
	Address *string `json:"address"`
}

type stalwartMsg struct {
	Parts []struct {
		Headers []struct {
			Name  json.RawMessage `json:"name"` // a string or {"other": name}
			Value json.RawMessage `json:"value"`
		} `json:"headers"`
	} `json:"parts"`
}

func (a stalwartAddr) toAddress() report.Address {
	var out report.Address
	if a.Name != nil {
		out.Name = *a.Name
	}
	if a.Address != nil {
		out.Address = *a.Address
	}
	return out
}

// TestParseStalwartExpectations compares the decoded Subject, From and To
// of the stalwart mail-parser sample messages with its expected output.
func TestParseStalwartExpectations(t *testing.T) {
	base := devdata.Dir(t, "corpus", "mime", "stalwart_mail_parser")
	files, _ := filepath.Glob(filepath.Join(base, "*", "*.eml"))
	if len(files) == 0 {
		t.Skip("no stalwart samples")
	}
	total, ok := 0, 0
	for _, f := range files {
		js, err := os.ReadFile(strings.TrimSuffix(f, ".eml") + ".json")
		if err != nil {
			continue
		}
		var exp stalwartMsg
		if err := json.Unmarshal(js, &exp); err != nil || len(exp.Parts) == 0 {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p := Parse(raw, DefaultLimits())
		rel, _ := filepath.Rel(base, f)
		seen := map[string]bool{}
		for _, h := range exp.Parts[0].Headers {
			var name string
			if json.Unmarshal(h.Name, &name) != nil || seen[name] {
				continue
			}
			seen[name] = true
			switch name {
			case "subject":
				var v struct{ Text *string }
				if json.Unmarshal(h.Value, &v) != nil || v.Text == nil {
					continue
				}
				total++
				if sameText(p.Summary.Subject, *v.Text) {
					ok++
				} else {
					t.Logf("miss %s subject: got %q want %q", rel, p.Summary.Subject, *v.Text)
				}
			case "from", "to":
				var v struct {
					Address struct{ List []stalwartAddr }
				}
				if json.Unmarshal(h.Value, &v) != nil || v.Address.List == nil {
					continue
				}
				var want []report.Address
				for _, a := range v.Address.List {
					want = append(want, a.toAddress())
				}
				got := p.Summary.To
				if name == "from" {
					got = []report.Address{p.Summary.From}
					want = want[:1]
				}
				total++
				if addrListEqual(got, want) {
					ok++
				} else {
					t.Logf("miss %s %s: got %+v want %+v", rel, name, got, want)
				}
			}
		}
	}
	rate := float64(ok) / float64(total)
	t.Logf("stalwart header match: %d/%d = %.1f%%", ok, total, 100*rate)
	if rate < 0.95 {
		t.Errorf("match rate %.1f%% < 95%%", 100*rate)
	}
}

func addrListEqual(a, b []report.Address) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameText(a[i].Name, b[i].Name) ||
			!strings.EqualFold(a[i].Address, b[i].Address) {
			return false
		}
	}
	return true
}

func readVectors(t *testing.T, name string, v any) {
	t.Helper()
	js, err := os.ReadFile(devdata.Dir(t, "corpus", "mime", "stalwart_mail_parser", "header-vectors", name))
	if err != nil {
		t.Skip(err)
	}
	if err := json.Unmarshal(js, v); err != nil {
		t.Fatal(err)
	}
}

// vectorValue unfolds a raw header vector the way readHeader does and
// drops a following field (some vectors include the next header line).
func vectorValue(h string) string {
	h = strings.ReplaceAll(h, "\r\n", "\n")
	lines := strings.Split(h, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 && (l == "" || (l[0] != ' ' && l[0] != '\t')) {
			break
		}
		b.WriteString(l)
	}
	return strings.TrimSpace(b.String())
}

func TestStalwartUnstructuredVectors(t *testing.T) {
	var vecs []struct{ Header, Expected string }
	readVectors(t, "unstructured.json", &vecs)
	ok := 0
	for _, v := range vecs {
		got, _ := decodeHeader(vectorValue(v.Header))
		if collapseWS(got) == collapseWS(v.Expected) {
			ok++
		} else {
			t.Logf("miss %q: got %q want %q", v.Header, got, v.Expected)
		}
	}
	checkVectorRate(t, "unstructured (RFC 2047)", ok, len(vecs), 9)
}

// checkVectorRate logs how many of n vectors of a kind passed and fails
// t when fewer than tenths/10 of them did.
func checkVectorRate(t *testing.T, kind string, ok, n, tenths int) {
	t.Helper()
	t.Logf("%s vectors: %d/%d", kind, ok, n)
	if ok*10 < n*tenths {
		t.Errorf("rate below %d0%%", tenths)
	}
}

func TestStalwartAddressVectors(t *testing.T) {
	var vecs []struct {
		Header   string
		Expected struct {
			List  []stalwartAddr
			Group []struct {
				Name      *string
				Addresses []stalwartAddr
			}
		}
	}
	readVectors(t, "address.json", &vecs)
	ok := 0
	for _, v := range vecs {
		var want []report.Address
		for _, a := range v.Expected.List {
			want = append(want, a.toAddress())
		}
		for _, g := range v.Expected.Group {
			for _, a := range g.Addresses {
				want = append(want, a.toAddress())
			}
		}
		got, _ := parseAddressList(vectorValue(v.Header))
		if addrListEqual(got, want) {
			ok++
		} else {
			t.Logf("miss %q: got %+v want %+v", v.Header, got, want)
		}
	}
	checkVectorRate(t, "address", ok, len(vecs), 8)
}

func TestStalwartDateVectors(t *testing.T) {
	var vecs []struct {
		Header   string
		Expected *struct {
			Year, Month, Day, Hour, Minute, Second int
			TzBeforeGMT                            bool `json:"tz_before_gmt"`
			TzHour                                 int  `json:"tz_hour"`
			TzMinute                               int  `json:"tz_minute"`
		}
	}
	readVectors(t, "date.json", &vecs)
	ok := 0
	for _, v := range vecs {
		got, gotOK := date.ParseHeader(v.Header)
		e := v.Expected
		good := false
		if e == nil {
			good = !gotOK
		} else if gotOK {
			off := e.TzHour*3600 + e.TzMinute*60
			if e.TzBeforeGMT {
				off = -off
			}
			want := time.Date(e.Year, time.Month(e.Month), e.Day, e.Hour, e.Minute, e.Second, 0, time.FixedZone("", off))
			good = got.Equal(want)
		}
		if good {
			ok++
		} else {
			t.Logf("miss %q: got %v %v want %+v", v.Header, got, gotOK, e)
		}
	}
	checkVectorRate(t, "date", ok, len(vecs), 8)
}

// sameText compares whitespace-normalised text; a U+FFFD in want (the
// reference parser's replacement for undeclared 8-bit bytes, which we
// decode by detection instead) matches any one rune.
func sameText(got, want string) bool {
	g := []rune(strings.Join(strings.Fields(got), " "))
	w := []rune(strings.Join(strings.Fields(want), " "))
	if len(g) != len(w) {
		return false
	}
	for i := range g {
		if g[i] != w[i] && w[i] != '\uFFFD' {
			return false
		}
	}
	return true
}
