package store

import (
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// faultSnapshot is what a store-fault run must read back intact.
type faultSnapshot struct {
	labels map[string]string
	hist   map[string]int
	notes  map[string][]string
	scores map[string]int
	rows   int
}

// readAll opens path read-only and reads every label, history, note,
// report and row; any error is returned.
func readAll(path string, ids []string, readOnly bool) (snap faultSnapshot, err error) {
	s, err := Open(path, Options{ReadOnly: readOnly, Timeout: 100e6})
	if err != nil {
		return snap, err
	}
	defer s.Close()
	snap = faultSnapshot{labels: map[string]string{}, hist: map[string]int{}, notes: map[string][]string{}, scores: map[string]int{}}
	all, err := s.Labels()
	if err != nil {
		return snap, err
	}
	for _, id := range ids {
		cur, hist, err := s.Label(id)
		if err != nil {
			return snap, err
		}
		if all[id] != cur {
			return snap, errors.New("Labels and Label disagree")
		}
		snap.labels[id], snap.hist[id] = cur, len(hist)
		notes, err := s.Notes(id)
		if err != nil {
			return snap, err
		}
		for _, n := range notes {
			snap.notes[id] = append(snap.notes[id], n.Text)
		}
		r, err := s.Report(id)
		if err != nil {
			return snap, err
		}
		snap.scores[id] = r.Score
	}
	rows, err := s.Rows()
	if err != nil {
		return snap, err
	}
	snap.rows = len(rows)
	return snap, nil
}

// TestStoreFaults overwrites each 4 KiB page of a small store in turn,
// three times (random bytes opened read-only, random bytes opened
// read-write, zeros opened read-only), then opens it and reads everything. Every run must end in
// the intact data or in an error wrapping ErrCorrupt; a panic fails the
// test, and so does success with any label, history, note or score
// changed.
func TestStoreFaults(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "good.db")
	s := openTestStoreAt(t, path)
	reps := fill(t, s, 12, 7)
	var ids []string
	for i, r := range reps {
		ids = append(ids, r.ID)
		if i%3 != 2 {
			mustLabel(t, s, r.ID, DefaultLabels()[i%len(DefaultLabels())], alice)
		}
		if i%4 == 0 {
			mustLabel(t, s, r.ID, "benign", alice)
		}
		if i%2 == 0 {
			if _, err := s.AddNote(r.ID, "note on "+r.ID[:15], alice); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.Close()
	want, err := readAll(path, ids, true)
	if err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	pages := len(good) / page
	intact, corrupt := 0, 0
	garbage := make([]byte, page)
	for trial := range 3 * pages {
		p := trial / 3
		if trial%3 == 2 {
			clear(garbage)
		} else {
			_, _ = rand.Read(garbage)
		}
		img := append([]byte(nil), good...)
		copy(img[p*page:], garbage)
		bad := filepath.Join(dir, "bad.db") // one name: a failed open must release the lock
		if err := os.WriteFile(bad, img, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := func() (snap faultSnapshot, err error) {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("page %d: panic: %v", p, r)
				}
			}()
			return readAll(bad, ids, trial%3 != 1)
		}()
		switch {
		case err != nil && errors.Is(err, ErrCorrupt):
			if testing.Verbose() {
				t.Logf("page %d trial %d: %v", p, trial%3, err)
			}
			corrupt++
		case err != nil:
			t.Errorf("page %d: error without ErrCorrupt: %v", p, err)
		case !reflect.DeepEqual(got, want):
			t.Errorf("page %d: read succeeded with changed data:\n got %+v\nwant %+v", p, got, want)
		default:
			intact++
		}
	}
	t.Logf("%d pages of 4 KiB, %d runs: %d intact, %d clear errors (ErrCorrupt)", pages, 3*pages, intact, corrupt)

	// Half the file: a clear error, no fault.
	bad := filepath.Join(dir, "half.db")
	if err := os.WriteFile(bad, good[:len(good)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readAll(bad, ids, true); !errors.Is(err, ErrCorrupt) {
		t.Errorf("half-truncated file: %v, want ErrCorrupt", err)
	}
}
