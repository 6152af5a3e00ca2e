package store

import (
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/store/internal/analyst"
	"github.com/triage-tools/triage/store/internal/learned"
)

// The learned model's storage is in store/internal/learned.

// modelState is the in-memory model of a Store.
type modelState struct {
	mu      sync.Mutex
	classes map[string]learn.Class
	mver    string       // modelVersion(), fixed at Open
	m       *learn.Model // nil until loaded
	shared  bool         // m was handed out by Model: clone before changing it
	loaded  uint64       // generation m was loaded at: later deltas are not in it
	version uint64       // bumped whenever m changes or is replaced (scores cache key)

	scoresMu  sync.Mutex // held while computing scores: sessions share one computation
	scores    map[string]learn.Brief
	scoresVer uint64
	scoresOK  bool
	scoresAt  time.Time           // when the last computation of a trained model's scores ended
	scoresFor time.Duration       // how long it took
	sleep     func(time.Duration) // time.Sleep; tests record the pauses
}

// learnedMinGap is the least time between two computations of the learned
// scores of every message (LearnedScores): labels arriving faster, from
// any number of sessions, are taken in by the next computation.
const learnedMinGap = 500 * time.Millisecond

// classOf maps a label to what it teaches.
func (s *Store) classOf(label string) learn.Class {
	if s.model.classes == nil {
		return learn.DefaultClasses()[label]
	}
	return s.model.classes[label]
}

// modelVersion is what the members were counted with: learn.Version and
// the label classes. A store whose stored version differs is rebuilt from
// its labels on the next Model call.
func (s *Store) modelVersion() string { return learned.Version(s.model.classes) }

// syncMember makes the member of message k agree with its current label
// and stored features, and appends the change, if any, to ds. It runs
// inside a write transaction.
func (s *Store) syncMember(tx *bolt.Tx, k []byte, ds *[]learned.Delta) error {
	lv, err := analyst.GetSealed(tx, bucketLabels, k)
	if err != nil {
		return err
	}
	c := s.classOf(string(lv))
	hs, ok := getFeatures(tx, k)
	if !ok || c == learn.None {
		c, hs = learn.None, nil
	}
	d, changed, err := learned.SyncMember(tx, k, c, hs, s.model.mver)
	if err != nil || !changed {
		return err
	}
	*ds = append(*ds, d)
	return nil
}

// applyModel applies committed member changes to the in-memory model.
func (s *Store) applyModel(ds []learned.Delta) {
	if len(ds) == 0 {
		return
	}
	ms := &s.model
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.m == nil {
		return // the next load reads them from the members
	}
	for _, d := range ds {
		if d.Gen <= ms.loaded {
			continue // committed before the load read the members
		}
		if ms.shared {
			ms.m, ms.shared = ms.m.Clone(), false
		}
		ms.m.Remove(d.OldH, d.OldC)
		ms.m.Add(d.NewH, d.NewC)
		ms.version++
	}
}

