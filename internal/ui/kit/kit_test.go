package kit

import (
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// DefangText defangs URLs and the given hosts in running text, and is
// idempotent.
func TestDefangText(t *testing.T) {
	hosts := []string{"evil.example", "kagoya.jp"}
	cases := map[string]string{
		"":                                    "",
		"no links here.":                      "no links here.",
		"go to http://evil.example/login now": "go to hxxp://evil[.]example/login now",
		"HTTPS://A.B/x<br>":                   "hxxps://A[.]B/x<br>",
		"see www.evil.example.":               "see www[.]evil[.]example.",
		"mail from kagoya.jp, not secure.kagoya.jp": "mail from kagoya[.]jp, not secure[.]kagoya[.]jp",
		"notkagoya.jp stays":                        "notkagoya.jp stays",
		"already hxxp://evil[.]example/":            "already hxxp://evil[.]example/",
		"user@kagoya.jp":                            "user@kagoya[.]jp",
	}
	defang := func(s string) string { return DefangText(s, hosts) }
	testutil.Cases(t, "DefangText", defang, cases)
	// idempotent: defanging defanged text changes nothing
	twice := func(s string) string { return defang(defang(s)) }
	testutil.Cases(t, "DefangText∘DefangText", twice, cases)
}

// LabelKeys gives default labels their keys and other labels free,
// distinct letters outside the reserved ones.
func TestLabelKeys(t *testing.T) {
	got := LabelKeys(store.DefaultLabels())
	want := []string{"p", "m", "s", "b", "i", "c", "x"}
	if !slices.Equal(got, want) {
		t.Errorf("LabelKeys(default) = %v, want %v", got, want)
	}
	got = LabelKeys([]string{"phish", "pharming", "graymail", "qq"})
	for i, k := range got {
		if k == "" || strings.Contains(ReservedKeys, k) || slices.Index(got, k) != i {
			t.Errorf("bad key %q for label %d in %v", k, i, got)
		}
	}
}
