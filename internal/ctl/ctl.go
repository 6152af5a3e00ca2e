// Package ctl lets CLI commands (show, label, export) reach the process
// that holds a store — a workbench or `triage serve` — over a Unix socket
// next to the store file, so that the store keeps exactly one writing
// process (docs/store.md, "CLI commands while a workbench is open").
//
// The server side (Listen) runs in the holding process and answers a small
// request/response protocol (proto.go) on PATH.sock; the client side (Dial)
// implements the same Backend as a locally opened store (Local), so the
// commands print from the same data either way.
//
// Trust: the socket is created mode 0600 inside a private directory and
// renamed into place; a client refuses a socket that is not a socket, not
// owned by its own uid or open to group or others; on Linux the server
// refuses a peer of another uid (SO_PEERCRED).
package ctl

import (
	"errors"
	"io"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/features"
	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/store"
)

// Sentinel errors of Dial. Callers match them with errors.Is.
var (
	// ErrNoServer is returned when nothing answers on the socket (no socket
	// file, or a stale one).
	ErrNoServer = errors.New("ctl: no running workbench or server answers")
	// ErrUnsafeSocket is returned for a socket file that is not a socket,
	// is owned by another user or is open to group or others.
	ErrUnsafeSocket = errors.New("ctl: refusing unsafe socket")
	// ErrProtocol is returned when the peer breaks the protocol (a frame too
	// large, an unknown frame, a different store).
	ErrProtocol = errors.New("ctl: protocol error")
)

// SocketPath returns the socket path of the store at dbPath.
func SocketPath(dbPath string) string { return dbPath + ".sock" }

// Message is everything `show` prints about one message.
type Message struct {
	ID       string             `json:"id"`
	Label    string             `json:"label"`
	History  []store.LabelEvent `json:"label_history"`
	Notes    []store.Note       `json:"notes"`
	Locators []store.Locator    `json:"locators"`
	Report   *analysis.Report   `json:"report"`
	// Reporters lists the reports of a message found inside report
	// wrappers (empty otherwise).
	Reporters []store.ReporterRecord `json:"reporters,omitempty"`
	// Model is the learned model's part and Combined the combined score
	// (docs/learning.md), computed when asked, never stored.
	Model    *learn.Result `json:"model,omitempty"`
	Combined *int          `json:"combined,omitempty"`
}

// Backend is what the CLI commands need from a store: *Local for a store
// opened by the command, *Client for one held by a running workbench or
// server. Errors wrap the store's sentinels (store.ErrNotFound,
// store.ErrAmbiguous, store.ErrUnknownLabel, store.ErrReadOnly) either way.
type Backend interface {
	// Path is the store file's path, as the command named it.
	Path() string
	// LabelSet is the store's configured label set.
	LabelSet() []string
	Resolve(ref string) (string, error)
	// IDsWithPrefix returns up to limit stored IDs whose hex digits start
	// with the lower-case hex prefix.
	IDsWithPrefix(hex string, limit int) ([]string, error)
	Message(id string) (Message, error)
	// SetLabel records label (""= none) on id by the analyst; source is set
	// by the backend's kind of caller ("cli" for a remote call).
	SetLabel(id, label string, by store.Actor) (store.LabelEvent, error)
	AddNote(id, text string, by store.Actor) (store.Note, error)
	// Export writes the export to w. A remote export ignores opts.Raw,
	// opts.Now and opts.AnalyzerVersion: the serving process supplies them.
	Export(w io.Writer, opts store.ExportOptions) (int, error)
	Close() error
}

// Local is a Backend over a store opened by this process.
type Local struct {
	St *store.Store
	// Names, when set, extracts the named features of a message again
	// (from its raw bytes), so that the model's evidence names what it
	// saw; nil leaves stored features unnamed ("feature #N").
	Names func(id string, locs []store.Locator) *features.Set
}

var _ Backend = (*Local)(nil)

func (l *Local) Path() string                       { return l.St.Path() }
func (l *Local) LabelSet() []string                 { return l.St.LabelSet() }
func (l *Local) Resolve(ref string) (string, error) { return l.St.Resolve(ref) }
func (l *Local) Close() error                       { return l.St.Close() }

func (l *Local) IDsWithPrefix(hex string, limit int) ([]string, error) {
	return l.St.IDsWithPrefix(hex, limit)
}

func (l *Local) SetLabel(id, label string, by store.Actor) (store.LabelEvent, error) {
	return l.St.SetLabel(id, label, by)
}

func (l *Local) AddNote(id, text string, by store.Actor) (store.Note, error) {
	return l.St.AddNote(id, text, by)
}

func (l *Local) Export(w io.Writer, opts store.ExportOptions) (int, error) {
	return l.St.Export(w, opts)
}

// Message reads the report, label history, notes and locators of id.
func (l *Local) Message(id string) (Message, error) {
	m := Message{ID: id}
	var err error
	if m.Report, err = l.St.Report(id); err != nil {
		return Message{}, err
	}
	if m.Label, m.History, err = l.St.Label(id); err != nil {
		return Message{}, err
	}
	if m.Notes, err = l.St.Notes(id); err != nil {
		return Message{}, err
	}
	if m.Locators, err = l.St.Locators(id); err != nil {
		return Message{}, err
	}
	if m.Reporters, err = l.St.Reporters(id); err != nil {
		return Message{}, err
	}
	if len(m.Reporters) == 0 {
		m.Reporters = nil
	}
	sc, err := l.score(id, m.Report, m.Locators)
	if err != nil {
		return Message{}, err
	}
	m.Model, m.Combined = &sc.Model, &sc.Combined
	return m, nil
}

// score is the learned part of message id: its stored features scored
// by the store's model; a message not analysed here has no features and
// gets the rules' score.
func (l *Local) score(id string, rep *analysis.Report, locs []store.Locator) (learn.Scored, error) {
	m, err := l.St.Model()
	if err != nil {
		return learn.Scored{}, err
	}
	set, ok, err := l.St.Features(id)
	if err != nil {
		return learn.Scored{}, err
	}
	if !ok {
		sc := learn.ScoreReport(nil, rep.RawScore, &set)
		sc.Model.Note = "not analysed here: no features (scan the message to score it)"
		return sc, nil
	}
	if l.Names != nil && m.Trained() {
		set = set.WithNames(l.Names(id, locs))
	}
	return learn.ScoreReport(m, rep.RawScore, &set), nil
}
