//go:build !race

package urls

const raceOn = false
