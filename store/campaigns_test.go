package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/store/internal/campstore"
)

// waveReport is a minimal report of campaign test mail: skeleton and
// SimHash as the analysis would set them, one link, one attachment when
// att is not "".
func waveReport(raw, skeleton string, sim uint64, att string) *analysis.Report {
	r := &analysis.Report{
		ID: idOf(raw), AnalyzerVersion: testAnalyzerVersion,
		Summary: analysis.Summary{
			From:    analysis.Address{Address: "notice@" + raw + ".example"},
			Subject: skeleton,
			Date:    time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		},
		Near: analysis.Near{Skeleton: skeleton, SimHash: sim},
	}
	if att != "" {
		r.Attachments = []analysis.Attachment{{Name: "a.html", SHA256: att}}
	}
	return r
}

// parcel is a member of the parcel wave: the campaign most tests build.
func parcel(raw string) *analysis.Report { return waveReport(raw, "your parcel is waiting", 0, "") }

func putReports(t testing.TB, s *Store, reps ...*analysis.Report) {
	t.Helper()
	var batch []Entry
	for i, r := range reps {
		batch = append(batch, Entry{Report: r, Locator: Locator{Path: "/mail/w.mbox", Offset: int64(i) * 100, Length: 100}})
	}
	if err := s.PutBatch(batch); err != nil {
		t.Fatal(err)
	}
}

// checkCampaigns verifies that every campaign member is a stored message
// and that its campaign exists and resolves to a campaign not merged away.
func checkCampaigns(t testing.TB, s *Store) {
	t.Helper()
	err := s.db.View(func(tx *bolt.Tx) error {
		cv, err := campstore.ReadView(tx)
		if err != nil {
			return err
		}
		return tx.Bucket(campstore.BucketMembers).ForEach(func(k, v []byte) error {
			cid, _, err := campstore.DecodeMember(v)
			if err != nil {
				return err
			}
			if len(v) < 32 || !hasMessage(tx, v[:32]) || string(seqOf(tx, v[:32])) != string(k) {
				return fmt.Errorf("member %x has no report", k)
			}
			if _, ok := cv.Recs[cid]; !ok {
				return fmt.Errorf("member %x: campaign %s has no record", k, cid)
			}
			if r := cv.Recs[cv.Resolve(cid)]; r.Into != "" {
				return fmt.Errorf("campaign %s: merge chain does not end", cid)
			}
			return nil
		})
	})
	if err != nil {
		t.Error(err)
	}
}

