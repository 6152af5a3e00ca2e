package serve

import (
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/triage-tools/triage/internal/ui/kit"
)

// A session's frames are drawn by a lineRenderer, not by Bubble Tea's own
// renderer. That one parses every changed frame into cells, diffs the
// cells against the screen, and repaints every line that holds a wide
// character (CJK subjects, emoji) whatever changed: about 0.7 ms of CPU
// and 2 kB of output for a cursor move at 120×30, nine tenths of a key's
// cost in the server, for twenty sessions on two cores. The workbench
// already renders whole lines, every one padded or cut to the width and
// ending with its styles reset, so comparing a frame's lines with the
// last frame's and rewriting the lines that differ is enough: a cursor
// move rewrites two lines.
//
// Autowrap is off while the workbench runs, so a line the terminal
// measures wider than the workbench did is clipped at the right margin
// instead of spilling into the next line; each line is written from its
// first column after erasing it, so nothing depends on where the terminal
// put the previous one's characters.
//
// Every frame's text was sanitised by the workbench (textsafe); as a
// second line of defence the renderer writes no control character and no
// escape sequence but SGR (colours and attributes): anything else in a
// line is dropped.

// lineRenderer draws the frames of one session to its output. set may be
// called from the program's goroutine at any rate; frames are written from
// the renderer's own goroutine, at most fps a second, so a slow client
// delays only its own frames.
type lineRenderer struct {
	out      io.Writer
	interval time.Duration

	mu      sync.Mutex
	frame   string // the latest frame
	view    viewModes
	width   int
	height  int
	set1    bool // a frame was set
	dirty   bool // frame or size changed since the last write
	clear   bool // the next write repaints the whole screen
	stopped bool

	// Owned by the renderer's goroutine.
	shown []string // the lines on screen, nil before the first frame
	modes viewModes
	buf   strings.Builder

	wake chan struct{}
	done chan struct{}
}

// viewModes are the terminal modes a frame asks for.
type viewModes struct {
	mouse tea.MouseMode
	title string
}

// newLineRenderer starts a renderer writing to out through the colour
// profile p (colours are downsampled for the client's terminal; a
// terminal without a profile, TERM=dumb, gets no colours, but the
// renderer's own sequences).
func newLineRenderer(out io.Writer, p colorprofile.Profile, width, height, fps int) *lineRenderer {
	if p <= colorprofile.NoTTY {
		p = colorprofile.ASCII // NoTTY would strip every sequence, positioning too
	}
	r := &lineRenderer{
		out:      &colorprofile.Writer{Forward: out, Profile: p},
		interval: time.Second / time.Duration(max(fps, 1)),
		width:    width,
		height:   height,
		clear:    true,
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	go r.loop()
	return r
}

// set makes v the frame to draw.
func (r *lineRenderer) set(v tea.View) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := viewModes{mouse: v.MouseMode, title: v.WindowTitle}
	if r.stopped || r.set1 && v.Content == r.frame && m == r.view {
		return
	}
	r.frame, r.view, r.dirty, r.set1 = v.Content, m, true, true
	r.signal()
}

// resize records the terminal's new size: the next frame repaints the
// whole screen.
func (r *lineRenderer) resize(width, height int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped || width == r.width && height == r.height {
		return
	}
	r.width, r.height, r.clear, r.dirty = width, height, true, true
	r.signal()
}

func (r *lineRenderer) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// stop writes the last frame set, if not yet written, and then the
// sequences that give the terminal back (main screen, cursor, autowrap,
// no mouse reporting, no bracketed paste). It returns once the renderer's
// goroutine has ended; later frames are ignored.
func (r *lineRenderer) stop() {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		<-r.done
		return
	}
	r.stopped = true
	r.mu.Unlock()
	close(r.wake)
	<-r.done
}

