package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/exchange"
	"github.com/triage-tools/triage/store/internal/learned"
	"github.com/triage-tools/triage/store/internal/notify"
	bolt "go.etcd.io/bbolt"
)

// maxNoteText bounds one note version.
const maxNoteText = exchange.MaxNoteText

// now returns the current wall-clock time in UTC without a monotonic
// reading, so stored and compared times agree.
func now() time.Time { return time.Now().UTC().Round(0) }

// SetLabel sets the current label of a message and appends the change to
// its history; label "" clears it. The change is committed (fsync) when
// SetLabel returns, then announced to subscribers. Setting the label the
// message already has records nothing and returns an event with
// Label == Previous. Errors: ErrUnknownLabel, ErrNotFound, ErrReadOnly.
func (s *Store) SetLabel(id, label string, by Actor) (LabelEvent, error) {
	return s.setLabel(id, label, by, nil)
}

// setLabel is SetLabel; guard, when not nil, is called inside the
// transaction with the current label and the last event of its history
// (nil when it has none) before anything is written, and an error from it
// aborts the change (returned wrapped, with a zero event).
func (s *Store) setLabel(id, label string, by Actor, guard func(cur string, hist []LabelEvent) error) (LabelEvent, error) {
	if label != "" {
		if _, ok := s.labelSet[label]; !ok {
			return LabelEvent{}, fmt.Errorf("store: set label %q: %w", truncate(label, 40), ErrUnknownLabel)
		}
	}
	k, err := parseID(id)
	if err != nil {
		return LabelEvent{}, fmt.Errorf("store: set label: %w", err)
	}
	ev := LabelEvent{Label: label, Actor: by, Time: now()}
	changed := false
	var deltas []learned.Delta
	var t notify.Ticket[Change]
	err = s.batch(func(tx *bolt.Tx) error {
		deltas = deltas[:0]
		if !hasMessage(tx, k[:]) {
			return ErrNotFound
		}
		cur, last, ok, hist, err := analystRecs.LastLabel(tx, k[:])
		if err != nil {
			return err
		}
		ev.Previous = cur
		changed = false
		if guard != nil {
			var lastHist []LabelEvent
			if ok {
				lastHist = []LabelEvent{last}
			}
			if err := guard(cur, lastHist); err != nil {
				return err
			}
		}
		if ev.Previous == label {
			return nil
		}
		changed = true
		s.hub.Stage(&t)
		if err := analystRecs.AppendLabel(tx, k[:], hist, ev); err != nil {
			return err
		}
		return s.syncMember(tx, k[:], &deltas)
	})
	if err != nil {
		s.hub.Announce(&t)
		return LabelEvent{}, fmt.Errorf("store: set label %s: %w", id, err)
	}
	s.applyModel(deltas)
	s.hub.Announce(&t, changeIf(changed, Change{ID: id, Kind: "label", Label: label, Actor: by})...)
	return ev, nil
}

// Label returns the current label ("" when unlabeled) and the history,
// oldest first. Unknown IDs yield ErrNotFound.
func (s *Store) Label(id string) (current string, history []LabelEvent, err error) {
	k, err := parseID(id)
	if err != nil {
		return "", nil, fmt.Errorf("store: label: %w", err)
	}
	err = s.view(func(tx *bolt.Tx) error {
		if !hasMessage(tx, k[:]) {
			return ErrNotFound
		}
		var cur string
		cur, history, err = currentLabel(tx, k[:])
		current = s.internLabel([]byte(cur))
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("store: label %s: %w", id, err)
	}
	return current, history, nil
}

// Labels returns the current label of every labeled message, by ID.
func (s *Store) Labels() (map[string]string, error) {
	out := make(map[string]string)
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLabels)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, sv []byte) error {
			v, err := codec.Unseal(bucketLabels, k, sv)
			if err != nil {
				return err
			}
			out[formatID(k)] = s.internLabel(v)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: labels: %w", err)
	}
	return out, nil
}

// newNoteID returns a random 64-bit note ID, unique across stores so that
// imports can merge notes by ID.
func newNoteID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return "n" + hex.EncodeToString(b[:])
}

