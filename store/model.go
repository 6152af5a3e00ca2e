package store

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis/features"
	"github.com/triage-tools/triage/internal/learn"
)

// The learned model (package learn, docs/learning.md) is a pure function
// of its members: per labeled message that teaches it, the class and the
// exact feature set it contributed. Members are written in the same
// transaction as the label, the import or the ingest that changes them,
// so that a later change subtracts exactly what was added. The counters
// live in memory, rebuilt from the members on first use, and a snapshot
// is saved on Close so the next open need not rebuild; a generation
// number, bumped with every member change, says whether the snapshot is
// current.
var (
	bucketModelMembers = []byte("model_members") // id → class byte ‖ features.Append(hashes)
	bucketModel        = []byte("model")         // keyModelVersion, keyModelGen, keyModelState
	keyModelVersion    = []byte("version")       // modelVersion of the members
	keyModelGen        = []byte("gen")           // uint64 big endian, bumped with each member change
	keyModelState      = []byte("state")         // uint64 gen ‖ learn.Model binary
)

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

// modelDelta is one member change, applied to the in-memory model after
// its transaction commits.
type modelDelta struct {
	gen        uint64
	oldC, newC learn.Class
	oldH, newH []uint32
}

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
func (s *Store) modelVersion() string {
	c := s.model.classes
	if c == nil {
		c = learn.DefaultClasses()
	}
	v := learn.Version
	for _, l := range slices.Sorted(maps.Keys(c)) {
		if c[l] != learn.None {
			v += fmt.Sprintf(" %q=%d", l, c[l])
		}
	}
	return v
}

func decodeModelMember(v []byte) (learn.Class, []uint32) {
	if len(v) < 1 {
		return learn.None, nil
	}
	hs, err := features.Decode(v[1:])
	if err != nil {
		return learn.None, nil
	}
	return learn.Class(v[0]), hs
}

// syncMember makes the member of message k agree with its current label
// and stored features, and appends the change, if any, to ds. It runs
// inside a write transaction.
func (s *Store) syncMember(tx *bolt.Tx, k []byte, ds *[]modelDelta) error {
	lv, err := getSealed(tx, bucketLabels, k)
	if err != nil {
		return err
	}
	c := s.classOf(string(lv))
	hs, ok := getFeatures(tx, k)
	if !ok || c == learn.None {
		c, hs = learn.None, nil
	}
	mb := tx.Bucket(bucketModelMembers)
	var oldC learn.Class
	var oldH []uint32
	if mb != nil {
		oldC, oldH = decodeModelMember(mb.Get(k))
	}
	if oldC == c && slices.Equal(oldH, hs) {
		return nil
	}
	if mb == nil {
		if mb, err = tx.CreateBucketIfNotExists(bucketModelMembers); err != nil {
			return err
		}
	}
	if c == learn.None {
		err = mb.Delete(k)
	} else {
		err = mb.Put(k, features.Append([]byte{byte(c)}, hs))
	}
	if err != nil {
		return err
	}
	gen, err := bumpModelGen(tx, s.model.mver)
	if err != nil {
		return err
	}
	*ds = append(*ds, modelDelta{gen: gen, oldC: oldC, oldH: oldH, newC: c, newH: hs})
	return nil
}

