// Package kit holds what every room of the workbench shares: the Common
// handle of a session (styles, keymap, backend handles and options), the
// semantic styles, the keymap and its help sections, the line builder that
// wraps pane text without loss, the defanging of running text, and the
// untrusted display views of messages, reports, labels and notes.
//
// It imports none of the workbench's other packages: the detail panes,
// the filter language and the root model import it, never the reverse.
package kit

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/store"
)

// Store is the part of *store.Store the workbench uses.
type Store interface {
	Rows() ([]store.Row, error)
	Report(id string) (*analysis.Report, error)
	Label(id string) (string, []store.LabelEvent, error)
	// Labels returns the current label of every labeled message (read
	// again after a store.ChangeResync).
	Labels() (map[string]string, error)
	// SetLabel commits a label; label "" removes it.
	SetLabel(id, label string, by store.Actor) (store.LabelEvent, error)
	// SetLabelIf sets label only if the current label is expect and was
	// set by by.Name (undo); otherwise it returns an error wrapping
	// store.ErrLabelChanged with the current label and its author.
	SetLabelIf(id, label, expect string, by store.Actor) (store.LabelEvent, error)
	Notes(id string) ([]store.Note, error)
	AddNote(id, text string, by store.Actor) (store.Note, error)
	EditNote(id, noteID, text string, by store.Actor) (store.Note, error)
	LabelSet() []string
	// UIState, PutUIState and UIStateKeys keep per-analyst workbench
	// state (saved filters, the view, note drafts) in the store.
	UIState(key string) ([]byte, bool, error)
	PutUIState(key string, value []byte) error
	UIStateKeys(prefix string, limit int) ([]string, error)
	// Subscribe returns a channel of committed changes (from any session)
	// and a function that ends the subscription.
	Subscribe() (<-chan store.Change, func())
}

// RawSource returns a message's raw bytes.
type RawSource interface {
	Raw(id string) ([]byte, error)
}

// Common is shared by the children of one session: styles, keymap,
// backend handles and the session's options. It belongs to one session;
// never share it between sessions. The root model builds it (ui.New) and
// is the only writer: children read it.
type Common struct {
	Styles Styles
	Keys   KeyMap
	Store  Store
	Raw    RawSource
	Actor  store.Actor
	Labels []string

	// Loc is the time zone for dates (never nil once built).
	Loc *time.Location
	// RenderBody turns a parsed message into the Body pane's text and
	// links (never nil once built).
	RenderBody func(p *message.Parsed) (string, []string)
	// Enrich returns an IP's network and country; nil hides them.
	Enrich func(ip string) (string, string)
	// Title is the title bar's mailbox name (untrusted: sanitise it).
	Title string
	// Online marks a session whose enrichment makes network look-ups.
	Online bool
	// StylesGen is bumped whenever Styles is rebuilt (render caches key
	// on it).
	StylesGen int
	// Pager is the analyst's pager command line; "" uses the built-in
	// raw source view.
	Pager string
	// Remote marks an SSH session (never runs a local pager).
	Remote bool
	// Learned scores every stored message with the learned model
	// (store.LearnedScores); nil leaves the model out of the workbench.
	Learned func() (map[string]learn.Brief, bool, error)
	// Explain is the learned part of one message, its evidence named from
	// raw (may be nil); nil leaves it out of the summary pane.
	Explain func(id string, raw []byte) (*learn.Scored, error)
}

// Timestamp formats t in the session's zone to the second; zero shows as
// "-".
func (c *Common) Timestamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(c.Loc).Format("2006-01-02 15:04:05 -0700")
}

// Date formats a message date for the list; zero dates show as "-".
func (c *Common) Date(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(c.Loc).Format("2006-01-02")
}

// ScoreBar draws score/100 as a bar of width cells with eighth-blocks.
func ScoreBar(score, width int) string {
	score = min(max(score, 0), 100)
	eighths := score * width * 8 / 100
	var b strings.Builder
	for i := 0; i < width; i++ {
		n := eighths - i*8
		switch {
		case n >= 8:
			b.WriteString("█")
		case n <= 0:
			b.WriteString("·")
		default:
			b.WriteString(string([]rune("▏▎▍▌▋▊▉")[n-1]))
		}
	}
	return b.String()
}

// Pad truncates or right-pads s (already safe) to exactly w display
// columns.
func Pad(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}
