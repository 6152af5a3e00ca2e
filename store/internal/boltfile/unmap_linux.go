package boltfile

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// Unmap drops the calling process's mappings of the database file's pages
// (madvise MADV_DONTNEED on bbolt's read-only shared mapping, up to the
// size tx sees). The pages stay in the page cache and fault back in on the
// next access, so nothing is lost or re-read from disk; the process's
// resident set just stops counting them. A read of every row (a re-open)
// otherwise ends up with every page of the rows bucket, and the
// neighbours the kernel maps around each fault, resident: about as much
// as the bucket again (239 MB at 300,000 messages for a 118 MB bucket).
// Call it inside tx, which holds the mapping in place; errors are ignored
// (the pages then stay mapped).
func Unmap(db *bolt.DB, tx *bolt.Tx) {
	if size := tx.Size(); size > 0 {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, db.Info().Data, uintptr(size), syscall.MADV_DONTNEED)
	}
}
