//go:build !race

package message

const raceOn = false
