package testutil

import (
	"path/filepath"
	"testing"
)

// ReadGlob returns the contents of every file matching the patterns
// (filepath.Glob syntax), pattern by pattern in lexical order, or stops tb
// when a pattern is malformed or a file cannot be read. A pattern that
// matches nothing adds nothing: fuzz seeds and optional fixtures use it.
func ReadGlob(tb testing.TB, patterns ...string) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, pat := range patterns {
		files, err := filepath.Glob(pat)
		if err != nil {
			tb.Fatalf("%s: %v", pat, err)
		}
		for _, f := range files {
			out = append(out, ReadFile(tb, f))
		}
	}
	return out
}

// AddSeedFiles adds the contents of every file matching the patterns to
// f's seed corpus, one []byte seed a file (see ReadGlob).
func AddSeedFiles(f *testing.F, patterns ...string) {
	f.Helper()
	for _, b := range ReadGlob(f, patterns...) {
		f.Add(b)
	}
}
