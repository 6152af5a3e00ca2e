package store

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// unmapPages drops the calling process's mappings of the database file's
// pages (madvise MADV_DONTNEED on bbolt's read-only shared mapping, up to
// the size tx sees). The pages stay in the page cache and fault back in
// on the next access, so nothing is lost or re-read from disk; the
// process's resident set just stops counting them. A read of every row
// (a re-open) otherwise ends up with every page of the rows bucket, and
// the neighbours the kernel maps around each fault, resident: about as
// much as the bucket again (239 MB at 300,000 messages for a 118 MB
// bucket). Call it inside tx, which holds the mapping in place; errors
// are ignored (the pages then stay mapped).
func unmapPages(db *bolt.DB, tx *bolt.Tx) {
	size := tx.Size()
	if size <= 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, db.Info().Data, uintptr(size), syscall.MADV_DONTNEED)
}

// releaseMapped drops the store file's pages from the process's mapping
// after a commit (unmapPages in a read transaction, which keeps bbolt from
// remapping the file meanwhile). bbolt writes every changed page to a new
// place, so an ingest that reads its index tails after each commit maps a
// little more of the file each time: at 300,000 messages some 200 MB of
// the process's RSS was clean file pages mapped once and never read again.
func (s *Store) releaseMapped() {
	_ = s.db.View(func(tx *bolt.Tx) error {
		unmapPages(s.db, tx)
		return nil
	})
}
