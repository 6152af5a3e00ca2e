package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/internal/eval"
	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/internal/testutil"
)

// learnMail is a synthetic message: the phish ones link to quota-check.example,
// the ham ones are list mail.
func learnMail(i int, phish bool) string {
	if phish {
		return fmt.Sprintf("From: Support <support%d@mailer%d.example>\r\nTo: user@corp.example\r\nSubject: Account notice %d\r\n"+
			"Date: Mon, 2 Mar 2026 10:00:00 +0000\r\nMessage-ID: <p%d@mailer.example>\r\nContent-Type: text/plain\r\n\r\n"+
			"Dear customer, please review your mailbox quota at http://login%d.quota-check.example/portal/verify.php today.\r\n", i, i, i, i, i)
	}
	return fmt.Sprintf("From: Dev %d <dev%d@lists.example.org>\r\nTo: dev@lists.example.org\r\nSubject: Build report %d\r\n"+
		"Date: Mon, 2 Mar 2026 10:00:00 +0000\r\nMessage-ID: <h%d@lists.example.org>\r\nContent-Type: text/plain\r\n\r\n"+
		"The nightly build finished; the release branch merges on Thursday after the review.\r\n", i, i, i, i)
}

// learnStore scans n phish and n ham messages into a fresh store and
// labels them; it returns the db path and the folder of a further phish.
func learnStore(t *testing.T, n int) (db, fresh string) { return learnStoreAs(t, n, "phish") }

// learnStoreAs is learnStore with the phish labeled bad.
func learnStoreAs(t *testing.T, n int, bad string) (db, fresh string) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "t.db")
	mails := filepath.Join(dir, "mail")
	fresh = filepath.Join(dir, "fresh")
	for _, d := range []string{mails, fresh} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path, s string) {
		testutil.WriteFile(t, path, []byte(s))
	}
	for i := range n {
		write(filepath.Join(mails, fmt.Sprintf("p%d.eml", i)), learnMail(i, true))
		write(filepath.Join(mails, fmt.Sprintf("h%d.eml", i)), learnMail(i, false))
	}
	write(filepath.Join(fresh, "x.eml"), learnMail(999, true))
	out, _, err := triage(t, "", "scan", "--db", db, "-q", "--jsonl", mails)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range decodeLines(t, out) {
		subj, _ := r["subject"].(string)
		l := "benign"
		if strings.HasPrefix(subj, "Account") {
			l = bad
		}
		if _, _, err := triage(t, "", "label", "--db", db, r["id"].(string), l); err != nil {
			t.Fatal(err)
		}
	}
	return db, fresh
}

// TestScanAndShowModel: below the minimum the model says so and combined
// is the rules' score; with enough labels a new message gets learned
// points explained by the link domain, in scan --jsonl and show --json.
func TestScanAndShowModel(t *testing.T) {
	db, fresh := learnStore(t, learn.MinPerClass-1)
	out, _, err := triage(t, "", "scan", "--db", db, "-q", "--jsonl", fresh)
	if err != nil {
		t.Fatal(err)
	}
	r := decodeLines(t, out)[0]
	m := r["model"].(map[string]any)
	if m["trained"] != false || !strings.Contains(m["note"].(string), "not yet trained") || r["combined"] != r["score"] {
		t.Fatalf("untrained: model %v, combined %v, score %v", m, r["combined"], r["score"])
	}

	db, fresh = learnStore(t, learn.MinPerClass)
	out, _, err = triage(t, "", "scan", "--db", db, "-q", "--jsonl", fresh)
	if err != nil {
		t.Fatal(err)
	}
	r = decodeLines(t, out)[0]
	m = r["model"].(map[string]any)
	if m["trained"] != true || m["probability"].(float64) < 0.9 || r["combined"].(float64) <= r["score"].(float64) {
		t.Fatalf("trained: model %v, combined %v, score %v", m, r["combined"], r["score"])
	}
	if !strings.Contains(fmt.Sprint(m["evidence"]), "link domain quota-check.example") {
		t.Errorf("evidence does not name the link domain: %v", m["evidence"])
	}
	sm := showJSON(t, db, r["id"].(string))
	if sm.Model == nil || !sm.Model.Trained || sm.Combined == nil || *sm.Combined != int(r["combined"].(float64)) {
		t.Fatalf("show --json: model %+v combined %v", sm.Model, sm.Combined)
	}
	if !strings.Contains(sm.Model.Line(), "link domain quota-check.example (seen in 20 bad, 0 good)") {
		t.Errorf("show evidence: %s", sm.Model.Line())
	}
}

