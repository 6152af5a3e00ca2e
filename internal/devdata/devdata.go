// Package devdata finds the shared development data (the corpus, fixtures
// and benchmark mailboxes kept beside the repository as ../shared) for
// tests and benchmarks.
package devdata

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Dir returns the path of parts under the shared data folder (see Find).
// It skips tb with one line when the folder or the path under it is
// absent.
func Dir(tb testing.TB, parts ...string) string {
	tb.Helper()
	p, ok := Find(parts...)
	if !ok {
		tb.Skip(filepath.ToSlash(filepath.Join(append([]string{"..", "shared"}, parts...)...)) + " absent")
	}
	return p
}

// Find returns the path of parts under the shared data folder: the
// "shared" sibling of the first folder, walking up from the working
// directory, that has one. ok is false when there is no such folder or
// the path under it does not exist.
func Find(parts ...string) (path string, ok bool) {
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for d := wd; filepath.Dir(d) != d; d = filepath.Dir(d) {
		shared := filepath.Join(filepath.Dir(d), "shared")
		if fi, err := os.Stat(shared); err == nil && fi.IsDir() {
			p := filepath.Join(append([]string{shared}, parts...)...)
			_, err := os.Stat(p)
			return p, err == nil
		}
	}
	return "", false
}

// EachFile calls fn with the path and contents of every file under dir
// whose name ends with suffix ("" for all), in lexical order. An error
// walking or reading fails tb.
func EachFile(tb testing.TB, dir, suffix string, fn func(path string, b []byte)) {
	tb.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, suffix) {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fn(path, b)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// Sample loads up to n .eml messages of the shared development
// corpus (ham and phishing alike), skipping the benchmark when it is
// absent.
func Sample(b testing.TB, n int) (msgs [][]byte, size int64) {
	b.Helper()
	root := Dir(b, "corpus")
	for _, dir := range []string{"ham/spamassassin_easy_ham", "phishing_pot", "ham/mailing_lists", "phishing_jp"} {
		quota := n / 4
		_ = filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".eml") {
				return nil
			}
			if quota == 0 {
				return filepath.SkipAll
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			quota--
			msgs = append(msgs, raw)
			size += int64(len(raw))
			return nil
		})
	}
	if len(msgs) == 0 {
		b.Skip("../shared/corpus has no messages")
	}
	return msgs, size
}
