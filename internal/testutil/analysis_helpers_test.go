package testutil

import (
	"encoding/base64"
	"flag"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadGlob(t *testing.T) {
	dir := t.TempDir()
	WriteFile(t, filepath.Join(dir, "b.eml"), []byte("b"))
	WriteFile(t, filepath.Join(dir, "a.eml"), []byte("a"))
	WriteFile(t, filepath.Join(dir, "c.txt"), []byte("c"))
	var got []string
	for _, b := range ReadGlob(t, filepath.Join(dir, "*.eml"), filepath.Join(dir, "none*"), filepath.Join(dir, "c.txt")) {
		got = append(got, string(b))
	}
	if len(got) != 3 || got[0] != "a" || got[1] != "b" || got[2] != "c" {
		t.Errorf("ReadGlob = %q, want [a b c]", got)
	}
	r := &recorder{TB: t}
	if ReadGlob(r, "[") != nil || !r.failed {
		t.Errorf("ReadGlob of a malformed pattern: failed=%v, want a Fatal", r.failed)
	}
	r = &recorder{TB: t}
	WriteFile(t, filepath.Join(dir, "d.eml", "x"), nil) // d.eml is a folder: it matches but cannot be read
	ReadGlob(r, filepath.Join(dir, "d.eml"))
	if !r.failed {
		t.Error("ReadGlob of an unreadable match did not fail")
	}
}

// FuzzAddSeedFiles checks that the matching files, and only they, are the
// seeds (without -fuzz, the seeds are all the fuzz function is given).
func FuzzAddSeedFiles(f *testing.F) {
	dir := f.TempDir()
	WriteFile(f, filepath.Join(dir, "a.eml"), []byte("a"))
	WriteFile(f, filepath.Join(dir, "b.eml"), []byte("b"))
	WriteFile(f, filepath.Join(dir, "c.txt"), []byte("c"))
	AddSeedFiles(f, filepath.Join(dir, "*.eml"))
	seen := map[string]bool{}
	f.Cleanup(func() {
		if fz := flag.Lookup("test.fuzz"); (fz == nil || fz.Value.String() == "") && (len(seen) != 2 || !seen["a"] || !seen["b"]) {
			f.Errorf("seeds %v, want a and b", seen)
		}
	})
	f.Fuzz(func(t *testing.T, b []byte) {
		seen[string(b)] = true
	})
}

func TestBase64Lines(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "\r\n"},
		{3, "AAAA\r\n"},
		{57, strings.Repeat("A", 76) + "\r\n"},
		{58, strings.Repeat("A", 76) + "\r\nAA==\r\n"},
		{60, strings.Repeat("A", 76) + "\r\nAAAA\r\n"},
	} {
		if got := Base64Lines(make([]byte, tc.n)); got != tc.want {
			t.Errorf("Base64Lines(%d zero bytes) = %q, want %q", tc.n, got, tc.want)
		}
	}
	b := []byte(strings.Repeat("Grüße, 世界! ", 40))
	var joined strings.Builder
	for _, line := range strings.SplitAfter(Base64Lines(b), "\r\n") {
		if len(line) > 78 || (line != "" && !strings.HasSuffix(line, "\r\n")) {
			t.Fatalf("line %q: over 76 characters or not ended by CRLF", line)
		}
		joined.WriteString(strings.TrimSuffix(line, "\r\n"))
	}
	if got, err := base64.StdEncoding.DecodeString(joined.String()); err != nil || string(got) != string(b) {
		t.Errorf("Base64Lines does not decode back: %v", err)
	}
}
