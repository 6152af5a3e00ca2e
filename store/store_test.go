package store

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/notify"
)

var alice = Actor{Name: "alice", Source: "cli"}

func TestOpenCreatesPrivateFile(t *testing.T) {
	s := openTestStore(t)
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("db mode %v, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(filepath.Dir(s.Path()))
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", di.Mode().Perm())
	}
	if got := s.LabelSet(); !slices.Equal(got, DefaultLabels()) {
		t.Errorf("LabelSet = %v", got)
	}
}

func TestOpenReadOnlyMissing(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "nope.db"), Options{ReadOnly: true})
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want not exist", err)
	}
}

func TestReadOnlyRejectsWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	s := openTestStoreAt(t, path)
	reps := fill(t, s, 3, 1)
	s.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.SetLabel(reps[0].ID, "phish", alice); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SetLabel err = %v", err)
	}
	if err := ro.PutBatch([]Entry{{Report: reps[0]}}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("PutBatch err = %v", err)
	}
	if n, err := ro.Count(); err != nil || n != 3 {
		t.Errorf("Count = %d, %v", n, err)
	}
}

func TestNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, SchemaVersion+1))
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, ro := range []bool{false, true} {
		if _, err := Open(path, Options{ReadOnly: ro}); !errors.Is(err, ErrNewerSchema) {
			t.Errorf("ReadOnly=%v: err = %v, want ErrNewerSchema", ro, err)
		}
	}
}

func TestMigrationHook(t *testing.T) {
	s := openTestStore(t)
	var ran []int
	table := []func(*bolt.Tx) error{
		func(tx *bolt.Tx) error { ran = append(ran, 1); return nil },
		func(tx *bolt.Tx) error {
			ran = append(ran, 2)
			return tx.Bucket(bucketMeta).Put([]byte("m2"), []byte("ok"))
		},
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return migrate(tx, 1, 3, table) }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ran, []int{1, 2}) {
		t.Errorf("ran %v", ran)
	}
	boom := errors.New("boom")
	err := s.db.Update(func(tx *bolt.Tx) error {
		return migrate(tx, 2, 3, []func(*bolt.Tx) error{nil, func(tx *bolt.Tx) error { return boom }})
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error { return migrate(tx, 1, 4, table) })
	if err == nil || !strings.Contains(err.Error(), "no migration from schema 3") {
		t.Errorf("missing migration err = %v", err)
	}
	// A stored version 0 is rejected rather than crashing.
	path := s.Path()
	s.Close()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, 0))
	})
	db.Close()
	if _, err := Open(path, Options{}); err == nil {
		t.Error("schema 0 accepted")
	}
	db, _ = bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	_ = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, SchemaVersion))
	})
	db.Close()
}

