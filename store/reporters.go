package store

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/triage-tools/triage/store/internal/reporters"
	bolt "go.etcd.io/bbolt"
)

// Reporters: who reported a message found inside a report wrapper
// (store/internal/reporters).

// MaxReporters is the number of reporter records kept per message; later
// reports of the same message are not recorded.
const MaxReporters = reporters.Max

// prepareReporter encodes the reporter record of e, whose report has a
// Wrapper.
func prepareReporter(e *Entry) (*reporters.Prepared, error) {
	w := e.Report.Wrapper
	wk, err := parseID(w.ID)
	if err != nil {
		// Not made by Analyze: still one record per distinct wrapper ID.
		wk = sha256.Sum256([]byte(w.ID))
	}
	rec := ReporterRecord{Reporter: w.Reporter, Kind: w.Kind, Path: w.Path, Locator: e.Locator.Wrapper()}
	v, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	return &reporters.Prepared{Wrapper: wk, Rec: v}, nil
}

// Reporters returns the reports of a message, oldest report first (then
// by reporter address). A message never reported yields an empty slice;
// an unknown ID yields ErrNotFound.
func (s *Store) Reporters(id string) ([]ReporterRecord, error) {
	k, err := parseID(id)
	if err != nil {
		return nil, err
	}
	var out []ReporterRecord
	err = s.view(func(tx *bolt.Tx) error {
		if !hasMessage(tx, k[:]) {
			return ErrNotFound
		}
		var err error
		out, err = reporters.List(tx, k[:])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: reporters %s: %w", id, err)
	}
	return out, nil
}

// fillReported sets Reported on rows (as Rows returns them).
func fillReported(tx *bolt.Tx, rows []Row) {
	counts := map[string]int{}
	reporters.Counts(tx, func(k []byte, n int) { counts[formatID(k)] = n })
	if len(counts) == 0 {
		return
	}
	for i := range rows {
		if n, ok := counts[rows[i].ID]; ok {
			rows[i].Reported = n
		}
	}
}

// ReportedCount returns the number of reports of each given message that
// was reported at all.
func (s *Store) ReportedCount(ids []string) (map[string]int, error) {
	out := map[string]int{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(reporters.Bucket)
		if b == nil {
			return nil
		}
		for _, id := range ids {
			k, err := parseID(id)
			if err != nil {
				continue
			}
			if n := reporters.CountPrefix(b, k[:], MaxReporters); n > 0 {
				out[id] = n
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: reported counts: %w", err)
	}
	return out, nil
}
