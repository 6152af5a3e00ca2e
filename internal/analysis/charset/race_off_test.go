//go:build !race

package charset

const raceOn = false
