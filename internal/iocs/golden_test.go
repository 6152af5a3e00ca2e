package iocs

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/demo/demotest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// demoLabels are the labels an analyst gives the demo's phishing,
// malware and BEC messages (by ID prefix); the rest stay unlabeled and
// give no indicators.
var demoLabels = map[string]string{
	"4afcd39b7413": "phish", // KAGOYA Active! mail (the seed case)
	"f80cef651a01": "phish", // Amazon.co.jp lookalike
	"8a1f0dcfcb2f": "phish", // PayPal "account limited"
	"28c42e1d79b8": "phish", // DHL customs fee
	"a7cc1889d293": "phish", // PayPal IDN lookalike
	"0da91ff98a4e": "malware",
	"df7a931db67c": "bec",
}

// demoIndicators analyses the demo mailbox and collects the indicators
// of its labeled messages.
func demoIndicators(t *testing.T) []Indicator {
	t.Helper()
	_, reps := demotest.Analysed(t)
	c := New(nil, nil)
	n := 0
	for _, rep := range reps {
		label := demoLabels[strings.TrimPrefix(rep.ID, "sha256:")[:12]]
		if label == "" {
			continue
		}
		n++
		c.Add(Message{ID: rep.ID, Label: label, Time: rep.Summary.Date, Report: rep})
	}
	if n != len(demoLabels) {
		t.Fatalf("found %d of the %d labeled demo messages (demo mailbox changed?)", n, len(demoLabels))
	}
	return c.Indicators()
}

var goldenOpts = Options{Now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), Title: "triage: indicators of messages labeled phish, malware, bec"}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff):\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	ins := demoIndicators(t)
	var csv, csvDefanged, stix, misp bytes.Buffer
	if err := WriteCSV(&csv, ins, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&csvDefanged, ins, true); err != nil {
		t.Fatal(err)
	}
	if err := WriteSTIX(&stix, ins, goldenOpts); err != nil {
		t.Fatal(err)
	}
	if err := WriteMISP(&misp, ins, goldenOpts); err != nil {
		t.Fatal(err)
	}
	golden(t, "demo.csv", csv.Bytes())
	golden(t, "demo-defanged.csv", csvDefanged.Bytes())
	golden(t, "demo.stix.json", stix.Bytes())
	golden(t, "demo.misp.json", misp.Bytes())
	// The demo's seed case must give its known indicators.
	for _, want := range [][2]string{
		{TypeIPSrc, "121.50.46.57"}, {TypeDomain, "34-227-30-224.cprapid.com"}, {TypeEmailSrc, "support.center.activemail@kagoya.jp"},
	} {
		if has(ins, want[0], want[1]) == nil {
			t.Errorf("demo: missing %s %s", want[0], want[1])
		}
	}
}
