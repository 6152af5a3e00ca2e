package ui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/store"
)

// fakeStore is an in-memory Store for tests. It records every write.
type fakeStore struct {
	mu      sync.Mutex
	rows    []store.Row
	reports map[string]*analysis.Report
	raw     map[string][]byte
	labels  map[string]string
	hist    map[string][]store.LabelEvent
	notes   map[string][]store.Note
	writes  []string
	failSet error
	subs    []chan store.Change
	now     time.Time
	state   map[string][]byte
}

func newFakeStore(rows []store.Row, reports map[string]*analysis.Report) *fakeStore {
	f := &fakeStore{
		rows: rows, reports: reports, raw: map[string][]byte{},
		labels: map[string]string{}, hist: map[string][]store.LabelEvent{}, notes: map[string][]store.Note{},
		now:   time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
		state: map[string][]byte{},
	}
	for _, r := range rows {
		if r.Label != "" {
			f.labels[r.ID] = r.Label
		}
	}
	return f
}

func (f *fakeStore) Rows() ([]store.Row, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]store.Row, len(f.rows))
	copy(out, f.rows)
	for i := range out {
		out[i].Label = f.labels[out[i].ID]
	}
	return out, nil
}

func (f *fakeStore) Report(id string) (*analysis.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.reports[id]; ok {
		return r, nil
	}
	return nil, store.ErrNotFound
}

func (f *fakeStore) Raw(id string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if b, ok := f.raw[id]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("raw %s: %w", id, store.ErrNotFound)
}

func (f *fakeStore) Label(id string) (string, []store.LabelEvent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.labels[id], append([]store.LabelEvent(nil), f.hist[id]...), nil
}

func (f *fakeStore) SetLabel(id, label string, by store.Actor) (store.LabelEvent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.setLabelLocked(id, label, by)
}

// SetLabelIf mirrors store.SetLabelIf: the current label must be expect and
// its last change by.Name's.
func (f *fakeStore) SetLabelIf(id, label, expect string, by store.Actor) (store.LabelEvent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cur := store.LabelEvent{Label: f.labels[id]}
	if h := f.hist[id]; len(h) > 0 {
		cur.Actor = h[len(h)-1].Actor
	}
	if cur.Label != expect || (len(f.hist[id]) > 0 && cur.Actor.Name != by.Name) {
		return cur, fmt.Errorf("fake: %w", store.ErrLabelChanged)
	}
	return f.setLabelLocked(id, label, by)
}

func (f *fakeStore) setLabelLocked(id, label string, by store.Actor) (store.LabelEvent, error) {
	if f.failSet != nil {
		return store.LabelEvent{}, f.failSet
	}
	ev := store.LabelEvent{Label: label, Previous: f.labels[id], Actor: by, Time: f.now}
	if label == "" {
		delete(f.labels, id)
	} else {
		f.labels[id] = label
	}
	f.hist[id] = append(f.hist[id], ev)
	f.writes = append(f.writes, "label "+id+" "+label)
	for _, ch := range f.subs {
		select {
		case ch <- store.Change{ID: id, Kind: "label", Label: label, Actor: by}:
		default:
		}
	}
	return ev, nil
}

func (f *fakeStore) Notes(id string) ([]store.Note, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]store.Note(nil), f.notes[id]...), nil
}

func (f *fakeStore) AddNote(id, text string, by store.Actor) (store.Note, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := store.Note{ID: "n" + strconv.Itoa(len(f.notes[id])+1), Text: text, Author: by, Time: f.now}
	f.notes[id] = append(f.notes[id], n)
	f.writes = append(f.writes, "note "+id+" "+text)
	return n, nil
}

func (f *fakeStore) EditNote(id, noteID, text string, by store.Actor) (store.Note, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, n := range f.notes[id] {
		if n.ID == noteID {
			n.History = append(n.History, store.NoteVersion{Text: n.Text, Author: n.Author, Time: n.Time})
			n.Text, n.Author, n.Time = text, by, f.now
			f.notes[id][i] = n
			f.writes = append(f.writes, "edit "+id+" "+text)
			return n, nil
		}
	}
	return store.Note{}, errors.New("no such note")
}

func (f *fakeStore) UIState(key string) ([]byte, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.state[key]
	return append([]byte(nil), v...), ok, nil
}

func (f *fakeStore) PutUIState(key string, value []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if value == nil {
		delete(f.state, key)
	} else {
		f.state[key] = append([]byte(nil), value...)
	}
	return nil
}

func (f *fakeStore) UIStateKeys(prefix string, limit int) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for k := range f.state {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (f *fakeStore) LabelSet() []string { return store.DefaultLabels() }

func (f *fakeStore) Labels() (map[string]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]string{}
	for id, l := range f.labels {
		if l != "" {
			out[id] = l
		}
	}
	return out, nil
}

func (f *fakeStore) Subscribe() (<-chan store.Change, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan store.Change, 16)
	f.subs = append(f.subs, ch)
	return ch, func() {}
}

func (f *fakeStore) writeLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.writes...)
}

// Locators gives every message one mbox locator (the byte offset is the
// message's position among the fixtures, times 10,000).
func (f *fakeStore) Locators(id string) ([]store.Locator, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.rows {
		if r.ID == id {
			return []store.Locator{{Path: "demo.mbox", Offset: int64(i) * 10000, Length: int64(len(f.raw[id]))}}, nil
		}
	}
	return nil, store.ErrNotFound
}
