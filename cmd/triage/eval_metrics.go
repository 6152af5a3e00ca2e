package main

import (
	"bufio"
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// evalResult is the output of `triage eval` (--json prints it as is).
type evalResult struct {
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
	Threshold   int             `json:"threshold"`
	TPR         float64         `json:"tpr"`
	FPR         float64         `json:"fpr"`
	SpamFlagged int             `json:"spam_flagged"`
	Sources     []evalSource    `json:"sources"`
	Rules       []evalRule      `json:"rules"`
	FalsePos    []evalListEntry `json:"false_positives"`
	FalseNeg    []evalListEntry `json:"false_negatives"`
	// Learned compares rules, model and combined under k-fold
	// cross-validation (eval_learn.go); absent with --folds 0.
	Learned *evalLearned `json:"learned,omitempty"`
}

// evalSource is the count of one mailbox given on the command line.
type evalSource struct {
	Path     string `json:"path"`
	Class    string `json:"class"`
	Messages int    `json:"messages"`
	Flagged  int    `json:"flagged"` // scoring ≥ the threshold
}

// evalRule counts the messages a rule fired on (with non-zero points).
type evalRule struct {
	Rule  string `json:"rule"`
	Phish int    `json:"phish"`
	Ham   int    `json:"ham"`
	Spam  int    `json:"spam"`
	// Precision is phish / (phish + ham); null when it fired on neither.
	Precision *float64 `json:"precision"`
}

// evalListEntry is one false positive or negative.
type evalListEntry struct {
	ID      string   `json:"id"`
	Source  string   `json:"source"`
	Score   int      `json:"score"`
	Raw     int      `json:"raw_score"`
	Subject string   `json:"subject"`
	Rules   []string `json:"rules"`
}

// evaluate computes the metrics; top bounds the false-positive and
// false-negative lists.
func evaluate(samples []evalSample, maxFPR float64, top int) evalResult {
	// A fixed order makes the output independent of the analysis order.
	slices.SortFunc(samples, func(a, b evalSample) int {
		return cmp.Or(store.CompareByScore(a.Raw, a.Date, b.Raw, b.Date), cmp.Compare(a.Source, b.Source), cmp.Compare(a.ID, b.ID))
	})
	var pos, neg []int
	res := evalResult{ScoredBy: "raw_score", MaxFPR: maxFPR, Sources: []evalSource{}, Rules: []evalRule{},
		FalsePos: []evalListEntry{}, FalseNeg: []evalListEntry{}}
	for _, s := range samples {
		switch s.Class {
		case classPhish:
			pos = append(pos, s.Raw)
		case classHam:
			neg = append(neg, s.Raw)
		case classSpam:
			res.Spam++
		}
		if s.Stored {
			res.Stored++
		}
	}
	res.Phish, res.Ham = len(pos), len(neg)
	res.AUC = rocAUC(pos, neg)
	res.Threshold, res.TPR, res.FPR = thresholdAtFPR(pos, neg, maxFPR)
	res.Sources = countSources(samples, res.Threshold)
	res.Rules = countRules(samples)
	for _, s := range samples {
		if s.Class == classSpam && s.Raw >= res.Threshold {
			res.SpamFlagged++
		}
		if s.Class == classHam && s.Raw >= res.Threshold && len(res.FalsePos) < top {
			res.FalsePos = append(res.FalsePos, listEntry(s))
		}
	}
	for i := len(samples) - 1; i >= 0 && len(res.FalseNeg) < top; i-- {
		if s := samples[i]; s.Class == classPhish && s.Raw < res.Threshold {
			res.FalseNeg = append(res.FalseNeg, listEntry(s))
		}
	}
	return res
}

func listEntry(s evalSample) evalListEntry {
	rules := s.Rules
	if rules == nil {
		rules = []string{}
	}
	return evalListEntry{ID: s.ID, Source: s.Source, Score: s.Score, Raw: s.Raw, Subject: s.Subject, Rules: rules}
}

func countSources(samples []evalSample, thr int) []evalSource {
	idx := map[[2]string]int{}
	out := []evalSource{}
	for _, s := range samples {
		k := [2]string{s.Origin, s.Class}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, evalSource{Path: s.Origin, Class: s.Class})
		}
		out[i].Messages++
		if s.Raw >= thr {
			out[i].Flagged++
		}
	}
	slices.SortFunc(out, func(a, b evalSource) int { return cmp.Or(cmp.Compare(a.Class, b.Class), cmp.Compare(a.Path, b.Path)) })
	return out
}

