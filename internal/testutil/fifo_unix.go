//go:build unix

package testutil

import (
	"syscall"
	"testing"
)

// Mkfifo makes a named pipe at path, or skips tb with one line where the
// file system cannot hold one.
func Mkfifo(tb testing.TB, path string) {
	tb.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		tb.Skipf("mkfifo: %v", err)
	}
}
