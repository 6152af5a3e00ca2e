package store

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped drops the store file's pages from the process's mapping
// (madvise MADV_DONTNEED on bbolt's read-only shared mapping: the pages
// stay in the page cache and fault back in when read). bbolt writes
// every changed page to a new place, so an ingest that reads its index
// tails after each commit maps a little more of the file each time: at
// 300,000 messages some 200 MB of the process's RSS was clean file pages
// mapped once and never read again. The read transaction keeps bbolt from
// remapping the file meanwhile. Best effort: errors are ignored.
func (s *Store) releaseMapped() {
	_ = s.db.View(func(tx *bolt.Tx) error {
		n := tx.Size()
		if data := s.db.Info().Data; data != 0 && n > 0 {
			_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, data, uintptr(n), syscall.MADV_DONTNEED)
		}
		return nil
	})
}
