package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/internal/testutil"

	"github.com/triage-tools/triage/internal/ctl"
)

const seedFixture = "../../internal/analysis/testdata/seed/activemail.eml"

// showJSON runs `show --db db --json ref` and decodes its output.
func showJSON(t *testing.T, db, ref string) ctl.Message {
	t.Helper()
	out, _, err := triage(t, "", "show", "--db", db, "--json", ref)
	if err != nil {
		t.Fatal(err)
	}
	var m ctl.Message
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// triage runs the program in-process and returns stdout, stderr and the
// error run returned.
func triage(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func decodeLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestScanJSONLFields(t *testing.T) {
	out, _, err := triage(t, "", "scan", "--no-store", "--jsonl", seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	recs := decodeLines(t, out)
	if len(recs) != 1 {
		t.Fatalf("got %d records", len(recs))
	}
	r := recs[0]
	for _, k := range []string{"id", "locator", "message_id", "date", "from", "to", "subject", "size", "warnings", "score", "findings", "hops", "auth", "urls", "attachments"} {
		if _, ok := r[k]; !ok {
			t.Errorf("record lacks %q", k)
		}
	}
	if id, _ := r["id"].(string); !strings.HasPrefix(id, "sha256:") || len(id) != 71 {
		t.Errorf("id = %q", id)
	}
	from := r["from"].(map[string]any)
	if from["name"] != "Active! mail – カゴヤ・ジャパン株式会社" {
		t.Errorf("from.name = %q", from["name"])
	}
	if s, _ := r["subject"].(string); !strings.HasPrefix(s, "【重要なお知らせ】") {
		t.Errorf("subject = %q", s)
	}
	if sc, _ := r["score"].(float64); sc < 80 {
		t.Errorf("score = %v", sc)
	}
	loc := r["locator"].(map[string]any)
	if p, _ := loc["path"].(string); !strings.HasSuffix(p, "activemail.eml") {
		t.Errorf("locator = %v", loc)
	}
}

// TestScanSharedSeed is the acceptance check on the shared seed.
func TestScanSharedSeed(t *testing.T) {
	seed := devdata.Dir(t, "fixtures", "seed", "kagoya-activemail.eml")
	out, _, err := triage(t, "", "scan", "--no-store", "--jsonl", seed)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"name":"Active! mail – カゴヤ・ジャパン株式会社"`) || !strings.Contains(out, `"subject":"【重要なお知らせ】`) {
		t.Errorf("decoded name/subject missing:\n%.400s", out)
	}
}

func TestScanTableSanitises(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "evil.eml")
	raw := "From: \"Bad\x1b]52;c;ZXZpbA==\x07Guy\" <bad@example.net>\r\nTo: a@example.com\r\nSubject: pay\u202eexe.pdf\x1b[2J now\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nhi\r\n"
	testutil.WriteFile(t, p, []byte(raw))
	out, _, err := triage(t, "", "scan", "--no-store", p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Errorf("raw control or bidi characters reached the output: %q", out)
	}
	if !strings.Contains(out, "‹RLO›") {
		t.Errorf("bidi override not shown as a placeholder: %q", out)
	}
}

func TestScanStdin(t *testing.T) {
	raw := testutil.ReadFile(t, seedFixture)
	out, _, err := triage(t, string(raw), "scan", "--no-store", "--jsonl", "-")
	if err != nil {
		t.Fatal(err)
	}
	if recs := decodeLines(t, out); len(recs) != 1 {
		t.Fatalf("got %d records from stdin", len(recs))
	}
}

func TestScanErrorsNamePath(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.bin")
	os.WriteFile(junk, []byte{0x00, 0xff, 0x13, 0x37, 0x00, 0x00}, 0o600)
	missing := filepath.Join(dir, "nope.mbox")
	out, _, err := triage(t, "", "scan", "--no-store", "--jsonl", missing, junk, seedFixture)
	if exitCode(err) == 0 {
		t.Fatal("exit status 0 with unreadable mailboxes")
	}
	if !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), junk) {
		t.Errorf("error does not name the paths: %v", err)
	}
	if !strings.Contains(err.Error(), "not a mailbox") {
		t.Errorf("junk file not reported as not a mailbox: %v", err)
	}
	if len(decodeLines(t, out)) != 1 {
		t.Errorf("the readable mailbox was not scanned")
	}
}

