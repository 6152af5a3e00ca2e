package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "brands.json"), []byte(`[{"name":"Example Bank","aliases":["Example Bank"],"domains":["examplebank.test"],"category":"bank"}]`), 0o600)
	cfgPath := filepath.Join(dir, "config.json")
	os.WriteFile(cfgPath, []byte(`{
  "labels": ["phish", "fine"],
  "brands_file": "brands.json",
  "rules": {"content.pressure": {"disabled": true}, "url.long": {"points": 1}}
}`), 0o600)
	mail := filepath.Join(dir, "m.eml")
	os.WriteFile(mail, []byte("From: Example Bank <alerts@other.test>\r\nTo: a@example.com\r\nSubject: Example Bank: verify now\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nYour account is suspended within 24 hours.\r\n"), 0o600)

	out, _, err := triage(t, "", "scan", "--no-store", "--jsonl", "--config", cfgPath, mail, seedFixture)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `claims to be Example Bank`) {
		t.Errorf("brand from the user brands file not used:\n%.600s", out)
	}
	if strings.Contains(out, `"rule":"content.pressure"`) {
		t.Errorf("disabled rule fired")
	}
	if !strings.Contains(out, `"rule":"url.long","points":1`) {
		t.Errorf("overridden weight not applied")
	}

	db := filepath.Join(dir, "s.db")
	if _, _, err := triage(t, "", "scan", "-q", "--config", cfgPath, "--db", db, seedFixture); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TRIAGE_CONFIG", cfgPath)
	if _, _, err := triage(t, "", "label", "--db", db, "sha256:", "fine"); err == nil {
		// "sha256:" alone is not a usable reference.
		t.Error("empty reference accepted")
	}
	rec := decodeLines(t, mustScan(t, "--config", cfgPath, "--db", db, "--jsonl", seedFixture))[0]
	id := rec["id"].(string)
	if _, _, err := triage(t, "", "label", "--db", db, id, "fine"); err != nil {
		t.Errorf("configured label rejected: %v", err)
	}
	if _, _, err := triage(t, "", "label", "--db", db, id, "spam"); err == nil {
		t.Error("label outside the configured set accepted")
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"trusted_hostz": []}`), 0o600)
	if _, _, err := triage(t, "", "scan", "--no-store", "--config", bad, mail); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("unknown field: %v", err)
	}
	os.WriteFile(bad, []byte(`{"rules": {"no.such_rule": {"disabled": true}}}`), 0o600)
	if _, _, err := triage(t, "", "scan", "--no-store", "--config", bad, mail); err == nil || !strings.Contains(err.Error(), "no.such_rule") {
		t.Errorf("unknown rule: %v", err)
	}
	if _, _, err := triage(t, "", "scan", "--no-store", "--config", filepath.Join(dir, "missing.json"), mail); err == nil {
		t.Error("missing explicit config accepted")
	}
}

func mustScan(t *testing.T, args ...string) string {
	t.Helper()
	out, _, err := triage(t, "", append([]string{"scan"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
