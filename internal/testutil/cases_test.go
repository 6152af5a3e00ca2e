package testutil

import (
	"slices"
	"strings"
	"testing"
)

func TestCases(t *testing.T) {
	r := &errRecorder{TB: t}
	Cases(r, "upper", strings.ToUpper, map[string]string{"b": "B", "a": "x", "c": "y", "": ""})
	want := []string{`upper("a") = "A", want "x"`, `upper("c") = "C", want "y"`}
	if !slices.Equal(r.errs, want) {
		t.Errorf("Cases reported %q, want %q", r.errs, want)
	}
	r = &errRecorder{TB: t}
	Cases(r, "even", func(n int) bool { return n%2 == 0 }, map[int]bool{2: true, 3: true})
	if want := []string{"even(3) = false, want true"}; !slices.Equal(r.errs, want) {
		t.Errorf("Cases reported %q, want %q", r.errs, want)
	}
}