// Model returns the current learned model. The model is immutable: later
// labels change a copy. The first call loads it (from the snapshot, or by
// counting the members; a store whose members are of another learn
// version is rebuilt from the labels first).
func (s *Store) Model() (*learn.Model, error) {
	ms := &s.model
	ms.mu.Lock()
	if ms.m != nil {
		ms.shared = true
		defer ms.mu.Unlock()
		return ms.m, nil
	}
	ms.mu.Unlock()
	stale := false
	if err := s.view(func(tx *bolt.Tx) error {
		stale = learned.Stale(tx, s.model.mver)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: model: %w", err)
	}
	if stale && !s.readOnly {
		if err := s.RebuildModel(); err != nil {
			return nil, err
		}
		stale = false
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.m != nil {
		ms.shared = true
		return ms.m, nil
	}
	var m *learn.Model
	var gen uint64
	err := s.view(func(tx *bolt.Tx) (err error) {
		var fresh learned.Fresh
		if stale { // read-only: count from the labels without writing
			fresh = func(fn func([]byte, learn.Class, []uint32) error) error { return s.forEachFresh(tx, fn) }
		}
		m, gen, err = learned.Load(tx, fresh)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: model: %w", err)
	}
	ms.m, ms.loaded, ms.shared = m, gen, true
	ms.version++
	return m, nil
}

// forEachFresh calls fn with the class and features of every labeled
// message that teaches the model, computed from the labels and the stored
// features (not from the members).
func (s *Store) forEachFresh(tx *bolt.Tx, fn func([]byte, learn.Class, []uint32) error) error {
	lb := tx.Bucket(bucketLabels)
	return lb.ForEach(func(k, _ []byte) error {
		lv, err := analyst.GetSealed(tx, bucketLabels, k)
		if err != nil {
			return err
		}
		c := s.classOf(string(lv))
		if c == learn.None {
			return nil
		}
		if hs, ok := getFeatures(tx, k); ok {
			return fn(k, c, hs)
		}
		return nil
	})
}

// RebuildModel recomputes every member from the labels and the stored
// features, in one transaction, and drops the in-memory model and the
// snapshot. It is what a change of learn.Version or of the label classes
// needs; it never re-parses a message.
func (s *Store) RebuildModel() error {
	var (
		m   *learn.Model
		gen uint64
	)
	// Held until the new model is installed, so that a label committed
	// right after the rebuild applies its change to the new model. Nothing
	// takes ms.mu while holding bbolt's writer lock.
	ms := &s.model
	ms.mu.Lock()
	defer ms.mu.Unlock()
	err := s.update(func(tx *bolt.Tx) (err error) {
		m, gen, err = learned.Rebuild(tx, s.model.mver, func(fn func([]byte, learn.Class, []uint32) error) error {
			return s.forEachFresh(tx, fn)
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("store: rebuild model: %w", err)
	}
	ms.m, ms.loaded, ms.shared = m, gen, false
	ms.version++
	return nil
}

// saveModel writes the in-memory model as the snapshot when it is loaded,
// current and the store writable (called by Close).
func (s *Store) saveModel() error {
	if s.readOnly {
		return nil
	}
	ms := &s.model
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if ms.m == nil {
		return nil
	}
	var stale bool
	if err := s.view(func(tx *bolt.Tx) error {
		stale = learned.SnapshotStale(tx)
		return nil
	}); err != nil || !stale {
		return err // nothing learned yet, or the snapshot is current: no write
	}
	state, err := ms.m.MarshalBinary()
	if err != nil {
		return err
	}
	err = s.update(func(tx *bolt.Tx) error { return learned.PutSnapshot(tx, state) })
	if errors.Is(err, ErrReadOnly) {
		return nil
	}
	return err
}

// dropModel forgets the in-memory model: the next Model call counts the
// members again (after a write whose deltas may be lost).
func (s *Store) dropModel() {
	s.model.mu.Lock()
	s.model.m = nil
	s.model.mu.Unlock()
}

// LearnedScores scores every message with stored features by the current
// model: message ID → learned log-odds and points. trained is false (and
// the map nil) while the model has too few labels. The map is shared by
// every caller until the model changes (many workbench sessions ask after
// each label): read it, never change it.
func (s *Store) LearnedScores() (scores map[string]learn.Brief, trained bool, err error) {
	ms := &s.model
	ms.scoresMu.Lock()
	defer ms.scoresMu.Unlock()
	m, err := s.Model()
	if err != nil {
		return nil, false, err
	}
	ms.mu.Lock()
	ver := ms.version
	ms.mu.Unlock()
	if ms.scoresVer == ver && ver != 0 {
		return ms.scores, ms.scoresOK, nil
	}
	if !m.Trained() {
		ms.scores, ms.scoresOK, ms.scoresVer = nil, false, ver
		return nil, false, nil
	}
	if ms.scoresOK {
		// Pace the computations: at least learnedMinGap, and twice the
		// last one's cost, between two (it reads every feature set, 145 ms
		// for 10k messages), so that a team labeling without pause keeps
		// at most a third of a core busy. The caller is a background
		// command; the scores it gets are those of the model after the
		// pause, labels given meanwhile included.
		if wait := max(learnedMinGap, 2*ms.scoresFor) - time.Since(ms.scoresAt); wait > 0 {
			sleep := ms.sleep
			if sleep == nil {
				sleep = time.Sleep
			}
			sleep(wait)
			if m, err = s.Model(); err != nil {
				return nil, false, err
			}
			ms.mu.Lock()
			ver = ms.version
			ms.mu.Unlock()
		}
	}
	start := time.Now()
	err = s.view(func(tx *bolt.Tx) (err error) {
		scores, err = learned.Scores(tx, m, IDPrefix)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("store: learned scores: %w", err)
	}
	ms.scores, ms.scoresOK, ms.scoresVer = scores, true, ver
	ms.scoresAt = time.Now()
	ms.scoresFor = ms.scoresAt.Sub(start)
	return scores, true, nil
}

// featuresChanged invalidates the cached LearnedScores: new messages may
// have features.
func (s *Store) featuresChanged() {
	s.model.mu.Lock()
	s.model.version++
	s.model.mu.Unlock()
}
