package ingest

import (
	"context"
	"testing"
)

// TestStoredItemsWithoutReports checks that items analysed into a store
// reach Emit without their report (the workers encode it for the store
// and drop it, so the run need not hold it), unless NeedReports asks for
// full reports, and that without a store the reports are whole.
func TestStoredItemsWithoutReports(t *testing.T) {
	ctx := context.Background()
	path := tempMbox(t, 3)
	for _, c := range []struct {
		name            string
		store, needFull bool
		wantReport      bool
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
			if got := it.Report != nil; got != c.wantReport {
				t.Fatalf("%s: report present = %v, want %v", c.name, got, c.wantReport)
			}
			if it.Row.ID != it.ID || it.Row.Subject == "" {
				t.Errorf("%s: row %+v for item %s", c.name, it.Row, it.ID)
			}
			if c.wantReport && len(it.Report.Headers) == 0 {
				t.Errorf("%s: report without its headers", c.name)
			}
			return nil
		}
		if _, err := Run(ctx, []string{path}, opts); err != nil || n != 3 {
			t.Fatalf("%s: %d items, %v", c.name, n, err)
		}
	}
}