func TestCampaignAppendJoinsAndIDsSurviveReopen(t *testing.T) {
	s, path := tempStore(t, "triage.db")
	putReports(t, s, parcel("a1"), parcel("a2"), waveReport("b1", "quarterly planning notes", 0, ""))
	refs, err := s.CampaignRefs()
	if err != nil {
		t.Fatal(err)
	}
	wave := refs[idOf("a1")]
	if wave.Size != 2 || refs[idOf("a2")] != wave || refs[idOf("b1")].Size != 1 || refs[idOf("b1")].ID == wave.ID {
		t.Fatalf("refs after first batch: %v", refs)
	}
	checkCampaigns(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTestStoreAt(t, path)
	putReports(t, s, parcel("a3"))
	// Storing a member again (re-analysis) does not move it.
	putReports(t, s, parcel("a1"))
	refs, err = s.CampaignRefs()
	if err != nil {
		t.Fatal(err)
	}
	if got := refs[idOf("a3")]; got.ID != wave.ID || got.Size != 3 {
		t.Errorf("appended message in %v, want %s of size 3", got, wave.ID)
	}
	c, err := s.Campaign(wave.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{idOf("a1"), idOf("a2"), idOf("a3")}
	slices.Sort(want)
	if !slices.Equal(c.Members, want) || len(c.Sigs) != 3 || c.Sigs[0].Skeleton != "your parcel is waiting" {
		t.Errorf("campaign %s members %v sigs %d", c.ID, c.Members, len(c.Sigs))
	}
	checkCampaigns(t, s)
}

func TestCampaignMergeKeepsOlderID(t *testing.T) {
	s := openTestStore(t)
	putReports(t, s, waveReport("old", "invoice overdue notice", 0, ""))
	putReports(t, s, waveReport("new", "payment reminder final", 0, "ab12"))
	refs, _ := s.CampaignRefs()
	older, younger := refs[idOf("old")].ID, refs[idOf("new")].ID
	if older == younger {
		t.Fatal("unrelated messages share a campaign")
	}
	// Subject of the first, attachment of the second: one campaign.
	putReports(t, s, waveReport("bridge", "invoice overdue notice", 0, "ab12"))
	refs, _ = s.CampaignRefs()
	for _, id := range []string{"old", "new", "bridge"} {
		if r := refs[idOf(id)]; r.ID != older || r.Size != 3 {
			t.Errorf("%s in %v, want %s size 3", id, r, older)
		}
	}
	c, err := s.Campaign(younger, false) // the merged ID still finds it
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != older || len(c.Merged) != 1 || c.Merged[0].From != younger || c.Merged[0].At.IsZero() {
		t.Errorf("campaign via merged ID: %s merged %v", c.ID, c.Merged)
	}
	if _, err := s.Campaign("c:0000000000", false); !errors.Is(err, ErrNoCampaign) {
		t.Errorf("unknown campaign: %v", err)
	}
	checkCampaigns(t, s)
}

func TestSetLabelsOneTransactionAndRevert(t *testing.T) {
	s := openTestStore(t)
	var reps []*analysis.Report
	var ids []string
	for i := range 4 {
		r := waveReport(fmt.Sprint("m", i), "account suspended notice", 0, "")
		reps = append(reps, r)
		ids = append(ids, r.ID)
	}
	putReports(t, s, reps...)
	alice, bob := Actor{Name: "alice", Source: "test"}, Actor{Name: "bob", Source: "test"}
	if _, err := s.SetLabel(ids[0], "spam", bob); err != nil {
		t.Fatal(err)
	}
	// All or nothing: one unknown member aborts every change.
	if _, err := s.SetLabels(append(slices.Clone(ids), idOf("absent")), "phish", false, alice); !errors.Is(err, ErrNotFound) {
		t.Fatalf("SetLabels with an unknown ID: %v", err)
	}
	if l, _ := s.Labels(); len(l) != 1 {
		t.Fatalf("a failed SetLabels left labels: %v", l)
	}
	ch, cancel := s.Subscribe()
	defer cancel()
	changes, err := s.SetLabels(ids, "phish", true, alice)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 3 || changes[0].ID != ids[1] || changes[0].Event.Previous != "" {
		t.Fatalf("changes %+v", changes)
	}
	for range 3 {
		if c := <-ch; c.Label != "phish" {
			t.Errorf("announced %+v", c)
		}
	}
	if l, _, _ := s.Label(ids[0]); l != "spam" {
		t.Errorf("only-unlabeled relabeled a labeled member: %q", l)
	}
	// Bob changes one member; alice's undo leaves it alone.
	if _, err := s.SetLabel(ids[3], "benign", bob); err != nil {
		t.Fatal(err)
	}
	var ops []RevertOp
	for _, c := range changes {
		ops = append(ops, RevertOp{ID: c.ID, To: c.Event.Previous, Expect: c.Event.Label})
	}
	done, refused, err := s.RevertLabels(ops, alice)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 2 || len(refused) != 1 || refused[0].ID != ids[3] || refused[0].Event.Label != "benign" || refused[0].Event.Actor.Name != "bob" {
		t.Fatalf("revert: done %+v refused %+v", done, refused)
	}
	got, _ := s.Labels()
	if len(got) != 2 || got[ids[0]] != "spam" || got[ids[3]] != "benign" {
		t.Errorf("labels after undo: %v", got)
	}
}

// TestCampaignHostileOneSubject stores 10,000 messages that share one
// subject and have unrelated bodies, all in one SimHash band bucket: the
// caps keep clustering linear.
func TestCampaignHostileOneSubject(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 messages")
	}
	s := openTestStore(t)
	r := rand.New(rand.NewPCG(7, 7))
	start := time.Now()
	var batch []*analysis.Report
	for i := range 10000 {
		sim := r.Uint64()&^0xffff | 0x1234 // every message in band 0's bucket 0x1234
		batch = append(batch, waveReport(fmt.Sprint("h", i), "urgent action required", sim, ""))
		if len(batch) == 1000 {
			putReports(t, s, batch...)
			batch = batch[:0]
		}
	}
	el := time.Since(start)
	refs, err := s.CampaignRefs()
	if err != nil {
		t.Fatal(err)
	}
	if r := refs[idOf("h9999")]; r.Size != 10000 {
		t.Errorf("campaign size %d, want 10000", r.Size)
	}
	t.Logf("10,000 messages in %v", el)
	if el > 60*time.Second {
		t.Errorf("10,000 hostile messages took %v", el)
	}
	checkCampaigns(t, s)
}

func TestCampaignExportImportKeepsIDs(t *testing.T) {
	src := openTestStore(t)
	putReports(t, src, parcel("x1"), parcel("x2"), waveReport("y1", "meeting moved to friday", 0, ""))
	var buf bytes.Buffer
	if _, err := src.Export(&buf, ExportOptions{All: true, Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	want, _ := src.CampaignRefs()
	if !bytes.Contains(buf.Bytes(), []byte(`"campaign":{"id":"`+want[idOf("x1")].ID+`","size":2}`)) {
		t.Fatalf("export lacks the campaign: %.400s", buf.String())
	}
	dst := openTestStore(t)
	// The destination already has a campaign of its own.
	putReports(t, dst, waveReport("z1", "unrelated local mail", 0, ""))
	if _, err := dst.Import(context.Background(), &buf, Actor{Name: "carol", Source: "import"}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	got, _ := dst.CampaignRefs()
	for id, r := range want {
		if got[id] != r {
			t.Errorf("%s: imported into %v, exported from %v", id, got[id], r)
		}
	}
	// A message appended later joins the imported campaign.
	putReports(t, dst, parcel("x3"))
	got, _ = dst.CampaignRefs()
	if r := got[idOf("x3")]; r.ID != want[idOf("x1")].ID || r.Size != 3 {
		t.Errorf("appended after import: %v", r)
	}
	checkCampaigns(t, dst)
}

// A damaged campaign record (derived data) does not stop later writes.
func TestCampaignDamagedRecordDoesNotStopIngest(t *testing.T) {
	s, _ := tempStore(t, "triage.db")
	putReports(t, s, parcel("d1"))
	err := s.db.Update(func(tx *bolt.Tx) error {
		k, _ := parseID(idOf("d1"))
		return tx.Bucket(campstore.BucketMembers).Put(seqOf(tx, k[:]), append(k[:], 0xff, 0xff))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.camp.Forget() // as after a re-open
	putReports(t, s, parcel("d2"))
	if _, err := s.Campaigns(false); err == nil {
		t.Error("listing campaigns over a damaged record gave no error")
	}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		k, _ := parseID(idOf("d1"))
		return tx.Bucket(campstore.BucketMembers).Delete(seqOf(tx, k[:]))
	}); err != nil {
		t.Fatal(err)
	}
	refs, err := s.CampaignRefs()
	if err != nil || refs[idOf("d2")].Size != 1 {
		t.Errorf("after the damage: %v %v", refs, err)
	}
}

func TestSummarizeCampaign(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 1, day, 0, 0, 0, 0, time.UTC) }
	c := Campaign{ID: "c:0123456789", Members: []string{"a", "b", "c", "d", "e"}}
	rows := []Row{
		{ID: "a", Score: 90, RawScore: 120, Subject: "late twin", Date: d(9), Label: "phish"},
		{ID: "b", Score: 10, Subject: "early twin", Date: d(2)},
		{ID: "c", Score: 50, Subject: "late twin", Date: d(8), Label: "phish"},
		{ID: "d", Score: 70, Subject: "early twin", Date: d(3)},
		{ID: "x", Score: 100, Subject: "not a member"},
	}
	s := SummarizeCampaign(c, rows)
	if s.MaxScore != 90 || s.MaxRaw != 120 {
		t.Errorf("scores: max %d raw %d median %d", s.MaxScore, s.MaxRaw, s.MedianScore)
	}
	// e has no row: unlabeled, score 0 → scores 0 10 50 70 90, median 50.
	if s.MedianScore != 50 || !s.First.Equal(d(2)) || !s.Last.Equal(d(9)) {
		t.Errorf("median %d first %v last %v", s.MedianScore, s.First, s.Last)
	}
	// Two subjects tied at 2: the one seen first wins.
	if s.Subject != "early twin" {
		t.Errorf("subject %q", s.Subject)
	}
	if got := s.LabelMix(); got != "unlabeled 3 · phish 2" {
		t.Errorf("label mix %q", got)
	}
}

// TestCommitGroupBuildsIndexOnce: a group commit of several prepared
// batches (what ingest does) clusters them all against the index in
// memory: the index is built from the store once, not once per batch
// (which made ingest quadratic), and a wave split across the batches is
// one campaign.
func TestCommitGroupBuildsIndexOnce(t *testing.T) {
	s := openTestStoreAt(t, filepath.Join(t.TempDir(), "triage.db"))
	putReports(t, s, parcel("g0"))
	var ps []*Prepared
	for i := 1; i <= 5; i++ {
		p, err := s.Prepare([]Entry{{Report: waveReport(fmt.Sprintf("g%d", i), "your parcel is waiting", 0, ""),
			Locator: Locator{Path: "/mail/w.mbox", Offset: int64(i) * 100, Length: 100}}})
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	before := s.camp.Builds()
	if err := s.Commit(ps...); err != nil {
		t.Fatal(err)
	}
	if n := s.camp.Builds() - before; n != 0 {
		t.Errorf("the campaign index was built %d times during one group commit, want 0 (it was loaded)", n)
	}
	refs, err := s.CampaignRefs()
	if err != nil {
		t.Fatal(err)
	}
	if got := refs[idOf("g5")]; got.Size != 6 || got.ID != refs[idOf("g0")].ID {
		t.Errorf("g5 in %v, g0 in %v: want one campaign of 6", got, refs[idOf("g0")])
	}
	checkCampaigns(t, s)
}
