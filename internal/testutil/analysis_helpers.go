package testutil

import (
	"encoding/base64"
	"path/filepath"
	"strings"
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

// Base64Lines returns b in base64 as a MIME body carries it: lines of 76
// characters, each ended by CRLF (the last one too).
func Base64Lines(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	out.WriteString(s + "\r\n")
	return out.String()
}
