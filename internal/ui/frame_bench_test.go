package ui

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"

	"github.com/triage-tools/triage/store"
)

// The frame benchmarks time what one SSH session of the team-mode load test
// (internal/serve TestServeLoad: 120×30 terminals, a corpus of 4,245
// messages, a third with Japanese subjects) spends on one message: Update
// and View, and with "+flush" also what Bubble Tea's renderer does with the
// frame (ultraviolet parses it into cells, diffs it against the screen and
// writes the changes; the B/frame metric is the bytes sent to the client).
// With twenty analysts labeling, every session handles every analyst's
// labels, so the colleague-label cases run twenty times more often than a
// session's own keys.

// frameRows are n rows like the load test's corpus: every third subject and
// sender name in Japanese (wide characters).
func frameRows(n int) []store.Row {
	rows := bigRows(n)
	for i := range rows {
		if i%3 == 0 {
			rows[i].Subject = fmt.Sprintf("【重要】アカウントの確認をお願いします %d", i)
			rows[i].FromName = "カゴヤ・ジャパン株式会社"
		}
	}
	return rows
}

// frameModel is a session's model at 120×30 with n rows, cursor on row 0,
// auto-advance off (as the load test runs it).
func frameModel(b *testing.B, n int) Model {
	b.Helper()
	m := New(Options{Location: time.UTC, NoSubscribe: true, Actor: store.Actor{Name: "me", Source: "ssh"}})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	m = nm.(Model)
	nm, _ = m.Update(rowsMsg{rows: frameRows(n)})
	m = nm.(Model)
	nm, _ = m.Update(keyMsg("a"))
	m = nm.(Model)
	_ = m.View()
	return m
}

// flusher does with each frame what Bubble Tea's cursed renderer does in
// an alternate screen: skip an unchanged frame, else clear its cell buffer,
// draw the frame into it and render the difference to the terminal.
type flusher struct {
	last  string
	buf   uv.ScreenBuffer
	scr   *uv.TerminalRenderer
	out   bytes.Buffer
	bytes int
}

func newFlusher(w, h int) *flusher {
	f := &flusher{buf: uv.NewScreenBuffer(w, h)}
	f.scr = uv.NewTerminalRenderer(&f.out, []string{"TERM=xterm-256color"})
	f.scr.SetColorProfile(colorprofile.ANSI256)
	f.scr.SetFullscreen(true)
	f.scr.SetRelativeCursor(false)
	f.scr.SetScrollOptim(true)
	f.scr.SetTabStops(-1)
	return f
}

func (f *flusher) flush(content string) {
	if content == f.last {
		return
	}
	f.last = content
	f.buf.Clear()
	uv.NewStyledString(content).Draw(f.buf, f.buf.Bounds())
	f.scr.Render(f.buf.RenderBuffer)
	_ = f.scr.Flush()
	f.bytes += f.out.Len()
	f.out.Reset()
}

// benchFrames runs next(i) for each iteration, then Update and View, and
// with flush the renderer.
func benchFrames(b *testing.B, m Model, flush bool, next func(m *Model, i int) tea.Msg) {
	var f *flusher
	if flush {
		f = newFlusher(m.width, m.height)
		f.flush(m.View().Content)
		f.bytes = 0
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		nm, _ := m.Update(next(&m, i))
		m = nm.(Model)
		v := m.View()
		if f != nil {
			f.flush(v.Content)
		}
	}
	if f != nil {
		b.ReportMetric(float64(f.bytes)/float64(b.N), "B/frame")
	}
}

func moveMsg(_ *Model, i int) tea.Msg {
	if i%2 == 0 {
		return keyMsg("j")
	}
	return keyMsg("k")
}

// benchColleagueLabel returns another analyst's label on a row far below the
// screen (onScreen false) or on the row below the cursor, cycling labels.
func benchColleagueLabel(onScreen bool) func(m *Model, i int) tea.Msg {
	return func(m *Model, i int) tea.Msg {
		p := 200 + i%1000
		if onScreen {
			p = m.list.cursor + 1
		}
		id := m.list.rows[m.list.shown[p]].ID
		label := m.c.Labels[i%len(m.c.Labels)]
		return changeMsg{ok: true, ch: store.Change{Kind: "label", ID: id, Label: label,
			Actor: store.Actor{Name: "colleague", Source: "ssh"}}}
	}
}

// ownLabel is the session's own committed label on the selected row.
func ownLabel(m *Model, i int) tea.Msg {
	r, _ := m.list.Selected()
	label := m.c.Labels[i%len(m.c.Labels)]
	return labeledMsg{changes: []labelChange{{id: r.ID, label: label, prev: r.Label}}}
}

const frameN = 4245

func BenchmarkFrameCursorMove(b *testing.B) { benchFrames(b, frameModel(b, frameN), false, moveMsg) }
func BenchmarkFrameCursorMoveFlush(b *testing.B) {
	benchFrames(b, frameModel(b, frameN), true, moveMsg)
}
func BenchmarkFrameOwnLabel(b *testing.B) { benchFrames(b, frameModel(b, frameN), false, ownLabel) }
func BenchmarkFrameOwnLabelFlush(b *testing.B) {
	benchFrames(b, frameModel(b, frameN), true, ownLabel)
}
func BenchmarkFrameColleagueLabel(b *testing.B) {
	benchFrames(b, frameModel(b, frameN), false, benchColleagueLabel(false))
}
func BenchmarkFrameColleagueLabelFlush(b *testing.B) {
	benchFrames(b, frameModel(b, frameN), true, benchColleagueLabel(false))
}
func BenchmarkFrameColleagueLabelOnScreen(b *testing.B) {
	benchFrames(b, frameModel(b, frameN), false, benchColleagueLabel(true))
}
func BenchmarkFrameColleagueLabelOnScreenFlush(b *testing.B) {
	benchFrames(b, frameModel(b, frameN), true, benchColleagueLabel(true))
}
