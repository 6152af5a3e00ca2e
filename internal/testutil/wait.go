package testutil

import (
	"testing"
	"time"
)

// Within runs f in a goroutine and stops tb when f has not returned after
// d, so that a call blocked on a named pipe or a hung command fails the
// test instead of hanging the test binary. f keeps running after a
// timeout, so it must not touch what the test cleans up.
func Within(tb testing.TB, d time.Duration, f func()) {
	tb.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		tb.Fatalf("still blocked after %v", d)
	}
}
