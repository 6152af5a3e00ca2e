//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// unmapPages is a no-op outside Linux (see unmap_linux.go).
func unmapPages(*bolt.DB, *bolt.Tx) {}

// releaseMapped is a no-op outside Linux (see unmap_linux.go).
func (s *Store) releaseMapped() {}
