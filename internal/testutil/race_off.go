//go:build !race

package testutil

import "time"

// Race is set when the tests run under the race detector (race_on.go).
const Race = false

// TimeBound is the time a hostile input may take in a test (race_on.go).
const TimeBound = 2 * time.Second
