package eval

import (
	"cmp"
	"slices"

	"github.com/triage-tools/triage/store"
)

// Result is the output of `triage eval` (--json prints it as is).
type Result struct {
	Phish  int `json:"phish"`
	Ham    int `json:"ham"`
	Spam   int `json:"spam"`
	Stored int `json:"stored_reports"` // scores taken from stored reports (raw mail unreadable)
	// ScoredBy names the number the metrics rank by.
	ScoredBy string  `json:"scored_by"`
	AUC      float64 `json:"roc_auc"`
	MaxFPR   float64 `json:"max_fpr"`
	// Threshold is the lowest raw score t such that the share of ham
	// scoring ≥ t is at most MaxFPR; TPR and FPR are measured at it. Up to
	// 100 it is also the cut on the 0–100 score (score>=t).
	Threshold   int           `json:"threshold"`
	TPR         float64       `json:"tpr"`
	FPR         float64       `json:"fpr"`
	SpamFlagged int           `json:"spam_flagged"`
	Sources     []SourceCount `json:"sources"`
	Rules       []RuleCount   `json:"rules"`
	FalsePos    []ListEntry   `json:"false_positives"`
	FalseNeg    []ListEntry   `json:"false_negatives"`
	// Learned compares rules, model and combined under k-fold
	// cross-validation (learn.go); absent with --folds 0.
	Learned *Learned `json:"learned,omitempty"`
}

// SourceCount is the count of one mailbox given on the command line.
type SourceCount struct {
	Path     string `json:"path"`
	Class    string `json:"class"`
	Messages int    `json:"messages"`
	Flagged  int    `json:"flagged"` // scoring ≥ the threshold
}

// RuleCount counts the messages a rule fired on (with non-zero points).
type RuleCount struct {
	Rule  string `json:"rule"`
	Phish int    `json:"phish"`
	Ham   int    `json:"ham"`
	Spam  int    `json:"spam"`
	// Precision is phish / (phish + ham); null when it fired on neither.
	Precision *float64 `json:"precision"`
}

// ListEntry is one false positive or negative.
type ListEntry struct {
	ID      string   `json:"id"`
	Source  string   `json:"source"`
	Score   int      `json:"score"`
	Raw     int      `json:"raw_score"`
	Subject string   `json:"subject"`
	Rules   []string `json:"rules"`
}

// evaluate computes the metrics; top bounds the false-positive and
// false-negative lists.
func Evaluate(samples []Sample, maxFPR float64, top int) Result {
	// A fixed order makes the output independent of the analysis order.
	slices.SortFunc(samples, func(a, b Sample) int {
		return cmp.Or(store.CompareByScore(a.Raw, a.Date, b.Raw, b.Date), cmp.Compare(a.Source, b.Source), cmp.Compare(a.ID, b.ID))
	})
	var pos, neg []int
	res := Result{ScoredBy: "raw_score", MaxFPR: maxFPR, Sources: []SourceCount{}, Rules: []RuleCount{},
		FalsePos: []ListEntry{}, FalseNeg: []ListEntry{}}
	for _, s := range samples {
		switch s.Class {
		case ClassPhish:
			pos = append(pos, s.Raw)
		case ClassHam:
			neg = append(neg, s.Raw)
		case ClassSpam:
			res.Spam++
		}
		if s.Stored {
			res.Stored++
		}
	}
	res.Phish, res.Ham = len(pos), len(neg)
	res.AUC = ROCAUC(pos, neg)
	res.Threshold, res.TPR, res.FPR = ThresholdAtFPR(pos, neg, maxFPR)
	res.Sources = countSources(samples, res.Threshold)
	res.Rules = countRules(samples)
	for _, s := range samples {
		if s.Class == ClassSpam && s.Raw >= res.Threshold {
			res.SpamFlagged++
		}
		if s.Class == ClassHam && s.Raw >= res.Threshold && len(res.FalsePos) < top {
			res.FalsePos = append(res.FalsePos, listEntry(s))
		}
	}
	for i := len(samples) - 1; i >= 0 && len(res.FalseNeg) < top; i-- {
		if s := samples[i]; s.Class == ClassPhish && s.Raw < res.Threshold {
			res.FalseNeg = append(res.FalseNeg, listEntry(s))
		}
	}
	return res
}

