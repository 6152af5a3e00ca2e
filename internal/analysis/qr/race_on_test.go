//go:build race

package qr

import "time"

// timeBound is the time a hostile input may take in the tests: 2 s, or
// five times that under the race detector, which slows decoding by ~10×.
const timeBound = 10 * time.Second
