package kittest

import "testing"

func TestSquash(t *testing.T) {
	if got := Squash("\x1b[1mhxxp://a[.]\x1b[0m\n  example/ x\ty"); got != "hxxp://a[.]example/xy" {
		t.Errorf("Squash = %q", got)
	}
}
