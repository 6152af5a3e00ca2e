package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// learnedHarness is the fixture session with a learned model trained on
// the real features of the fixture messages: kagoya and invoice as bad,
// news and cjk as benign (each counted MinPerClass times, as that many
// labeled messages sharing their features would).
func learnedHarness(t *testing.T, w, h int) *harness {
	t.Helper()
	fs := fixtureStore()
	m := &learn.Model{}
	for range learn.MinPerClass {
		m.Add(fs.reports[idKagoya].Features.Hashes, learn.Bad)
		m.Add(fs.reports[idInvoice].Features.Hashes, learn.Bad)
		m.Add(fs.reports[idNews].Features.Hashes, learn.Good)
		m.Add(fs.reports[idCJK].Features.Hashes, learn.Good)
	}
	learned := func() (map[string]learn.Brief, bool, error) {
		out := map[string]learn.Brief{}
		for id, r := range fs.reports {
			sum, pts := m.Quick(r.Features.Hashes)
			out[id] = learn.Brief{Sum: sum, Points: pts}
		}
		return out, true, nil
	}
	explain := func(id string, _ []byte) (*learn.Scored, error) {
		r := fs.reports[id]
		sc := learn.ScoreReport(m, r.RawScore, &r.Features)
		return &sc, nil
	}
	return openHarness(t, fs, Options{
		Store: fs, Raw: fs, Actor: store.Actor{Name: "alice", Source: "tui"},
		Title: "demo", Location: time.UTC, NoSubscribe: true, Learned: learned, Explain: explain,
	}, w, h)
}

func TestLearnedSortAndLeastSure(t *testing.T) {
	h := learnedHarness(t, 80, 24)
	h.keys("o", "o", "o", "o", "o") // score → date → sender → label → reported → model
	if s := h.m.list.sort.String(); s != "model" {
		t.Fatalf("sort = %s", s)
	}
	got := idsShown(h.m.list)
	if got[0] != idKagoya && got[0] != idInvoice || got[len(got)-1] != idNews && got[len(got)-1] != idCJK {
		t.Fatalf("model order = %v", got)
	}
	for i := 1; i < len(got); i++ {
		a, _ := h.m.list.learnedOf(h.m.list.byID[got[i-1]])
		b, _ := h.m.list.learnedOf(h.m.list.byID[got[i]])
		if a.Sum < b.Sum {
			t.Fatalf("not by learned log-odds: %v", got)
		}
	}
	h.keys("o")
	if s := h.m.list.sort.String(); s != "combined" {
		t.Fatalf("sort = %s", s)
	}
	// The hostile message was not trained on: the model is least sure.
	h.keys("g", "=")
	if h.selected() != idHostile {
		a, _ := h.m.list.learnedOf(h.m.list.byID[h.selected()])
		t.Fatalf("least sure = %s (%v)", h.selected(), a)
	}
	// Labeled messages are skipped.
	h.m.list.SetLabel(idHostile, "phish")
	h.keys("=")
	if h.selected() == idHostile {
		t.Fatal("least sure picked a labeled message")
	}
}

func TestLeastSureUntrained(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.m.c.Learned = func() (map[string]learn.Brief, bool, error) { return nil, false, nil }
	h.run(h.m.refreshLearned())
	h.keys("=")
	if !strings.Contains(h.screen(), "not yet trained") {
		t.Fatalf("no untrained message:\n%s", h.screen())
	}
}

func TestSummaryShowsModelApart(t *testing.T) {
	h := learnedHarness(t, 80, 24)
	h.keys("enter")
	s := h.screen()
	testutil.TextHas(t, "summary", s, "Combined ", "learned (0–100; model p=", "(seen in 40 bad, 0 good)")
}

// TestSummaryShowsModelNote: a trained result's note (an authenticated
// sender whose positive learned points were held at 0) is shown under the
// combined score, not only in the JSON.
func TestSummaryShowsModelNote(t *testing.T) {
	h := learnedHarness(t, 80, 24)
	explain := h.m.c.Explain
	h.m.c.Explain = func(id string, raw []byte) (*learn.Scored, error) {
		sc, err := explain(id, raw)
		if err == nil {
			sc.Model.Note = learn.AuthNote
		}
		return sc, err
	}
	h.keys("enter")
	if s := h.screen(); !strings.Contains(s, "authenticated sender: learned points") {
		t.Fatalf("summary lacks the model's note:\n%s", s)
	}
}

func TestGoldenLearned(t *testing.T) {
	for _, v := range []struct {
		name string
		keys []string
	}{
		{"summary_model", []string{"enter"}},
		{"sort_model", []string{"o", "o", "o", "o", "o"}},
	} {
		t.Run(v.name, func(t *testing.T) {
			h := learnedHarness(t, 80, 24)
			h.keys(v.keys...)
			s := h.screen()
			checkScreen(t, s, 80, 24)
			golden(t, fmt.Sprintf("%s_80x24", v.name), s)
		})
	}
}

// TestLearnedRequestsCoalesce: labels committed while a learned-scores
// request runs start no request of their own; one more starts when it
// answers, and its scores are applied.
func TestLearnedRequestsCoalesce(t *testing.T) {
	m := teamModel(t, 50)
	calls := 0
	m.c.Learned = func() (map[string]learn.Brief, bool, error) {
		calls++
		return map[string]learn.Brief{m.list.rows[0].ID: {Sum: float64(calls)}}, true, nil
	}
	first := m.refreshLearned()
	if first == nil {
		t.Fatal("no request started")
	}
	for i := range 20 {
		nm, cmd := m.Update(colleagueLabel(m.list.rows[10+i].ID, "spam"))
		m = nm.(Model)
		if n := countLearnedCmds(cmd); n != 0 {
			t.Fatalf("label %d started %d more learned requests while one runs", i, n)
		}
	}
	nm, cmd := m.Update(first())
	m = nm.(Model)
	if calls != 1 {
		t.Fatalf("%d scorings, want 1", calls)
	}
	if n := countLearnedCmds(cmd); n != 1 {
		t.Fatalf("%d requests after the answer, want the 1 that came due", n)
	}
	nm, cmd = m.Update(learnedMsg{scores: map[string]learn.Brief{m.list.rows[0].ID: {Sum: 7}}, trained: true})
	m = nm.(Model)
	if countLearnedCmds(cmd) != 0 {
		t.Fatal("a request started with nothing due")
	}
	if b, ok := m.list.learnedOf(0); !ok || b.Sum != 7 {
		t.Fatalf("the last answer was not applied: %v %v", b, ok)
	}
}

// countLearnedCmds runs cmd (and the commands of a batch, not waiting on
// ticks) and counts the learned-scores requests among them, without
// running those.
func countLearnedCmds(cmd tea.Cmd) int {
	if cmd == nil {
		return 0
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		switch msg := msg.(type) {
		case tea.BatchMsg:
			n := 0
			for _, c := range msg {
				n += countLearnedCmds(c)
			}
			return n
		case learnedMsg:
			return 1
		}
	case <-time.After(50 * time.Millisecond): // a tick
	}
	return 0
}
