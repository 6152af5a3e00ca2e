package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/triage-tools/triage/store/internal/analyst"
	"github.com/triage-tools/triage/store/internal/boltfile"
	"github.com/triage-tools/triage/store/internal/reporters"
	bolt "go.etcd.io/bbolt"
)

// RowReader reads the rows of a source's messages in mailbox order, a
// batch at a time (see Store.SourceRows). It holds the source's IDs as
// 32-byte keys (not strings) and at most three batches of rows (the one
// the caller has and two read ahead), so that an unchanged mailbox is
// delivered in memory bounded by the batch size. Each batch is read in
// its own read transaction: no transaction stays open while the caller
// handles a batch. While the caller handles one batch, the reader reads
// the next two on two other goroutines (a re-open decodes rows on both
// cores while the caller formats them). Not safe for concurrent use.
type RowReader struct {
	s    *Store
	keys []byte // concatenated 32-byte message keys, mailbox order
	next int    // index of the next key to read

	// rds holds the decoders not in use: one per batch being read. Each
	// decoder shares equal lists and strings among the rows it decodes.
	rds chan *rowDecoder
	// ahead holds the batches being read ahead (of aheadN messages
	// each), oldest first.
	ahead  []chan rowBatch
	aheadN int
	// last is where the last batch received ended: the key index and
	// the sequence key of its last row (nil: none yet). Messages stored
	// in mailbox order have consecutive sequence keys, so a batch read
	// ahead guesses its first row's from it and looks it up by ID only
	// when the guess is wrong.
	last rowAt
}

// rowAt is the position of a row: its message's key index in the
// source and its sequence key.
type rowAt struct {
	i   int
	seq []byte
}

// guess returns the sequence key of the message at key index i if the
// messages after r's follow it in arrival order, or nil.
func (r rowAt) guess(i int) []byte {
	if len(r.seq) != ptrLen {
		return nil
	}
	return binary.BigEndian.AppendUint64(nil, binary.BigEndian.Uint64(r.seq)+uint64(i-r.i))
}

// readAhead is how many batches a RowReader reads ahead, each on its own
// goroutine with its own decoder.
const readAhead = 2

// unmapRows is how many rows a RowReader reads between two drops of the
// file's pages from the resident set: some 4 MB of the rows bucket.
const unmapRows = 4096

// rowBatch is a batch of rows read ahead, or the error reading it.
type rowBatch struct {
	rows []Row
	last rowAt // the last row read
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
	rds := make(chan *rowDecoder, readAhead+1)
	for range readAhead + 1 {
		rds <- new(rowDecoder)
	}
	return &RowReader{s: s, keys: keys, rds: rds}, nil
}

// Len returns the number of messages of the source (rows still to read
// and already read, including IDs without a stored row).
func (r *RowReader) Len() int { return len(r.keys) / 32 }

// Next returns the rows of the next n messages (n ≤ 0: 512) with their
// labels and report counts as of when they were read, as a fresh slice;
// messages without a row are skipped, so it may hold fewer than n rows. It
// returns nil, nil at the end. It then keeps the following two batches of
// n messages read ahead: the next calls return them, even if they ask for
// another number (a call asking for another number than the batches read
// ahead starts no reading ahead).
func (r *RowReader) Next(n int) ([]Row, error) {
	if n <= 0 {
		n = 512
	}
	var b rowBatch
	resized := false
	if len(r.ahead) > 0 {
		b = <-r.ahead[0]
		r.ahead = r.ahead[1:]
		resized = r.aheadN != n
	} else {
		rd := <-r.rds
		b = r.read(rd, r.next, min(r.next+n, r.Len()), r.last.guess(r.next))
		r.rds <- rd
		r.next = min(r.next+n, r.Len())
	}
	if b.last.seq != nil {
		r.last = b.last
	}
	if b.err != nil || b.rows == nil {
		r.ahead = nil // the batches being read finish on their own
		return b.rows, b.err
	}
	if len(r.ahead) == 0 && r.next == r.Len() {
		// The last batch: every read is done, let the pages they mapped
		// go (see read).
		_ = r.s.view(func(tx *bolt.Tx) error {
			boltfile.Unmap(r.s.db, tx)
			return nil
		})
	}
	if resized {
		// Asked for another size: deliver what was read ahead and read
		// no further ahead this time.
		return b.rows, nil
	}
	r.aheadN = n
	for len(r.ahead) < readAhead && r.next < r.Len() {
		start, end := r.next, min(r.next+n, r.Len())
		r.next = end
		ch := make(chan rowBatch, 1)
		r.ahead = append(r.ahead, ch)
		guess := r.last.guess(start)
		go func() {
			rd := <-r.rds
			b := r.read(rd, start, end, guess)
			r.rds <- rd
			ch <- b
		}()
	}
	return b.rows, nil
}

// read reads the rows of messages start to end (key indexes) with rd,
// trying the sequence key guess (nil: none) for the first; at the end
// of the keys it returns no rows. It touches no field of r but s and
// keys, so that batches can be read at the same time.
func (r *RowReader) read(rd *rowDecoder, start, end int, guess []byte) rowBatch {
	if start >= end {
		return rowBatch{}
	}
	out := make([]Row, 0, end-start)
	var last rowAt
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
		var q, v []byte // nil: the first key is looked up
		if guess != nil {
			q, v = c.Seek(guess)
		}
		for i := start; i < end; i++ {
			k := r.keys[i*32 : i*32+32]
			if q == nil || len(v) < 32 || !bytes.Equal(v[:32], k) {
				// Not the next row in arrival order: look it up, and go
				// on from there (a batch's first row, sources read twice,
				// or out of order).
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
			if err := rd.decode(q, v, row); err != nil {
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
			last = rowAt{i, q}
			q, v = c.Next()
		}
		if last.seq != nil {
			last.seq = bytes.Clone(last.seq)
		}
		// The rows are copied out: let the pages go from the resident
		// set, so that reading every row is not a second copy of the rows
		// bucket in memory. Not after every batch: the kernel maps the
		// pages around each fault, the next rows among them, and dropping
		// them at every small batch faults each page in twice. The pages
		// of the batches read at the same time go at the next drop, and
		// the last batch's when Next delivers it.
		if start/unmapRows != end/unmapRows {
			boltfile.Unmap(r.s.db, tx)
		}
		return nil
	})
	if err != nil {
		return rowBatch{err: fmt.Errorf("store: source rows: %w", err)}
	}
	return rowBatch{rows: out, last: last}
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
