package filter

import (
	"errors"
	"testing"

	"github.com/triage-tools/triage/store"
)

// TestReportedTerm: reported OP N compares the row's number of reports.
func TestReportedTerm(t *testing.T) {
	rows := []store.Row{{ID: "a"}, {ID: "b", Reported: 1}, {ID: "c", Reported: 50}}
	for q, want := range map[string]string{
		"reported>=2": "c", "reported:1": "bc", "reported=0": "a", "reported<50": "ab", "-reported>1": "ab",
		"reported>=2 OR reported=0": "ac",
	} {
		f, err := Parse(q, nil, nil)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		got := ""
		for i := range rows {
			if f.Match(&rows[i], "", &Bloom{}, "") {
				got += rows[i].ID
			}
		}
		if got != want {
			t.Errorf("%q matched %q, want %q", q, got, want)
		}
	}
	for _, q := range []string{"reported>=x", "reported>=-1", "reported:"} {
		if _, err := Parse(q, nil, nil); !errors.Is(err, ErrFilter) {
			t.Errorf("%q: %v", q, err)
		}
	}
}
