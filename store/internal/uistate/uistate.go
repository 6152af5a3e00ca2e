// Package uistate keeps the workbench's saved state (filters, cursors) in
// the store's meta bucket under "ui/" keys, so that it never collides
// with the schema version. Keys and values are the caller's, bounded.
package uistate

import (
	"strings"

	bolt "go.etcd.io/bbolt"
)

const (
	prefix = "ui/"
	// MaxKey and MaxValue bound a key and a value in bytes.
	MaxKey   = 1024
	MaxValue = 256 << 10
)

// ValidKey reports whether key is non-empty and at most MaxKey bytes.
func ValidKey(key string) bool { return key != "" && len(key) <= MaxKey }

// Get returns a copy of the value stored under key in the meta bucket b.
func Get(b *bolt.Bucket, key string) (value []byte, ok bool) {
	if v := b.Get([]byte(prefix + key)); v != nil {
		return append([]byte(nil), v...), true
	}
	return nil, false
}

// Put stores value under key in b; a nil value deletes the key.
func Put(b *bolt.Bucket, key string, value []byte) error {
	if value == nil {
		return b.Delete([]byte(prefix + key))
	}
	return b.Put([]byte(prefix+key), value)
}

// Keys returns the keys stored under p, in order, without the "ui/"
// namespace (at most limit keys; limit ≤ 0 means 1000).
func Keys(b *bolt.Bucket, p string, limit int) []string {
	if limit <= 0 {
		limit = 1000
	}
	var out []string
	c := b.Cursor()
	bp := []byte(prefix + p)
	for k, _ := c.Seek(bp); k != nil && len(out) < limit && strings.HasPrefix(string(k), string(bp)); k, _ = c.Next() {
		out = append(out, string(k[len(prefix):]))
	}
	return out
}
