package store

import (
	"bytes"
	"fmt"

	"github.com/triage-tools/triage/store/internal/analyst"
	"github.com/triage-tools/triage/store/internal/boltfile"
	"github.com/triage-tools/triage/store/internal/reporters"
	bolt "go.etcd.io/bbolt"
)

// RowReader reads the rows of a source's messages in mailbox order, a
// batch at a time (see Store.SourceRows). It holds the source's IDs as
// 32-byte keys (not strings) and at most two batches of rows, so that an
// unchanged mailbox is delivered in memory bounded by the batch size.
// Each batch is read in its own read transaction: no transaction stays
// open while the caller handles a batch. While the caller handles one
// batch, the reader reads the next one on another goroutine (a re-open
// decodes rows on one core while the caller formats them on the other).
// Not safe for concurrent use.
type RowReader struct {
	s    *Store
	keys []byte // concatenated 32-byte message keys, mailbox order
	next int    // index of the next key
	seq  []byte // sequence key the rows cursor resumes at; nil: from the first row
	rd   rowDecoder
	// unread counts the rows read since the file's pages were last
	// dropped from the resident set (boltfile.Unmap).
	unread int

	// ahead receives the batch read ahead (of aheadN messages); nil when
	// none is being read. Only the goroutine reading ahead touches the
	// fields above until its batch is received.
	ahead  chan rowBatch
	aheadN int
}

// unmapRows is how many rows a RowReader reads between two drops of the
// file's pages from the resident set: some 4 MB of the rows bucket.
const unmapRows = 4096

// rowBatch is a batch of rows read ahead, or the error reading it.
type rowBatch struct {
	rows []Row
	err  error
}

// SourceRows returns a reader of the rows of the source path's messages,
// in mailbox order, or an error wrapping ErrNotFound for an unknown source.
func (s *Store) SourceRows(path string) (*RowReader, error) {
	var keys []byte
	err := s.view(func(tx *bolt.Tx) error {
		v, err := sourceKeys(tx, path)
		keys = bytes.Clone(v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: source rows %s: %w", path, err)
	}
	return &RowReader{s: s, keys: keys}, nil
}

// Len returns the number of messages of the source (rows still to read
// and already read, including IDs without a stored row).
func (r *RowReader) Len() int { return len(r.keys) / 32 }

// Next returns the rows of the next n messages (n ≤ 0: 512) with their
// labels and report counts as of when they were read, as a fresh slice;
// messages without a row are skipped, so it may hold fewer than n rows. It
// returns nil, nil at the end. It then starts reading the following n
// messages ahead: the next call returns them, even if it asks for another
// number (it then reads no further ahead).
func (r *RowReader) Next(n int) ([]Row, error) {
	if n <= 0 {
		n = 512
	}
	var b rowBatch
	if r.ahead != nil {
		b = <-r.ahead
		r.ahead = nil
		if b.err == nil && r.aheadN != n {
			// Asked for another size: deliver what was read ahead and
			// read no further ahead this time.
			return b.rows, nil
		}
	} else {
		b.rows, b.err = r.read(n)
	}
	if b.err != nil || b.rows == nil {
		return b.rows, b.err
	}
	if r.next < r.Len() {
		ch := make(chan rowBatch, 1)
		r.ahead, r.aheadN = ch, n
		go func() {
			rows, err := r.read(n)
			ch <- rowBatch{rows, err}
		}()
	}
	return b.rows, nil
}

// read reads the rows of the next n messages (see Next) and advances the
// reader past them; at the end it returns nil, nil.
func (r *RowReader) read(n int) ([]Row, error) {
	if r.next*32 >= len(r.keys) {
		return nil, nil
	}
	end := min(r.next+n, r.Len())
	out := make([]Row, 0, end-r.next)
	err := r.s.view(func(tx *bolt.Tx) error {
		rb := tx.Bucket(bucketRows)
		if rb == nil {
			return nil
		}
		// Most stores have no labels and few reports: skip the lookup of
		// each row in an empty bucket.
		labels := nonEmpty(tx.Bucket(bucketLabels))
		var reps *bolt.Cursor
		if b := nonEmpty(tx.Bucket(reporters.Bucket)); b != nil {
			reps = b.Cursor()
		}
		c := rb.Cursor()
		var q, v []byte
		if r.seq == nil {
			q, v = c.First()
		} else {
			q, v = c.Seek(r.seq)
		}
		for i := r.next; i < end; i++ {
			k := r.keys[i*32 : i*32+32]
			if q == nil || len(v) < 32 || !bytes.Equal(v[:32], k) {
				// Not the next row in arrival order: look it up, and go
				// on from there (sources read twice, or out of order).
				sq := seqOf(tx, k)
				if sq == nil {
					continue
				}
				if q, v = c.Seek(sq); q == nil || !bytes.Equal(q, sq) {
					continue
				}
			}
			out = append(out, Row{})
			row := &out[len(out)-1]
			if err := r.rd.decode(q, v, row); err != nil {
				return fmt.Errorf("row %x: %w", k, err)
			}
			if labels != nil {
				if lv, err := analyst.GetSealed(tx, bucketLabels, k); err != nil {
					return err
				} else if lv != nil {
					row.Label = r.s.internLabel(lv)
				}
			}
			if reps != nil {
				row.Reported = reporters.CountPrefixAt(reps, k, MaxReporters)
			}
			q, v = c.Next()
		}
		r.seq = nil
		if q != nil {
			r.seq = bytes.Clone(q)
		} else if last, _ := c.Last(); last != nil {
			r.seq = append(bytes.Clone(last), 0) // past the end
		}
		// The rows are copied out: let the pages go from the resident
		// set, so that reading every row is not a second copy of the rows
		// bucket in memory. Not after every batch: the kernel maps the
		// pages around each fault, the next rows among them, and dropping
		// them at every small batch faults each page in twice.
		if r.unread += len(out); r.unread >= unmapRows || end == r.Len() {
			boltfile.Unmap(r.s.db, tx)
			r.unread = 0
		}
		return nil
	})
	r.next = end
	if err != nil {
		return nil, fmt.Errorf("store: source rows: %w", err)
	}
	return out, nil
}

// nonEmpty returns b, or nil when b is missing or holds no key.
func nonEmpty(b *bolt.Bucket) *bolt.Bucket {
	if b == nil {
		return nil
	}
	if k, _ := b.Cursor().First(); k == nil {
		return nil
	}
	return b
}
