package serve

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/vt"
)

// frameOf builds a frame of h lines of width w: line i is text[i] padded.
func frameOf(w int, text ...string) string {
	lines := make([]string, len(text))
	for i, t := range text {
		lines[i] = t + strings.Repeat(" ", max(w-len([]rune(t)), 0))
	}
	return strings.Join(lines, "\n")
}

// drawn sets each frame on a renderer (waiting for it to be written) and
// returns the output of each.
func drawn(t *testing.T, w, h int, frames ...string) []string {
	t.Helper()
	out := &syncBuffer{}
	r := newLineRenderer(out, colorprofile.TrueColor, w, h, 1000)
	var got []string
	for _, f := range frames {
		mark := out.Len()
		r.set(tea.View{Content: f, MouseMode: tea.MouseModeCellMotion, WindowTitle: "triage"})
		deadline := time.Now().Add(5 * time.Second)
		for out.Len() == mark && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(5 * time.Millisecond) // the renderer writes a frame in one write
		got = append(got, out.Slice(mark, out.Len()))
	}
	mark := out.Len()
	r.stop()
	got = append(got, out.Slice(mark, out.Len()))
	return got
}

// screenOf feeds out to a w×h terminal emulator and returns its lines.
// The output holds no query, so the emulator has nothing to answer (and
// is not closed: its Close races with a reader).
func screenOf(w, h int, out ...string) []string {
	emu := vt.NewEmulator(w, h)
	for _, o := range out {
		emu.WriteString(o)
	}
	return strings.Split(emu.String(), "\n")
}

// TestLineRendererRewritesChangedLines: after the first frame, a frame
// that differs in two lines rewrites those two lines only, and the screen
// shows the new frame, wide characters included.
func TestLineRendererRewritesChangedLines(t *testing.T) {
	const w, h = 40, 6
	f1 := frameOf(w, "triage", "▸ 91 【重要】アカウント確認", "  12 hello world", "  50 third row", "status", "help")
	f2 := frameOf(w, "triage", "  91 【重要】アカウント確認", "▸ 12 hello world", "  50 third row", "status", "help")
	out := drawn(t, w, h, f1, f2)
	if !strings.HasPrefix(out[0], enterTerminal) || !strings.Contains(out[0], "\x1b[?1002h") || !strings.Contains(out[0], "\x1b]2;triage\x07") {
		t.Errorf("first frame does not set up the terminal: %q", out[0][:min(len(out[0]), 80)])
	}
	if n := strings.Count(out[1], "\x1b[2K"); n != 2 {
		t.Errorf("second frame rewrote %d lines, want 2: %q", n, out[1])
	}
	if strings.Contains(out[1], "third row") || strings.Contains(out[1], "status") {
		t.Errorf("an unchanged line was written again: %q", out[1])
	}
	screen := screenOf(w, h, out[0], out[1])
	want := strings.Split(f2, "\n")
	for i := range want {
		if strings.TrimRight(screen[i], " ") != strings.TrimRight(want[i], " ") {
			t.Errorf("line %d on screen %q, want %q", i, screen[i], want[i])
		}
	}
	if !strings.HasSuffix(out[2], restoreTerminal) {
		t.Errorf("stop did not restore the terminal: %q", out[2])
	}
}

// TestLineRendererResizeRepaints: after a resize every line is written
// again, once the screen was cleared.
func TestLineRendererResizeRepaints(t *testing.T) {
	out := &syncBuffer{}
	r := newLineRenderer(out, colorprofile.TrueColor, 20, 3, 1000)
	f := frameOf(20, "a", "b", "c")
	r.set(tea.View{Content: f})
	waitLen(t, out, 1)
	mark := out.Len()
	r.resize(20, 4)
	r.set(tea.View{Content: f + "\n" + strings.Repeat(" ", 20)})
	waitLen(t, out, mark+1)
	r.stop()
	got := out.Slice(mark, out.Len())
	if !strings.Contains(got, "\x1b[2J") || strings.Count(got, "\x1b[2K") != 4 {
		t.Errorf("a resize did not repaint the whole screen: %q", got)
	}
}

