package testutil

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Maildir makes root a maildir (its cur, new and tmp folders), writes
// msgs[i] to cur/<i+1>.host:2,S and returns root; it stops tb on an error.
func Maildir(tb testing.TB, root string, msgs ...string) string {
	tb.Helper()
	for _, d := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o700); err != nil {
			tb.Fatal(err)
		}
	}
	for i, m := range msgs {
		WriteFile(tb, filepath.Join(root, "cur", strconv.Itoa(i+1)+".host:2,S"), []byte(m))
	}
	return root
}
