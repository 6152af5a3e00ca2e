package testutil

import (
	"flag"
	"path/filepath"
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
