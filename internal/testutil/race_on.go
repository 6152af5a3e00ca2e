//go:build race

package testutil

import "time"

// Race is set when the tests run under the race detector. It slows code
// five to ten times and makes sync.Pool drop items at random, so tests
// that count allocations, bound a time, or walk large inputs on one
// goroutine (where it has nothing to find) adjust to it.
const Race = true

// TimeBound is the time a hostile input may take in a test: 2 s, or five
// times that under the race detector, which slows decoding about ten
// times.
const TimeBound = 10 * time.Second
