//go:build unix

package mailbox

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/testutil"
)

// within runs f and fails the test when it does not return in time (a
// reader blocked on a named pipe would otherwise hang the test binary).
func within(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still blocked after %v", d)
	}
}

// drainSkipping opens root with skips reported to log and reads every
// message, failing the test when that takes more than 5 seconds (a FIFO
// opened for reading blocks).
func drainSkipping(t *testing.T, root string, log *skipLog) []*Message {
	t.Helper()
	var msgs []*Message
	within(t, 5*time.Second, func() {
		r, err := OpenWith(root, Options{OnSkip: log.add})
		if err != nil {
			t.Error(err)
			return
		}
		defer r.Close()
		msgs = drain(t, r)
	})
	return msgs
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}

const oneMsg = "From: a@example.com\nSubject: hi\n\nbody\n"

type skipLog struct{ paths, errs []string }

func (l *skipLog) add(path string, err error) {
	l.paths = append(l.paths, path)
	l.errs = append(l.errs, err.Error())
}

func TestFIFOPathIsRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe.mbox")
	mkfifo(t, p)
	within(t, 5*time.Second, func() {
		_, err := Open(p)
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("Open(fifo) = %v, want ErrNotRegular (named pipe)", err)
		}
		if _, err := ReadRaw(Locator{Path: p, Offset: 5, Length: 10}); !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadRaw(fifo mbox) = %v, want ErrNotRegular", err)
		}
		if _, err := OpenMboxTail(p, 0, Options{}); !errors.Is(err, ErrNotRegular) {
			t.Errorf("OpenMboxTail(fifo) = %v, want ErrNotRegular", err)
		}
	})
}

// A named pipe inside a maildir (given directly, or behind a symbolic
// link) is skipped and reported, and the other messages are read.
func TestFIFOInMaildirIsSkipped(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"cur", "new", "tmp"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	testutil.WriteFile(t, filepath.Join(root, "cur", "1.host:2,S"), []byte(oneMsg))
	fifo := filepath.Join(root, "cur", "2.host:2,S")
	mkfifo(t, fifo)
	if err := os.Symlink(fifo, filepath.Join(root, "cur", "3.host:2,")); err != nil {
		t.Fatal(err)
	}
	var log skipLog
	if msgs := drainSkipping(t, root, &log); len(msgs) != 1 || len(msgs[0].Warnings) != 0 {
		t.Errorf("got %d messages (%v), want 1 without warnings", len(msgs), msgs)
	}
	if len(log.paths) != 2 || log.paths[0] != fifo || !strings.Contains(log.errs[0], "named pipe") ||
		!strings.HasSuffix(log.paths[1], "3.host:2,") || !strings.Contains(log.errs[1], "not a regular file") {
		t.Errorf("skipped %q %q, want the pipe and the link to it", log.paths, log.errs)
	}
}

func TestFIFOInEMLDirIsSkipped(t *testing.T) {
	root := t.TempDir()
	testutil.WriteFile(t, filepath.Join(root, "a.eml"), []byte(oneMsg))
	mkfifo(t, filepath.Join(root, "b.eml"))
	var log skipLog
	if msgs := drainSkipping(t, root, &log); len(msgs) != 1 {
		t.Errorf("got %d messages, want 1", len(msgs))
	}
	if len(log.paths) != 1 || !strings.HasSuffix(log.paths[0], "b.eml") || !strings.Contains(log.errs[0], "named pipe") {
		t.Errorf("skipped %q %q, want b.eml as a named pipe", log.paths, log.errs)
	}
}

// An unreadable message file is reported to OnSkip even when it sorts last
// (it used to become a warning of the next message, lost when there was
// none). Root can read any file, so a dangling symbolic link stands for
// the unreadable file.
func TestUnreadableLastFileIsReported(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"cur", "new"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{"1.a", "2.a", "3.a"} {
		testutil.WriteFile(t, filepath.Join(root, "cur", n), []byte(oneMsg))
	}
	gone := filepath.Join(root, "cur", "9.gone")
	if err := os.Symlink(filepath.Join(root, "nowhere"), gone); err != nil {
		t.Fatal(err)
	}
	var log skipLog
	r, err := OpenWith(root, Options{OnSkip: log.add})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	msgs := drain(t, r)
	if len(msgs) != 3 {
		t.Fatalf("got %d messages, want 3", len(msgs))
	}
	for _, m := range msgs {
		if len(m.Warnings) != 0 {
			t.Errorf("%s: warnings %q", m.Loc.File, m.Warnings)
		}
	}
	if len(log.paths) != 1 || log.paths[0] != gone || !strings.Contains(log.errs[0], "no such file") {
		t.Errorf("skipped %q %q, want %s", log.paths, log.errs, gone)
	}
	var pe *fs.PathError
	if _, err := ReadRaw(Locator{Path: root, File: "cur/9.gone"}); !errors.As(err, &pe) {
		t.Errorf("ReadRaw(gone) = %v", err)
	}
}