func waitLen(t *testing.T, b *syncBuffer, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for b.Len() < n {
		if time.Now().After(deadline) {
			t.Fatal("nothing written")
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(5 * time.Millisecond)
}

// TestLineRendererWritesOnlySGR: a frame line holding escape sequences
// other than SGR, C0 and C1 controls or broken UTF-8 reaches the terminal
// without them (a second line of defence behind textsafe).
func TestLineRendererWritesOnlySGR(t *testing.T) {
	hostile := "\x1b[31mred\x1b[m \x1b]52;c;SGVsbG8=\x07 \x1b[2J \x1bP+q\x1b\\ bell\x07 \u009b31m \xff end"
	out := drawn(t, 60, 1, hostile)
	body := strings.TrimPrefix(out[0], enterTerminal)
	body = body[strings.Index(body, "\x1b[1;1H"):]
	for _, bad := range []string{"\x1b]52", "\x1bP", "\x07", "\u009b", "\xff", "\x1b[2J \x1b"} {
		if strings.Contains(body, bad) {
			t.Errorf("output holds %q: %q", bad, body)
		}
	}
	if !strings.Contains(body, "\x1b[31mred\x1b[m") || !strings.Contains(body, "end") {
		t.Errorf("SGR or text lost: %q", body)
	}
}

// TestLineRendererWithoutColourProfile: a terminal without a colour profile
// (TERM=dumb) gets the frame without colours, its lines still positioned.
func TestLineRendererWithoutColourProfile(t *testing.T) {
	out := &syncBuffer{}
	r := newLineRenderer(out, colorprofile.NoTTY, 20, 2, 1000)
	r.set(tea.View{Content: "\x1b[31mred\x1b[m\nplain"})
	waitLen(t, out, 1)
	r.stop()
	got := out.String()
	if !strings.Contains(got, "\x1b[1;1H") || !strings.Contains(got, "\x1b[2;1H") || !strings.Contains(got, "red") {
		t.Errorf("lines not positioned: %q", got)
	}
	if strings.Contains(got, "\x1b[31m") {
		t.Errorf("colour sent to a terminal without colours: %q", got)
	}
}

// BenchmarkLineRendererCursorMove: writing a 120×30 frame of list rows
// (styled, a third with Japanese text) after a cursor move (two lines
// changed), through a 256-colour profile, as one session's frame costs
// the server. B/frame is the output.
func BenchmarkLineRendererCursorMove(b *testing.B) {
	const w, h = 120, 30
	row := func(i int, cur bool) string {
		subj := "Message number about invoice 200d22c"
		if i%3 == 0 {
			subj = "【重要】アカウントの確認をお願いします"
		}
		s := "\x1b[38;2;195;232;141m 37\x1b[m \x1b[38;2;195;232;141m█▊···\x1b[m \x1b[38;2;134;225;252m·\x1b[m \x1b[38;2;115;122;162m2024-01-03\x1b[m Sender <user@domain.example> " + subj
		if cur {
			s = "\x1b[7m▸ " + s + "\x1b[m"
		}
		return s
	}
	frame := func(cursor int) string {
		lines := make([]string, h)
		for i := range lines {
			lines[i] = row(i, i == cursor)
		}
		return strings.Join(lines, "\n")
	}
	frames := [2]string{frame(3), frame(4)}
	out := &countWriter{}
	r := &lineRenderer{out: &colorprofile.Writer{Forward: out, Profile: colorprofile.ANSI256}, width: w, height: h, clear: true}
	r.frame, r.dirty = frames[1], true
	r.write()
	out.n = 0
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.frame, r.dirty = frames[i%2], true
		r.write()
	}
	b.ReportMetric(float64(out.n)/float64(b.N), "B/frame")
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }
