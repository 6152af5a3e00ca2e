package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIOCsCommand(t *testing.T) {
	dir := t.TempDir()
	db, _ := seedStore(t, dir)

	out, _, err := triage(t, "", "iocs", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "type,value,first_seen,last_seen,messages,labels,campaigns\n") ||
		!strings.Contains(out, "\nip-src,121.50.46.57,2026-") || !strings.Contains(out, ",1,phish,\n") {
		t.Errorf("csv:\n%s", out)
	}
	out, _, err = triage(t, "", "iocs", "--db", db, "--defang")
	if err != nil || !strings.Contains(out, "hxxp://34-227-30-224[.]cprapid[.]com/") || strings.Contains(out, "http://") {
		t.Errorf("defanged csv (%v):\n%s", err, out)
	}
	// Another label selects nothing: only the header.
	out, _, err = triage(t, "", "iocs", "--db", db, "--label", "spam")
	if err != nil || strings.Count(out, "\n") != 1 {
		t.Errorf("--label spam (%v):\n%s", err, out)
	}
	for _, format := range []string{"stix", "misp"} {
		p := filepath.Join(dir, "out."+format)
		_, errOut, err := triage(t, "", "iocs", "--db", db, "--format", format, "-o", p)
		if err != nil || !strings.Contains(errOut, "from 1 message to") {
			t.Fatalf("%s: %v %s", format, err, errOut)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil || !strings.Contains(string(b), "121.50.46.57") {
			t.Errorf("%s: %v\n%s", format, err, b)
		}
	}
	for _, args := range [][]string{
		{"--format", "xml"}, {"--campaign", "c:1"}, {"--format", "stix", "--defang"},
	} {
		_, _, err := triage(t, "", append([]string{"iocs", "--db", db}, args...)...)
		if exitCode(err) != 2 {
			t.Errorf("iocs %q: %v, want exit 2", args, err)
		}
	}
}
