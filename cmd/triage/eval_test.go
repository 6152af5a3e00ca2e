package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/eval"
	"github.com/triage-tools/triage/internal/testutil"
)

// hamMessage is a plain personal message with no link and no lure.
func hamMessage(subject string) string {
	return "From: Alice Example <alice@example.org>\r\nTo: bob@example.net\r\nSubject: " + subject +
		"\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", ".") +
		"@example.org>\r\n\r\nHi Bob,\r\n\r\nsee you at lunch on Thursday.\r\n\r\nAlice\r\n"
}

// evalFixture writes phish/ (the seed), ham/ (two plain messages, one of
// them the seed with a hostile subject: a false positive), spam/ (one
// plain message) and returns the folder.
func evalFixture(t *testing.T) string {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("TRIAGE_CONFIG", "")
	seed := testutil.ReadFile(t, seedFixture)
	dir := t.TempDir()
	write := func(rel string, b []byte) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		testutil.WriteFile(t, p, b)
	}
	write("phish/seed.eml", seed)
	write("ham/a.eml", []byte(hamMessage("lunch thursday")))
	hostile := strings.Replace(string(seed), "Subject:", "Subject: =?utf-8?q?evil=1B]52;c;aGk=07x?= ", 1)
	write("ham/b.eml", []byte(hostile))
	write("spam/c.eml", []byte(hamMessage("cheap watches")))
	return dir
}

func evalJSON(t *testing.T, args ...string) eval.Result {
	t.Helper()
	out, stderr, err := triage(t, "", append([]string{"eval", "--json"}, args...)...)
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, stderr)
	}
	var res eval.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("eval --json: %v\n%s", err, out)
	}
	return res
}

func TestEvalFolders(t *testing.T) {
	dir := evalFixture(t)
	res := evalJSON(t, "--phish", filepath.Join(dir, "phish"), "--ham", filepath.Join(dir, "ham"), "--spam", filepath.Join(dir, "spam"))
	if res.Phish != 1 || res.Ham != 2 || res.Spam != 1 {
		t.Fatalf("counts %d/%d/%d, want 1/2/1", res.Phish, res.Ham, res.Spam)
	}
	// Both the phish and the copied ham score 100, but eval ranks by the
	// raw score, and the copy's hostile subject adds a finding: the phish
	// ranks above the plain ham only, AUC = (1 above + 0 above) / 2.
	if res.ScoredBy != "raw_score" || res.AUC != 0.5 {
		t.Errorf("AUC %v by %s, want 0.5 by raw_score", res.AUC, res.ScoredBy)
	}
	if len(res.FalseNeg) != 1 || res.FalseNeg[0].Score != 100 || res.FalseNeg[0].Raw <= 100 || !strings.HasSuffix(res.FalseNeg[0].Source, "seed.eml") {
		t.Fatalf("false negatives %+v", res.FalseNeg)
	}
	// Nothing but a threshold above every raw score keeps FPR ≤ 1%.
	if res.Threshold <= res.FalseNeg[0].Raw+1 || res.TPR != 0 || res.FPR != 0 {
		t.Errorf("threshold %d TPR %v FPR %v, want above %d, 0, 0", res.Threshold, res.TPR, res.FPR, res.FalseNeg[0].Raw+1)
	}
	var mismatch *eval.RuleCount
	for i := range res.Rules {
		if res.Rules[i].Rule == "sender.brand_domain_mismatch" {
			mismatch = &res.Rules[i]
		}
	}
	if mismatch == nil || mismatch.Phish != 1 || mismatch.Ham != 1 || mismatch.Spam != 0 || *mismatch.Precision != 0.5 {
		t.Errorf("rule counts %+v", mismatch)
	}
	if len(res.Sources) != 3 {
		t.Errorf("sources %+v", res.Sources)
	}

	// With 50% false positives allowed, the cut lies just above the plain ham.
	res = evalJSON(t, "--max-fpr", "0.5", "--phish", filepath.Join(dir, "phish"), "--ham", filepath.Join(dir, "ham"))
	if res.Threshold < 1 || res.Threshold > 100 || res.TPR != 1 || res.FPR != 0.5 || len(res.FalsePos) != 1 || len(res.FalseNeg) != 0 {
		t.Errorf("at 50%%: %+v", res)
	}
	if res.FalsePos[0].Subject == "" || !strings.Contains(res.FalsePos[0].Subject, "evil") {
		t.Errorf("false positive subject %q", res.FalsePos[0].Subject)
	}
}

