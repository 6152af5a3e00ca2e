//go:build !linux

package boltfile

import bolt "go.etcd.io/bbolt"

// Unmap is a no-op outside Linux (see unmap_linux.go).
func Unmap(*bolt.DB, *bolt.Tx) {}
