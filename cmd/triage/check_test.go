package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/testutil"
)

// seedStore scans the seed fixture into a new store, labels it and adds a
// note; it returns the store path and the message ID.
func seedStore(t *testing.T, dir string) (db, id string) {
	t.Helper()
	db = filepath.Join(dir, "a.db")
	id = scanSeed(t, db)
	if _, _, err := triage(t, "", "label", "--db", db, "--analyst", "alice", "--note", "seen before", id, "phish"); err != nil {
		t.Fatal(err)
	}
	return db, id
}

// scanSeed scans the seed message into the store db (created when
// absent) and returns the message's ID.
func scanSeed(t *testing.T, db string) string {
	t.Helper()
	out, _, err := triage(t, "", "scan", "--db", db, "-q", "--jsonl", seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	return decodeLines(t, out)[0]["id"].(string)
}

// seededDB scans the seed message into a new store and returns the
// store's path and the message's ID.
func seededDB(t *testing.T) (db, id string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "a.db")
	return db, scanSeed(t, db)
}

// Failure 7: check reports a damaged store with exit 1; --repair moves it
// aside and salvages labels and notes into a fresh store.
func TestCheckAndRepair(t *testing.T) {
	dir := t.TempDir()
	db, id := seedStore(t, dir)
	out, _, err := triage(t, "", "check", "--db", db)
	if err != nil || !strings.Contains(out, ": ok (1 message, 1 labeled, 1 with notes)") {
		t.Fatalf("check on a sound store: %v %q", err, out)
	}
	// Damage the report blob: garble its compressed CBOR on disk. A blob
	// starts with format 4, flags 0, the analyzer version's length and the
	// version ("CODE+hash").
	img := testutil.ReadFile(t, db)
	i := -1
	for off := 0; ; {
		j := strings.Index(string(img[off:]), analysis.CodeVersion()+"+")
		if j < 0 {
			break
		}
		if j += off; j >= 3 && img[j-3] == 4 && img[j-2] == 0 {
			i = j + int(img[j-1]) // the compressed CBOR
			break
		}
		off = j + 1
	}
	if i < 0 {
		t.Fatal("no report blob in the file")
	}
	copy(img[i+10:], "garbage garbage garbage")
	testutil.WriteFile(t, db, img)
	if _, _, err := triage(t, "", "show", "--db", db, id); err == nil || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), db) {
		t.Errorf("show on a damaged store: %v", err)
	}
	out, _, err = triage(t, "", "check", "--db", db)
	if exitCode(err) != 1 || !strings.Contains(out, "checksum mismatch") {
		t.Errorf("check on a damaged store: exit %d %v %q", exitCode(err), err, out)
	}
	out, _, err = triage(t, "", "check", "--repair", "--db", db)
	if err != nil || !strings.Contains(out, "salvaged labels and notes of 1 message") {
		t.Fatalf("repair: %v %q", err, out)
	}
	if m, _ := filepath.Glob(db + ".damaged-*"); len(m) != 1 {
		t.Errorf("damaged file not kept aside: %v", m)
	}
	sr := showJSON(t, db, id)
	if sr.Label != "phish" || len(sr.Notes) != 1 || sr.Notes[0].Text != "seen before" {
		t.Errorf("after repair: label %q notes %+v", sr.Label, sr.Notes)
	}
	if out, _, err := triage(t, "", "check", "--db", db); err != nil || !strings.Contains(out, "ok") {
		t.Errorf("check after repair: %v %q", err, out)
	}
}

// Failures 6 and 10 through the CLI: skipped items are printed, --strict
// fails writing nothing, and an imported report with a forged score is
// marked and replaced by the local analysis on the next scan.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	db, id := seedStore(t, dir)
	exp := filepath.Join(dir, "e.jsonl")
	if _, _, err := triage(t, "", "export", "--db", db, "--format", "jsonl", "-o", exp); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(exp)
	lines := strings.SplitN(string(b), "\n", 2)
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &m); err != nil {
		t.Fatal(err)
	}
	m["score"], m["findings"] = 0, []any{}
	m["summary"].(map[string]any)["subject"] = "Quarterly report"
	forged, _ := json.Marshal(m)
	in := lines[0] + "\n" + string(forged) + "\n" + `{"id":"sha256:xyz","label":"phish"}` + "\n"

	db2 := filepath.Join(dir, "b.db")
	_, errOut, err := triage(t, in, "import", "--strict", "--db", db2, "-")
	if exitCode(err) != 1 || !strings.Contains(errOut, "skipped 1: malformed message id") {
		t.Errorf("import --strict: exit %d %v %q", exitCode(err), err, errOut)
	}
	if _, _, err := triage(t, "", "show", "--db", db2, id); err == nil {
		t.Error("--strict import wrote the message")
	}
	out, errOut, err := triage(t, in, "import", "--db", db2, "-")
	if err != nil || !strings.Contains(out, "1 skipped") || !strings.Contains(errOut, "skipped 1: malformed message id") {
		t.Fatalf("import: %v %q %q", err, out, errOut)
	}
	show := func() (score int, imported bool, subject string) {
		t.Helper()
		js, _, err := triage(t, "", "show", "--db", db2, "--json", id)
		if err != nil {
			t.Fatal(err)
		}
		var sr struct {
			Report struct {
				Score    int  `json:"score"`
				Imported bool `json:"imported"`
				Summary  struct {
					Subject string `json:"subject"`
				} `json:"summary"`
			} `json:"report"`
		}
		if err := json.Unmarshal([]byte(js), &sr); err != nil {
			t.Fatal(err)
		}
		r := sr.Report
		return r.Score, r.Imported, r.Summary.Subject
	}
	if score, imported, subj := show(); score != 0 || !imported || subj != "Quarterly report" {
		t.Errorf("imported report: score %d imported %v subject %q", score, imported, subj)
	}
	if _, _, err := triage(t, "", "scan", "--db", db2, "-q", seedFixture); err != nil {
		t.Fatal(err)
	}
	if score, imported, subj := show(); score < 50 || imported || subj == "Quarterly report" {
		t.Errorf("after scan: score %d imported %v subject %q, want the local analysis", score, imported, subj)
	}
}