func TestEvalTextSanitises(t *testing.T) {
	dir := evalFixture(t)
	out, _, err := triage(t, "", "eval", "--max-fpr", "0.5", "--phish", filepath.Join(dir, "phish"), "--ham", filepath.Join(dir, "ham"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("control characters reach the terminal:\n%q", out)
	}
	testutil.TextHas(t, "output", out, "ROC AUC: 0.5000 (by raw_score)", "TPR 1.0000  FPR 0.5000", "evil", "\nworst false positives (ham scoring ≥ threshold, by raw score):\n", "100 (raw 3", "sender.brand_domain_mismatch")
}

func TestEvalLabelsCSV(t *testing.T) {
	dir := evalFixture(t)
	// One folder with every file; the CSV sorts them out.
	csv := "path,label,extra\nphish/seed.eml,phishing,x\nham/b.eml,spam-other,y\nspam/c.eml,unsure,z\n"
	testutil.WriteFile(t, filepath.Join(dir, "labels.csv"), []byte(csv))
	res := evalJSON(t, "--labels", filepath.Join(dir, "labels.csv"), "--ham", dir)
	// seed → phish, b → spam, c → left out, a → ham (the folder's class).
	if res.Phish != 1 || res.Ham != 1 || res.Spam != 1 {
		t.Fatalf("counts %d/%d/%d, want 1/1/1", res.Phish, res.Ham, res.Spam)
	}
	if res.AUC != 1 || res.TPR != 1 {
		t.Errorf("AUC %v TPR %v, want 1 1", res.AUC, res.TPR)
	}
	testutil.WriteFile(t, filepath.Join(dir, "bad.csv"), []byte("file,verdict\n"))
	if _, _, err := triage(t, "", "eval", "--labels", filepath.Join(dir, "bad.csv"), "--ham", dir); err == nil || !strings.Contains(err.Error(), "label") {
		t.Errorf("CSV without a label column: %v", err)
	}
}

func TestEvalMboxInFolder(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	mbox := "From a@example.org Mon Jun  2 10:00:00 2025\n" + strings.ReplaceAll(hamMessage("one"), "\r\n", "\n") +
		"\nFrom a@example.org Mon Jun  2 10:00:00 2025\n" + strings.ReplaceAll(hamMessage("two"), "\r\n", "\n")
	testutil.WriteFile(t, filepath.Join(dir, "x.mbox"), []byte(mbox))
	testutil.WriteFile(t, filepath.Join(dir, "y.eml"), []byte(hamMessage("three")))
	res := evalJSON(t, "--ham", dir, "--phish", seedFixture)
	if res.Ham != 3 || res.Phish != 1 {
		t.Errorf("ham %d phish %d, want 3 1 (the mbox holds two messages)", res.Ham, res.Phish)
	}
}

func TestEvalStore(t *testing.T) {
	dir := evalFixture(t)
	db := filepath.Join(dir, "s.db")
	if _, _, err := triage(t, "", "scan", "--db", db, "-q", filepath.Join(dir, "phish"), filepath.Join(dir, "ham")); err != nil {
		t.Fatal(err)
	}
	out, _, err := triage(t, "", "scan", "--db", db, "--no-store", "--jsonl", filepath.Join(dir, "phish"), filepath.Join(dir, "ham"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range decodeLines(t, out) {
		label := "benign"
		if loc := rec["locator"].(map[string]any); strings.Contains(loc["path"].(string), "phish") {
			label = "phish"
		} else if rec["score"].(float64) > 50 {
			label = "unsure" // left out
		}
		if _, _, err := triage(t, "", "label", "--db", db, rec["id"].(string), label); err != nil {
			t.Fatal(err)
		}
	}
	res := evalJSON(t, "--db", db)
	if res.Phish != 1 || res.Ham != 1 || res.AUC != 1 || res.FPR != 0 || res.TPR != 1 || res.Stored != 0 {
		t.Errorf("store eval: %+v", res)
	}
	// With the raw mail gone, the stored reports are used.
	if err := os.RemoveAll(filepath.Join(dir, "phish")); err != nil {
		t.Fatal(err)
	}
	res = evalJSON(t, "--db", db)
	if res.Phish != 1 || res.Stored != 1 || res.TPR != 1 {
		t.Errorf("store eval from stored reports: %+v", res)
	}
}

func TestEvalUsage(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, args := range [][]string{
		{"eval", "stray"},
		{"eval", "--max-fpr", "1.5", "--ham", "."},
	} {
		if _, _, err := triage(t, "", args...); exitCode(err) != 2 {
			t.Errorf("%q: exit %d (%v), want 2", args, exitCode(err), err)
		}
	}
	if _, _, err := triage(t, "", "eval", "--ham", filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing folder accepted")
	}
}

func TestSpreadClassArgs(t *testing.T) {
	got := spreadClassArgs([]string{"--json", "--phish", "a", "b", "--ham=c", "d", "-spam", "e", "--top", "3", "--", "--ham"})
	want := []string{"--json", "--phish", "a", "--phish", "b", "--ham=c", "d", "--spam", "e", "--top", "3", "--", "--ham"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestConfigInfraFile(t *testing.T) {
	dir := t.TempDir()
	mail := filepath.Join(dir, "m.eml")
	body := "<html><body><a href=\"https://t.mytracker.test/c/1\">Read the news</a> <a href=\"https://t.mytracker.test/c/2\">Unsubscribe</a></body></html>"
	os.WriteFile(mail, []byte("From: News <news@example.org>\r\nTo: a@example.com\r\nSubject: News\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n"+body+"\r\n"), 0o600)
	_, _, err := triage(t, "", "scan", "--no-store", "--jsonl", "--config", filepath.Join(dir, "none.json"), mail)
	if err == nil {
		t.Fatal("a missing explicit config file was accepted")
	}
	os.WriteFile(filepath.Join(dir, "empty.json"), []byte(`{}`), 0o600)
	out, _, err := triage(t, "", "scan", "--no-store", "--jsonl", "--config", filepath.Join(dir, "empty.json"), mail)
	if err != nil || !strings.Contains(out, `"rule":"url.links_unrelated"`) {
		t.Fatalf("without infra_file: %v\n%.400s", err, out)
	}
	os.WriteFile(filepath.Join(dir, "infra.json"), []byte(`[{"kind":"esp","name":"Own tracker","domains":["mytracker.test"],"source":"https://intranet.example/tracker"}]`), 0o600)
	os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"infra_file": "infra.json"}`), 0o600)
	out, _, err = triage(t, "", "scan", "--no-store", "--jsonl", "--config", filepath.Join(dir, "config.json"), mail)
	if err != nil || strings.Contains(out, `"rule":"url.links_unrelated"`) {
		t.Errorf("infra_file not applied: %v\n%.400s", err, out)
	}
	os.WriteFile(filepath.Join(dir, "infra.json"), []byte(`[{"kind":"esp","name":"x","domains":["a.test"]}]`), 0o600)
	if _, _, err := triage(t, "", "scan", "--no-store", "--jsonl", "--config", filepath.Join(dir, "config.json"), mail); err == nil || !strings.Contains(err.Error(), "infra_file") {
		t.Errorf("an infra file without sources was accepted: %v", err)
	}
}
