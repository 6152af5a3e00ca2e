package kit

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Painter renders one line of text in a style, as the style's Render
// does, without lipgloss's layout work (measuring graphemes, splitting
// lines, padding, margins, borders) when the style has none of it to do:
// for the styles of the list's rows that work was most of a row's
// rendering, and a key press over SSH renders two or three rows.
type Painter struct {
	st  lipgloss.Style
	pre string // the SGR sequence Render puts before the text, "" when the fast path does not apply
}

// NewPainter returns the painter of st. It takes the fast path only when
// the style renders plain text as one SGR sequence, the text and a reset
// (no underline or strikethrough, which lipgloss applies per character,
// and no layout).
func NewPainter(st lipgloss.Style) Painter {
	p := Painter{st: st}
	const probe = "a b ア"
	out := st.Render(probe)
	pre, ok := strings.CutSuffix(out, probe+sgrReset)
	if ok && SGRLen(pre) == len(pre) && st.Render("z") == pre+"z"+sgrReset {
		p.pre = pre
	}
	return p
}

// Render returns st.Render(s).
func (p Painter) Render(s string) string {
	if p.pre == "" || s == "" || strings.ContainsAny(s, "\t\n\r\x1b") {
		return p.st.Render(s)
	}
	return p.pre + s + sgrReset
}

// Painters are the painters of the list rows' styles (Styles.Paint).
type Painters struct {
	Selected, Marked, Label, Dim, ScoreHigh, ScoreMed, ScoreLow Painter
}

func newPainters(s *Styles) Painters {
	return Painters{
		Selected: NewPainter(s.Selected), Marked: NewPainter(s.Marked), Label: NewPainter(s.Label), Dim: NewPainter(s.Dim),
		ScoreHigh: NewPainter(s.ScoreHigh), ScoreMed: NewPainter(s.ScoreMed), ScoreLow: NewPainter(s.ScoreLow),
	}
}

// Score returns the painter of the colour band of a risk score (Styles.Score).
func (p *Painters) Score(n int) Painter {
	return [...]Painter{p.ScoreLow, p.ScoreMed, p.ScoreHigh}[scoreBand(n)]
}
