package ui

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// This file holds the root model's part of the evidence tools (issue 14
// item 8): loading the raw source for the built-in view (detail.ShowRaw)
// or the analyst's pager in a local session, the locators of a message,
// and the jump to the next high-risk unlabeled message.

// maxRawView bounds the raw source shown or paged, in bytes.
const maxRawView = 4 << 20

// riskyScore is the score from which "next high-risk unlabeled" stops.
const riskyScore = 70

// rawMsg carries a message's raw source, sanitised, for the raw view or
// the pager.
type rawMsg struct {
	id   string
	text string
	err  error
}

// pagerDoneMsg reports the end of the external pager.
type pagerDoneMsg struct{ err error }

// loadRaw reads the raw message id and sanitises it with
// textsafe.CleanMultiline (bounded to maxRawView bytes).
func loadRaw(src RawSource, id string) tea.Cmd {
	return func() tea.Msg {
		b, err := src.Raw(id)
		if err != nil {
			return rawMsg{id: id, err: err}
		}
		tail := ""
		if len(b) > maxRawView {
			b, tail = b[:maxRawView], fmt.Sprintf("\n[… %d bytes not shown]", len(b)-maxRawView)
		}
		s := strings.ReplaceAll(string(b), "\r\n", "\n")
		return rawMsg{id: id, text: textsafe.CleanMultiline(s) + tail}
	}
}

// onRaw shows the raw source: in the analyst's pager in a local session
// with a pager configured, else in the built-in view.
func (m *Model) onRaw(msg rawMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(fmt.Errorf("raw source: %w", msg.err))
		return nil
	}
	if r, ok := m.list.Selected(); !ok || r.ID != msg.id {
		return nil // the selection moved on
	}
	if m.c.Pager != "" && !m.c.Remote {
		if cmd := pagerCmd(m.c.Pager, msg.text); cmd != nil {
			return cmd
		}
	}
	m.detail.ShowRaw(msg.id, msg.text)
	m.focus = focusDetail
	m.layout()
	return nil
}

// pagerCmd runs pager (a command line such as "less -R") on text, fed
// through a private temporary file that is removed afterwards; nil when
// the file cannot be written (the built-in view is used then).
func pagerCmd(pager, text string) tea.Cmd {
	args := strings.Fields(pager)
	if len(args) == 0 {
		return nil
	}
	f, err := os.CreateTemp("", "triage-raw-*.txt")
	if err != nil {
		return nil
	}
	name := f.Name()
	_, werr := f.WriteString(text)
	if cerr := f.Close(); werr != nil || cerr != nil {
		_ = os.Remove(name)
		return nil
	}
	c := exec.Command(args[0], append(args[1:], name)...) // #nosec G204 -- the analyst's own $PAGER
	return tea.ExecProcess(c, func(err error) tea.Msg {
		_ = os.Remove(name)
		return pagerDoneMsg{err}
	})
}

// locatorSource is implemented by stores that know where a message was
// found (*store.Store does).
type locatorSource interface {
	Locators(id string) ([]store.Locator, error)
}

// locatorText is "path", "path @ offset +length" or "path/file", one per
// locator, sanitised.
func locatorText(ls []store.Locator) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		s := l.Path
		switch {
		case l.File != "":
			s += " · " + l.File
		case l.Length > 0:
			s += fmt.Sprintf(" @ byte %d +%d", l.Offset, l.Length)
		}
		if l.Folder != "" {
			s += " (folder " + l.Folder + ")"
		}
		out = append(out, textsafe.Clean(s))
	}
	return out
}

// NextRisky moves the cursor to the next shown row, after the cursor and
// wrapping around, that scores at least riskyScore and has no label; it
// reports false when there is none.
func (l *List) NextRisky() bool {
	n := len(l.shown)
	for k := 1; k <= n; k++ {
		p := (l.cursor + k) % n
		if r := &l.rows[l.shown[p]]; r.Label == "" && r.Score >= riskyScore {
			l.Move(p - l.cursor)
			return true
		}
	}
	return false
}

// DefaultPager returns the pager for the raw source of a local session:
// env (normally $PAGER) when set, else "less -R" when less is installed,
// else "" (the built-in view).
func DefaultPager(env string) string {
	if strings.TrimSpace(env) != "" {
		return env
	}
	if _, err := exec.LookPath("less"); err == nil {
		return "less -R"
	}
	return ""
}
