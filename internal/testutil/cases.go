package testutil

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"
)

// Cases calls f on each key of cases, in sorted order, and reports as an
// error of tb every result that differs from the key's value, written
// `name(in) = got, want want` (strings quoted, structs with their field
// names) so that a failure names its case. It is the loop of a table test
// whose cases are one input and one comparable result.
func Cases[In cmp.Ordered, Out comparable](tb testing.TB, name string, f func(In) Out, cases map[In]Out) {
	tb.Helper()
	for _, in := range slices.Sorted(maps.Keys(cases)) {
		if got, want := f(in), cases[in]; got != want {
			tb.Errorf("%s(%s) = %s, want %s", name, show(in), show(got), show(want))
		}
	}
}

// Lists is Cases for a function whose result is a list: got and want are
// compared with slices.Equal (nil and empty alike).
func Lists[In cmp.Ordered, E comparable](tb testing.TB, name string, f func(In) []E, cases map[In][]E) {
	tb.Helper()
	for _, in := range slices.Sorted(maps.Keys(cases)) {
		if got, want := f(in), cases[in]; !slices.Equal(got, want) {
			tb.Errorf("%s(%s) = %s, want %s", name, show(in), show(got), show(want))
		}
	}
}

// show writes v as a failure message shows it: a string quoted, a list of
// strings as a list of quoted strings, anything else as fmt's %+v.
func show(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case []string:
		return fmt.Sprintf("%q", v)
	}
	return fmt.Sprintf("%+v", v)
}

// Found adapts f, which reports whether it found something, for Cases:
// what f found, or none when it found nothing.
func Found[In, Out any](f func(In) (Out, bool), none Out) func(In) Out {
	return func(in In) Out {
		if out, ok := f(in); ok {
			return out
		}
		return none
	}
}

// FoundText adapts f like Found, with what f found as text and "" when it
// found nothing (an address, for instance).
func FoundText[In any, Out fmt.Stringer](f func(In) (Out, bool)) func(In) string {
	return func(in In) string {
		if out, ok := f(in); ok {
			return out.String()
		}
		return ""
	}
}