func modelGen(tx *bolt.Tx) uint64 {
	b := tx.Bucket(bucketModel)
	if b == nil {
		return 0
	}
	if v := b.Get(keyModelGen); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

func bumpModelGen(tx *bolt.Tx, version string) (uint64, error) {
	b, err := tx.CreateBucketIfNotExists(bucketModel)
	if err != nil {
		return 0, err
	}
	gen := modelGen(tx) + 1
	if len(b.Get(keyModelVersion)) == 0 {
		if err := b.Put(keyModelVersion, []byte(version)); err != nil {
			return 0, err
		}
	}
	return gen, b.Put(keyModelGen, binary.BigEndian.AppendUint64(nil, gen))
}

// applyModel applies committed member changes to the in-memory model.
func (s *Store) applyModel(ds []modelDelta) {
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
		if d.gen <= ms.loaded {
			continue // committed before the load read the members
		}
		if ms.shared {
			ms.m, ms.shared = ms.m.Clone(), false
		}
		ms.m.Remove(d.oldH, d.oldC)
		ms.m.Add(d.newH, d.newC)
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
		b := tx.Bucket(bucketModel)
		stale = b != nil && string(b.Get(keyModelVersion)) != s.model.mver
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
	m := &learn.Model{}
	var gen uint64
	err := s.view(func(tx *bolt.Tx) error {
		gen = modelGen(tx)
		if stale { // read-only: count from the labels without writing
			return s.forEachFresh(tx, func(c learn.Class, hs []uint32) { m.Add(hs, c) })
		}
		if b := tx.Bucket(bucketModel); b != nil {
			if v := b.Get(keyModelState); len(v) > 8 && binary.BigEndian.Uint64(v) == gen {
				if m.UnmarshalBinary(v[8:]) == nil {
					return nil
				}
				m = &learn.Model{}
			}
		}
		mb := tx.Bucket(bucketModelMembers)
		if mb == nil {
			return nil
		}
		return mb.ForEach(func(_, v []byte) error {
			c, hs := decodeModelMember(v)
			m.Add(hs, c)
			return nil
		})
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
func (s *Store) forEachFresh(tx *bolt.Tx, fn func(learn.Class, []uint32)) error {
	lb := tx.Bucket(bucketLabels)
	return lb.ForEach(func(k, _ []byte) error {
		lv, err := getSealed(tx, bucketLabels, k)
		if err != nil {
			return err
		}
		c := s.classOf(string(lv))
		if c == learn.None {
			return nil
		}
		if hs, ok := getFeatures(tx, k); ok {
			fn(c, hs)
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
	err := s.update(func(tx *bolt.Tx) error {
		m = &learn.Model{}
		if tx.Bucket(bucketModelMembers) != nil {
			if err := tx.DeleteBucket(bucketModelMembers); err != nil {
				return err
			}
		}
		mb, err := tx.CreateBucketIfNotExists(bucketModelMembers)
		if err != nil {
			return err
		}
		lb := tx.Bucket(bucketLabels)
		err = lb.ForEach(func(k, _ []byte) error {
			lv, err := getSealed(tx, bucketLabels, k)
			if err != nil {
				return err
			}
			c := s.classOf(string(lv))
			if c == learn.None {
				return nil
			}
			hs, ok := getFeatures(tx, k)
			if !ok {
				return nil
			}
			m.Add(hs, c)
			return mb.Put(k, features.Append([]byte{byte(c)}, hs))
		})
		if err != nil {
			return err
		}
		if gen, err = bumpModelGen(tx, s.model.mver); err != nil {
			return err
		}
		b := tx.Bucket(bucketModel)
		if err := b.Delete(keyModelState); err != nil {
			return err
		}
		return b.Put(keyModelVersion, []byte(s.model.mver))
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
		gen := modelGen(tx)
		v := tx.Bucket(bucketModel)
		stale = gen != 0 && (v == nil || len(v.Get(keyModelState)) < 8 || binary.BigEndian.Uint64(v.Get(keyModelState)) != gen)
		return nil
	}); err != nil || !stale {
		return err // nothing learned yet, or the snapshot is current: no write
	}
	state, err := ms.m.MarshalBinary()
	if err != nil {
		return err
	}
	err = s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketModel)
		if err != nil {
			return err
		}
		gen := modelGen(tx)
		if v := b.Get(keyModelState); len(v) >= 8 && binary.BigEndian.Uint64(v) == gen {
			return nil // already current
		}
		return b.Put(keyModelState, append(binary.BigEndian.AppendUint64(nil, gen), state...))
	})
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
	scores = map[string]learn.Brief{}
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeatures)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, iv []byte) error {
			k, v, ok := idValue(iv)
			if !ok {
				return nil
			}
			hs, ok := decodeFeatures(v)
			if !ok {
				return nil
			}
			sum, pts := m.Quick(hs)
			scores[IDPrefix+hex.EncodeToString(k)] = learn.Brief{Sum: sum, Points: pts}
			return nil
		})
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