// AddNote adds a note to a message; it is committed when AddNote returns,
// then announced to subscribers. Text is limited to 64 KiB. Errors:
// ErrNotFound, ErrReadOnly.
func (s *Store) AddNote(id, text string, by Actor) (Note, error) {
	if len(text) > maxNoteText {
		return Note{}, fmt.Errorf("store: add note: text longer than %d bytes", maxNoteText)
	}
	k, err := parseID(id)
	if err != nil {
		return Note{}, fmt.Errorf("store: add note: %w", err)
	}
	n := Note{ID: newNoteID(), Text: text, Author: by, Time: now()}
	var t notify.Ticket[Change]
	err = s.batch(func(tx *bolt.Tx) error {
		if !hasMessage(tx, k[:]) {
			return ErrNotFound
		}
		notes, err := getNotes(tx, k[:])
		if err != nil {
			return err
		}
		s.hub.Stage(&t)
		return putNotes(tx, k[:], append(notes, n))
	})
	if err != nil {
		s.hub.Announce(&t)
		return Note{}, fmt.Errorf("store: add note %s: %w", id, err)
	}
	s.hub.Announce(&t, Change{ID: id, Kind: "note", Actor: by})
	return n, nil
}

// EditNote replaces the text of a note, keeping the previous version in
// History. Editing to the same text records nothing. Errors: ErrNotFound
// (unknown message or note), ErrReadOnly.
func (s *Store) EditNote(id, noteID, text string, by Actor) (Note, error) {
	if len(text) > maxNoteText {
		return Note{}, fmt.Errorf("store: edit note: text longer than %d bytes", maxNoteText)
	}
	k, err := parseID(id)
	if err != nil {
		return Note{}, fmt.Errorf("store: edit note: %w", err)
	}
	var out Note
	changed := false
	var t notify.Ticket[Change]
	err = s.batch(func(tx *bolt.Tx) error {
		changed = false
		if !hasMessage(tx, k[:]) {
			return ErrNotFound
		}
		notes, err := getNotes(tx, k[:])
		if err != nil {
			return err
		}
		for i := range notes {
			n := &notes[i]
			if n.ID != noteID {
				continue
			}
			if n.Text == text {
				out = *n
				return nil
			}
			n.History = append(n.History, NoteVersion{Text: n.Text, Author: n.Author, Time: n.Time})
			n.Text, n.Author, n.Time = text, by, now()
			out = *n
			changed = true
			s.hub.Stage(&t)
			return putNotes(tx, k[:], notes)
		}
		return fmt.Errorf("note %q: %w", truncate(noteID, 40), ErrNotFound)
	})
	s.hub.Announce(&t, changeIf(err == nil && changed, Change{ID: id, Kind: "note", Actor: by})...)
	if err != nil {
		return Note{}, fmt.Errorf("store: edit note %s: %w", id, err)
	}
	return out, nil
}

// Notes returns the notes of a message in creation order. Unknown IDs yield
// ErrNotFound.
func (s *Store) Notes(id string) ([]Note, error) {
	k, err := parseID(id)
	if err != nil {
		return nil, fmt.Errorf("store: notes: %w", err)
	}
	var notes []Note
	err = s.view(func(tx *bolt.Tx) error {
		if !hasMessage(tx, k[:]) {
			return ErrNotFound
		}
		notes, err = getNotes(tx, k[:])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: notes %s: %w", id, err)
	}
	return notes, nil
}

// changeIf is c when the change was made, else nothing to announce.
func changeIf(made bool, c Change) []Change {
	if !made {
		return nil
	}
	return []Change{c}
}

// ChangeResync is the Kind of a Change that stands for changes a
// subscriber missed (see Subscribe): re-read the current labels and notes.
const ChangeResync = "resync"

// Subscribe returns a channel that receives a Change after every committed
// label or note change made through this Store (including imports), and a
// cancel func that closes it (idempotent). Delivery never delays writers:
// when a subscriber's buffer (256 changes) is full, the changes it cannot
// take are replaced by one Change with Kind ChangeResync, delivered as soon
// as the buffer has room again and after every change it replaces; on it
// the subscriber re-reads what it shows (Labels, Notes). No change is lost
// that way: every change committed before the resync is received is in
// what the subscriber reads after it. Changes are announced in the order
// they were committed. Close closes all channels. Changes made by other
// processes are not seen.
func (s *Store) Subscribe() (ch <-chan Change, cancel func()) { return s.hub.Subscribe() }

// batch is update for small analyst writes (labels, notes): concurrent
// calls, e.g. from many SSH sessions, share one commit and one fsync
// (package groupcommit). It still returns only after its change is
// committed. fn may run more than once and must derive everything from
// tx.
func (s *Store) batch(fn func(tx *bolt.Tx) error) error {
	if s.readOnly {
		return ErrReadOnly
	}
	return s.group.Do(s.guardTx(fn))
}