func TestPutBatchIdempotentAndRows(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 1200, 2)
	fill(t, s, 1200, 2) // same batch again
	n, err := s.Count()
	if err != nil || n != 1200 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	locs, err := s.Locators(reps[7].ID)
	if err != nil || len(locs) != 1 || locs[0].Offset != 7*5000 {
		t.Fatalf("Locators = %+v, %v", locs, err)
	}
	got, err := s.Report(reps[7].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Summary.Subject != reps[7].Summary.Subject || len(got.URLs) != len(reps[7].URLs) || !got.Summary.Date.Equal(reps[7].Summary.Date) {
		t.Errorf("Report round trip differs: %+v", got.Summary)
	}
	if _, err := s.SetLabel(reps[3].ID, "phish", alice); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Rows()
	if err != nil || len(rows) != 1200 {
		t.Fatalf("Rows = %d, %v", len(rows), err)
	}
	byID := map[string]Row{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	r3 := byID[reps[3].ID]
	want := RowFromReport(reps[3])
	want.Label = "phish"
	if r3.Label != "phish" || r3.Subject != want.Subject || r3.Score != want.Score || !r3.Date.Equal(want.Date) ||
		!slices.Equal(r3.Rules, want.Rules) || !slices.Equal(r3.Hosts, want.Hosts) || !slices.Equal(r3.Domains, want.Domains) || r3.MessageID != want.MessageID {
		t.Errorf("row = %+v\nwant %+v", r3, want)
	}
	if _, off := r3.Date.Zone(); off != 9*3600 {
		t.Errorf("row date zone offset %d", off)
	}
	rf, err := s.RowsFor([]string{reps[3].ID, "sha256:bogus", reps[4].ID})
	if err != nil || len(rf) != 2 || rf[0].ID != reps[3].ID || rf[0].Label != "phish" || rf[1].ID != reps[4].ID {
		t.Errorf("RowsFor = %+v, %v", rf, err)
	}
	if v, ok, err := s.Has(reps[0].ID); err != nil || !ok || v != testAnalyzerVersion {
		t.Errorf("Has = %q %v %v", v, ok, err)
	}
	if _, ok, _ := s.Has(idOf("never stored")); ok {
		t.Errorf("Has(unknown) = true")
	}
}

func TestPutBatchLocatorsAndReanalysis(t *testing.T) {
	s := openTestStore(t)
	r := rand.New(rand.NewPCG(3, 3))
	rep := fakeReport(1, r)
	l1 := Locator{Path: "/a.mbox", Offset: 10, Length: 100}
	l2 := Locator{Path: "/maildir", Folder: "INBOX", File: "cur/123.host:2,S"}
	l2b := Locator{Path: "/maildir", Folder: "INBOX", File: "cur/123.host:2,RS", Flags: "RS"}
	for _, e := range [][]Entry{{{Report: rep, Locator: l1}}, {{Report: rep, Locator: l2}}, {{Report: rep, Locator: l1}, {Report: rep, Locator: l2b}}} {
		if err := s.PutBatch(e); err != nil {
			t.Fatal(err)
		}
	}
	locs, err := s.Locators(rep.ID)
	if err != nil || !slices.Equal(locs, []Locator{l1, l2b}) {
		t.Errorf("Locators = %+v, %v", locs, err)
	}
	// A new analyzer version replaces report, row and Message-ID index.
	rep2 := *rep
	rep2.AnalyzerVersion = "9.9"
	rep2.Summary.MessageID = "new@id"
	rep2.Score = 99
	if err := s.PutBatch([]Entry{{Report: &rep2}}); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := s.Has(rep.ID); v != "9.9" {
		t.Errorf("version after re-analysis %q", v)
	}
	if rows, _ := s.RowsFor([]string{rep.ID}); len(rows) != 1 || rows[0].Score != 99 {
		t.Errorf("row after re-analysis %+v", rows)
	}
	if _, err := s.Resolve("<" + rep.Summary.MessageID + ">"); !errors.Is(err, ErrNotFound) {
		t.Errorf("old Message-ID still resolves: %v", err)
	}
	if id, err := s.Resolve("<new@id>"); err != nil || id != rep.ID {
		t.Errorf("Resolve new Message-ID = %q, %v", id, err)
	}
	if err := s.PutBatch([]Entry{{Report: &analysis.Report{ID: "md5:x"}}}); err == nil {
		t.Errorf("malformed id accepted")
	}
}

func TestResolve(t *testing.T) {
	s := openTestStore(t)
	// Find two IDs sharing an 8-digit hex prefix to test ambiguity: craft
	// reports with chosen IDs instead of hashes.
	mk := func(hexID, msgID string) *analysis.Report {
		return &analysis.Report{ID: IDPrefix + hexID, AnalyzerVersion: "1", Summary: analysis.Summary{MessageID: msgID}}
	}
	a := mk("abcdef01"+strings.Repeat("0", 56), "one@example.com")
	b := mk("abcdef01"+strings.Repeat("1", 56), "dup@example.com")
	c := mk("abcdef02"+strings.Repeat("2", 56), "dup@example.com")
	d := mk("12345678"+strings.Repeat("3", 56), "")
	if err := s.PutBatch([]Entry{{Report: a}, {Report: b}, {Report: c}, {Report: d}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ref     string
		want    string
		wantErr error
	}{
		{a.ID, a.ID, nil},
		{strings.TrimPrefix(a.ID, IDPrefix), a.ID, nil},
		{"abcdef010", a.ID, nil},
		{"ABCDEF011", b.ID, nil},
		{"sha256:abcdef02", c.ID, nil},
		{"abcdef0", "", ErrNotFound}, // too short, and no such Message-ID
		{"abcdef01", "", ErrAmbiguous},
		{"abcdef0", "", ErrNotFound},
		{"1234567", "", ErrNotFound},
		{"12345678", d.ID, nil},
		{"one@example.com", a.ID, nil},
		{" <one@example.com> ", a.ID, nil},
		{"one@example", "", ErrNotFound},
		{"<dup@example.com>", "", ErrAmbiguous},
		{"ffffffff", "", ErrNotFound},
		{"", "", ErrNotFound},
	}
	for _, tt := range tests {
		got, err := s.Resolve(tt.ref)
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("Resolve(%q) = %q, %v; want %q, %v", tt.ref, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestLabels(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 5, 4)
	id := reps[0].ID
	ch, cancel := s.Subscribe()
	defer cancel()
	if _, err := s.SetLabel(id, "nonsense", alice); !errors.Is(err, ErrUnknownLabel) {
		t.Errorf("unknown label err = %v", err)
	}
	if _, err := s.SetLabel(idOf("unknown"), "phish", alice); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id err = %v", err)
	}
	ev, err := s.SetLabel(id, "phish", alice)
	if err != nil || ev.Previous != "" || ev.Label != "phish" || ev.Time.IsZero() {
		t.Fatalf("SetLabel = %+v, %v", ev, err)
	}
	if c := <-ch; c.ID != id || c.Kind != "label" || c.Label != "phish" || c.Actor != alice {
		t.Errorf("change = %+v", c)
	}
	if ev, _ := s.SetLabel(id, "phish", alice); ev.Previous != "phish" {
		t.Errorf("repeat SetLabel = %+v", ev)
	}
	if _, err := s.SetLabel(id, "spam", Actor{Name: "bob", Source: "tui"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetLabel(reps[1].ID, "benign", alice); err != nil {
		t.Fatal(err)
	}
	cur, hist, err := s.Label(id)
	if err != nil || cur != "spam" || len(hist) != 2 || hist[1].Previous != "phish" || hist[1].Actor.Name != "bob" {
		t.Errorf("Label = %q %+v %v", cur, hist, err)
	}
	all, err := s.Labels()
	if err != nil || len(all) != 2 || all[id] != "spam" || all[reps[1].ID] != "benign" {
		t.Errorf("Labels = %v, %v", all, err)
	}
	if _, err := s.SetLabel(id, "", alice); err != nil {
		t.Fatal(err)
	}
	cur, hist, _ = s.Label(id)
	if cur != "" || len(hist) != 3 {
		t.Errorf("after clear: %q %d events", cur, len(hist))
	}
	if all, _ := s.Labels(); len(all) != 1 {
		t.Errorf("Labels after clear = %v", all)
	}
	for _, want := range []string{"spam", "benign", ""} {
		select {
		case c := <-ch:
			if c.Label != want {
				t.Errorf("change label %q, want %q", c.Label, want)
			}
		case <-time.After(time.Second):
			t.Fatal("no change received")
		}
	}
}

func TestCustomLabelSet(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "t.db"), Options{Labels: []string{"bad", "good"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	reps := fill(t, s, 1, 5)
	if _, err := s.SetLabel(reps[0].ID, "phish", alice); !errors.Is(err, ErrUnknownLabel) {
		t.Errorf("err = %v", err)
	}
	if _, err := s.SetLabel(reps[0].ID, "bad", alice); err != nil {
		t.Error(err)
	}
}

// Concurrent analyst writes share commits; a write that fails (an unknown
// message, an undo refused) gets its own error and takes nothing of the
// others down with it, and every other write is committed.
func TestGroupCommitFailuresAreTheirOwn(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 8, 11)
	var wg sync.WaitGroup
	errs := make([]error, 48)
	for i := range errs {
		wg.Go(func() {
			switch i % 3 {
			case 0:
				_, errs[i] = s.SetLabel(idOf("unknown"+string(rune('a'+i))), "phish", alice)
			case 1:
				_, errs[i] = s.SetLabel(reps[i%len(reps)].ID, "spam", alice)
			default:
				_, errs[i] = s.SetLabelIf(reps[(i+1)%len(reps)].ID, "benign", "nonsense", alice)
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		want := []error{ErrNotFound, nil, ErrLabelChanged}[i%3]
		if !errors.Is(err, want) || (want == nil && err != nil) {
			t.Errorf("write %d: err %v, want %v", i, err, want)
		}
	}
	all, err := s.Labels()
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(errs); i += 3 {
		if id := reps[i%len(reps)].ID; all[id] != "spam" {
			t.Errorf("%s labeled %q, want spam", id, all[id])
		}
	}
	checkInvariants(t, s)
}

func TestNotes(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 2, 6)
	id := reps[0].ID
	ch, cancel := s.Subscribe()
	n1, err := s.AddNote(id, "first look: kagoya lookalike", alice)
	if err != nil || n1.ID == "" {
		t.Fatalf("AddNote = %+v, %v", n1, err)
	}
	n2, _ := s.AddNote(id, "second", alice)
	bob := Actor{Name: "bob", Source: "ssh", Key: "SHA256:abc"}
	e, err := s.EditNote(id, n1.ID, "confirmed: kagoya lookalike", bob)
	if err != nil || e.Text != "confirmed: kagoya lookalike" || e.Author != bob || len(e.History) != 1 || e.History[0].Text != n1.Text {
		t.Fatalf("EditNote = %+v, %v", e, err)
	}
	if _, err := s.EditNote(id, "nope", "x", bob); !errors.Is(err, ErrNotFound) {
		t.Errorf("EditNote unknown err = %v", err)
	}
	if _, err := s.AddNote(idOf("unknown"), "x", bob); !errors.Is(err, ErrNotFound) {
		t.Errorf("AddNote unknown err = %v", err)
	}
	notes, err := s.Notes(id)
	if err != nil || len(notes) != 2 || notes[0].ID != n1.ID || notes[1].ID != n2.ID || notes[0].Text != e.Text {
		t.Errorf("Notes = %+v, %v", notes, err)
	}
	for range 3 {
		select {
		case c := <-ch:
			if c.Kind != "note" || c.ID != id {
				t.Errorf("change = %+v", c)
			}
		case <-time.After(time.Second):
			t.Fatal("no change")
		}
	}
	cancel()
	cancel() // idempotent
	if _, ok := <-ch; ok {
		t.Error("channel open after cancel")
	}
}

func TestSubscribeDropsWhenFull(t *testing.T) {
	s, reps, ch, cancel := subscribed(t, 1, 7)
	defer cancel()
	labels := []string{"phish", "spam"}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range notify.Buffer + 20 { // nobody reads: must not block
			if _, err := s.SetLabel(reps[0].ID, labels[i%2], alice); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("writer blocked by a slow subscriber")
	}
	if len(ch) != notify.Buffer {
		t.Errorf("buffered %d changes, want %d", len(ch), notify.Buffer)
	}
	s.Close()
	for range ch { // Close closes the channel
	}
}

func TestSources(t *testing.T) {
	s := openTestStore(t)
	reps := fill(t, s, 4, 8)
	ids := []string{reps[2].ID, reps[0].ID}
	fp := Fingerprint{Path: "/m/inbox", Size: 100, ModTime: time.Unix(1700000000, 5).UTC(), Inode: 42, Count: 2, AnalyzerVersion: "0.1.0", TailOffset: 100}
	if _, ok, err := s.Fingerprint(fp.Path); ok || err != nil {
		t.Errorf("Fingerprint before put: %v %v", ok, err)
	}
	if err := s.PutSource(fp, ids); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Fingerprint(fp.Path)
	if err != nil || !ok || got != fp {
		t.Errorf("Fingerprint = %+v %v %v", got, ok, err)
	}
	fp.Size, fp.Count = 200, 3
	if err := s.AppendSource(fp, []string{reps[3].ID}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SourceIDs(fp.Path); err != nil || !slices.Equal(got, []string{reps[2].ID, reps[0].ID, reps[3].ID}) {
		t.Errorf("SourceIDs = %v, %v", got, err)
	}
	if err := s.PutSource(fp, ids[:1]); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SourceIDs(fp.Path); !slices.Equal(got, ids[:1]) {
		t.Errorf("after replace SourceIDs = %v", got)
	}
	if _, err := s.SourceIDs("/other"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown source err = %v", err)
	}
}

func TestEnrichment(t *testing.T) {
	s := openTestStore(t)
	if _, ok, err := s.Enrichment("ip:1.2.3.4"); ok || err != nil {
		t.Errorf("absent: %v %v", ok, err)
	}
	val := []byte(`{"asn":1}`)
	if err := s.PutEnrichment("ip:1.2.3.4", val); err != nil {
		t.Fatal(err)
	}
	val[0] = 'X' // the store must have copied
	got, ok, err := s.Enrichment("ip:1.2.3.4")
	if err != nil || !ok || string(got) != `{"asn":1}` {
		t.Errorf("Enrichment = %q %v %v", got, ok, err)
	}
	if err := s.PutEnrichment("", nil); err == nil {
		t.Error("empty key accepted")
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("TRIAGE_DB", "/x/y.db")
	if p, _ := DefaultPath(); p != "/x/y.db" {
		t.Errorf("TRIAGE_DB: %q", p)
	}
	t.Setenv("TRIAGE_DB", "")
	t.Setenv("XDG_DATA_HOME", "/data")
	if p, _ := DefaultPath(); p != "/data/triage/triage.db" {
		t.Errorf("XDG: %q", p)
	}
	t.Setenv("XDG_DATA_HOME", "relative")
	t.Setenv("HOME", "/home/u")
	if p, _ := DefaultPath(); p != "/home/u/.local/share/triage/triage.db" {
		t.Errorf("home: %q", p)
	}
}

func TestRowCodecCorrupt(t *testing.T) {
	row := RowFromReport(fakeReport(1, rand.New(rand.NewPCG(1, 1))))
	enc := codec.AppendRow(nil, &row)
	var rd rowDecoder
	k := make([]byte, 32)
	for i := range len(enc) { // every truncation fails cleanly, never panics
		var r Row
		if err := rd.decode(k, enc[:i], &r); err == nil && i < len(enc) {
			t.Errorf("truncated row (%d of %d bytes) decoded", i, len(enc))
		}
	}
	if _, err := codec.DecodeLocators([]byte{codec.LocFormat, 200}); err == nil {
		t.Error("corrupt locators decoded")
	}
}
