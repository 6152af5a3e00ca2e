package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/triage-tools/triage/store"
)

// openStore opens the store at path, or at the default location when path
// is empty. A busy database is reported with the file's name.
func openStore(path string, readOnly bool) (*store.Store, error) {
	fc, err := loadConfig("")
	if err != nil {
		return nil, err
	}
	return openStoreWith(path, readOnly, fc.Labels)
}

// openStoreWith is openStore with an explicit label set (nil: defaults).
func openStoreWith(path string, readOnly bool, labels []string) (*store.Store, error) {
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		path = p
	}
	st, err := store.Open(path, store.Options{ReadOnly: readOnly, Timeout: 500 * time.Millisecond, Raw: readRaw, Labels: labels})
	if errors.Is(err, store.ErrLocked) {
		return nil, exitError{code: 1, msg: fmt.Sprintf("%s is in use by another triage process (close it or use --db)", path)}
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}
