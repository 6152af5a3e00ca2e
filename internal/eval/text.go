package eval

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/triage-tools/triage/internal/textsafe"
)

// The text output of `triage eval`. Every string from a message, a path or
// the command line goes through out.f, which makes it safe for a terminal.

// out formats like fmt.Fprintf after sanitising each string argument.
type out struct{ w io.Writer }

func (o out) f(format string, args ...any) {
	for i, a := range args {
		switch v := a.(type) {
		case string:
			args[i] = textsafe.Clean(v)
		case []string:
			args[i] = textsafe.Clean(strings.Join(v, ", "))
		}
	}
	fmt.Fprintf(o.w, format, args...)
}

// WriteText writes res for a reader, with the learned model's part when
// res has one.
func WriteText(w io.Writer, res Result) error {
	bw := bufio.NewWriter(w)
	o := out{bw}
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
	writeList(o, "worst false positives (ham scoring ≥ threshold, by raw score)", res.FalsePos)
	writeList(o, "worst false negatives (phishing scoring < threshold)", res.FalseNeg)
	if res.Learned != nil {
		writeLearned(o, *res.Learned, res.MaxFPR)
	}
	return bw.Flush()
}

func writeList(o out, title string, list []ListEntry) {
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

// shortID is the first 12 hex digits of a message ID.
func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	return id[:min(len(id), 12)]
}

func writeLearned(o out, l Learned, maxFPR float64) {
	o.f("\nlearned model, %d-fold cross-validation (%d of %d folds trained):\n", l.Folds, l.Trained, l.Folds)
	o.f("  %-9s %8s %14s\n", "", "ROC AUC", fmt.Sprintf("TPR@%.2g%%FPR", 100*maxFPR))
	for _, x := range []struct {
		name string
		m    Metric
	}{{"rules", l.Rules}, {"model", l.Model}, {"combined", l.Combined}} {
		o.f("  %-9s %8.4f %14.4f\n", x.name, x.m.AUC, x.m.TPR)
	}
}

// WriteCurve writes the learning curve for a reader.
func WriteCurve(w io.Writer, pts []CurvePoint, seeds int, maxFPR float64) error {
	bw := bufio.NewWriter(w)
	o := out{bw}
	o.f("learning curve: stratified training samples, %d seeds, scored on the rest (means)\n", seeds)
	o.f("each ranking at its own threshold (TPR at FPR ≤ %.2g%% over the held-out ham):\n", 100*maxFPR)
	o.f("%6s  %-23s %-23s %-23s %s\n", "N", "rules AUC / TPR", "model AUC / TPR", "combined AUC / TPR", "ham_modern flagged by combined")
	for _, p := range pts {
		o.f("%6d  %.4f / %.4f         %.4f / %.4f         %.4f / %.4f         %.1f%% of %d\n", p.N,
			p.Rules.AUC, p.Rules.TPR, p.Model.AUC, p.Model.TPR, p.Combined.AUC, p.Combined.TPR,
			100*p.ModernOwn, p.ModernN)
	}
	o.f("\nflagged: at or above the rules' threshold (FPR ≤ %.2g%%), the same cut for rules and combined:\n", 100*maxFPR)
	o.f("%6s  %6s  %-34s %s\n", "N", "thr", "rules TPR / old-ham FPR / modern", "combined TPR / old-ham FPR / modern")
	for _, p := range pts {
		o.f("%6d  %6.1f  %.4f / %.4f / %4.1f%% (%.1f)   %.4f / %.4f / %4.1f%% (%.1f) of %d\n", p.N, p.Threshold,
			p.RulesAt.TPR, p.RulesAt.OldHamFPR, 100*p.RulesAt.Modern, p.RulesAt.ModernCount,
			p.CombinedAt.TPR, p.CombinedAt.OldHamFPR, 100*p.CombinedAt.Modern, p.CombinedAt.ModernCount, p.ModernN)
	}
	return bw.Flush()
}
