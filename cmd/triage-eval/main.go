// Command triage-eval measures how well the analyzer separates phishing from
// ham on the development corpus (../shared/corpus): ROC AUC, and the
// true-positive rate at a threshold that keeps false positives ≤ 1%.
//
//	go run ./cmd/triage-eval [-corpus ../shared/corpus] [-v] [-rules] [-dump reports.jsonl]
//
// Positives: phishing_pot/*.eml, phishing_jp/**/*.eml labelled "phishing" in
// labels.csv, phishing_nazario/*.mbox. Negatives: ham/**/*.eml. The
// "spam-other" messages of phishing_jp are reported separately and not
// counted.
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/mailbox"
)

type sample struct {
	path  string
	pos   bool
	score int
	rules []string
	subj  string
}

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "development corpus folder")
	verbose := flag.Bool("v", false, "list the false positives and the missed phishing at the threshold")
	rules := flag.Bool("rules", false, "print per-rule firing counts on positives and negatives")
	dump := flag.String("dump", "", "write every report as JSON Lines ({path, pos, report}) to this file")
	flag.Parse()
	if err := run(*corpus, *verbose, *rules, *dump, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "triage-eval:", err)
		os.Exit(1)
	}
}

func run(corpus string, verbose, perRule bool, dump string, w io.Writer) error {
	inputs, err := loadInputs(corpus)
	if err != nil {
		return err
	}
	samples, dumps := analyzeAll(inputs, dump != "")
	if dump != "" {
		if err := writeLines(dump, dumps); err != nil {
			return err
		}
	}
	var pos, neg []int
	for _, s := range samples {
		if s.pos {
			pos = append(pos, s.score)
		} else {
			neg = append(neg, s.score)
		}
	}
	auc := rocAUC(pos, neg)
	thr, tpr, fpr := tprAtFPR(pos, neg, 0.01)
	fmt.Fprintf(w, "samples: %d phishing, %d ham\n", len(pos), len(neg))
	fmt.Fprintf(w, "ROC AUC: %.4f\n", auc)
	fmt.Fprintf(w, "TPR at FPR<=1%%: %.4f (threshold score >= %d, FPR %.4f)\n", tpr, thr, fpr)
	for _, t := range []int{30, 40, 50, 60, 70} {
		fmt.Fprintf(w, "  score >= %d: TPR %.3f FPR %.4f\n", t, rate(pos, t), rate(neg, t))
	}
	if perRule {
		printRuleCounts(w, samples, len(pos), len(neg))
	}
	if verbose {
		printMisses(w, samples, thr)
	}
	return nil
}

// input is one message of the corpus and whether it is phishing.
type input struct {
	path string
	raw  []byte
	pos  bool
}

// loadInputs reads the corpus: ham, phishing_pot, the phishing_jp messages
// labelled "phishing", and every message of the phishing_nazario mailboxes.
func loadInputs(corpus string) ([]input, error) {
	if _, err := os.Stat(corpus); err != nil {
		return nil, err
	}
	jpLabels, err := readJPLabels(filepath.Join(corpus, "phishing_jp", "labels.csv"))
	if err != nil {
		return nil, err
	}
	var inputs []input
	addFiles := func(dir string, pos bool, keep func(rel string) bool) error {
		return filepath.WalkDir(filepath.Join(corpus, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".eml") {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join(corpus, dir), p)
			if keep != nil && !keep(rel) {
				return nil
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			inputs = append(inputs, input{p, raw, pos})
			return nil
		})
	}
	if err := addFiles("ham", false, nil); err != nil {
		return nil, err
	}
	if err := addFiles("phishing_pot", true, nil); err != nil {
		return nil, err
	}
	if err := addFiles("phishing_jp", true, func(rel string) bool { return jpLabels[filepath.ToSlash(rel)] == "phishing" }); err != nil {
		return nil, err
	}
	mboxes, _ := filepath.Glob(filepath.Join(corpus, "phishing_nazario", "*.mbox"))
	for _, mb := range mboxes {
		rd, err := mailbox.Open(mb)
		if err != nil {
			return nil, err
		}
		for i := 0; ; i++ {
			m, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, err
			}
			inputs = append(inputs, input{fmt.Sprintf("%s#%d", mb, i+1), m.Raw, true})
		}
		rd.Close()
	}
	return inputs, nil
}

