package testutil

import (
	"strings"
	"testing"
)

// TextHas reports, as an error of tb, each of wants that text does not
// contain, naming the text what ("summary lacks …") and showing it.
func TextHas(tb testing.TB, what, text string, wants ...string) {
	tb.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			tb.Errorf("%s lacks %q:\n%s", what, want, text)
		}
	}
}
