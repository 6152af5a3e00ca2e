//go:build !unix

package testutil

import "testing"

// Mkfifo skips tb: named pipes need a unix system.
func Mkfifo(tb testing.TB, path string) {
	tb.Helper()
	tb.Skip("mkfifo: no named pipes on this system")
}
