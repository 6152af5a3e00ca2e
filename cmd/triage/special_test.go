//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/testutil"
)

// labeledStore returns a store holding the seed message, labeled phish.
func labeledStore(t *testing.T) string {
	t.Helper()
	db, id := seededDB(t)
	if _, _, err := triage(t, "", "label", "--db", db, "--analyst", "alice", id, "phish"); err != nil {
		t.Fatal(err)
	}
	return db
}

// exportThroughLink makes dir/link a symbolic link to target (relative,
// which may not exist yet), exports db to the link, checks that the link
// is still a link and returns what the target now holds.
func exportThroughLink(t *testing.T, db, dir, link, target string) []byte {
	t.Helper()
	link = filepath.Join(dir, link)
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if _, _, err := triage(t, "", "export", "--db", db, "-o", link); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the symlink was replaced: %v %v", fi.Mode(), err)
	}
	return testutil.ReadFile(t, filepath.Join(dir, target))
}

func checkExport(t *testing.T, what string, data []byte) {
	t.Helper()
	var doc struct {
		Count    int               `json:"count"`
		Messages []json.RawMessage `json:"messages"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.Count != 1 || len(doc.Messages) != 1 {
		t.Errorf("%s: not a one-message export (%v): %.200q", what, err, data)
	}
}

// TestExportOutputSpecialFiles is issue 12 failure 8: export -o writes
// through a FIFO, a character device and a symlink instead of replacing
// them with a regular file; "-" is standard output.
func TestExportOutputSpecialFiles(t *testing.T) {
	db := labeledStore(t)
	dir := t.TempDir()

	t.Run("fifo", func(t *testing.T) {
		fifo := filepath.Join(dir, "fifo")
		testutil.Mkfifo(t, fifo)
		// A second name for the FIFO: if the export renames a file over
		// the first, the test can still unblock its reader.
		spare := filepath.Join(dir, "fifo.spare")
		if err := os.Link(fifo, spare); err != nil {
			t.Fatal(err)
		}
		got := make(chan []byte, 1)
		go func() {
			f, err := os.Open(fifo) // waits for the writer
			if err != nil {
				got <- nil
				return
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			got <- b
		}()
		done := make(chan error, 1)
		go func() {
			_, _, err := triage(t, "", "export", "--db", db, "-o", fifo)
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("export did not finish")
		}
		var data []byte
		select {
		case data = <-got:
		case <-time.After(2 * time.Second):
			// Nothing came through the FIFO: unblock the reader.
			if f, err := os.OpenFile(spare, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
			data = <-got
		}
		checkExport(t, "fifo reader", data)
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
			t.Errorf("the FIFO was replaced: %v %v", fi.Mode(), err)
		}
	})

	t.Run("device", func(t *testing.T) {
		// A private copy of /dev/null (major 1, minor 3), so that a failure
		// cannot replace the real one.
		null := filepath.Join(dir, "null")
		if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
			t.Skip("mknod (needs root):", err)
		}
		if _, _, err := triage(t, "", "export", "--db", db, "-o", null); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(null); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
			t.Errorf("the device was replaced: %v %v", fi.Mode(), err)
		}
	})

	t.Run("symlink", func(t *testing.T) {
		target := filepath.Join(dir, "target.json")
		if err := os.WriteFile(target, []byte("old"), 0o640); err != nil {
			t.Fatal(err)
		}
		checkExport(t, "symlink target", exportThroughLink(t, db, dir, "link.json", "target.json"))
		if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
			t.Errorf("target mode %v, want 0640", fi.Mode().Perm())
		}
		if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(leftovers) > 0 {
			t.Errorf("temporary files left: %v", leftovers)
		}
	})

	t.Run("dangling symlink", func(t *testing.T) {
		checkExport(t, "created target", exportThroughLink(t, db, dir, "dangling.json", "created.json"))
	})

	t.Run("regular file", func(t *testing.T) {
		p := filepath.Join(dir, "out.json")
		if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, errOut, err := triage(t, "", "export", "--db", db, "-o", p)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(p)
		checkExport(t, "regular file", data)
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o644 {
			t.Errorf("mode %v, want 0644", fi.Mode().Perm())
		}
		if !strings.Contains(errOut, "exported 1 message to "+p) {
			t.Errorf("stderr %q", errOut)
		}
	})

	t.Run("directory", func(t *testing.T) {
		if _, _, err := triage(t, "", "export", "--db", db, "-o", dir); err == nil {
			t.Error("export onto a directory succeeded")
		}
	})

	t.Run("stdout", func(t *testing.T) {
		out, errOut, err := triage(t, "", "export", "--db", db, "-o", "-")
		if err != nil {
			t.Fatal(err)
		}
		checkExport(t, "-o -", []byte(out))
		if errOut != "" {
			t.Errorf("stderr %q", errOut)
		}
		if _, err := os.Stat("-"); err == nil {
			os.Remove("-")
			t.Error(`-o - created a file named "-"`)
		}
	})
}

const plainMsg = "From: a@example.com\nTo: b@example.com\nSubject: hello\n\nbody\n"

// runBounded runs the program in-process and fails the test when it has
// not returned after d (instead of hanging the test binary).
func runBounded(t *testing.T, ctx context.Context, d time.Duration, stdin io.Reader, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	var err error
	testutil.Within(t, d, func() { err = run(ctx, args, stdin, &out, &errb) })
	return out.String(), errb.String(), err
}

// maildirWith makes a maildir with n messages in cur/ and returns its path.
func maildirWith(t *testing.T, n int) string {
	t.Helper()
	msgs := make([]string, n)
	for i := range msgs {
		msgs[i] = strings.Replace(plainMsg, "hello", "hello "+string(rune('a'+i)), 1)
	}
	return testutil.Maildir(t, filepath.Join(t.TempDir(), "Maildir"), msgs...)
}

func TestScanFIFOPathFailsFast(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe.mbox")
	testutil.Mkfifo(t, p)
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
	testutil.TextHas(t, "stderr", stderr, "triage: skipped "+gone+": ", "no such file", "scanned 3 messages from 1 mailbox", "skipped 1 source")
	_, _, err = runBounded(t, context.Background(), 10*time.Second, strings.NewReader(""), "scan", "--no-store", "--strict", "-q", root)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "1 source skipped") {
		t.Errorf("--strict: exit %d, %v", exitCode(err), err)
	}
}

// A named pipe in a maildir is skipped with a message; the scan goes on.
func TestScanSkipsFIFOInMaildir(t *testing.T) {
	root := maildirWith(t, 2)
	fifo := filepath.Join(root, "cur", "5.pipe:2,")
	testutil.Mkfifo(t, fifo)
	stdout, stderr, err := runBounded(t, context.Background(), 10*time.Second, strings.NewReader(""), "scan", "--no-store", "--jsonl", root)
	if err != nil {
		t.Fatalf("scan: %v\n%s", err, stderr)
	}
	if n := len(decodeLines(t, stdout)); n != 2 {
		t.Errorf("got %d records, want 2", n)
	}
	testutil.TextHas(t, "stderr", stderr, "triage: skipped "+fifo+": ", "named pipe", "scanned 2 messages", "skipped 1 source")
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
