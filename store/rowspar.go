package store

import (
	"errors"
	"fmt"
	"sync"

	"github.com/triage-tools/triage/store/internal/boltfile"
	"github.com/triage-tools/triage/store/internal/codec"
	bolt "go.etcd.io/bbolt"
)

// rowsJob is a run of consecutive rows of the rows bucket for a decoder
// of rowsDecoded: their sequence keys and values (pointing into the read
// transaction) and where their rows go.
type rowsJob struct {
	keys, vals [][]byte
	out        []Row
}

// rowsJobLen is the number of rows in a rowsJob.
const rowsJobLen = 1024

// errRowsBound: the rows bucket holds more rows than messages were ever
// stored, the bound rowsDecoded sizes its result with.
var errRowsBound = errors.New("more rows than messages stored")

// rowsDecoded is Rows with the rows decoded on two goroutines while this
// one walks the rows bucket, in the same read transaction (decoding is
// most of the work: the workbench reads every row before its first full
// frame). It gives what Rows gives; beyond the bound of its result (over
// 4M messages, or a damaged count) it leaves the work to Rows.
func (s *Store) rowsDecoded() ([]Row, error) {
	rows, err := s.rowsDecodedBounded()
	if errors.Is(err, errRowsBound) {
		return s.Rows()
	}
	return rows, err
}

func (s *Store) rowsDecodedBounded() ([]Row, error) {
	var out []Row
	err := s.view(func(tx *bolt.Tx) error {
		rb := tx.Bucket(bucketRows)
		if rb == nil {
			return nil
		}
		labels := map[[32]byte]string{}
		err := tx.Bucket(bucketLabels).ForEach(func(k, sv []byte) error {
			v, err := codec.Unseal(bucketLabels, k, sv)
			if err != nil {
				return err
			}
			if len(k) == 32 {
				labels[[32]byte(k)] = s.internLabel(v)
			}
			return nil
		})
		if err != nil {
			return err
		}
		// The number of messages ever stored bounds the rows.
		bound := tx.Bucket(bucketReports).Sequence()
		if bound >= 1<<22 {
			return errRowsBound
		}
		out = make([]Row, bound)
		n, err := s.decodeRows(rb.Cursor(), labels, out)
		if err != nil {
			return err
		}
		out = out[:n:n]
		fillReported(tx, out)
		boltfile.Unmap(s.db, tx) // every row was read: see RowReader
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: rows: %w", err)
	}
	return out, nil
}

// decodeRows decodes the rows under c into out with their labels, jobs
// of rowsJobLen rows at a time on two goroutines, and returns how many
// there were; more than fit in out is errRowsBound.
func (s *Store) decodeRows(c *bolt.Cursor, labels map[[32]byte]string, out []Row) (int, error) {
	jobs := make(chan rowsJob, 2)
	var wg sync.WaitGroup
	var errOnce sync.Once
	var firstErr error
	for range 2 {
		wg.Go(func() {
			if err := s.guard(func() error { return decodeJobs(jobs, labels) }); err != nil {
				errOnce.Do(func() { firstErr = err })
				for range jobs { // let the walk finish
				}
			}
		})
	}
	n := 0
	var job rowsJob
	send := func() {
		job.out = out[n-len(job.keys) : n]
		jobs <- job
		job = rowsJob{}
	}
	err := s.guard(func() error {
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n == len(out) {
				return errRowsBound
			}
			job.keys, job.vals = append(job.keys, k), append(job.vals, v)
			if n++; len(job.keys) == rowsJobLen {
				send()
			}
		}
		if len(job.keys) > 0 {
			send()
		}
		return nil
	})
	close(jobs)
	wg.Wait()
	if err == nil {
		err = firstErr
	}
	return n, err
}

// decodeJobs decodes the rows of the jobs until the channel closes or a
// row is damaged.
func decodeJobs(jobs <-chan rowsJob, labels map[[32]byte]string) error {
	var rd rowDecoder
	for job := range jobs {
		for i, k := range job.keys {
			v, r := job.vals[i], &job.out[i]
			if err := rd.decode(k, v, r); err != nil {
				return fmt.Errorf("row %x: %w", k, err)
			}
			if len(labels) > 0 {
				r.Label = labels[[32]byte(v[:32])]
			}
		}
	}
	return nil
}
