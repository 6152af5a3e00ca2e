package store

import (
	"slices"
	"testing"
	"unsafe"

	"github.com/triage-tools/triage/store/internal/campstore"
	bolt "go.etcd.io/bbolt"
)

// TestRowsWithCampaigns checks that RowsWithCampaigns gives every row
// the campaign CampaignRefs gives its message, and so does the fallback
// for rows out of arrival order.
func TestRowsWithCampaigns(t *testing.T) {
	s := openTestStore(t)
	putReports(t, s, parcel("a1"), waveReport("b1", "quarterly planning notes", 0, ""), parcel("a2"))
	fill(t, s, 20, 9)
	putReports(t, s, parcel("a3"))
	refs, err := s.CampaignRefs()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.RowsWithCampaigns()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 24 || len(refs) == 0 {
		t.Fatalf("%d rows, %d refs", len(rows), len(refs))
	}
	check := func(what string, rows []Row) {
		t.Helper()
		for _, r := range rows {
			if r.Campaign != refs[r.ID] {
				t.Errorf("%s: %s in %v, CampaignRefs says %v", what, r.ID, r.Campaign, refs[r.ID])
			}
		}
	}
	check("arrival order", rows)
	if a1 := refs[idOf("a1")]; a1.Size != 3 || refs[idOf("a3")] != a1 {
		t.Fatalf("wave refs: %v", refs)
	}
	plain, err := s.Rows()
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(plain)
	if err := s.db.View(func(tx *bolt.Tx) error { return campstore.FillRows(tx, plain) }); err != nil {
		t.Fatal(err)
	}
	check("reversed", plain)
}

// TestCampaignRefsShareIDs checks that the refs of a campaign's members
// share one ID string (the workbench keeps a ref in every row).
func TestCampaignRefsShareIDs(t *testing.T) {
	s := openTestStore(t)
	putReports(t, s, parcel("a1"), parcel("a2"), parcel("a3"))
	refs, err := s.CampaignRefs()
	if err != nil {
		t.Fatal(err)
	}
	a1, a2, a3 := refs[idOf("a1")], refs[idOf("a2")], refs[idOf("a3")]
	if a1.Size != 3 || a1 != a2 || a1 != a3 {
		t.Fatalf("refs: %v", refs)
	}
	if unsafe.StringData(a1.ID) != unsafe.StringData(a2.ID) || unsafe.StringData(a1.ID) != unsafe.StringData(a3.ID) {
		t.Error("members' refs hold copies of the campaign ID")
	}
}
