package gcpercent

import (
	"runtime/debug"
	"testing"
)

// current returns GOGC as it is.
func current() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestHold: overlapping holds apply the lowest percentage, released in
// any order (the heap bound stepping aside while rows are delivered at a
// lower one keeps the lower one), the value from before comes back when
// the last is released, a second release does nothing, and GOGC in the
// environment wins.
func TestHold(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	bound := Hold(400)
	if p := current(); p != 400 {
		t.Fatalf("one hold of 400: GOGC %d", p)
	}
	rows := Hold(200)
	if p := current(); p != 200 {
		t.Fatalf("400 and 200 held: GOGC %d, want the lower", p)
	}
	bound()
	bound()
	if p := current(); p != 200 {
		t.Fatalf("the 400 released while 200 is held: GOGC %d", p)
	}
	again := Hold(400) // the bound holds again, during the delivery
	if p := current(); p != 200 {
		t.Fatalf("400 held again over 200: GOGC %d", p)
	}
	rows()
	if p := current(); p != 400 {
		t.Fatalf("200 released, 400 held: GOGC %d", p)
	}
	again()
	if p := current(); p != 100 {
		t.Fatalf("all released: GOGC %d, want 100 back", p)
	}
	t.Setenv("GOGC", "50")
	r := Hold(400)
	if p := current(); p != 100 {
		t.Errorf("GOGC set by the user: became %d", p)
	}
	r()
	if p := current(); p != 100 {
		t.Errorf("GOGC set by the user: %d after release", p)
	}
}
