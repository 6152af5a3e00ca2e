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
