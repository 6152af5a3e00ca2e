package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/unwrap/unwraptest"
	"github.com/triage-tools/triage/internal/testutil"
)

// TestReportMailboxCommands: a folder of two reports of the seed (an
// attachment and an inline forward with a hostile note) through scan
// --jsonl, show and export: the original is the message, the reporters
// are listed, sanitised, and the raw bytes are the original's.
func TestReportMailboxCommands(t *testing.T) {
	seed := testutil.ReadFile(t, "../../internal/analysis/testdata/seed/activemail.eml")
	dir := t.TempDir()
	a := unwraptest.Reporter{Name: "Taro Yamada", Addr: "taro@corp.example", Note: "phish?\x1b]0;pwned\a please look"}
	b := unwraptest.Reporter{Name: "Hanako", Addr: "hanako@corp.example", Note: "another one"}
	for i, w := range [][]byte{unwraptest.Attached(seed, a), unwraptest.OctetEML(seed, b)} {
		testutil.WriteFile(t, filepath.Join(dir, fmt.Sprintf("r%d.eml", i)), w)
	}
	out, _, err := triage(t, "", "scan", "--no-store", "--jsonl", dir)
	if err != nil {
		t.Fatal(err)
	}
	lines := decodeLines(t, out)
	if len(lines) != 2 || lines[0]["id"] != lines[1]["id"] || lines[0]["wrapper"] == nil || lines[0]["reporters"] == nil {
		t.Fatalf("scan --jsonl: %s", out)
	}
	if loc := lines[0]["locator"].(map[string]any); loc["unwrap"] != "attached:2" {
		t.Errorf("locator = %v", loc)
	}
	db := filepath.Join(t.TempDir(), "t.db")
	if _, _, err := triage(t, "", "scan", "--db", db, "-q", dir); err != nil {
		t.Fatal(err)
	}
	id := lines[0]["id"].(string)
	text, _, err := triage(t, "", "show", "--db", db, id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Reported ×2") || !strings.Contains(text, "taro@corp.example") || !strings.Contains(text, "hanako@corp.example") {
		t.Errorf("show: %s", text)
	}
	if strings.Contains(text, "\x1b") || strings.Contains(text, "\a") {
		t.Errorf("show leaks a control character from a reporter's note")
	}
	if m := showJSON(t, db, id); len(m.Reporters) != 2 || m.Report.Wrapper == nil {
		t.Errorf("show --json: %d reporters, wrapper %v", len(m.Reporters), m.Report.Wrapper)
	}
	exp, _, err := triage(t, "", "export", "--db", db, "--all", "--include-raw", "--format", "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(exp, `"reporters":[`) || strings.Contains(exp, "raw_error") || !strings.Contains(exp, `"unwrap":"attached:2"`) {
		t.Errorf("export: %.2000s", exp)
	}
}
