package devdata

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDirFindsShared(t *testing.T) {
	p := Dir(t, "corpus")
	if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
		t.Fatalf("Dir(corpus) = %q: not a folder (%v)", p, err)
	}
	if filepath.Base(filepath.Dir(p)) != "shared" {
		t.Fatalf("Dir(corpus) = %q, want …/shared/corpus", p)
	}
}

func TestDirSkipsAbsent(t *testing.T) {
	ok := t.Run("absent", func(t *testing.T) {
		Dir(t, "no-such-folder-here")
		t.Fatal("Dir returned for an absent path")
	})
	if !ok {
		t.Fatal("subtest failed instead of skipping")
	}
}
