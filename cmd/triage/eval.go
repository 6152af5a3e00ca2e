package main

import (
	"context"
	"flag"
	"fmt"
	"io"
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
		return eval.WriteCurve(stdout, pts, o.seeds, o.maxFPR)
	}
	res := eval.Evaluate(samples, o.maxFPR, o.top)
	if o.folds > 0 {
		l := eval.CrossValidate(eval.LearnSamples(samples), o.folds, o.maxFPR)
		res.Learned = &l
	}
	if o.json {
		return writeJSON(stdout, o.ascii, "  ", res)
	}
	return eval.WriteText(stdout, res)
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
