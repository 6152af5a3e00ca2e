package ui

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/learn"
)

// The learned model in the list (docs/learning.md): sort by model or
// combined, and jump to the unlabeled message the model is least sure
// about. The scores come from kit.Common.Learned in a command, refreshed
// after the rows load and after every committed label, one request at a
// time (refreshLearned).

// learnedMsg carries the learned scores of the running request.
type learnedMsg struct {
	scores  map[string]learn.Brief
	trained bool
	err     error
}

// refreshLearned starts a new scoring of every row; nil when the session
// has no model. While a request runs it only notes that another is due:
// in SSH mode every analyst's label reaches every session, and a request
// for each (twenty sessions times every label) queued goroutines behind
// the store's paced scoring faster than it answered them. The request that
// follows starts when the running one answers (onLearned).
func (m *Model) refreshLearned() tea.Cmd {
	if m.c.Learned == nil {
		return nil
	}
	if m.learnBusy {
		m.learnAgain = true
		return nil
	}
	m.learnBusy, m.learnAgain = true, false
	fn := m.c.Learned
	return func() tea.Msg {
		s, ok, err := fn()
		return learnedMsg{scores: s, trained: ok, err: err}
	}
}

// onLearned applies the scores of the request that answered (the only
// one running), then starts the one that came due meanwhile, if any.
func (m *Model) onLearned(msg learnedMsg) tea.Cmd {
	m.learnBusy = false
	var next tea.Cmd
	if m.learnAgain {
		next = m.refreshLearned()
	}
	if msg.err != nil {
		m.flash = "learned model: " + msg.err.Error()
		return next
	}
	if !msg.trained {
		msg.scores = nil
	}
	m.list.SetLearned(msg.scores)
	return next
}

// SetLearned replaces the learned scores (nil: untrained) and re-sorts
// when the order depends on them.
func (l *List) SetLearned(scores map[string]learn.Brief) {
	l.learned = scores
	l.sorts[sortModel], l.sorts[sortCombined] = nil, nil
	if l.sort == sortModel || l.sort == sortCombined {
		l.invalidate()
		l.order = slices.Clone(l.order)
		slices.SortFunc(l.order, l.less)
		l.refilter(false, true)
	}
}

// learnedOf is row i's learned part; ok is false without a score.
func (l *List) learnedOf(i int32) (learn.Brief, bool) {
	if l.learned == nil {
		return learn.Brief{}, false
	}
	b, ok := l.learned[l.rows[i].ID]
	return b, ok
}

// lessLearned orders by the model's log-odds (sortModel) or by the
// combined raw score (sortCombined), higher first; rows without a score
// rank by their rules' raw score alone (learned 0).
func (l *List) lessLearned(a, b int32) int {
	la, _ := l.learnedOf(a)
	lb, _ := l.learnedOf(b)
	if l.sort == sortModel {
		return cmp.Compare(lb.Sum, la.Sum)
	}
	return cmp.Compare(l.rows[b].RawScore+lb.Points, l.rows[a].RawScore+la.Points)
}

// LeastSure moves the cursor to the shown unlabeled row whose learned
// log-odds are nearest 0 (the model's probability nearest ½): labeling it
// teaches the most. It reports false when the model is untrained or no
// shown row is unlabeled and scored.
func (l *List) LeastSure() bool {
	best, bestAbs := -1, math.Inf(1)
	for p, i := range l.shown {
		if l.rows[i].Label != "" {
			continue
		}
		if s, ok := l.learnedOf(i); ok && math.Abs(s.Sum) < bestAbs {
			best, bestAbs = p, math.Abs(s.Sum)
		}
	}
	if best < 0 {
		return false
	}
	l.Move(best - l.cursor)
	return true
}

// leastSureKey handles kit.KeyMap.LeastSure.
func (m *Model) leastSureKey() {
	if !m.list.LeastSure() {
		if m.list.learned == nil {
			m.flash = fmt.Sprintf("the model is not yet trained: it needs %d bad and %d benign labels", learn.MinPerClass, learn.MinPerClass)
		} else {
			m.flash = "no unlabeled message shown"
		}
	}
}

// explainMsg carries the learned part of the message shown (detail
// generation gen).
type explainMsg struct {
	gen int
	id  string
	sc  *learn.Scored
	err error
}

// explainDetail computes the learned part of the message in the detail
// panes (after it loads and after every label: the model changed); nil
// without a model or a message.
func (m *Model) explainDetail() tea.Cmd {
	d := m.detail.Loaded()
	if m.c.Explain == nil || d == nil {
		return nil
	}
	gen, id, fn, raw := m.detailGen, d.ID, m.c.Explain, m.c.Raw
	return func() tea.Msg {
		var b []byte
		if raw != nil {
			b, _ = raw.Raw(id) // unreadable: the evidence stays unnamed
		}
		sc, err := fn(id, b)
		return explainMsg{gen: gen, id: id, sc: sc, err: err}
	}
}
