//go:build unix

package testutil

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestWithin(t *testing.T) {
	ran := false
	Within(t, time.Second, func() { ran = true })
	if !ran {
		t.Error("Within did not run f")
	}
	r := &recorder{TB: t}
	release := make(chan struct{})
	defer close(release)
	Within(r, 10*time.Millisecond, func() { <-release })
	if !r.failed {
		t.Error("Within of a blocked f did not fail")
	}
}

func TestMaildir(t *testing.T) {
	root := Maildir(t, filepath.Join(t.TempDir(), "md"), "one", "two")
	for _, d := range []string{"cur", "new", "tmp"} {
		if fi, err := os.Stat(filepath.Join(root, d)); err != nil || !fi.IsDir() {
			t.Errorf("%s: %v", d, err)
		}
	}
	if got := string(ReadFile(t, filepath.Join(root, "cur", "2.host:2,S"))); got != "two" {
		t.Errorf("cur/2.host:2,S = %q, want two", got)
	}
	r := &recorder{TB: t}
	Maildir(r, filepath.Join(root, "cur", "1.host:2,S"))
	if !r.failed {
		t.Error("Maildir under a regular file did not fail")
	}
}

func TestMkfifo(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	Mkfifo(t, p)
	if fi, err := os.Lstat(p); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("Mkfifo made %v (%v), want a named pipe", fi, err)
	}
}

// errRecorder is a testing.TB that records Errorf instead of failing.
type errRecorder struct {
	testing.TB
	errs []string
}

func (r *errRecorder) Helper() {}
func (r *errRecorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestTextHas(t *testing.T) {
	r := &errRecorder{TB: t}
	TextHas(r, "screen", "alpha beta", "alpha", "gamma", "beta", "delta")
	want := []string{"screen lacks \"gamma\":\nalpha beta", "screen lacks \"delta\":\nalpha beta"}
	if !slices.Equal(r.errs, want) {
		t.Errorf("TextHas reported %q, want %q", r.errs, want)
	}
}

func TestAppendFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	WriteFile(t, p, []byte("ab"))
	AppendFile(t, p, []byte("cd"))
	if got := string(ReadFile(t, p)); got != "abcd" {
		t.Errorf("after AppendFile: %q, want abcd", got)
	}
	r := &recorder{TB: t}
	AppendFile(r, filepath.Join(t.TempDir(), "absent"), []byte("x"))
	if !r.failed {
		t.Error("AppendFile to an absent file did not fail")
	}
}
