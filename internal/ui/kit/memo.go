package kit

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
)

// LineMemo remembers the rendering of the screen's chrome lines (title,
// status, label counts, short help, flash, the list header) by the inputs
// that decide them. Bubble Tea calls View after every message, and in SSH
// mode every label any analyst commits reaches every session: most of those
// frames differ from the last one in a count or two, so styling and
// measuring each line again (lipgloss and grapheme widths) was most of a
// frame's cost. The memo is held by pointer, so the model's copies share
// it; View and Update run on the program's one goroutine.
type LineMemo struct {
	gen   int // Common.StylesGen the entries were rendered with
	lines map[string]string
}

// memoMax bounds the memo: a frame uses about six entries, so a full memo
// holds old states, and is simply dropped.
const memoMax = 64

// Line returns the rendering of key under styles generation gen, calling
// render only when it is not remembered. key must hold every input of
// render's output (kind first, so two kinds never share a key). The line
// is remembered with its adjacent runs of one style merged (MergeSGR).
func (c *LineMemo) Line(gen int, key string, render func() string) string {
	if c == nil {
		return render() // a nil memo (a model not made by its constructor)
	}
	if c.gen != gen || len(c.lines) >= memoMax {
		c.gen = gen
		c.lines = nil
	}
	if s, ok := c.lines[key]; ok {
		return s
	}
	s := MergeSGR(render())
	if c.lines == nil {
		c.lines = make(map[string]string, 8)
	}
	c.lines[key] = s
	return s
}

// MemoKey joins the parts of a memo key with a separator that text shown
// on screen (sanitised) never contains.
func MemoKey(kind string, width int, parts ...string) string {
	var b strings.Builder
	b.WriteString(kind)
	b.WriteByte(0)
	b.WriteString(strconv.Itoa(width))
	for _, p := range parts {
		b.WriteByte(0)
		b.WriteString(p)
	}
	return b.String()
}

// BindingsKey names a list of bindings by their help texts (what the
// short help shows of them).
func BindingsKey(bs []key.Binding) string {
	var b strings.Builder
	for _, k := range bs {
		h := k.Help()
		b.WriteString(h.Key)
		b.WriteByte(1)
		b.WriteString(h.Desc)
		b.WriteByte(2)
	}
	return b.String()
}
