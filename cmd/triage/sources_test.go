//go:build unix

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/testutil"
)

const plainMsg = "From: a@example.com\nTo: b@example.com\nSubject: hello\n\nbody\n"

// runBounded runs the program in-process and fails the test when it has
// not returned after d (instead of hanging the test binary).
func runBounded(t *testing.T, ctx context.Context, d time.Duration, stdin io.Reader, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, stdin, &out, &errb) }()
	select {
	case err := <-done:
		return out.String(), errb.String(), err
	case <-time.After(d):
		t.Fatalf("triage %v still running after %v", args, d)
		return "", "", nil
	}
}

// maildirWith makes a maildir with n messages in cur/ and returns its path.
func maildirWith(t *testing.T, n int) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "Maildir")
	for _, d := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		msg := strings.Replace(plainMsg, "hello", "hello "+string(rune('a'+i)), 1)
		testutil.WriteFile(t, filepath.Join(root, "cur", string(rune('1'+i))+".host:2,S"), []byte(msg))
	}
	return root
}

func TestScanFIFOPathFailsFast(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe.mbox")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_, stderr, err := runBounded(t, context.Background(), 5*time.Second, strings.NewReader(""), "scan", "--no-store", p)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("exit %d, %v; want 1 naming the named pipe", exitCode(err), err)
	}
	if !strings.Contains(stderr, "scanned 0 messages from 1 mailbox") || !strings.Contains(stderr, "skipped 1 source") {
		t.Errorf("stderr = %q", stderr)
	}
}

// An unreadable file (a dangling link: tests run as root, so chmod would
// not do) that sorts last in a maildir is reported on stderr and counted
// in the summary, never hidden in a message's warnings; --strict turns it
// into exit status 1.
func TestScanReportsUnreadableFile(t *testing.T) {
	root := maildirWith(t, 3)
	gone := filepath.Join(root, "cur", "9.gone:2,S")
	if err := os.Symlink(filepath.Join(root, "nowhere"), gone); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runBounded(t, context.Background(), 10*time.Second, strings.NewReader(""), "scan", "--no-store", "--jsonl", root)
	if err != nil {
		t.Fatalf("scan: %v\n%s", err, stderr)
	}
	if n := len(decodeLines(t, stdout)); n != 3 {
		t.Errorf("got %d records, want 3", n)
	}
	if strings.Contains(stdout, "skipped") {
		t.Errorf("a skip leaked into a message's warnings: %s", stdout)
	}
	for _, want := range []string{"triage: skipped " + gone + ": ", "no such file", "scanned 3 messages from 1 mailbox", "skipped 1 source"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	_, _, err = runBounded(t, context.Background(), 10*time.Second, strings.NewReader(""), "scan", "--no-store", "--strict", "-q", root)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "1 source skipped") {
		t.Errorf("--strict: exit %d, %v", exitCode(err), err)
	}
}

// A named pipe in a maildir is skipped with a message; the scan goes on.
func TestScanSkipsFIFOInMaildir(t *testing.T) {
	root := maildirWith(t, 2)
	fifo := filepath.Join(root, "cur", "5.pipe:2,")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	stdout, stderr, err := runBounded(t, context.Background(), 10*time.Second, strings.NewReader(""), "scan", "--no-store", "--jsonl", root)
	if err != nil {
		t.Fatalf("scan: %v\n%s", err, stderr)
	}
	if n := len(decodeLines(t, stdout)); n != 2 {
		t.Errorf("got %d records, want 2", n)
	}
	for _, want := range []string{"triage: skipped " + fifo + ": ", "named pipe", "scanned 2 messages", "skipped 1 source"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// Ctrl+C (ctx cancelled) stops a scan blocked on standard input that
// never ends.
func TestScanStopsWhenCancelled(t *testing.T) {
	var mbox strings.Builder
	for range 100 { // more than the 4 KB the format detection reads
		mbox.WriteString("From a@b Mon Nov  2 10:00:00 2026\n" + plainMsg + "\n")
	}
	for _, head := range []string{"", mbox.String()} {
		pr, pw := io.Pipe()
		defer pw.Close()
		ctx, cancel := context.WithCancel(context.Background())
		if head != "" {
			// The mbox is detected and messages read; the next read blocks.
			go pw.Write([]byte(head))
		}
		time.AfterFunc(200*time.Millisecond, cancel)
		start := time.Now()
		_, _, err := runBounded(t, ctx, 5*time.Second, pr, "scan", "--no-store", "-q", "-")
		if err == nil || !strings.Contains(err.Error(), "canceled") {
			t.Errorf("input of %d bytes: err = %v, want context canceled", len(head), err)
		}
		if el := time.Since(start); el > 1200*time.Millisecond {
			t.Errorf("input of %d bytes: stopped after %v, want within a second of the cancel", len(head), el)
		}
	}
}
