package eval

import (
	"math"
	"testing"
)

func TestROCAndThreshold(t *testing.T) {
	for _, tc := range []struct {
		pos, neg []int
		auc      float64
		maxFPR   float64
		thr      int
		tpr, fpr float64
	}{
		{[]int{10, 20}, []int{0, 5}, 1, 0, 6, 1, 0},
		{[]int{5}, []int{5}, 0.5, 0, 6, 0, 0},
		{[]int{0, 30, 60, 90}, []int{10, 20, 30, 40}, 0.65625, 0.25, 31, 0.5, 0.25},
		{[]int{1000, 2}, []int{3, 1}, 0.75, 0, 4, 0.5, 0}, // uncapped totals work too
		{nil, []int{1}, 0, 0.01, 2, 0, 0},
	} {
		if got := ROCAUC(tc.pos, tc.neg); math.Abs(got-tc.auc) > 1e-12 {
			t.Errorf("ROCAUC(%v, %v) = %v, want %v", tc.pos, tc.neg, got, tc.auc)
		}
		thr, tpr, fpr := ThresholdAtFPR(tc.pos, tc.neg, tc.maxFPR)
		if thr != tc.thr || tpr != tc.tpr || fpr != tc.fpr {
			t.Errorf("ThresholdAtFPR(%v, %v, %v) = %d %v %v, want %d %v %v", tc.pos, tc.neg, tc.maxFPR, thr, tpr, fpr, tc.thr, tc.tpr, tc.fpr)
		}
	}
}

// TestAtThreshold: "flagged" is measured at the rules' threshold, the same
// cut for rules and combined, with old and modern ham apart; combined at
// its own threshold is reported apart.
func TestAtThreshold(t *testing.T) {
	var samples []Sample
	var keys []scored
	add := func(class, origin string, rules, combined int) {
		samples = append(samples, Sample{Class: class, Origin: origin})
		keys = append(keys, scored{rules: rules, combined: combined})
	}
	for i := range 10 {
		add(ClassPhish, "phish", 30+i, 40+i)
	}
	add(ClassPhish, "phish", 10, 25) // the model lifts one the rules miss
	for i := range 8 {
		add(ClassHam, "ham", i, i-10) // and pushes the old ham down
	}
	add(ClassHam, "/x/ham_modern/", 15, 22) // flagged by both
	add(ClassHam, "ham_modern", 12, 15)     // lifted over the rules' cut
	te := make([]int, len(samples))
	for i := range te {
		te[i] = i
	}
	var p CurvePoint
	atThreshold(&p, samples, keys, te, 0.1, 1)
	if p.Threshold != 13 {
		t.Fatalf("threshold %v, want 13 (one ham of 10 above it)", p.Threshold)
	}
	if want := (AtThreshold{TPR: 10.0 / 11, OldHamFPR: 0, Modern: 0.5, ModernCount: 1}); p.RulesAt != want {
		t.Errorf("rules at threshold %+v, want %+v", p.RulesAt, want)
	}
	if want := (AtThreshold{TPR: 1, OldHamFPR: 0, Modern: 1, ModernCount: 2}); p.CombinedAt != want || p.ModernFlagged != 1 || p.ModernN != 2 {
		t.Errorf("combined at threshold %+v (modern %v of %d), want %+v", p.CombinedAt, p.ModernFlagged, p.ModernN, want)
	}
	if p.ModernOwn != 0.5 {
		t.Errorf("modern flagged at combined's own threshold (16) %v, want 0.5", p.ModernOwn)
	}
}
