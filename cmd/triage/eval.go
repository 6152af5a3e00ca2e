package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/eval"
	"github.com/triage-tools/triage/internal/textsafe"
)

type evalOptions struct {
	db      string
	folders map[string][]string // class → mailboxes
	labels  []string            // labels CSV files
	json    bool
	ascii   bool
	top     int
	maxFPR  float64
	workers int
	folds   int  // k of the learned model's cross-validation
	curve   bool // print the learning curve instead
	seeds   int
	run     runFlags
}

// triage eval measures the scoring on labeled mail: ROC AUC, the threshold
// and true-positive rate at the largest allowed false-positive rate,
// per-rule counts and precision, and the worst false positives and
// negatives. Without --phish/--ham it reads the labeled messages of the
// store (phish, malware and bec count as phishing, benign as ham, spam
// apart; other labels are ignored) and analyses them again with the
// current configuration. --spam mail is reported apart, counted as
// neither. --labels CSV (a header row with "path" and "label" columns)
// reclassifies the message files under the CSV's folder:
// "phishing"/"phish"/"malware"/"bec" → phishing, "ham"/"benign"/
// "legitimate" → ham, "spam" or "spam-…" → spam, anything else → ignored
// (docs/configuration.md).

// register adds eval's flags to fs.
func (o *evalOptions) register(fs *flag.FlagSet) {
	if o.folders == nil {
		o.folders = map[string][]string{}
	}
	fs.StringVar(&o.db, "db", "", "store `path` (when no folders are given)")
	fs.BoolVar(&o.json, "json", false, "print one JSON document")
	fs.BoolVar(&o.ascii, "ascii", false, "with --json, escape every non-ASCII character as \\uXXXX")
	fs.IntVar(&o.top, "top", 10, "how many worst false positives and negatives to list")
	fs.Float64Var(&o.maxFPR, "max-fpr", 0.01, "largest false-positive `rate` allowed when choosing the threshold")
	fs.IntVar(&o.workers, "workers", 0, "analysis workers (default: number of CPUs)")
	fs.IntVar(&o.folds, "folds", 5, "`k` of the learned model's k-fold cross-validation (0: leave the model out)")
	fs.BoolVar(&o.curve, "learning-curve", false, "print the learned model's learning curve (N = 20 to 1000 labels) instead")
	fs.IntVar(&o.seeds, "seeds", 5, "random samples per size of the learning curve")
	fs.Func("labels", "labels `CSV` file (path,label columns) that reclassifies files under its folder", func(s string) error {
		o.labels = append(o.labels, s)
		return nil
	})
	for _, c := range []string{eval.ClassPhish, eval.ClassHam, eval.ClassSpam} {
		fs.Func(c, "a `mailbox` of "+c+" (the words after it, up to the next flag, are more mailboxes)", func(s string) error {
			o.folders[c] = append(o.folders[c], s)
			return nil
		})
	}
	o.run.register(fs)
}

func runEval(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	o := evalOptions{folders: map[string][]string{}}
	fs := newFlagSet("eval", stderr)
	o.register(fs)
	rest, err := parseFlags(fs, spreadClassArgs(args))
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return errUsage
	}
	if o.top < 0 || o.maxFPR < 0 || o.maxFPR >= 1 || o.folds < 0 || o.folds == 1 || o.folds > 100 || o.seeds < 1 || o.seeds > 100 {
		return exitError{code: 2, msg: "eval: --top must be ≥ 0, --max-fpr in [0, 1), --folds 0 or 2–100, --seeds 1–100"}
	}
	fc, err := loadConfig(o.run.configFile)
	if err != nil {
		return err
	}
	cfg, err := fc.analysisConfig("")
	if err != nil {
		return err
	}
	var samples []eval.Sample
	if len(o.folders) == 0 {
		samples, err = evalStore(ctx, o, cfg, fc.Labels)
	} else {
		samples, err = eval.Folders(ctx, cfg, o.folders, o.labels, o.workers, func(p string, err error) {
			fmt.Fprintln(stderr, "triage: eval: skipped "+textsafe.Clean(p)+": "+textsafe.Clean(err.Error()))
		})
	}
	if err != nil {
		return err
	}
	if o.curve {
		pts := eval.LearningCurve(eval.LearnSamples(samples), o.seeds, o.maxFPR)
		if o.json {
			return writeJSON(stdout, o.ascii, "  ", pts)
		}
		printCurve(stdout, pts, o.seeds, o.maxFPR)
		return nil
	}
	res := eval.Evaluate(samples, o.maxFPR, o.top)
	if o.folds > 0 {
		l := eval.CrossValidate(eval.LearnSamples(samples), o.folds, o.maxFPR)
		res.Learned = &l
	}
	if o.json {
		return writeJSON(stdout, o.ascii, "  ", res)
	}
	if err := printEval(stdout, res); err != nil {
		return err
	}
	if res.Learned != nil {
		printLearned(textOut{stdout}, *res.Learned, o.maxFPR)
	}
	return nil
}

// spreadClassArgs turns "--phish a b --ham c" into "--phish a --phish b
// --ham c": the words after --phish, --ham or --spam, up to the next flag,
// are mailboxes of that class.
func spreadClassArgs(args []string) []string {
	out := make([]string, 0, len(args))
	class := ""
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		name := strings.TrimLeft(a, "-")
		switch {
		case strings.HasPrefix(a, "-") && (name == eval.ClassPhish || name == eval.ClassHam || name == eval.ClassSpam):
			class = name
			continue
		case strings.HasPrefix(a, "-"):
			class = ""
		case class != "":
			out = append(out, "--"+class, a)
			continue
		}
		out = append(out, a)
	}
	return out
}

// evalStore analyses the labeled messages of the store at --db again.
func evalStore(ctx context.Context, o evalOptions, cfg *analysis.Config, labelSet []string) ([]eval.Sample, error) {
	st, err := openStoreWith(o.db, true, labelSet, nil) // re-analyses: the model is not read
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return eval.FromStore(ctx, st, cfg, o.workers, readRaw)
}

// printEval writes the human-readable result; every string from a message
// or a path goes through textOut.
func printEval(w io.Writer, res eval.Result) error {
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

func printEvalList(o textOut, title string, list []eval.ListEntry) {
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

func printLearned(o textOut, l eval.Learned, maxFPR float64) {
	o.f("\nlearned model, %d-fold cross-validation (%d of %d folds trained):\n", l.Folds, l.Trained, l.Folds)
	o.f("  %-9s %8s %14s\n", "", "ROC AUC", fmt.Sprintf("TPR@%.2g%%FPR", 100*maxFPR))
	for _, x := range []struct {
		name string
		m    eval.Metric
	}{{"rules", l.Rules}, {"model", l.Model}, {"combined", l.Combined}} {
		o.f("  %-9s %8.4f %14.4f\n", x.name, x.m.AUC, x.m.TPR)
	}
}

func printCurve(w io.Writer, pts []eval.CurvePoint, seeds int, maxFPR float64) {
	o := textOut{w}
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
}
