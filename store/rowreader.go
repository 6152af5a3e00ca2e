package store

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// RowReader reads the rows of a source's messages in mailbox order, a
// batch at a time (see Store.SourceRows). It holds the source's IDs as
// 32-byte keys (not strings) and no row between batches, so that an
// unchanged mailbox is delivered in memory bounded by the batch size.
// Each batch is read in its own read transaction: no transaction stays
// open while the caller handles a batch. Not safe for concurrent use.
type RowReader struct {
	s    *Store
	keys []byte // concatenated 32-byte message keys, mailbox order
	next int    // index of the next key
	seq  []byte // sequence key the rows cursor resumes at; nil: from the first row
	rd   rowDecoder
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

// Next returns the rows of the next n messages with their current labels
// and report counts, as a fresh slice; messages without a row are
// skipped, so it may hold fewer than n rows. It returns nil, nil at the
// end.
func (r *RowReader) Next(n int) ([]Row, error) {
	if n <= 0 {
		n = 512
	}
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
		reps := tx.Bucket(bucketReporters)
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
			if lv, err := getSealed(tx, bucketLabels, k); err != nil {
				return err
			} else if lv != nil {
				row.Label = r.s.internLabel(lv)
			}
			if reps != nil {
				row.Reported = countPrefix(reps, k, MaxReporters)
			}
			q, v = c.Next()
		}
		r.seq = nil
		if q != nil {
			r.seq = bytes.Clone(q)
		} else if last, _ := c.Last(); last != nil {
			r.seq = append(bytes.Clone(last), 0) // past the end
		}
		return nil
	})
	r.next = end
	if err != nil {
		return nil, fmt.Errorf("store: source rows: %w", err)
	}
	return out, nil
}
