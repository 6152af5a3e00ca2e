package mailbox

import "testing"

// TestCountMaildir checks that the progress estimate counts exactly the
// files the maildir reader yields (not tmp/, not dot-files), and refuses
// a directory that is not a maildir.
func TestCountMaildir(t *testing.T) {
	root := makeMaildir(t)
	_, msgs := readAll(t, root, Options{})
	n, ok := CountMaildir(root)
	if !ok || n != len(msgs) {
		t.Errorf("CountMaildir = %d, %v; the reader yields %d", n, ok, len(msgs))
	}
	if n, ok := CountMaildir(t.TempDir()); ok || n != 0 {
		t.Errorf("empty folder: CountMaildir = %d, %v", n, ok)
	}
}
