package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

func TestIOCsCommand(t *testing.T) {
	dir := t.TempDir()
	db, _ := seedStore(t, dir)

	out, _, err := triage(t, "", "iocs", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "type,value,first_seen,last_seen,messages,labels,campaigns\n") ||
		!strings.Contains(out, "\nip-src,121.50.46.57,2026-") || !strings.Contains(out, ",1,phish,c:") {
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
		b := testutil.ReadFile(t, p)
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil || !strings.Contains(string(b), "121.50.46.57") {
			t.Errorf("%s: %v\n%s", format, err, b)
		}
	}
	for _, args := range [][]string{
		{"--format", "xml"}, {"--campaign", "1234"}, {"--format", "stix", "--defang"},
	} {
		_, _, err := triage(t, "", append([]string{"iocs", "--db", db}, args...)...)
		if exitCode(err) != 2 {
			t.Errorf("iocs %q: %v, want exit 2", args, err)
		}
	}
}

// TestIOCsCampaign: --campaign takes every member of the campaign (labeled
// or not, without --label), and the campaigns column names it; a campaign
// that matches no message is exit 1.
func TestIOCsCampaign(t *testing.T) {
	db, id := waveCampaign(t)
	out, _, err := triage(t, "", "iocs", "--db", db, "--campaign", id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "\ndomain,parcel-fee.example,2026-01-05T10:01:00Z,2026-01-05T10:03:00Z,3,,"+id+"\n") ||
		strings.Contains(out, "corp.example,") {
		t.Errorf("iocs --campaign %s:\n%s", id, out)
	}
	// With --label, only the members with that label: none here.
	out, _, err = triage(t, "", "iocs", "--db", db, "--campaign", id[:6], "--label", "phish")
	if exitCode(err) != 1 || out != "" {
		t.Errorf("--label phish on an unlabeled campaign: %v\n%s", err, out)
	}
}