// countRules counts, per rule, the messages of each class it fired on,
// most frequent first.
func countRules(samples []evalSample) []evalRule {
	idx := map[string]int{}
	out := []evalRule{}
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
				out = append(out, evalRule{Rule: r})
			}
			switch s.Class {
			case classPhish:
				out[i].Phish++
			case classHam:
				out[i].Ham++
			case classSpam:
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
	slices.SortFunc(out, func(a, b evalRule) int {
		return cmp.Or(cmp.Compare(b.Phish+b.Ham+b.Spam, a.Phish+a.Ham+a.Spam), cmp.Compare(a.Rule, b.Rule))
	})
	return out
}

// rocAUC is the probability that a random positive scores above a random
// negative, ties counting half (the Mann–Whitney statistic). It is 0 when
// either side is empty.
func rocAUC(pos, neg []int) float64 {
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

// thresholdAtFPR returns the lowest threshold t such that the share of
// negatives scoring ≥ t is at most maxFPR, with the true- and
// false-positive rates at t. t is one above a score of some message (or
// the lowest score): the least strict cut with those rates.
func thresholdAtFPR(pos, neg []int, maxFPR float64) (thr int, tpr, fpr float64) {
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

// printEval writes the human-readable result; every string from a message
// or a path goes through textOut.
func printEval(w io.Writer, res evalResult) error {
	bw := bufio.NewWriter(w)
	o := textOut{bw}
	o.f("labeled: %d phishing, %d ham, %d spam (spam counted apart)\n", res.Phish, res.Ham, res.Spam)
	if res.Stored > 0 {
		o.f("note: %d scores come from stored reports (the raw message could not be read)\n", res.Stored)
	}
	o.f("ROC AUC: %.4f (by %s)\n", res.AUC, res.ScoredBy)
	o.f("threshold at FPR ≤ %.2f%%: raw score ≥ %d  TPR %.4f  FPR %.4f\n", 100*res.MaxFPR, res.Threshold, res.TPR, res.FPR)
	if res.Spam > 0 {
		o.f("spam at or above the threshold: %d of %d\n", res.SpamFlagged, res.Spam)
	}
	o.f("\nflagged per mailbox (raw score ≥ %d):\n", res.Threshold)
	for _, s := range res.Sources {
		o.f("  %-5s %5d of %5d  %s\n", s.Class, s.Flagged, s.Messages, s.Path)
	}
	o.f("\n%-40s %6s %6s %6s %9s\n", "rule", "phish", "ham", "spam", "precision")
	for _, r := range res.Rules {
		prec := "-"
		if r.Precision != nil {
			prec = strings.TrimRight(strings.TrimRight(formatFloat(*r.Precision), "0"), ".")
		}
		o.f("%-40s %6d %6d %6d %9s\n", r.Rule, r.Phish, r.Ham, r.Spam, prec)
	}
	printEvalList(o, "worst false positives (ham scoring ≥ threshold, by raw score)", res.FalsePos)
	printEvalList(o, "worst false negatives (phishing scoring < threshold)", res.FalseNeg)
	return bw.Flush()
}

func printEvalList(o textOut, title string, list []evalListEntry) {
	o.f("\n%s:\n", title)
	if len(list) == 0 {
		o.f("  none\n")
	}
	for _, e := range list {
		o.f("  %3d (raw %d) %s %s\n", e.Score, e.Raw, shortID(e.ID), e.Source)
		o.f("      %s\n", textsafe.Truncate(e.Subject, 100))
		o.f("      %s\n", e.Rules)
	}
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }
