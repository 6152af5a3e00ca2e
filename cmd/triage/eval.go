package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// Classes of labeled mail in `triage eval`.
const (
	classPhish = "phish"
	classHam   = "ham"
	classSpam  = "spam"
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
	folds   int  // k of the learned model's cross-validation (eval_learn.go)
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
	for _, c := range []string{classPhish, classHam, classSpam} {
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
	var samples []evalSample
	if len(o.folders) == 0 {
		samples, err = evalStore(ctx, o, cfg, fc.Labels)
	} else {
		samples, err = evalFolders(ctx, o, cfg, stderr)
	}
	if err != nil {
		return err
	}
	if o.curve {
		pts := learningCurve(learnSamples(samples), o.seeds, o.maxFPR)
		if o.json {
			return writeJSON(stdout, o.ascii, "  ", pts)
		}
		printCurve(stdout, pts, o.seeds, o.maxFPR)
		return nil
	}
	res := evaluate(samples, o.maxFPR, o.top)
	if o.folds > 0 {
		l := crossValidate(learnSamples(samples), o.folds, o.maxFPR)
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
		case strings.HasPrefix(a, "-") && (name == classPhish || name == classHam || name == classSpam):
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

// evalSample is one labeled message and its score.
type evalSample struct {
	ID      string
	Source  string // where it came from: a file, "mbox#N", or the store locator
	Origin  string // the mailbox given on the command line ("store" for the store)
	Class   string
	Score   int // 0–100
	Raw     int // the raw (uncapped) score: what the metrics rank by
	Date    time.Time
	Subject string
	Rules   []string // rules with non-zero points
	Stored  bool     // the stored report was used (raw message unreadable)
	Feat    []uint32 // hashed features for the learned model (eval_learn.go)
}

func newSample(rep *analysis.Report, class, source, origin string) evalSample {
	s := evalSample{ID: rep.ID, Source: source, Origin: origin, Class: class, Score: rep.Score,
		Raw: rep.RawScore, Date: rep.Summary.Date, Subject: rep.Summary.Subject, Feat: rep.Features.Hashes}
	for _, f := range rep.Findings {
		if f.Points != 0 {
			s.Rules = append(s.Rules, f.Rule)
		}
	}
	return s
}

// evalJob is one message to analyse.
type evalJob struct {
	raw            []byte
	class          string
	source, origin string
}

// analyzeJobs runs Analyze over jobs on workers goroutines and returns the
// samples in an unspecified order.
func analyzeJobs(ctx context.Context, workers int, cfg *analysis.Config, jobs <-chan evalJob) []evalSample {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	an := analysis.New(cfg) // one copy of the configuration for every message
	var (
		mu  sync.Mutex
		out []evalSample
		wg  sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				s := newSample(an.Analyze(j.raw), j.class, j.source, j.origin)
				mu.Lock()
				out = append(out, s)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return out
}

// evalFolders reads the mailboxes given per class, reclassified by the
// labels CSV files, and analyses every message.
func evalFolders(ctx context.Context, o evalOptions, cfg *analysis.Config, stderr io.Writer) ([]evalSample, error) {
	relabel, err := readLabelFiles(o.labels)
	if err != nil {
		return nil, err
	}
	jobs := make(chan evalJob, 64)
	done := make(chan []evalSample, 1)
	go func() { done <- analyzeJobs(ctx, o.workers, cfg, jobs) }()
	var readErr error
	opts := mailbox.Options{OnSkip: func(p string, err error) {
		fmt.Fprintln(stderr, "triage: eval: skipped "+textsafe.Clean(p)+": "+textsafe.Clean(err.Error()))
	}}
feed:
	for _, class := range []string{classPhish, classHam, classSpam} {
		for _, path := range o.folders[class] {
			if readErr = feedMailbox(ctx, path, class, relabel, opts, jobs); readErr != nil {
				break feed
			}
		}
	}
	close(jobs)
	samples := <-done
	if readErr == nil {
		readErr = ctx.Err()
	}
	if readErr != nil {
		return nil, readErr
	}
	return samples, nil
}

// feedMailbox sends every message of the mailbox at path to jobs, with its
// class: the one given, or the one the labels CSV files give its file. In a
// folder of message files, the mbox files (named *.mbox or *.mbox.gz) are
// read as mailboxes, not as one message each.
func feedMailbox(ctx context.Context, path, class string, relabel map[string]string, opts mailbox.Options, jobs chan<- evalJob) error {
	return feedOne(ctx, path, path, class, relabel, opts, jobs)
}

func feedOne(ctx context.Context, path, origin, class string, relabel map[string]string, opts mailbox.Options, jobs chan<- evalJob) error {
	rd, err := mailbox.OpenWith(path, opts)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer rd.Close()
	for n := 1; ; n++ {
		m, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("eval: %s: %w", path, err)
		}
		source := fmt.Sprintf("%s#%d", path, n)
		c := class
		if rd.Kind() == mailbox.KindEMLDir && isMboxName(m.Loc.File) {
			if err := feedOne(ctx, filepath.Join(m.Loc.Path, m.Loc.File), origin, class, relabel, opts, jobs); err != nil {
				return err
			}
			continue
		}
		if !m.Loc.IsMbox() {
			source = filepath.Join(m.Loc.Path, m.Loc.File)
			if l, ok := relabel[absPath(source)]; ok {
				c = l
			}
		}
		if c == "" {
			continue
		}
		select {
		case jobs <- evalJob{raw: m.Raw, class: c, source: source, origin: origin}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func isMboxName(name string) bool {
	name = strings.ToLower(name)
	return strings.HasSuffix(name, ".mbox") || strings.HasSuffix(name, ".mbox.gz")
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// labelClass maps a label (of the store or of a labels CSV) to a class; ""
// means the message is left out.
func labelClass(label string) string {
	switch l := strings.ToLower(strings.TrimSpace(label)); {
	case l == "phish" || l == "phishing" || l == "malware" || l == "bec":
		return classPhish
	case l == "ham" || l == "benign" || l == "legitimate":
		return classHam
	case l == "spam" || strings.HasPrefix(l, "spam-"):
		return classSpam
	}
	return ""
}

// maxLabelRows bounds one labels CSV file.
const maxLabelRows = 1_000_000

// readLabelFiles reads labels CSV files into absolute file path → class
// ("" for a label that leaves the file out).
func readLabelFiles(paths []string) (map[string]string, error) {
	out := map[string]string{}
	for _, p := range paths {
		if err := readLabelFile(p, out); err != nil {
			return nil, fmt.Errorf("eval: labels %s: %w", textsafe.Clean(p), err)
		}
	}
	return out, nil
}

func readLabelFile(path string, out map[string]string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(io.LimitReader(f, 256<<20))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return err
	}
	pathCol, labelCol := -1, -1
	for i, h := range head {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "path", "file":
			if pathCol < 0 {
				pathCol = i
			}
		case "label":
			labelCol = i
		}
	}
	if pathCol < 0 || labelCol < 0 {
		return errors.New(`the header row needs "path" and "label" columns`)
	}
	dir := filepath.Dir(absPath(path))
	for n := 0; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if n >= maxLabelRows {
			return fmt.Errorf("more than %d rows", maxLabelRows)
		}
		if len(rec) <= max(pathCol, labelCol) || rec[pathCol] == "" {
			continue
		}
		out[filepath.Join(dir, filepath.FromSlash(rec[pathCol]))] = labelClass(rec[labelCol])
	}
}

// evalStore analyses the labeled messages of the store again (or takes the
// stored report when the raw message cannot be read).
func evalStore(ctx context.Context, o evalOptions, cfg *analysis.Config, labelSet []string) ([]evalSample, error) {
	st, err := openStoreWith(o.db, true, labelSet, nil) // re-analyses: the model is not read
	if err != nil {
		return nil, err
	}
	defer st.Close()
	labels, err := st.Labels()
	if err != nil {
		return nil, err
	}
	jobs := make(chan evalJob, 64)
	done := make(chan []evalSample, 1)
	go func() { done <- analyzeJobs(ctx, o.workers, cfg, jobs) }()
	var stored []evalSample
	var ferr error
	for id, label := range labels {
		class := labelClass(label)
		if class == "" {
			continue
		}
		if ferr = ctx.Err(); ferr != nil {
			break
		}
		s, raw, err := storeMessage(st, id)
		if err != nil {
			ferr = err
			break
		}
		if raw == nil {
			s.Class = class
			stored = append(stored, s)
			continue
		}
		jobs <- evalJob{raw: raw, class: class, source: s.Source, origin: "store"}
	}
	close(jobs)
	samples := <-done
	if ferr != nil {
		return nil, ferr
	}
	return append(samples, stored...), nil
}

// storeMessage returns the raw bytes of a stored message or, when they
// cannot be read, a sample built from its stored report (raw nil).
func storeMessage(st *store.Store, id string) (evalSample, []byte, error) {
	locs, err := st.Locators(id)
	if err != nil {
		return evalSample{}, nil, err
	}
	source := id
	if len(locs) > 0 {
		source = locatorString(locs[0])
	}
	if raw, err := readRaw(id, locs); err == nil {
		return evalSample{Source: source}, raw, nil
	}
	rep, err := st.Report(id)
	if err != nil {
		return evalSample{}, nil, err
	}
	s := newSample(rep, "", source, "store")
	s.Stored = true
	return s, nil, nil
}

// locatorString is a short form of a locator: the file, or mbox@offset.
func locatorString(l store.Locator) string {
	if l.IsMbox() {
		return fmt.Sprintf("%s@%d", l.Path, l.Offset)
	}
	if l.File != "" {
		return filepath.Join(l.Path, l.File)
	}
	return l.Path
}