func listEntry(s Sample) ListEntry {
	rules := s.Rules
	if rules == nil {
		rules = []string{}
	}
	return ListEntry{ID: s.ID, Source: s.Source, Score: s.Score, Raw: s.Raw, Subject: s.Subject, Rules: rules}
}

func countSources(samples []Sample, thr int) []SourceCount {
	idx := map[[2]string]int{}
	out := []SourceCount{}
	for _, s := range samples {
		k := [2]string{s.Origin, s.Class}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, SourceCount{Path: s.Origin, Class: s.Class})
		}
		out[i].Messages++
		if s.Raw >= thr {
			out[i].Flagged++
		}
	}
	slices.SortFunc(out, func(a, b SourceCount) int { return cmp.Or(cmp.Compare(a.Class, b.Class), cmp.Compare(a.Path, b.Path)) })
	return out
}

// countRules counts, per rule, the messages of each class it fired on,
// most frequent first.
func countRules(samples []Sample) []RuleCount {
	idx := map[string]int{}
	out := []RuleCount{}
	for _, s := range samples {
		seen := map[string]bool{}
		for _, r := range s.Rules {
			if seen[r] {
				continue
			}
			seen[r] = true
			i, ok := idx[r]
			if !ok {
				i = len(out)
				idx[r] = i
				out = append(out, RuleCount{Rule: r})
			}
			switch s.Class {
			case ClassPhish:
				out[i].Phish++
			case ClassHam:
				out[i].Ham++
			case ClassSpam:
				out[i].Spam++
			}
		}
	}
	for i := range out {
		if n := out[i].Phish + out[i].Ham; n > 0 {
			p := float64(out[i].Phish) / float64(n)
			out[i].Precision = &p
		}
	}
	slices.SortFunc(out, func(a, b RuleCount) int {
		return cmp.Or(cmp.Compare(b.Phish+b.Ham+b.Spam, a.Phish+a.Ham+a.Spam), cmp.Compare(a.Rule, b.Rule))
	})
	return out
}

// ROCAUC is the probability that a random positive scores above a random
// negative, ties counting half (the Mann–Whitney statistic). It is 0 when
// either side is empty.
func ROCAUC(pos, neg []int) float64 {
	if len(pos) == 0 || len(neg) == 0 {
		return 0
	}
	n := slices.Clone(neg)
	slices.Sort(n)
	var sum float64
	for _, p := range pos {
		below, _ := slices.BinarySearch(n, p)  // first index with n[i] >= p
		upto, _ := slices.BinarySearch(n, p+1) // first index with n[i] > p
		sum += float64(below) + 0.5*float64(upto-below)
	}
	return sum / float64(len(pos)) / float64(len(neg))
}

// ThresholdAtFPR returns the lowest threshold t such that the share of
// negatives scoring ≥ t is at most maxFPR, with the true- and
// false-positive rates at t. t is one above a score of some message (or
// the lowest score): the least strict cut with those rates.
func ThresholdAtFPR(pos, neg []int, maxFPR float64) (thr int, tpr, fpr float64) {
	cands := append(slices.Clone(pos), neg...)
	top := 0
	for _, c := range cands {
		top = max(top, c)
	}
	cands = append(cands, top+1)
	slices.Sort(cands)
	cands = slices.Compact(cands)
	for i, t := range cands {
		if f := rateAtLeast(neg, t); f <= maxFPR {
			if i > 0 {
				t = cands[i-1] + 1
			}
			return t, rateAtLeast(pos, t), f
		}
	}
	return top + 1, 0, 0
}

func rateAtLeast(xs []int, thr int) float64 {
	if len(xs) == 0 {
		return 0
	}
	n := 0
	for _, x := range xs {
		if x >= thr {
			n++
		}
	}
	return float64(n) / float64(len(xs))
}
