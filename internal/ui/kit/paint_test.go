package kit

import (
	"testing"

	"charm.land/lipgloss/v2"
)

// TestPainterMatchesRender: each row style's painter takes the fast path
// and renders exactly what lipgloss renders, for the texts of list rows.
func TestPainterMatchesRender(t *testing.T) {
	texts := []string{
		"", " ", " *", "▸ ", " 74", "███▋·", "·", "2024-01-03",
		"▸  74 ███▋· · 2024-01-03 カゴヤ・ジャパン株式会社 <user4242@domain… 【重要】アカウントの確認    ",
		"trailing   ", "  leading", "tab\there", "two\nlines", "\x1b[31mred",
	}
	for _, dark := range []bool{true, false} {
		s := NewStyles(dark)
		p := s.Paint
		pairs := []struct {
			name string
			p    Painter
			st   lipgloss.Style
		}{
			{"Selected", p.Selected, s.Selected}, {"Marked", p.Marked, s.Marked}, {"Label", p.Label, s.Label},
			{"Dim", p.Dim, s.Dim}, {"ScoreHigh", p.Score(90), s.Score(90)}, {"ScoreMed", p.Score(50), s.Score(50)},
			{"ScoreLow", p.Score(10), s.Score(10)},
		}
		for _, c := range pairs {
			if c.p.pre == "" {
				t.Errorf("%s (dark %v): no fast path", c.name, dark)
			}
			for _, x := range texts {
				if got, want := c.p.Render(x), c.st.Render(x); got != want {
					t.Errorf("%s (dark %v) %q: %q, want %q", c.name, dark, x, got, want)
				}
			}
		}
	}
	// A style lipgloss lays out (underline per character) is rendered by
	// lipgloss.
	if h := NewPainter(NewStyles(true).Heading); h.pre != "" {
		t.Errorf("the underlined heading took the fast path (%q)", h.pre)
	}
}
