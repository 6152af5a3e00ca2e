package kit

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles are the semantic styles of the workbench. They are rebuilt when the
// terminal reports its background colour. Selection and marks never rely on
// colour alone (reverse video and marker glyphs), so the screen stays
// readable with NO_COLOR, where the renderer drops all colours.
type Styles struct {
	Title, Progress, Status, Flash, Error, Dim, Bold lipgloss.Style
	Selected, Marked, Highlight, Key                 lipgloss.Style
	ScoreHigh, ScoreMed, ScoreLow                    lipgloss.Style
	Label, Tab, TabActive, Heading, Border           lipgloss.Style
	HelpKey, HelpDesc, HelpSep                       lipgloss.Style
	// Paint renders the list rows' styles fast (paint.go).
	Paint Painters
}

// NewStyles returns the styles for a dark or light background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	var s Styles
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(c("#1F2E5C", "#C8D3F5"))
	s.Progress = lipgloss.NewStyle().Foreground(c("#8A5A00", "#FFC777"))
	s.Status = lipgloss.NewStyle().Foreground(c("#3B4261", "#A9B1D6"))
	s.Flash = lipgloss.NewStyle().Bold(true).Foreground(c("#006B3C", "#C3E88D"))
	s.Error = lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(c("#B00020", "#FF757F"))
	s.Dim = lipgloss.NewStyle().Foreground(c("#6B7089", "#737AA2"))
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Selected = lipgloss.NewStyle().Reverse(true)
	s.Marked = lipgloss.NewStyle().Bold(true).Foreground(c("#7A3E9D", "#C099FF"))
	s.Highlight = lipgloss.NewStyle().Bold(true).Underline(true).Foreground(c("#B00020", "#FF966C"))
	s.Key = lipgloss.NewStyle().Bold(true).Foreground(c("#005F87", "#82AAFF"))
	s.ScoreHigh = lipgloss.NewStyle().Bold(true).Foreground(c("#B00020", "#FF757F"))
	s.ScoreMed = lipgloss.NewStyle().Foreground(c("#8A5A00", "#FFC777"))
	s.ScoreLow = lipgloss.NewStyle().Foreground(c("#006B3C", "#C3E88D"))
	s.Label = lipgloss.NewStyle().Foreground(c("#005F87", "#86E1FC"))
	s.Tab = lipgloss.NewStyle().Foreground(c("#6B7089", "#737AA2"))
	s.TabActive = lipgloss.NewStyle().Bold(true).Reverse(true)
	s.Heading = lipgloss.NewStyle().Bold(true).Underline(true)
	s.Border = lipgloss.NewStyle().Foreground(c("#A0A4B8", "#3B4261"))
	s.HelpKey = lipgloss.NewStyle().Bold(true).Foreground(c("#005F87", "#82AAFF"))
	s.HelpDesc = lipgloss.NewStyle().Foreground(c("#3B4261", "#A9B1D6"))
	s.HelpSep = lipgloss.NewStyle().Foreground(c("#A0A4B8", "#3B4261"))
	s.Paint = newPainters(&s)
	return s
}

// Score returns the colour band style for a risk score.
func (s Styles) Score(n int) lipgloss.Style {
	return [...]lipgloss.Style{s.ScoreLow, s.ScoreMed, s.ScoreHigh}[scoreBand(n)]
}

// scoreBand is the colour band of a risk score: 2 high (70 and over),
// 1 medium (40 and over), 0 low.
func scoreBand(n int) int {
	switch {
	case n >= 70:
		return 2
	case n >= 40:
		return 1
	}
	return 0
}
