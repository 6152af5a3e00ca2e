package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/store"
)

// TestShowIDForms: show accepts sha256: in any case and a 6-digit prefix,
// and each wrong reference gets an error that says what is wrong.
func TestShowIDForms(t *testing.T) {
	db, id := seededDB(t)
	hexID := strings.TrimPrefix(id, "sha256:")
	for _, ref := range []string{id, "SHA256:" + strings.ToUpper(hexID), "Sha256:" + hexID[:6], hexID[:6], strings.ToUpper(hexID[:7])} {
		out, errOut, err := triage(t, "", "show", "--db", db, ref)
		if err != nil || !strings.Contains(out, hexID) {
			t.Errorf("show %s: %v %s", ref, err, errOut)
		}
	}
	for _, tc := range []struct {
		ref, want string
		code      int
	}{
		{"sha256:" + hexID[:5], "too short: give at least 6 hex digits", 2},
		{hexID[:5], "too short for an ID: give at least 6 hex digits", 2},
		{"sha256:" + hexID[:10] + "zz", `only hex digits may follow, 'z' is not one`, 2},
		{"sha256:" + hexID + "00", "too long", 2},
		{"sha256:", "no hex digits", 2},
		{"sha256:ffffff0000", "no stored message has an ID starting with ffffff0000 in " + db, 1},
		{"ffffff0000", "no stored message has an ID starting with ffffff0000, nor that Message-ID", 1},
		{"9f3c2g11", `is not an ID (IDs are hex digits, 'g' is not one)`, 1},
		{"<nobody@example.com>", `no stored message has Message-ID "<nobody@example.com>"`, 1},
	} {
		_, _, err := triage(t, "", "show", "--db", db, tc.ref)
		if err == nil || !strings.Contains(err.Error(), tc.want) || exitCode(err) != tc.code {
			t.Errorf("show %q: %v (exit %d); want %q, exit %d", tc.ref, err, exitCode(err), tc.want, tc.code)
		}
		if err != nil && strings.Contains(err.Error(), "scan the mailbox first") {
			t.Errorf("show %q: misleading %v", tc.ref, err)
		}
	}
}

// TestShowAmbiguousPrefix: a prefix shared by several messages says how
// many match and shows some.
func TestShowAmbiguousPrefix(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var entries []store.Entry
	for _, tail := range []string{"1", "2", "3"} {
		entries = append(entries, store.Entry{Report: &analysis.Report{ID: "sha256:abcdef" + strings.Repeat(tail, 58), AnalyzerVersion: "1"}})
	}
	if err := st.PutBatch(entries); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, _, err = triage(t, "", "label", "--db", db, "ABCDEF", "phish")
	if err == nil || !strings.Contains(err.Error(), `"ABCDEF" is ambiguous: 3 stored messages match (abcdef111111, abcdef222222, abcdef333333)`) {
		t.Errorf("ambiguous prefix: %v", err)
	}
	if _, _, err := triage(t, "", "label", "--db", db, "abcdef2", "phish"); err != nil {
		t.Errorf("7-digit unique prefix: %v", err)
	}
}
