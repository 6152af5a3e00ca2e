// Package testutil holds the small helpers that tests of many packages
// repeat: read a fixture, decode a JSON fixture or write a file, or fail.
// It imports only the standard library, so any package's tests may use it.
package testutil

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// ReadFile returns the contents of the file at path, or stops tb with the
// error when it cannot be read.
func ReadFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// LoadJSON decodes the JSON file at path into v, or stops tb with the
// error (naming the file when it does not decode).
func LoadJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	if err := json.Unmarshal(ReadFile(tb, path), v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}

// WriteFile writes data to the file at path (mode 0600), creating its
// folder when needed, or stops tb with the error.
func WriteFile(tb testing.TB, path string, data []byte) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
}
