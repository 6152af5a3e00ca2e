package jsonlist

import (
	"errors"
	"io"
	"strings"
	"testing"
)

var errBad = errors.New("bad file")

type item struct{ Name string }

func TestDecode(t *testing.T) {
	lim := Limits{Bytes: 64, Items: 2}
	for _, tc := range []struct {
		in     string
		strict bool
		n      int
		err    string
	}{
		{in: `[{"Name":"a"},{"Name":"b"}]`, n: 2},
		{in: `[{"Name":"a","Extra":1}]`, n: 1},
		{in: `[{"Name":"a","Extra":1}]`, strict: true, err: `unknown field "Extra"`},
		{in: `[{"Name":"a"},{"Name":"b"},{"Name":"c"}]`, err: "more than 2 things"},
		{in: `[{"Name":"` + strings.Repeat("x", 100) + `"}]`, err: "unexpected EOF"},
		{in: `{}`, err: "cannot unmarshal"},
	} {
		lim.Strict = tc.strict
		got, err := Decode[item](strings.NewReader(tc.in), lim, "things", errBad)
		if tc.err == "" {
			if err != nil || len(got) != tc.n {
				t.Errorf("Decode(%s) = %d items, %v; want %d", tc.in, len(got), err, tc.n)
			}
			continue
		}
		if !errors.Is(err, errBad) || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Decode(%.40s, strict %v) error %v; want %q wrapping errBad", tc.in, tc.strict, err, tc.err)
		}
	}
}

func TestEmbeddedOnceAndPanic(t *testing.T) {
	calls := 0
	load := func(r io.Reader) (*string, error) {
		calls++
		b, err := io.ReadAll(r)
		s := string(b)
		if s == "bad" {
			return nil, errors.New("invalid")
		}
		return &s, err
	}
	get := Embedded("x: ", []byte("ok"), load)
	if a, b := get(), get(); a != b || *a != "ok" || calls != 1 {
		t.Fatalf("Embedded: %q %q after %d loads; want one shared value", *a, *b, calls)
	}
	defer func() {
		if r := recover(); r != "y: invalid" {
			t.Fatalf("panic %v; want \"y: invalid\"", r)
		}
	}()
	Embedded("y: ", []byte("bad"), load)()
}
