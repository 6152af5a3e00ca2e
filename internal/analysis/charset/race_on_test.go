//go:build race

package charset

// raceOn: sync.Pool drops items at random under the race detector, so
// allocation counts are not meaningful there.
const raceOn = true
