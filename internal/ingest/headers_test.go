package ingest

import (
	"context"
	"testing"
)

// TestStoredItemsWithoutHeaders checks that items analysed into a store
// reach Emit without the raw header list (the store does not keep it, so
// the run need not hold it), unless NeedReports asks for full reports,
// and that without a store the reports keep it.
func TestStoredItemsWithoutHeaders(t *testing.T) {
	ctx := context.Background()
	path := tempMbox(t, 3)
	for _, c := range []struct {
		name            string
		store, needFull bool
		wantHeaders     bool
	}{
		{"store", true, false, false},
		{"store, NeedReports", true, true, true},
		{"no store", false, false, true},
	} {
		opts := Options{NeedReports: c.needFull, Reanalyze: true}
		if c.store {
			opts.Store = openTemp(t)
		}
		n := 0
		opts.Emit = func(it Item) error {
			n++
			if it.Report == nil {
				t.Fatalf("%s: item without report", c.name)
			}
			if got := len(it.Report.Headers) > 0; got != c.wantHeaders {
				t.Errorf("%s: headers present = %v, want %v", c.name, got, c.wantHeaders)
			}
			return nil
		}
		if _, err := Run(ctx, []string{path}, opts); err != nil || n != 3 {
			t.Fatalf("%s: %d items, %v", c.name, n, err)
		}
	}
}
