// Package jsonlist reads the JSON data files of the analysis (brands.json,
// infra.json and the user's replacements): one JSON array of objects,
// bounded in bytes and in items, and the embedded default parsed once.
package jsonlist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"
)

// Limits bound one file: its size in bytes and its number of items.
type Limits struct {
	Bytes int64
	Items int
	// Strict rejects object fields that T does not have.
	Strict bool
}

// Decode reads a JSON array of objects from the first lim.Bytes of r.
// Every error wraps invalid; more than lim.Items items is an error that
// names them as what ("brands", "entries").
func Decode[T any](r io.Reader, lim Limits, what string, invalid error) ([]*T, error) {
	var list []*T
	dec := json.NewDecoder(io.LimitReader(r, lim.Bytes))
	if lim.Strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("%w: %w", invalid, err)
	}
	if len(list) > lim.Items {
		return nil, fmt.Errorf("%w: more than %d %s", invalid, lim.Items, what)
	}
	return list, nil
}

// Embedded returns a function that loads data with load once and then
// returns the same value (shared: callers must not modify it). It panics,
// naming the file as prefix, only if data is invalid, which the data
// files' tests rule out.
func Embedded[T any](prefix string, data []byte, load func(io.Reader) (T, error)) func() T {
	return sync.OnceValue(func() T {
		v, err := load(bytes.NewReader(data))
		if err != nil {
			panic(prefix + err.Error())
		}
		return v
	})
}
