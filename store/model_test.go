package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/features"
	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/store/internal/learned"
)

// randomFeatures gives rep a random feature set of 50–300 buckets.
func randomFeatures(rep *analysis.Report, r *rand.Rand) {
	seen := map[uint32]bool{}
	var hs []uint32
	for range 50 + r.IntN(250) {
		h := r.Uint32N(features.Buckets)
		if !seen[h] {
			seen[h] = true
			hs = append(hs, h)
		}
	}
	slices.Sort(hs)
	rep.Features = features.FromHashes(hs)
}

// modelStore stores n fake messages with features and returns them.
func modelStore(t testing.TB, s *Store, n int, seed uint64) []*analysis.Report {
	t.Helper()
	return fillWith(t, s, n, rand.New(rand.NewPCG(seed, 2)), randomFeatures)
}

// freshModel counts the model from the labels and stored features, the
// definition the incremental model must match.
func freshModel(t testing.TB, s *Store) *learn.Model {
	t.Helper()
	m := &learn.Model{}
	err := s.view(func(tx *bolt.Tx) error {
		return s.forEachFresh(tx, func(_ []byte, c learn.Class, hs []uint32) error { m.Add(hs, c); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checkModel is the model invariant of checkInvariants: a loaded model
// equals the model counted afresh from labels and features.
func checkModel(t testing.TB, s *Store) {
	t.Helper()
	s.model.mu.Lock()
	m := s.model.m
	s.model.mu.Unlock()
	if m != nil && !m.Equal(freshModel(t, s)) {
		t.Errorf("model invariant: the incremental model differs from the one counted from the labels")
	}
}

func mustModel(t testing.TB, s *Store) *learn.Model {
	t.Helper()
	m, err := s.Model()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func label(t testing.TB, s *Store, id, l string) {
	t.Helper()
	if _, err := s.SetLabel(id, l, Actor{Name: "t", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
}

func TestModelLabelUndoRelabel(t *testing.T) {
	s := openTestStore(t)
	reps := modelStore(t, s, 3, 1)
	mustModel(t, s) // loaded: the changes below go through the incremental path
	a := reps[0]
	label(t, s, a.ID, "phish")
	label(t, s, reps[1].ID, "benign")
	label(t, s, a.ID, "")
	label(t, s, a.ID, "benign")
	want := &learn.Model{}
	want.Add(a.Features.Hashes, learn.Good)
	want.Add(reps[1].Features.Hashes, learn.Good)
	if !mustModel(t, s).Equal(want) {
		t.Fatal("label, undo, relabel: the model is not as if only the last labels were given")
	}
	// Re-analysis with other features: the old contribution is subtracted.
	b := *a
	b.AnalyzerVersion = "other"
	randomFeatures(&b, rand.New(rand.NewPCG(9, 9)))
	if err := s.PutBatch([]Entry{{Report: &b, Locator: Locator{Path: "/mail/m.mbox", Offset: 0, Length: 100}}}); err != nil {
		t.Fatal(err)
	}
	want = &learn.Model{}
	want.Add(b.Features.Hashes, learn.Good)
	want.Add(reps[1].Features.Hashes, learn.Good)
	if !mustModel(t, s).Equal(want) {
		t.Fatal("after re-analysis the model still holds the old features")
	}
	// spam teaches nothing.
	label(t, s, a.ID, "spam")
	want = &learn.Model{}
	want.Add(reps[1].Features.Hashes, learn.Good)
	if !mustModel(t, s).Equal(want) {
		t.Fatal("spam label still counts")
	}
}

// TestModelOrderIndependent: the same final labels given in another order,
// with detours, give the identical model (integer counters: exact).
func TestModelOrderIndependent(t *testing.T) {
	labels := []string{"phish", "benign", "malware", "bec", "benign", "spam", "unsure", "benign", "phish", "simulation"}
	var models []*learn.Model
	for seed := range uint64(3) {
		s := openTestStore(t)
		reps := modelStore(t, s, 40, 7)
		if seed == 1 {
			mustModel(t, s)
		}
		order := rand.New(rand.NewPCG(seed, 3)).Perm(len(reps))
		for _, i := range order {
			if seed == 2 {
				label(t, s, reps[i].ID, "benign") // a detour
			}
			label(t, s, reps[i].ID, labels[i%len(labels)])
		}
		models = append(models, mustModel(t, s))
	}
	for i := 1; i < len(models); i++ {
		if !models[i].Equal(models[0]) {
			t.Fatalf("order %d gives another model", i)
		}
	}
	if b, g := models[0].Counts(); b != 16 || g != 12 {
		t.Fatalf("counts %d bad, %d good; want 16, 12", b, g)
	}
}

// labeledExport stores two messages with features (modelStore's, from
// seed) in a new store, labels them phish and benign and returns them
// with the store's export.
func labeledExport(t *testing.T, seed uint64) ([]*analysis.Report, *bytes.Buffer) {
	t.Helper()
	src := openTestStore(t)
	reps := modelStore(t, src, 2, seed)
	label(t, src, reps[0].ID, "phish")
	label(t, src, reps[1].ID, "benign")
	var buf bytes.Buffer
	if _, err := src.Export(&buf, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	return reps, &buf
}

// TestModelImportedReportDoesNotTeach: an imported label on a message
// whose report was not computed here teaches nothing until the message is
// analysed here; then it does, and so does a later import of a label.
func TestModelImportedReportDoesNotTeach(t *testing.T) {
	reps, buf := labeledExport(t, 4)
	s := openTestStore(t)
	mustModel(t, s)
	by := Actor{Name: "t", Source: "import"}
	if _, err := s.Import(context.Background(), bytes.NewReader(buf.Bytes()), by, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if b, g := mustModel(t, s).Counts(); b != 0 || g != 0 {
		t.Fatal("an imported report taught the model")
	}
	if err := s.PutBatch([]Entry{{Report: reps[0], Locator: Locator{Path: "/m", Offset: 0, Length: 1}}}); err != nil {
		t.Fatal(err)
	}
	want := &learn.Model{}
	want.Add(reps[0].Features.Hashes, learn.Bad)
	if !mustModel(t, s).Equal(want) {
		t.Fatal("the imported label does not teach once the message is analysed here")
	}
}

// TestModelSnapshotAndVersion: the model saved at Close is loaded as is;
// a model of another version is rebuilt from the labels.
func TestModelSnapshotAndVersion(t *testing.T) {
	s, path := tempStore(t, "t.db")
	reps := modelStore(t, s, 30, 5)
	for i, rep := range reps {
		label(t, s, rep.ID, []string{"phish", "benign"}[i%2])
	}
	want := mustModel(t, s).Clone()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openTestStoreAt(t, path)
	var snap bool
	_ = s2.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(learned.BucketModel).Get(learned.KeyState)
		snap = len(v) > 8 && binary.BigEndian.Uint64(v) == learned.Gen(tx)
		return nil
	})
	if !snap {
		t.Fatal("no current snapshot after Close")
	}
	if !mustModel(t, s2).Equal(want) {
		t.Fatal("snapshot model differs")
	}
	// Another version: members are rebuilt, the snapshot dropped.
	err := s2.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(learned.BucketModel).Put(learned.KeyVersion, []byte("old")); err != nil {
			return err
		}
		return tx.DeleteBucket(learned.BucketMembers)
	})
	if err != nil {
		t.Fatal(err)
	}
	s2.dropModel()
	if !mustModel(t, s2).Equal(want) {
		t.Fatal("rebuilt model differs")
	}
}

// TestModelClasses: a custom mapping decides what teaches; reopening with
// another mapping rebuilds the model from the labels.
func TestModelClasses(t *testing.T) {
	s, path := tempStore(t, "t.db")
	reps := modelStore(t, s, 2, 6)
	label(t, s, reps[0].ID, "spam")
	label(t, s, reps[1].ID, "benign")
	if b, g := mustModel(t, s).Counts(); b != 0 || g != 1 {
		t.Fatalf("default classes: %d, %d", b, g)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path, Options{LearnClasses: map[string]learn.Class{"spam": learn.Bad, "benign": learn.Good}})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if b, g := mustModel(t, s2).Counts(); b != 1 || g != 1 {
		t.Fatalf("counts %d, %d; want spam to teach bad", b, g)
	}
	checkModel(t, s2)
}

func BenchmarkLabelModelUpdate(b *testing.B) { benchLabels(b, modelStore) }

// benchLabels labels 200 messages stored by put in turn phish, benign
// and none.
func benchLabels(b *testing.B, put func(testing.TB, *Store, int, uint64) []*analysis.Report) {
	s := openTestStore(b)
	reps := put(b, s, 200, 8)
	mustModel(b, s)
	b.ResetTimer()
	for i := range b.N {
		label(b, s, reps[i%len(reps)].ID, []string{"phish", "benign", ""}[i%3])
	}
}

// TestLearnedScores: every message with features is scored once the model
// is trained, the cache follows labels and new messages.
func TestLearnedScores(t *testing.T) {
	s := openTestStore(t)
	reps := modelStore(t, s, 2*learn.MinPerClass+1, 12)
	for i, rep := range reps[:2*learn.MinPerClass-1] {
		label(t, s, rep.ID, []string{"phish", "benign"}[i%2])
	}
	if sc, ok, err := s.LearnedScores(); err != nil || ok || sc != nil {
		t.Fatalf("untrained: %v %v %v", sc, ok, err)
	}
	label(t, s, reps[2*learn.MinPerClass-1].ID, "benign")
	sc, ok, err := s.LearnedScores()
	if err != nil || !ok || len(sc) != len(reps) {
		t.Fatalf("trained: %d scores, %v, %v", len(sc), ok, err)
	}
	m := mustModel(t, s)
	last := reps[len(reps)-1]
	if sum, pts := m.Quick(last.Features.Hashes); sc[last.ID] != (learn.Brief{Sum: sum, Points: pts}) {
		t.Fatalf("score of %s = %v", last.ID, sc[last.ID])
	}
	// A new message right after a computation: the next one waits for
	// the pacing gap (recorded, not slept), then includes it.
	var waits []time.Duration
	s.model.sleep = func(d time.Duration) { waits = append(waits, d) }
	modelStore(t, s, 1, 13)
	if sc, _, _ = s.LearnedScores(); len(sc) != len(reps)+1 {
		t.Fatalf("new message not scored: %d", len(sc))
	}
	if len(waits) != 1 || waits[0] <= 0 || waits[0] > learnedMinGap+time.Second {
		t.Errorf("pauses before the second computation: %v, want one of up to the gap", waits)
	}
	// The same model again: the cache, no pause.
	if _, _, _ = s.LearnedScores(); len(waits) != 1 {
		t.Errorf("a cached answer paused: %v", waits)
	}
}

// TestModelImportTrains: importing a labeled export into a store that
// analysed the same messages trains the model with those labels.
func TestModelImportTrains(t *testing.T) {
	reps, buf := labeledExport(t, 14)
	s := openTestStore(t)
	modelStore(t, s, 2, 14) // the same messages, analysed here
	mustModel(t, s)
	if _, err := s.Import(context.Background(), buf, Actor{Name: "t", Source: "import"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	want := &learn.Model{}
	want.Add(reps[0].Features.Hashes, learn.Bad)
	want.Add(reps[1].Features.Hashes, learn.Good)
	if !mustModel(t, s).Equal(want) {
		t.Fatal("import did not train the model")
	}
}

// BenchmarkRebuildModel10k: recount the members of 10,000 labeled
// messages from their stored features and load the model (what a change
// of learn.Version costs), without re-parsing anything.
func BenchmarkRebuildModel10k(b *testing.B) {
	s := openTestStore(b)
	reps := modelStore(b, s, 10_000, 15)
	err := s.update(func(tx *bolt.Tx) error { // labels without the per-label commits
		for i, rep := range reps {
			k, _ := parseID(rep.ID)
			ev := LabelEvent{Label: []string{"phish", "benign"}[i%2], Actor: Actor{Name: "b", Source: "cli"}, Time: now()}
			if err := putLabel(tx, k[:], []LabelEvent{ev}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if err := s.RebuildModel(); err != nil {
			b.Fatal(err)
		}
		if bad, good := mustModel(b, s).Counts(); bad+good != len(reps) {
			b.Fatalf("%d+%d members", bad, good)
		}
	}
}

func BenchmarkLearnedScores10k(b *testing.B) {
	s := openTestStore(b)
	reps := modelStore(b, s, 10_000, 16)
	for i, rep := range reps[:60] {
		label(b, s, rep.ID, []string{"phish", "benign"}[i%2])
	}
	s.model.sleep = func(time.Duration) {} // measure the computation, not the pacing
	b.ResetTimer()
	for range b.N {
		s.featuresChanged() // defeat the cache
		if _, ok, err := s.LearnedScores(); err != nil || !ok {
			b.Fatal(err)
		}
	}
}

// BenchmarkLabelNoFeatures is BenchmarkLabelModelUpdate's baseline: the
// same labels on messages without features (no model member to keep).
func BenchmarkLabelNoFeatures(b *testing.B) { benchLabels(b, fill) }
