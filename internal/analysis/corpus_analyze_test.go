package analysis

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/devdata"
)

// TestAnalyzeCorpusNoPanic runs the whole analyzer over every file of the
// shared corpus (mbox files split naively on "From " lines). Analyze
// recovers from panics and records them as "internal error" warnings, so
// the test looks for those: none may occur. It also checks that every
// score is explained by its findings.
func TestAnalyzeCorpusNoPanic(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	root := devdata.Dir(t, "corpus")
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
	eachCorpusMessage(t, root, check)
	t.Logf("analysed %d messages", n)
}

// eachCorpusMessage calls check with every message of the corpus at root:
// each file (.json, .csv, .md and .txt files only under mime/), and each
// message of an mbox, split naively on "From " lines and named path#n.
func eachCorpusMessage(t *testing.T, root string, check func(name string, raw []byte)) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(p) {
		case ".json", ".csv", ".md", ".txt":
			if !strings.Contains(p, "/mime/") {
				return nil
			}
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".mbox") {
			for i, m := range bytes.Split(raw, []byte("\nFrom ")) {
				check(fmt.Sprintf("%s#%d", p, i), m)
			}
			return nil
		}
		check(p, raw)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