func (r *lineRenderer) loop() {
	defer close(r.done)
	// The times of the last frameBurst writes: a burst of frames (a label
	// shows first in its row, then in the flash a moment later) goes out
	// at once, and no more than frameBurst frames go out in frameBurst
	// intervals.
	var sent [frameBurst]time.Time
	for k := 0; ; k++ {
		if _, ok := <-r.wake; !ok {
			break
		}
		if wait := time.Until(sent[k%frameBurst].Add(frameBurst * r.interval)); wait > 0 {
			time.Sleep(wait)
		}
		sent[k%frameBurst] = time.Now()
		r.write()
	}
	r.write()
	if r.modes != (viewModes{}) || r.shown != nil {
		_, _ = io.WriteString(r.out, restoreTerminal)
	}
}

// frameBurst is how many frames may go out back to back.
const frameBurst = 4

// write draws the latest frame, if it changed.
func (r *lineRenderer) write() {
	r.mu.Lock()
	if !r.dirty {
		r.mu.Unlock()
		return
	}
	frame, modes, h, clear := r.frame, r.view, r.height, r.clear
	r.dirty, r.clear = false, false
	r.mu.Unlock()

	b := &r.buf
	b.Reset()
	if r.shown == nil {
		b.WriteString(enterTerminal)
	}
	r.writeModes(b, modes)
	if clear {
		b.WriteString("\x1b[m\x1b[2J")
		r.shown = r.shown[:0]
	}
	lines := strings.SplitN(frame, "\n", h+1)
	for y := range min(h, max(len(lines), len(r.shown))) {
		line := ""
		if y < len(lines) {
			line = lines[y]
		}
		if y < len(r.shown) && r.shown[y] == line {
			continue
		}
		b.WriteString("\x1b[")
		b.WriteString(strconv.Itoa(y + 1))
		b.WriteString(";1H\x1b[m\x1b[2K")
		writeLine(b, line)
		b.WriteString("\x1b[m")
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	r.shown = append(r.shown[:0], lines...)
	_, _ = io.WriteString(r.out, b.String())
}

// writeModes writes the mode changes from r.modes to m.
func (r *lineRenderer) writeModes(b *strings.Builder, m viewModes) {
	if m.mouse != r.modes.mouse || r.shown == nil {
		b.WriteString(mouseOff)
		switch m.mouse {
		case tea.MouseModeCellMotion:
			b.WriteString("\x1b[?1002h\x1b[?1006h")
		case tea.MouseModeAllMotion:
			b.WriteString("\x1b[?1003h\x1b[?1006h")
		}
	}
	if m.title != r.modes.title {
		b.WriteString("\x1b]2;")
		writeLine(b, m.title)
		b.WriteString("\x07")
	}
	r.modes = m
}

const (
	// enterTerminal: alternate screen, cursor hidden, autowrap off,
	// bracketed paste on.
	enterTerminal = "\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[?2004h"
	mouseOff      = "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l"
	// restoreTerminal undoes enterTerminal and the mouse modes.
	restoreTerminal = "\x1b[m" + mouseOff + "\x1b[?2004l\x1b[?7h\x1b[?25h\x1b[?1049l"
)

// writeLine writes s without control characters or escape sequences
// other than SGR ones (CSI parameters m).
func writeLine(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			if n := kit.SGRLen(s[i:]); n > 0 {
				b.WriteString(s[i : i+n])
				i += n
				continue
			}
			i++ // an escape that is not SGR: dropped
		case c < 0x20 || c == 0x7f:
			i++
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r >= 0x80 && r <= 0x9f || r == utf8.RuneError && n == 1 {
				i += n // C1 controls and broken UTF-8
				continue
			}
			b.WriteString(s[i : i+n])
			i += n
		}
	}
}

// framed is a session's model with its frames drawn by r: after each
// message the model's view is handed to r. Bubble Tea runs without its
// own renderer then.
type framed struct {
	inner tea.Model
	r     *lineRenderer
}

func (f framed) Init() tea.Cmd {
	f.r.set(f.inner.View())
	return f.inner.Init()
}

func (f framed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		f.r.resize(ws.Width, ws.Height)
	}
	m, cmd := f.inner.Update(msg)
	f.inner = m
	f.r.set(m.View())
	return f, cmd
}

// View is empty: Bubble Tea has no renderer to give it to.
func (f framed) View() tea.View { return tea.View{} }

// Unwrap returns the session's model.
func (f framed) Unwrap() tea.Model { return f.inner }
