package filter

import (
	"errors"
	"testing"

	"github.com/triage-tools/triage/store"
)

func TestCampaignTerms(t *testing.T) {
	in := store.Row{ID: "a", Campaign: store.CampaignRef{ID: "c:1a2b3c4d5e", Size: 12}}
	single := store.Row{ID: "b", Campaign: store.CampaignRef{ID: "c:99aa00bb11", Size: 1}}
	none := store.Row{ID: "c"}
	for _, tc := range []struct {
		q    string
		want [3]bool // in, single, none
	}{
		{"campaign:c:1a2b3c4d5e", [3]bool{true, false, false}},
		{"campaign:1a2b", [3]bool{true, false, false}},
		{"campaign:C:1A2B", [3]bool{true, false, false}},
		{"size>=2", [3]bool{true, false, false}},
		{"size:2", [3]bool{true, false, false}},
		{"size=1", [3]bool{false, true, false}},
		{"size<2", [3]bool{false, true, true}},
		{"-campaign:c:1a OR size>10", [3]bool{true, true, true}},
	} {
		f, err := Parse(tc.q, nil, nil)
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		for i, r := range []*store.Row{&in, &single, &none} {
			var bl Bloom
			if got := f.Match(r, "", &bl, ""); got != tc.want[i] {
				t.Errorf("%q on row %s = %v", tc.q, r.ID, got)
			}
		}
	}
	for _, q := range []string{"size>=x", "size>", "campaign:"} {
		if _, err := Parse(q, nil, nil); !errors.Is(err, ErrFilter) {
			t.Errorf("%q: %v", q, err)
		}
	}
}
