package testutil

import (
	"net/netip"
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

func TestFound(t *testing.T) {
	r := &errRecorder{TB: t}
	Cases(r, "CutPrefix", Found(func(s string) (string, bool) { return strings.CutPrefix(s, "x") }, "(none)"),
		map[string]string{"xa": "a", "x": "", "a": "(none)", "b": "b"})
	if want := []string{`CutPrefix("b") = "(none)", want "b"`}; !slices.Equal(r.errs, want) {
		t.Errorf("Cases reported %q, want %q", r.errs, want)
	}
	r = &errRecorder{TB: t}
	parse := func(s string) (netip.Addr, bool) { a, err := netip.ParseAddr(s); return a, err == nil }
	Cases(r, "ParseAddr", FoundText(parse), map[string]string{"::ffff:1.2.3.4": "::ffff:1.2.3.4", "1.2.3": "", "1.2.3.4": "1.2.3.5"})
	if want := []string{`ParseAddr("1.2.3.4") = "1.2.3.4", want "1.2.3.5"`}; !slices.Equal(r.errs, want) {
		t.Errorf("Cases reported %q, want %q", r.errs, want)
	}
}

func TestLists(t *testing.T) {
	r := &errRecorder{TB: t}
	Lists(r, "Fields", strings.Fields, map[string][]string{"": nil, " ": {}, "a b": {"a", "b"}, "c": {"c", "d"}})
	if want := []string{`Fields("c") = ["c"], want ["c" "d"]`}; !slices.Equal(r.errs, want) {
		t.Errorf("Lists reported %q, want %q", r.errs, want)
	}
	r = &errRecorder{TB: t}
	Lists(r, "lens", func(s string) []int { return []int{len(s)} }, map[string][]int{"ab": {2}, "abc": {4}})
	if want := []string{`lens("abc") = [3], want [4]`}; !slices.Equal(r.errs, want) {
		t.Errorf("Lists reported %q, want %q", r.errs, want)
	}
}
