//go:build race

package urls

// raceOn: the race detector slows the scanners about six times, and the
// differential tests that walk every cut of a document or every corpus
// file run on one goroutine, so it has nothing to find there: under it
// they spread their settings over the inputs (htmlDiffSpread).
const raceOn = true