// TestScanCachedEvidenceNamed: a message already in the store (its report
// and features cached, the features without names) shows the same named
// evidence in scan --jsonl as when it was analysed, not "feature #N".
func TestScanCachedEvidenceNamed(t *testing.T) {
	db, fresh := learnStore(t, learn.MinPerClass)
	var ev [2]string
	for i := range ev {
		out, stderr, err := triage(t, "", "scan", "--db", db, "--jsonl", filepath.Join(fresh, "x.eml"))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"1 analysed", "1 unchanged from the store"}[i]; !strings.Contains(stderr, want) {
			t.Fatalf("scan %d: %q lacks %q", i, stderr, want)
		}
		ev[i] = fmt.Sprint(decodeLines(t, out)[0]["model"].(map[string]any)["evidence"])
	}
	if ev[1] != ev[0] || strings.Contains(ev[1], "feature #") || !strings.Contains(ev[1], "link domain quota-check.example") {
		t.Errorf("cached evidence %s\nfirst scan %s", ev[1], ev[0])
	}
}

// TestLearningCurve is issue 17's acceptance run on the development
// corpus: `triage eval --learning-curve`, with its targets asserted
// (combined at least as good as rules at N ≥ 100; at N = 1000 combined
// AUC ≥ 0.995 and TPR ≥ 0.95 and at most 3% of the held-out ham_modern
// flagged; at the rules' threshold, combined flags no more ham_modern
// messages than the rules). It takes about 20 s of analysis, so it
// runs only with TRIAGE_LEARNING_CURVE=1.
func TestLearningCurve(t *testing.T) {
	testutil.Getenv(t, "TRIAGE_LEARNING_CURVE", "1") // runs the learning curve on ../shared/corpus
	c := devdata.Dir(t, "corpus")
	p := func(s string) string { return filepath.Join(c, s) }
	out, _, err := triage(t, "", "eval", "--learning-curve", "--json", "--phish", p("phishing_pot"), p("phishing_nazario"), p("phishing_jp"),
		"--labels", p("phishing_jp/labels.csv"), "--ham", p("ham"), p("ham_modern"))
	if err != nil {
		t.Fatal(err)
	}
	var pts []eval.CurvePoint
	if err := json.Unmarshal([]byte(out), &pts); err != nil {
		t.Fatal(err)
	}
	for _, pt := range pts {
		t.Logf("N=%4d rules %.4f/%.4f model %.4f/%.4f combined %.4f/%.4f ham_modern flagged %.1f%% of %d", pt.N,
			pt.Rules.AUC, pt.Rules.TPR, pt.Model.AUC, pt.Model.TPR, pt.Combined.AUC, pt.Combined.TPR, 100*pt.ModernFlagged, pt.ModernN)
		t.Logf("  at the rules' threshold %.1f: rules %+v, combined %+v", pt.Threshold, pt.RulesAt, pt.CombinedAt)
		if pt.N >= 100 && (pt.Combined.AUC < pt.Rules.AUC || pt.Combined.TPR < pt.Rules.TPR) {
			t.Errorf("N=%d: combined below rules", pt.N)
		}
		// At the rules' fixed threshold, the model flags no ham_modern
		// message the rules do not, and flags more phishing and less old
		// ham than the rules.
		if r, c := pt.RulesAt, pt.CombinedAt; c.ModernCount > r.ModernCount || (pt.N >= 100 && (c.TPR < r.TPR || c.OldHamFPR > r.OldHamFPR)) {
			t.Errorf("N=%d at the rules' threshold: rules %+v, combined %+v", pt.N, r, c)
		}
		if pt.N == 1000 && (pt.Combined.AUC < 0.995 || pt.Combined.TPR < 0.95 || pt.ModernFlagged > 0.03) {
			t.Errorf("N=1000: combined AUC %.4f, TPR %.4f, ham_modern flagged %.1f%%", pt.Combined.AUC, pt.Combined.TPR, 100*pt.ModernFlagged)
		}
	}
	if len(pts) != len(eval.CurveSizes) {
		t.Errorf("%d points, want %d", len(pts), len(eval.CurveSizes))
	}
}

