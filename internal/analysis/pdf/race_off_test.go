//go:build !race

package pdf

import "time"

// timeBound is the time a hostile input may take in the tests (see
// race_on_test.go).
const timeBound = 2 * time.Second
