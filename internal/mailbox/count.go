package mailbox

import (
	"os"
	"path/filepath"
	"strings"
)

// CountMaildir returns the number of message files a maildir reader of
// path would visit (new/ and cur/ of INBOX and of every Maildir++ folder,
// without dot-files and sub-directories), from directory listings only:
// no file is opened or stat'ed. It is an estimate for progress display:
// files that turn out unreadable are still counted. ok is false when path
// is not a maildir.
func CountMaildir(path string) (n int, ok bool) {
	entries, err := os.ReadDir(path)
	if err != nil {
		return 0, false
	}
	dirs := []string{}
	if isMaildir(path) {
		dirs = append(dirs, path)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() && len(name) > 1 && name[0] == '.' && name != ".." && isMaildir(filepath.Join(path, name)) {
			dirs = append(dirs, filepath.Join(path, name))
		}
	}
	if len(dirs) == 0 {
		return 0, false
	}
	for _, d := range dirs {
		for _, sub := range maildirSubs {
			es, err := os.ReadDir(filepath.Join(d, sub))
			if err != nil {
				continue
			}
			for _, e := range es {
				if !strings.HasPrefix(e.Name(), ".") && !e.IsDir() {
					n++
				}
			}
		}
	}
	return n, true
}
