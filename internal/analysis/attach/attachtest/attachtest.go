// Package attachtest builds attachments for the tests of packages that
// describe them (attach) or carry them (message).
package attachtest

import (
	"archive/zip"
	"bytes"
	"testing"
)

// Zip returns a stored (uncompressed) zip archive with one member per
// name, each holding "content of NAME". With encrypted, every member's
// header has the encryption flag set (the data itself is not encrypted).
func Zip(tb testing.TB, encrypted bool, names ...string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		fh := &zip.FileHeader{Name: n, Method: zip.Store}
		if encrypted {
			fh.Flags |= 1
		}
		w, err := zw.CreateHeader(fh)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte("content of " + n)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
