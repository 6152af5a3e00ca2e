//go:build !linux

package store

// releaseMapped is a no-op off Linux (see mapped_linux.go).
func (s *Store) releaseMapped() {}