func TestUsage(t *testing.T) {
	if _, _, err := triage(t, "", "scan"); exitCode(err) != 2 {
		t.Errorf("scan without paths: exit %d", exitCode(err))
	}
	if _, _, err := triage(t, "", "scan", "--bogus", "x"); exitCode(err) != 2 {
		t.Errorf("unknown flag: exit %d", exitCode(err))
	}
	out, _, err := triage(t, "", "help")
	if err != nil || !strings.Contains(out, "triage scan") {
		t.Errorf("help: %v %q", err, out)
	}
}

// TestStoreWorkflow: scan into a store, label, show, export, import into a
// fresh store and export again: labels, notes and history survive.
func TestStoreWorkflow(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	if _, _, err := triage(t, "", "scan", "--db", db, "-q", seedFixture, "../../internal/demo/demo.mbox"); err != nil {
		t.Fatal(err)
	}
	id := scanSeed(t, db)
	prefix := strings.TrimPrefix(id, "sha256:")[:10]

	if _, _, err := triage(t, "", "label", "--db", db, "--analyst", "alice", prefix, "spam"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := triage(t, "", "label", "--db", db, "--analyst", "bob", "--note", "KAGOYA credential phish", prefix, "phish"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := triage(t, "", "label", "--db", db, prefix, "nonsense"); exitCode(err) != 2 {
		t.Errorf("unknown label accepted: %v", err)
	}
	if _, _, err := triage(t, "", "label", "--db", db, "ffffffffffff", "phish"); err == nil {
		t.Error("unknown id accepted")
	}

	sr := showJSON(t, db, prefix)
	if sr.Label != "phish" || len(sr.History) != 2 || len(sr.Notes) != 1 || sr.History[1].Actor.Name != "bob" {
		t.Errorf("show --json: label %q, history %+v, notes %+v", sr.Label, sr.History, sr.Notes)
	}
	text, _, err := triage(t, "", "show", "--db", db, prefix)
	if err != nil || !strings.Contains(text, "sender.brand_domain_mismatch") || !strings.Contains(text, "KAGOYA credential phish") {
		t.Errorf("show text: %v\n%s", err, text)
	}

	exp1 := filepath.Join(dir, "one.json")
	if _, _, err := triage(t, "", "export", "--db", db, "-o", exp1); err != nil {
		t.Fatal(err)
	}
	db2 := filepath.Join(dir, "b.db")
	imp, _, err := triage(t, "", "import", "--db", db2, exp1)
	if err != nil || !strings.Contains(imp, "imported 1 message") {
		t.Fatalf("import: %v %q", err, imp)
	}
	exp2 := filepath.Join(dir, "two.json")
	if _, _, err := triage(t, "", "export", "--db", db2, "-o", exp2); err != nil {
		t.Fatal(err)
	}
	a, b := exportedDecisions(t, exp1), exportedDecisions(t, exp2)
	if a != b {
		t.Errorf("round trip changed labels/notes/history:\n%s\n%s", a, b)
	}

	// --include-raw re-parses to the same IDs.
	raw, _, err := triage(t, "", "export", "--db", db, "--include-raw", "--format", "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := decodeLines(t, raw)
	if len(lines) != 2 { // header + one message
		t.Fatalf("jsonl export has %d lines", len(lines))
	}
	msg := lines[1]
	rawText, ok := msg["raw"].(string)
	if !ok {
		t.Fatalf("no raw field: %v", msg)
	}
	p := filepath.Join(dir, "re.eml")
	os.WriteFile(p, []byte(rawText), 0o600)
	again, _, err := triage(t, "", "scan", "--no-store", "--jsonl", p)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeLines(t, again)[0]["id"]; got != id {
		t.Errorf("raw export re-parses to %v, want %v", got, id)
	}
}

// exportedDecisions extracts the analyst decisions of an export in a
// comparable form.
func exportedDecisions(t *testing.T, path string) string {
	t.Helper()
	b := testutil.ReadFile(t, path)
	var doc struct {
		Schema   string `json:"schema"`
		Messages []struct {
			ID           string          `json:"id"`
			Label        string          `json:"label"`
			LabelHistory json.RawMessage `json:"label_history"`
			Notes        json.RawMessage `json:"notes"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "triage.corpus/v1" {
		t.Errorf("schema = %q", doc.Schema)
	}
	var s strings.Builder
	for _, m := range doc.Messages {
		s.WriteString(m.ID + " " + m.Label + " " + string(m.LabelHistory) + " " + string(m.Notes) + "\n")
	}
	return s.String()
}
