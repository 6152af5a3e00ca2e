package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/unwrap/unwraptest"
	"github.com/triage-tools/triage/internal/devdata"
)

// TestUnwrapCorpus counts the report wrappers of the development corpus
// (logged by kind) and checks, on its phishing messages wrapped by code as
// an attachment, an .eml and an ARF report, that the wrapped original never
// scores lower than the original alone and is the same message (same ID).
func TestUnwrapCorpus(t *testing.T) {
	root := devdata.Dir(t, "corpus")
	an := New(nil)
	kinds := map[string]int{}
	total := 0
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".eml") {
			return nil
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		total++
		if rep := an.Analyze(raw); rep.Wrapper != nil {
			kinds[rep.Wrapper.Kind]++
			if testing.Verbose() {
				t.Logf("wrapper %s: %s depth %d, original from %s, score %d", strings.TrimPrefix(p, root), rep.Wrapper.Kind, rep.Wrapper.Depth, rep.Summary.From.Address, rep.Score)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
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
