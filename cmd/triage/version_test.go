package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// TestReanalyzeOnConfigChange: a store keeps each report with the version
// of the analyzer that made it; re-opening the mailbox with the same
// configuration reuses the report, and with one weight changed or one
// brand added analyses it again and stores the new version.
func TestReanalyzeOnConfigChange(t *testing.T) {
	dir := t.TempDir()
	raw := testutil.ReadFile(t, seedFixture)
	mail := filepath.Join(dir, "m.eml")
	testutil.WriteFile(t, mail, raw)
	os.WriteFile(filepath.Join(dir, "brands.json"), []byte(`[{"name":"Example Bank","domains":["examplebank.test"],"category":"bank"}]`), 0o600)
	configs := map[string]string{
		"base":   `{}`,
		"weight": `{"rules": {"sender.msgid_placeholder": {"points": 9}}}`,
		"brand":  `{"rules": {"sender.msgid_placeholder": {"points": 9}}, "brands_file": "brands.json"}`,
	}
	for name, body := range configs {
		testutil.WriteFile(t, filepath.Join(dir, name+".json"), []byte(body))
	}
	db := filepath.Join(dir, "s.db")
	// scan returns whether the message came from the store, and the
	// stored report's analyzer version and placeholder points.
	scan := func(config string) (cached bool, version string, points float64) {
		t.Helper()
		recs := decodeLines(t, mustScan(t, "--config", filepath.Join(dir, config+".json"), "--db", db, "--jsonl", mail))
		if len(recs) != 1 {
			t.Fatalf("%s: %d records", config, len(recs))
		}
		cached, _ = recs[0]["cached"].(bool)
		out, _, err := triage(t, "", "show", "--db", db, "--json", recs[0]["id"].(string))
		if err != nil {
			t.Fatal(err)
		}
		var shown struct {
			Report struct {
				AnalyzerVersion string `json:"analyzer_version"`
				Findings        []struct {
					Rule   string  `json:"rule"`
					Points float64 `json:"points"`
				} `json:"findings"`
			} `json:"report"`
		}
		if err := json.Unmarshal([]byte(out), &shown); err != nil {
			t.Fatalf("show --json: %v\n%.400s", err, out)
		}
		rep := shown.Report
		for _, f := range rep.Findings {
			if f.Rule == "sender.msgid_placeholder" {
				points = f.Points
			}
		}
		return cached, rep.AnalyzerVersion, points
	}

	cached, v1, p := scan("base")
	if cached || !strings.Contains(v1, "+") || p != 5 {
		t.Fatalf("first scan: cached %v, version %q, points %v", cached, v1, p)
	}
	if cached, v, _ := scan("base"); !cached || v != v1 {
		t.Fatalf("same configuration: cached %v, version %q (was %q)", cached, v, v1)
	}
	cached, v2, p := scan("weight")
	if cached || v2 == v1 || p != 9 {
		t.Fatalf("one weight changed: cached %v, version %q (was %q), points %v", cached, v2, v1, p)
	}
	cached, v3, _ := scan("brand")
	if cached || v3 == v2 || v3 == v1 {
		t.Fatalf("one brand added: cached %v, version %q (was %q)", cached, v3, v2)
	}
	if cached, v, _ := scan("brand"); !cached || v != v3 {
		t.Fatalf("same configuration again: cached %v, version %q (want %q)", cached, v, v3)
	}
}
