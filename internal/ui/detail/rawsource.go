package detail

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// This file holds what the raw source and the locators need outside the
// panes (issue 14 item 8): reading the raw source bounded and sanitised,
// the analyst's pager in a local session, and the locators' text.

// maxRawView bounds the raw source shown or paged, in bytes.
const maxRawView = 4 << 20

// ReadRaw reads the raw message id and sanitises it with
// textsafe.CleanMultiline (bounded to maxRawView bytes).
func ReadRaw(src kit.RawSource, id string) (string, error) {
	b, err := src.Raw(id)
	if err != nil {
		return "", err
	}
	tail := ""
	if len(b) > maxRawView {
		b, tail = b[:maxRawView], fmt.Sprintf("\n[… %d bytes not shown]", len(b)-maxRawView)
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	return textsafe.CleanMultiline(s) + tail, nil
}

// PagerCmd runs pager (a command line such as "less -R") on text, fed
// through a private temporary file that is removed afterwards, and reports
// its end with done; nil when the file cannot be written (the built-in view
// is used then).
func PagerCmd(pager, text string, done func(error) tea.Msg) tea.Cmd {
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
		return done(err)
	})
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

// locatorSource is implemented by stores that know where a message was
// found (*store.Store does).
type locatorSource interface {
	Locators(id string) ([]store.Locator, error)
}

// Locators returns where message id was found, one sanitised line per
// locator (locatorText), when st knows it; nil otherwise.
func Locators(st kit.Store, id string) []string {
	if ls, ok := st.(locatorSource); ok {
		if locs, err := ls.Locators(id); err == nil {
			return locatorText(locs)
		}
	}
	return nil
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
