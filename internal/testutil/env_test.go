package testutil

import "testing"

func TestGetenv(t *testing.T) {
	t.Setenv("TESTUTIL_GETENV", "x")
	if got := Getenv(t, "TESTUTIL_GETENV", "X"); got != "x" {
		t.Errorf("Getenv = %q, want x", got)
	}
	t.Run("unset", func(t *testing.T) {
		t.Setenv("TESTUTIL_GETENV", "")
		Getenv(t, "TESTUTIL_GETENV", "X")
		t.Error("Getenv of an empty variable did not skip")
	})
}
