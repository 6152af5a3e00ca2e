package store

import (
	"testing"
	"unsafe"
)

// TestCampaignRefsShareIDs checks that the refs of a campaign's members
// share one ID string (the workbench keeps a ref in every row).
func TestCampaignRefsShareIDs(t *testing.T) {
	s := openTestStore(t)
	putReports(t, s,
		waveReport("a1", "your parcel is waiting", 0, ""),
		waveReport("a2", "your parcel is waiting", 0, ""),
		waveReport("a3", "your parcel is waiting", 0, ""))
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
