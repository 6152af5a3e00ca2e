package campaign_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/campaign"
	"github.com/triage-tools/triage/internal/devdata"
	"github.com/triage-tools/triage/internal/mailbox"
)

type corpusMsg struct {
	id, class, subject, path string
	sig                      campaign.Sig
}

// loadCorpus analyses every message of the development corpus's phishing
// and ham folders, classed as the acceptance of issue 16 says, one entry
// per distinct message ID, in folder then mailbox order.
func loadCorpus(t *testing.T) []corpusMsg {
	root := devdata.Dir(t, "corpus")
	jp := readJPLabels(t, filepath.Join(root, "phishing_jp", "labels.csv"))
	type job struct {
		raw         []byte
		class, path string
		n           int
	}
	jobs := make(chan job, 64)
	var out []corpusMsg
	var mu sync.Mutex
	var wg sync.WaitGroup
	an := analysis.New(analysis.DefaultConfig())
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				r := an.Analyze(j.raw)
				m := corpusMsg{id: r.ID, class: j.class, subject: r.Summary.Subject, path: j.path, sig: campaign.SigOf(r)}
				mu.Lock()
				out = append(out, m)
				mu.Unlock()
			}
		})
	}
	n := 0
	for _, d := range []struct{ dir, class string }{
		{"phishing_pot", "phishing"}, {"phishing_nazario", "phishing"}, {"phishing_jp", ""},
		{"ham", "ham"}, {"ham_modern", "ham"},
	} {
		rd, err := mailbox.Open(filepath.Join(root, d.dir))
		if err != nil {
			t.Fatal(err)
		}
		for m, err := range mailbox.All(rd) {
			if err != nil {
				t.Fatal(err)
			}
			class := d.class
			p := filepath.Join(d.dir, m.Loc.File)
			if class == "" {
				class = jp[filepath.ToSlash(m.Loc.File)]
				if class == "" {
					continue
				}
			}
			n++
			jobs <- job{raw: m.Raw, class: class, path: fmt.Sprintf("%s@%d", p, m.Loc.Offset), n: n}
		}
		rd.Close()
	}
	close(jobs)
	wg.Wait()
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	seen := map[string]bool{}
	return slices.DeleteFunc(out, func(m corpusMsg) bool {
		d := seen[m.id]
		seen[m.id] = true
		return d
	})
}

func readJPLabels(t *testing.T, path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range recs[1:] {
		switch r[3] {
		case "phishing":
			out[r[0]] = "phishing"
		case "spam-other":
			out[r[0]] = "spam"
		}
	}
	return out
}

// TestCorpusCampaigns measures clustering on the development corpus and
// holds it to issue 16's acceptance: purity ≥ 0.99 and at most 0.60
// campaigns per message.
func TestCorpusCampaigns(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus analysis is slow")
	}
	msgs := loadCorpus(t)
	ix := campaign.NewIndex()
	of := make([]string, len(msgs))
	for i := range msgs {
		of[i], _, _ = ix.Add(msgs[i].id, &msgs[i].sig)
	}
	groups := map[string][]int{}
	for i := range msgs {
		c := ix.Resolve(of[i])
		groups[c] = append(groups[c], i)
	}
	pure, inMulti := 0, 0
	type camp struct {
		id      string
		members []int
		mix     map[string]int
	}
	var list []camp
	for c, mem := range groups {
		mix := map[string]int{}
		for _, i := range mem {
			mix[msgs[i].class]++
		}
		best := 0
		for _, n := range mix {
			best = max(best, n)
		}
		pure += best
		if len(mem) >= 2 {
			inMulti += len(mem)
		}
		list = append(list, camp{c, mem, mix})
	}
	sort.Slice(list, func(i, j int) bool {
		if len(list[i].members) != len(list[j].members) {
			return len(list[i].members) > len(list[j].members)
		}
		return list[i].id < list[j].id
	})
	n := len(msgs)
	purity := float64(pure) / float64(n)
	ratio := float64(len(groups)) / float64(n)
	t.Logf("messages %d  campaigns %d (%.3f × messages)  in campaigns of size ≥ 2: %.3f  purity %.4f",
		n, len(groups), ratio, float64(inMulti)/float64(n), purity)
	shown := 0
	for k, c := range list {
		// The largest campaigns, every mixed one, and the largest phishing ones.
		phish := c.mix["phishing"] == len(c.members) && shown < 10
		if k >= 8 && len(c.mix) < 2 && !phish {
			continue
		}
		if phish {
			shown++
		}
		t.Logf("%s size %d %v  e.g. %q | %q", c.id, len(c.members), c.mix, msgs[c.members[0]].subject, msgs[c.members[len(c.members)-1]].subject)
	}
	if purity < 0.99 {
		t.Errorf("purity %.4f < 0.99", purity)
	}
	if ratio > 0.60 {
		t.Errorf("campaigns / messages %.3f > 0.60", ratio)
	}
}
