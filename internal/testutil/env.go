package testutil

import (
	"os"
	"testing"
)

// Getenv returns the environment variable name, or skips tb, saying in one
// line how to run it (`set NAME=value to run`), when it is unset or empty:
// for the tests and benchmarks that run only when asked.
func Getenv(tb testing.TB, name, value string) string {
	tb.Helper()
	v := os.Getenv(name)
	if v == "" {
		tb.Skipf("set %s=%s to run", name, value)
	}
	return v
}