// analyzeAll analyses the inputs on every CPU and returns one sample per
// input, in order, and, when dump is set, one JSON line per input.
func analyzeAll(inputs []input, dump bool) ([]sample, [][]byte) {
	samples := make([]sample, len(inputs))
	var dumps [][]byte
	if dump {
		dumps = make([][]byte, len(inputs))
	}
	var wg sync.WaitGroup
	next := make(chan int)
	an := analysis.New(analysis.DefaultConfig())
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				rep := an.Analyze(inputs[i].raw)
				s := sample{path: inputs[i].path, pos: inputs[i].pos, score: rep.Score, subj: rep.Summary.Subject}
				for _, f := range rep.Findings {
					if f.Points != 0 {
						s.rules = append(s.rules, fmt.Sprintf("%s(%+d)", f.Rule, f.Points))
					}
				}
				samples[i] = s
				if dumps != nil {
					dumps[i], _ = json.Marshal(struct {
						Path   string           `json:"path"`
						Pos    bool             `json:"pos"`
						Report *analysis.Report `json:"report"`
					}{inputs[i].path, inputs[i].pos, rep})
				}
			}
		})
	}
	for i := range inputs {
		next <- i
	}
	close(next)
	wg.Wait()
	return samples, dumps
}

// printRuleCounts prints, for every rule of the table, the share of
// positives and negatives it fired on with non-zero points.
func printRuleCounts(w io.Writer, samples []sample, npos, nneg int) {
	cp, cn := map[string]int{}, map[string]int{}
	for _, s := range samples {
		for _, r := range s.rules {
			r = r[:strings.IndexByte(r, '(')]
			if s.pos {
				cp[r]++
			} else {
				cn[r]++
			}
		}
	}
	var ids []string
	for _, r := range analysis.DefaultRules() {
		ids = append(ids, r.ID)
	}
	fmt.Fprintf(w, "%-36s %8s %8s\n", "rule", "phish%", "ham%")
	for _, id := range ids {
		fmt.Fprintf(w, "%-36s %7.1f%% %7.2f%%\n", id, 100*float64(cp[id])/float64(npos), 100*float64(cn[id])/float64(nneg))
	}
}

// printMisses sorts samples by score and lists the ham at or above thr
// and the lowest 60 phishing below it.
func printMisses(w io.Writer, samples []sample, thr int) {
	sort.Slice(samples, func(i, j int) bool { return samples[i].score > samples[j].score })
	fmt.Fprintln(w, "\nham at or above the threshold:")
	for _, s := range samples {
		if !s.pos && s.score >= thr {
			fmt.Fprintf(w, "  %3d %s %q %v\n", s.score, s.path, s.subj, s.rules)
		}
	}
	fmt.Fprintln(w, "\nphishing below the threshold (lowest 60):")
	n := 0
	for i := len(samples) - 1; i >= 0 && n < 60; i-- {
		s := samples[i]
		if s.pos && s.score < thr {
			fmt.Fprintf(w, "  %3d %s %q %v\n", s.score, s.path, s.subj, s.rules)
			n++
		}
	}
}

func rate(xs []int, thr int) float64 {
	n := 0
	for _, x := range xs {
		if x >= thr {
			n++
		}
	}
	return float64(n) / float64(max(1, len(xs)))
}

// rocAUC is the probability that a random positive scores above a random
// negative (ties count half).
func rocAUC(pos, neg []int) float64 {
	var cntNeg [102]int
	for _, s := range neg {
		cntNeg[s]++
	}
	var below [102]int // negatives with score < i
	for i := 1; i < 102; i++ {
		below[i] = below[i-1] + cntNeg[i-1]
	}
	var sum float64
	for _, s := range pos {
		sum += float64(below[s]) + 0.5*float64(cntNeg[s])
	}
	return sum / float64(len(pos)) / float64(len(neg))
}

// tprAtFPR finds the lowest threshold whose false-positive rate is at most
// maxFPR and returns it with the TPR and FPR there.
func tprAtFPR(pos, neg []int, maxFPR float64) (thr int, tpr, fpr float64) {
	for t := 0; t <= 101; t++ {
		f := rate(neg, t)
		if f <= maxFPR {
			return t, rate(pos, t), f
		}
	}
	return 101, 0, 0
}

func readJPLabels(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m := map[string]string{}
	for i, r := range recs {
		if i == 0 || len(r) < 4 {
			continue
		}
		m[r[0]] = r[3]
	}
	return m, nil
}

func writeLines(path string, lines [][]byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, l := range lines {
		w.Write(l)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
