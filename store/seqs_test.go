package store

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis/features"
	"github.com/triage-tools/triage/store/internal/campstore"
	"github.com/triage-tools/triage/store/internal/learned"
)

// downgradeToV4 rewrites a current database into the schema-4 layout:
// rows, features, campaign members and locators keyed by message ID
// (without the ID in front of their values), 8-byte report pointers.
func downgradeToV4(tx *bolt.Tx) error {
	if err := downgradeToV5(tx); err != nil {
		return err
	}
	idx := tx.Bucket(bucketReports)
	bySeq := map[string][]byte{} // sequence key → ID
	var ptrs []kv
	err := idx.ForEach(func(k, p []byte) error {
		bySeq[string(p[ptrLen:])] = slices.Clone(k)
		ptrs = append(ptrs, kv{slices.Clone(k), slices.Clone(p[:ptrLen])})
		return nil
	})
	if err != nil {
		return err
	}
	if err := putAll(idx, ptrs); err != nil {
		return err
	}
	if err := idx.SetSequence(0); err != nil {
		return err
	}
	for _, name := range [][]byte{bucketRows, learned.BucketFeatures, campstore.BucketMembers, bucketLocators} {
		b := tx.Bucket(name)
		if b == nil {
			continue
		}
		var all []kv
		err := b.ForEach(func(q, v []byte) error {
			k := bySeq[string(q)]
			if name[0] != 'l' { // all but locators start with the ID
				v = v[32:]
			}
			all = append(all, kv{k, slices.Clone(v)})
			return nil
		})
		if err != nil {
			return err
		}
		if err := refill(tx, name, all); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, 4))
}

// snapshot is what an upgrade must keep, by message ID.
type snapshot struct {
	rows      map[string]Row
	labels    map[string][]LabelEvent
	notes     map[string][]Note
	locators  map[string][]Locator
	features  map[string]int
	campaigns map[string]CampaignRef
}

func takeSnapshot(t *testing.T, s *Store) snapshot {
	t.Helper()
	rows, err := s.Rows()
	if err != nil {
		t.Fatal(err)
	}
	sn := snapshot{rows: map[string]Row{}, labels: map[string][]LabelEvent{}, notes: map[string][]Note{},
		locators: map[string][]Locator{}, features: map[string]int{}}
	for _, r := range rows {
		sn.rows[r.ID] = r
		_, h, err := s.Label(r.ID)
		if err != nil {
			t.Fatal(err)
		}
		sn.labels[r.ID] = h
		if sn.notes[r.ID], err = s.Notes(r.ID); err != nil {
			t.Fatal(err)
		}
		if sn.locators[r.ID], err = s.Locators(r.ID); err != nil {
			t.Fatal(err)
		}
		set, ok, err := s.Features(r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			sn.features[r.ID] = set.Len()
		}
	}
	if sn.campaigns, err = s.CampaignRefs(); err != nil {
		t.Fatal(err)
	}
	return sn
}

