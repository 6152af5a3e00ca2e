package devdata

import (
	"os"
	"path/filepath"
	"strings"
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

func TestEachFileFiltersBySuffix(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.eml", "b.txt", filepath.Join("sub", "c.eml")} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	EachFile(t, dir, ".eml", func(path string, b []byte) {
		rel, _ := filepath.Rel(dir, path)
		if string(b) != rel {
			t.Errorf("%s: contents %q", rel, b)
		}
		got = append(got, filepath.ToSlash(rel))
	})
	if want := "a.eml sub/c.eml"; strings.Join(got, " ") != want {
		t.Fatalf("EachFile visited %q, want %q", got, want)
	}
}
