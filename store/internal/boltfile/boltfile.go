// Package boltfile checks a bbolt file before bbolt maps it: bbolt
// trusts its meta and freelist pages and panics, faults or silently falls
// back to an older commit on damaged ones.
package boltfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// Preflight checks the file at path before bbolt maps it: both meta pages must be
// valid (bbolt would silently fall back to the older one, losing the last
// commit) and the file must reach the high-water mark they record (a
// truncated file makes bbolt fault on the missing pages). A missing or
// empty file passes. Damage is reported wrapping corrupt.
func Preflight(path string, corrupt error) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // bolt.Open reports it
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 || !fi.Mode().IsRegular() {
		return nil
	}
	var buf [4096]byte
	m0, err := readMeta(f, 0, buf[:], corrupt)
	if err != nil {
		return fmt.Errorf("meta page 0: %w", err)
	}
	m1, err := readMeta(f, int64(m0.pageSize), buf[:], corrupt)
	if err != nil {
		return fmt.Errorf("meta page 1: %w", err)
	}
	if m1.pageSize != m0.pageSize {
		return fmt.Errorf("%w: meta pages disagree on the page size", corrupt)
	}
	hw := max(m0.pgid, m1.pgid)
	if need := int64(hw) * int64(m0.pageSize); fi.Size() < need {
		return fmt.Errorf("%w: file is %d bytes, its pages need %d (truncated)", corrupt, fi.Size(), need)
	}
	cur := m0
	if m1.txid > m0.txid {
		cur = m1
	}
	return checkFreelist(f, cur, corrupt)
}

type metaInfo struct {
	pageSize uint32
	pgid     uint64
	freelist uint64
	txid     uint64
}

// checkFreelist validates the freelist page of the current meta: bbolt
// loads it on a read-write open and asserts (panics) on a bad one, after
// it has locked and mapped the file, which a recover cannot undo.
func checkFreelist(f *os.File, m metaInfo, corrupt error) error {
	if m.freelist == ^uint64(0) {
		return nil
	}
	ps := int64(m.pageSize)
	var hdr [24]byte
	if _, err := f.ReadAt(hdr[:], int64(m.freelist)*ps); err != nil {
		return fmt.Errorf("%w: freelist page: %v", corrupt, err)
	}
	le := binary.LittleEndian
	id, flags, count, overflow := le.Uint64(hdr[0:]), le.Uint16(hdr[8:]), uint64(le.Uint16(hdr[10:])), int64(le.Uint32(hdr[12:]))
	start := int64(16)
	if count == 0xFFFF {
		count, start = le.Uint64(hdr[16:]), 24
	}
	if id != m.freelist || flags != 0x10 || int64(m.freelist)+overflow >= int64(m.pgid) ||
		count > uint64((overflow+1)*ps/8) {
		return fmt.Errorf("%w: freelist page %d is damaged", corrupt, m.freelist)
	}
	ids := make([]byte, count*8)
	if _, err := f.ReadAt(ids, int64(m.freelist)*ps+start); err != nil {
		return fmt.Errorf("%w: freelist page: %v", corrupt, err)
	}
	for i := 0; i < len(ids); i += 8 {
		if p := le.Uint64(ids[i:]); p < 2 || p >= m.pgid {
			return fmt.Errorf("%w: freelist page %d lists page %d out of range", corrupt, m.freelist, p)
		}
	}
	return nil
}

// readMeta parses a bbolt meta page (page header 16 bytes, then magic,
// version, page size, flags, root bucket (root, sequence), freelist, pgid,
// txid and an FNV-1a checksum of the fields before it; host byte order,
// little-endian on the platforms we build for).
func readMeta(f *os.File, off int64, buf []byte, corrupt error) (metaInfo, error) {
	const hdr, sumAt = 16, 16 + 56
	if _, err := f.ReadAt(buf[:sumAt+8], off); err != nil {
		if errors.Is(err, io.EOF) {
			return metaInfo{}, fmt.Errorf("%w: file too short for its meta pages", corrupt)
		}
		return metaInfo{}, err
	}
	le := binary.LittleEndian
	m := buf[hdr:]
	h := fnv.New64a()
	h.Write(m[:56])
	switch {
	case le.Uint32(m[0:]) != 0xED0CDAED:
		return metaInfo{}, fmt.Errorf("%w: not a bbolt file (bad magic)", corrupt)
	case le.Uint64(buf[sumAt:]) != h.Sum64():
		return metaInfo{}, fmt.Errorf("%w: meta checksum mismatch", corrupt)
	}
	mi := metaInfo{pageSize: le.Uint32(m[8:]), freelist: le.Uint64(m[32:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}
	root := le.Uint64(m[16:])
	if mi.pageSize < 1024 || mi.pageSize > 1<<20 || root >= mi.pgid || (mi.freelist >= mi.pgid && mi.freelist != ^uint64(0)) {
		return metaInfo{}, fmt.Errorf("%w: meta page out of range", corrupt)
	}
	return mi, nil
}
