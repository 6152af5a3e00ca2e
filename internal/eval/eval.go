// Package eval is the engine of `triage eval`: it measures the scoring on
// labeled mail. ROC AUC, the threshold and true-positive rate at the
// largest allowed false-positive rate, per-rule counts and precision, and
// the worst false positives and negatives (metrics.go); rules, model and
// combined side by side under k-fold cross-validation, and the learning
// curve of issue 17 (learn.go). The samples come from mailboxes given per
// class (Folders), reclassified by labels CSV files (a header row with
// "path" and "label" columns: "phishing"/"phish"/"malware"/"bec" →
// phishing, "ham"/"benign"/"legitimate" → ham, "spam" or "spam-…" → spam,
// anything else → ignored; docs/configuration.md), or from the labeled
// messages of a store (FromStore: phish, malware and bec count as
// phishing, benign as ham, spam apart; other labels are ignored), analysed
// again with the given configuration. Spam is reported apart, counted as
// neither. Flag parsing and output stay in cmd/triage.
package eval

import (
	"context"
	"encoding/csv"
	"errors"
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
	ClassPhish = "phish"
	ClassHam   = "ham"
	ClassSpam  = "spam"
)

// Sample is one labeled message and its score.
type Sample struct {
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
	Feat    []uint32 // hashed features for the learned model (learn.go)
}

func newSample(rep *analysis.Report, class, source, origin string) Sample {
	s := Sample{ID: rep.ID, Source: source, Origin: origin, Class: class, Score: rep.Score,
		Raw: rep.RawScore, Date: rep.Summary.Date, Subject: rep.Summary.Subject, Feat: rep.Features.Hashes}
	for _, f := range rep.Findings {
		if f.Points != 0 {
			s.Rules = append(s.Rules, f.Rule)
		}
	}
	return s
}

// job is one message to analyse.
type job struct {
	raw            []byte
	class          string
	source, origin string
}

// analyzeJobs runs Analyze over jobs on workers goroutines and returns the
// samples in an unspecified order.
func analyzeJobs(ctx context.Context, workers int, cfg *analysis.Config, jobs <-chan job) []Sample {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	an := analysis.New(cfg) // one copy of the configuration for every message
	var (
		mu  sync.Mutex
		out []Sample
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

// Folders reads the mailboxes given per class (class → paths), reclassified
// by the labels CSV files, and analyses every message on workers
// goroutines (0: one per CPU). onSkip, if not nil, is told of every file
// skipped in a folder (the path is untrusted).
func Folders(ctx context.Context, cfg *analysis.Config, folders map[string][]string, labels []string, workers int, onSkip func(path string, err error)) ([]Sample, error) {
	relabel, err := readLabelFiles(labels)
	if err != nil {
		return nil, err
	}
	jobs := make(chan job, 64)
	done := make(chan []Sample, 1)
	go func() { done <- analyzeJobs(ctx, workers, cfg, jobs) }()
	var readErr error
	opts := mailbox.Options{OnSkip: onSkip}
feed:
	for _, class := range []string{ClassPhish, ClassHam, ClassSpam} {
		for _, path := range folders[class] {
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
func feedMailbox(ctx context.Context, path, class string, relabel map[string]string, opts mailbox.Options, jobs chan<- job) error {
	return feedOne(ctx, path, path, class, relabel, opts, jobs)
}

func feedOne(ctx context.Context, path, origin, class string, relabel map[string]string, opts mailbox.Options, jobs chan<- job) error {
	rd, err := mailbox.OpenWith(path, opts)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer rd.Close()
	n := 0
	for m, err := range mailbox.All(rd) {
		if err != nil {
			return fmt.Errorf("eval: %s: %w", path, err)
		}
		n++
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
		case jobs <- job{raw: m.Raw, class: c, source: source, origin: origin}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
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

// LabelClass maps a label (of the store or of a labels CSV) to a class; ""
// means the message is left out.
func LabelClass(label string) string {
	switch l := strings.ToLower(strings.TrimSpace(label)); {
	case l == "phish" || l == "phishing" || l == "malware" || l == "bec":
		return ClassPhish
	case l == "ham" || l == "benign" || l == "legitimate":
		return ClassHam
	case l == "spam" || strings.HasPrefix(l, "spam-"):
		return ClassSpam
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
		out[filepath.Join(dir, filepath.FromSlash(rec[pathCol]))] = LabelClass(rec[labelCol])
	}
}

// FromStore analyses the labeled messages of the store again on workers
// goroutines (or takes the stored report when readRaw cannot read the raw
// message).
func FromStore(ctx context.Context, st *store.Store, cfg *analysis.Config, workers int, readRaw func(id string, locs []store.Locator) ([]byte, error)) ([]Sample, error) {
	labels, err := st.Labels()
	if err != nil {
		return nil, err
	}
	jobs := make(chan job, 64)
	done := make(chan []Sample, 1)
	go func() { done <- analyzeJobs(ctx, workers, cfg, jobs) }()
	var stored []Sample
	var ferr error
	for id, label := range labels {
		class := LabelClass(label)
		if class == "" {
			continue
		}
		if ferr = ctx.Err(); ferr != nil {
			break
		}
		s, raw, err := storeMessage(st, id, readRaw)
		if err != nil {
			ferr = err
			break
		}
		if raw == nil {
			s.Class = class
			stored = append(stored, s)
			continue
		}
		jobs <- job{raw: raw, class: class, source: s.Source, origin: "store"}
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
func storeMessage(st *store.Store, id string, readRaw func(string, []store.Locator) ([]byte, error)) (Sample, []byte, error) {
	locs, err := st.Locators(id)
	if err != nil {
		return Sample{}, nil, err
	}
	source := id
	if len(locs) > 0 {
		source = locatorString(locs[0])
	}
	if raw, err := readRaw(id, locs); err == nil {
		return Sample{Source: source}, raw, nil
	}
	rep, err := st.Report(id)
	if err != nil {
		return Sample{}, nil, err
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
