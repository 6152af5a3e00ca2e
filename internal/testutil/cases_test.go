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

func TestCasesStruct(t *testing.T) {
	type pair struct{ a, b string }
	r := &errRecorder{TB: t}
	Cases(r, "split", func(s string) pair { a, b, _ := strings.Cut(s, "="); return pair{a, b} },
		map[string]pair{"k=v": {"k", "v"}, "x": {"x", "y"}})
	if want := []string{`split("x") = {a:x b:}, want {a:x b:y}`}; !slices.Equal(r.errs, want) {
		t.Errorf("Cases reported %q, want %q", r.errs, want)
	}
}
