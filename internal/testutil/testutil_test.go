package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records a Fatal instead of stopping.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatal(args ...any) {
	r.failed = true
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = true
	r.msg = format
}

func TestReadFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("abc"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := string(ReadFile(t, p)); got != "abc" {
		t.Errorf("ReadFile = %q, want abc", got)
	}
	r := &recorder{TB: t}
	if ReadFile(r, filepath.Join(t.TempDir(), "absent")) != nil || !r.failed {
		t.Errorf("ReadFile of an absent file: failed=%v, want a Fatal", r.failed)
	}
}

func TestLoadJSON(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.json"), filepath.Join(dir, "bad.json")
	if err := os.WriteFile(good, []byte(`{"n":3}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{"n":`), 0o600); err != nil {
		t.Fatal(err)
	}
	var v struct{ N int }
	LoadJSON(t, good, &v)
	if v.N != 3 {
		t.Errorf("LoadJSON: N = %d, want 3", v.N)
	}
	r := &recorder{TB: t}
	LoadJSON(r, bad, &v)
	if !r.failed {
		t.Error("LoadJSON of broken JSON did not fail")
	}
}

func TestWriteFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a", "b", "f")
	WriteFile(t, p, []byte("xyz"))
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(ReadFile(t, p)); got != "xyz" || fi.Mode().Perm() != 0o600 {
		t.Errorf("WriteFile wrote %q with mode %v, want xyz with 0600", got, fi.Mode().Perm())
	}
	r := &recorder{TB: t}
	WriteFile(r, filepath.Join(p, "under-a-file"), nil)
	if !r.failed {
		t.Error("WriteFile under a regular file did not fail")
	}
}
