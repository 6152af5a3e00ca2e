package build

import "testing"

// The mailbox order comes from spec.n alone: every number from 1 to the
// count must appear once, so a table left out of specs or two specs sharing
// a number fail here rather than silently reordering the mailbox.
func TestSpecsNumberedWithoutGaps(t *testing.T) {
	all := specs()
	if len(all) == 0 {
		t.Fatal("no demo message specs")
	}
	for i, s := range all {
		if s.n != i+1 {
			t.Fatalf("spec %d in mailbox order has n=%d (seed %q): numbers must run 1..%d without gaps or repeats", i+1, s.n, s.seed, len(all))
		}
	}
}