// A schema-4 store (message buckets keyed by ID) is upgraded on open:
// rows, labels and their history, notes, locators, feature sets and
// campaigns read back the same, and new messages get fresh sequence
// numbers after the migrated ones.
func TestMigrateSchema4Seqs(t *testing.T) {
	s, path := tempStore(t, "v4.db")
	reps := fill(t, s, 300, 4)
	var withFeats []Entry
	for i := range 10 {
		rep := fakeReport(1000+i, rand.New(rand.NewPCG(7, uint64(i))))
		rep.Features = features.FromHashes([]uint32{7, 99, 1000 + uint32(i)})
		withFeats = append(withFeats, Entry{Report: rep, Locator: Locator{Path: "/mail/f.mbox", Offset: int64(i)}})
	}
	if err := s.PutBatch(withFeats); err != nil {
		t.Fatal(err)
	}
	by := Actor{Name: "ana", Source: "test"}
	for i, lab := range []string{"phish", "benign", "spam"} {
		if _, err := s.SetLabel(reps[i*7].ID, lab, by); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetLabel(reps[0].ID, "bec", by); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(reps[5].ID, "called the sender", by); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, s)
	if len(before.rows) != 310 || len(before.campaigns) == 0 || len(before.features) != 10 {
		t.Fatalf("setup: %d rows, %d campaign refs", len(before.rows), len(before.campaigns))
	}
	if err := s.db.Update(downgradeToV4); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = openTestStoreAt(t, path)
	after := takeSnapshot(t, s)
	for name, eq := range map[string]bool{
		"rows":      reflectEqual(before.rows, after.rows),
		"labels":    reflectEqual(before.labels, after.labels),
		"notes":     reflectEqual(before.notes, after.notes),
		"locators":  reflectEqual(before.locators, after.locators),
		"features":  reflectEqual(before.features, after.features),
		"campaigns": reflectEqual(before.campaigns, after.campaigns),
	} {
		if !eq {
			t.Errorf("%s differ after the upgrade", name)
		}
	}
	more := fill(t, s, 20, 5)
	n, err := s.Count()
	if err != nil || n != 330 {
		t.Fatalf("count after new messages %d (%v), want 330", n, err)
	}
	if _, err := s.Report(more[19].ID); err != nil {
		t.Fatal(err)
	}
}

// Ingest appends: the rows, locators, features and campaign members of a
// batch go under increasing sequence keys after those already stored, in
// arrival order, and the buckets are filled densely.
func TestIngestAppendsInArrivalOrder(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 1200, 6)
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketRows, bucketLocators, campstore.BucketMembers} {
			want := uint64(1)
			c := tx.Bucket(name).Cursor()
			for q, _ := c.First(); q != nil; q, _ = c.Next() {
				if len(q) != ptrLen || binary.BigEndian.Uint64(q) != want {
					t.Fatalf("%s: key %x, want sequence %d", name, q, want)
				}
				want++
			}
			if want != 1201 {
				t.Errorf("%s: %d keys, want 1200", name, want-1)
			}
		}
		for i, r := range reps {
			k, _ := parseID(r.ID)
			if got := binary.BigEndian.Uint64(seqOf(tx, k[:])); got != uint64(i+1) {
				t.Fatalf("message %d has sequence %d", i, got)
			}
		}
		if st := tx.Bucket(bucketRows).Stats(); st.LeafInuse*10 < st.LeafAlloc*9 {
			t.Errorf("rows leaves %d of %d bytes in use: not appended densely", st.LeafInuse, st.LeafAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func reflectEqual(a, b any) bool { return reflect.DeepEqual(a, b) }

// A schema-4 store written by triage before sequence keys (40 messages
// of `go run ./internal/bench/gen -n 40`, three labeled, one relabeled,
// one note; testdata/schema4.db.gz) is upgraded on open: the export of
// its labeled messages (labels, history, notes, reports, locators,
// campaigns) is what that triage exported (testdata/schema4-labeled.json),
// and new messages can be added.
func TestUpgradeRealSchema4Store(t *testing.T) {
	gz, err := os.ReadFile("testdata/schema4.db.gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	db, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s4.db")
	if err := os.WriteFile(path, db, 0o600); err != nil {
		t.Fatal(err)
	}
	s := openTestStoreAt(t, path)
	if n, err := s.Count(); err != nil || n != 40 {
		t.Fatalf("count %d (%v), want 40", n, err)
	}
	var buf bytes.Buffer
	if _, err := s.Export(&buf, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	var got struct{ Messages []any }
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	wantJSON, err := os.ReadFile("testdata/schema4-labeled.json")
	if err != nil {
		t.Fatal(err)
	}
	var want []any
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Messages, want) {
		t.Errorf("labeled export after the upgrade differs:\n got %.600v\nwant %.600v", got.Messages, want)
	}
	fill(t, s, 5, 9)
	if n, err := s.Count(); err != nil || n != 45 {
		t.Fatalf("count after new messages %d (%v), want 45", n, err)
	}
}