// TestEvalCrossValidatesModel: eval prints rules, model and combined under
// k-fold cross-validation, and the model separates the synthetic mail.
func TestEvalCrossValidatesModel(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []string{"phish", "ham"} {
		if err := os.Mkdir(filepath.Join(dir, c), 0o700); err != nil {
			t.Fatal(err)
		}
		for i := range 30 {
			testutil.WriteFile(t, filepath.Join(dir, c, fmt.Sprintf("%d.eml", i)), []byte(learnMail(i, c == "phish")))
		}
	}
	out, _, err := triage(t, "", "eval", "--json", "--phish", filepath.Join(dir, "phish"), "--ham", filepath.Join(dir, "ham"))
	if err != nil {
		t.Fatal(err)
	}
	var res eval.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	l := res.Learned
	if l == nil || l.Folds != 5 || l.Trained != 5 || l.Model.AUC != 1 || l.Combined.AUC < l.Rules.AUC {
		t.Fatalf("learned = %+v", l)
	}
	out, _, err = triage(t, "", "eval", "--phish", filepath.Join(dir, "phish"), "--ham", filepath.Join(dir, "ham"))
	if err != nil || !strings.Contains(out, "learned model, 5-fold cross-validation (5 of 5 folds trained)") {
		t.Fatalf("text output: %v\n%s", err, out)
	}
	out, _, err = triage(t, "", "eval", "--folds", "0", "--json", "--phish", filepath.Join(dir, "phish"), "--ham", filepath.Join(dir, "ham"))
	if err != nil || strings.Contains(out, `"learned"`) {
		t.Fatalf("--folds 0 still has the model: %v", err)
	}
}

// TestConfigLearnClasses: the configuration file decides which labels
// teach the model; a label outside the label set is refused.
func TestConfigLearnClasses(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.json")
	write := func(s string) {
		testutil.WriteFile(t, cfg, []byte(s))
	}
	t.Setenv("TRIAGE_CONFIG", cfg)
	write(`{"learn": {"bad": ["spam", "phish"], "good": ["benign"]}}`)
	db, fresh := learnStoreAs(t, learn.MinPerClass, "spam")
	out, _, err := triage(t, "", "scan", "--db", db, "-q", "--jsonl", fresh)
	if err != nil {
		t.Fatal(err)
	}
	if m := decodeLines(t, out)[0]["model"].(map[string]any); m["trained"] != true {
		t.Fatalf("spam configured as bad does not teach: %v", m)
	}
	write(`{}`) // back to the default: spam teaches nothing, the model is rebuilt
	out, _, err = triage(t, "", "scan", "--db", db, "-q", "--jsonl", fresh)
	if err != nil {
		t.Fatal(err)
	}
	if m := decodeLines(t, out)[0]["model"].(map[string]any); m["trained"] != false {
		t.Fatalf("default classes still learn from spam: %v", m)
	}
	write(`{"learn": {"bad": ["nope"]}}`)
	if _, _, err := triage(t, "", "scan", "--db", db, "-q", fresh); err == nil || !strings.Contains(err.Error(), `"nope" is not a label`) {
		t.Fatalf("bad config: %v", err)
	}
}
