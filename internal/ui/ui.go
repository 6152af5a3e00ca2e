// Package ui is the Bubble Tea workbench: a virtualised message list with
// filter and sort, detail panes (summary, headers, hops, URLs, body, notes),
// labeling with undo, and notes. The same model serves local terminals and
// SSH sessions; it holds no globals, so many sessions can run in one
// process.
//
// The root Model owns focus, layout, routing and the error state; the list,
// detail panes (package detail), note editor and status bar are children
// held as concrete fields. What every room shares (Common, styles, keymap,
// line builder, untrusted views) is in package kit, and the filter
// language in package filter; they import nothing of this package. All
// I/O (store reads and writes, body parsing) runs in commands whose results
// come back as messages tagged with the message ID and a generation; stale
// results are dropped. Every string taken from a message
// goes through textsafe before it is rendered.
package ui

import (
	"github.com/triage-tools/triage/internal/learn"

	"context"
	"errors"
	"fmt"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// Store is the part of *store.Store the workbench uses (kit.Store).
type Store = kit.Store

// RawSource returns a message's raw bytes (kit.RawSource).
type RawSource = kit.RawSource

// Options configure a workbench session.
type Options struct {
	Store Store
	// Raw gives the Body pane its text; nil shows only the report.
	Raw RawSource
	// Progress streams ingest events while a mailbox is analysed; nil when
	// nothing is being analysed.
	Progress <-chan ingest.Event
	Actor    store.Actor
	// Labels is the label set; nil means Store.LabelSet().
	Labels []string
	// Title is shown in the title bar (mailbox path or "demo").
	Title string

	// RenderBody turns a parsed message into display text and the list of
	// links referenced as [n] in it. Nil uses the first text part, or the
	// first HTML part through urls.HTMLToText. It must never fetch
	// anything.
	RenderBody func(p *message.Parsed) (text string, links []string)
	// Enrich returns the network and country of an IP for the Hops pane;
	// nil hides those columns.
	Enrich func(ip string) (network, country string)
	// Learned and Explain give the list and the summary pane the learned
	// model (kit.Common); nil leaves the model out.
	Learned func() (map[string]learn.Brief, bool, error)
	Explain func(id string, raw []byte) (*learn.Scored, error)
	// Location is the time zone for dates; nil means time.Local.
	Location *time.Location
	// LightBackground sets the initial background assumption (default
	// dark) until the terminal reports its colour.
	LightBackground bool
	// Online marks a session whose enrichment makes network look-ups
	// (--online): the title bar says so.
	Online bool
	// NoSubscribe disables Store.Subscribe (tests).
	NoSubscribe bool
	// Pager is the command line of the analyst's pager for the raw source
	// (e.g. "less -R", usually $PAGER); "" uses the built-in view.
	Pager string
	// Remote marks a session over SSH: nothing runs on the server's
	// terminal, so the raw source always uses the built-in view. An Actor
	// whose Source is "ssh" is remote too.
	Remote bool
	// Roster, when set (serve), lists the analysts connected to the same
	// server; the title bar shows them.
	Roster *Roster
	// Wrap, when set, wraps the session's model before Run starts the
	// program (serve draws the frames itself). A wrapper must return the
	// model it wraps from an Unwrap() tea.Model method.
	Wrap func(tea.Model) tea.Model
}

// Run runs a workbench session on in/out until the user quits or ctx is
// cancelled (then it returns nil). teaOpts are appended to the program
// options (e.g. tea.WithWindowSize, tea.WithColorProfile,
// tea.WithEnvironment for SSH sessions).
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer, teaOpts ...tea.ProgramOption) error {
	m := New(opts)
	popts := append([]tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out)}, teaOpts...)
	var model tea.Model = m
	if opts.Wrap != nil {
		model = opts.Wrap(m)
	}
	p := tea.NewProgram(model, popts...)
	final, err := p.Run()
	if u, ok := final.(interface{ Unwrap() tea.Model }); ok {
		final = u.Unwrap()
	}
	fm, ok := final.(Model)
	if !ok {
		fm = m
	}
	if fm.unsub != nil {
		fm.unsub()
	}
	if fm.unwatch != nil {
		fm.unwatch()
	}
	// Keep the view and any unsaved note, however the session ended.
	if perr := fm.Persist(); perr != nil && err == nil {
		err = fmt.Errorf("saving session state: %w", perr)
	}
	if err != nil && ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
		return nil
	}
	if err != nil {
		return err
	}
	return nil
}
