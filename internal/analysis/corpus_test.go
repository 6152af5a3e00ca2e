package analysis

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/unwrap/unwraptest"
	"github.com/triage-tools/triage/internal/devdata"
)

// TestAnalyzeCorpusNoPanic runs the whole analyzer over every file of the
// shared corpus (mbox files split naively on "From " lines). Analyze
// recovers from panics and records them as "internal error" warnings, so
// the test looks for those: none may occur. It also checks that every
// score is explained by its findings.
func TestAnalyzeCorpusNoPanic(t *testing.T) {
	n := 0
	check := func(name string, raw []byte) {
		n++
		rep := Analyze(raw, nil)
		for _, w := range rep.Warnings {
			if strings.Contains(w, "internal error") {
				t.Errorf("%s: %s", name, w)
			}
		}
		if rep.Score != Score(rep.Findings) || rep.Score < 0 || rep.Score > 100 {
			t.Errorf("%s: score %d not explained by findings", name, rep.Score)
		}
		for _, f := range rep.Findings {
			if _, ok := New(nil).Rule(f.Rule); !ok {
				t.Errorf("%s: finding with unknown rule %q", name, f.Rule)
			}
		}
	}
	eachCorpusMessage(t, check)
	t.Logf("analysed %d messages", n)
}

// eachCorpusMessage calls check with every message of the shared corpus:
// each file (.json, .csv, .md and .txt files only under mime/), and each
// message of an mbox, split naively on "From " lines and named path#n. It
// skips t in short mode or when the corpus is absent.
func eachCorpusMessage(t *testing.T, check func(name string, raw []byte)) {
	t.Helper()
	if testing.Short() {
		t.Skip("short mode")
	}
	devdata.EachFile(t, devdata.Dir(t, "corpus"), "", func(p string, raw []byte) {
		switch filepath.Ext(p) {
		case ".json", ".csv", ".md", ".txt":
			if !strings.Contains(p, "/mime/") {
				return
			}
		}
		if strings.HasSuffix(p, ".mbox") {
			for i, m := range bytes.Split(raw, []byte("\nFrom ")) {
				check(fmt.Sprintf("%s#%d", p, i), m)
			}
			return
		}
		check(p, raw)
	})
}

// TestCorpusQRAndPDF counts, over the shared corpus, the messages whose
// QR codes or PDF attachments carry URLs, and those of them where such a
// URL appears nowhere else in the message (missed before QR codes and PDF
// links were read). It logs the counts (go test -v) and checks that no
// image or PDF makes the analysis fail.
func TestCorpusQRAndPDF(t *testing.T) {
	an := New(nil)
	var msgs, images, pdfs, withQR, withPDF, missed int
	var spent time.Duration
	check := func(name string, raw []byte) {
		msgs++
		p := message.Parse(raw, DefaultLimits())
		for _, m := range p.Media {
			if m.Kind == message.MediaPDF {
				pdfs++
			} else {
				images++
			}
		}
		start := time.Now()
		rep := an.Analyze(raw)
		spent += time.Since(start)
		other := map[string]bool{}
		for _, u := range rep.URLs {
			if !strings.HasPrefix(u.Source, "qr:") && !strings.HasPrefix(u.Source, "pdf:") {
				other[u.URL] = true
			}
		}
		qr, pdf, miss := false, false, false
		for _, u := range rep.URLs {
			switch {
			case strings.HasPrefix(u.Source, "qr:"):
				qr = true
			case strings.HasPrefix(u.Source, "pdf:"):
				pdf = true
			default:
				continue
			}
			if !other[u.URL] {
				miss = true
			}
		}
		if qr {
			withQR++
			t.Logf("QR: %s", name)
		}
		if pdf {
			withPDF++
			t.Logf("PDF link: %s", name)
		}
		if miss {
			missed++
		}
		for _, w := range rep.Warnings {
			if strings.Contains(w, "internal error") {
				t.Errorf("%s: %s", name, w)
			}
		}
	}
	eachCorpusMessage(t, check)
	t.Logf("%d messages: %d image and %d PDF parts read; %d messages with QR-code URLs, %d with PDF URLs; %d with a URL found nowhere else (missed before); analysis %v in all",
		msgs, images, pdfs, withQR, withPDF, missed, spent.Round(time.Millisecond))
}

// TestUnwrapCorpus counts the report wrappers of the development corpus
// (logged by kind) and checks, on its phishing messages wrapped by code as
// an attachment, an .eml and an ARF report, that the wrapped original never
// scores lower than the original alone and is the same message (same ID).
func TestUnwrapCorpus(t *testing.T) {
	root := devdata.Dir(t, "corpus")
	an := New(nil)
	kinds := map[string]int{}
	total := 0
	devdata.EachFile(t, root, ".eml", func(p string, raw []byte) {
		total++
		if rep := an.Analyze(raw); rep.Wrapper != nil {
			kinds[rep.Wrapper.Kind]++
			if testing.Verbose() {
				t.Logf("wrapper %s: %s depth %d, original from %s, score %d", strings.TrimPrefix(p, root), rep.Wrapper.Kind, rep.Wrapper.Depth, rep.Summary.From.Address, rep.Score)
			}
		}
	})
	n := 0
	for _, c := range kinds {
		n += c
	}
	t.Logf("corpus: %d of %d .eml messages are report wrappers %v", n, total, kinds)

	phish := filepath.Join(root, "phishing_pot")
	checked := 0
	devdata.EachFile(t, phish, ".eml", func(p string, raw []byte) {
		if checked >= 300 {
			return
		}
		if len(strings.TrimSpace(string(raw))) == 0 {
			return // an empty file holds no message to report
		}
		alone := an.Analyze(raw)
		if alone.Wrapper != nil {
			return // itself a wrapper: compared as its own original
		}
		checked++
		for name, w := range map[string][]byte{
			"attached": unwraptest.Attached(raw, taro),
			"eml":      unwraptest.OctetEML(raw, taro),
			"arf":      unwraptest.ARF(raw, taro, false),
		} {
			rep := an.Analyze(w)
			if rep.ID != alone.ID || rep.RawScore < alone.RawScore {
				t.Errorf("%s wrapped as %s: id %v, raw score %d < alone %d", filepath.Base(p), name, rep.ID == alone.ID, rep.RawScore, alone.RawScore)
			}
		}
	})
	if checked == 0 {
		t.Skip("no phishing messages in ../shared/corpus/phishing_pot")
	}
	t.Logf("%d corpus phish wrapped three ways: none scores lower", checked)
}
