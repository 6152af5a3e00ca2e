package kit

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// cells draws s into a one-line buffer of width w.
func cells(s string, w int) uv.ScreenBuffer {
	b := uv.NewScreenBuffer(w, 1)
	uv.NewStyledString(s).Draw(b, b.Bounds())
	return b
}

// TestMergeSGRSameCells: merging adjacent runs of one style leaves every
// cell as it was (text and style), and shortens lipgloss's per-character
// underlining.
func TestMergeSGRSameCells(t *testing.T) {
	heading := NewStyles(true).Heading
	cases := []struct {
		name, in string
		shorter  bool
	}{
		{"underlined heading", heading.Render("  SCR  L DATE       FROM   SUBJECT  ↓score"), true},
		{"two runs of one style", "\x1b[31mab\x1b[m\x1b[31mcd\x1b[m ef", true},
		{"different styles", "\x1b[31mab\x1b[m\x1b[32mcd\x1b[m", false},
		{"stacked attributes", "\x1b[1m\x1b[31mab\x1b[m\x1b[31mcd\x1b[m", false},
		{"text between runs", "\x1b[4ma\x1b[m b \x1b[4mc\x1b[m", false},
		{"plain", "plain text", false},
		{"dangling escape", "\x1b[m\x1b[", false},
		{"styled by lipgloss", lipgloss.NewStyle().Bold(true).Underline(true).Render("ab  cd") + "x", true},
	}
	for _, c := range cases {
		got := MergeSGR(c.in)
		if c.shorter != (len(got) < len(c.in)) {
			t.Errorf("%s: %d → %d bytes (%q)", c.name, len(c.in), len(got), got)
		}
		w := 60
		a, b := cells(c.in, w), cells(got, w)
		for x := range w {
			if ca, cb := a.CellAt(x, 0), b.CellAt(x, 0); !ca.Equal(cb) {
				t.Errorf("%s: cell %d differs: %+v vs %+v", c.name, x, ca, cb)
				break
			}
		}
	}
	if n, was := strings.Count(MergeSGR(cases[0].in), "\x1b["), strings.Count(cases[0].in, "\x1b["); n*3 > was {
		t.Errorf("heading: %d sequences of %d left", n, was)
	}
}
