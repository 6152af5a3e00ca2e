// Package store persists reports, locators, analyst labels and notes in one
// bbolt file, and exports/imports the labeled corpus.
//
// This file fixes the public API shared by the CLI, the ingest pipeline and
// the UI. Implementations live in the other files of the package.
package store

import (
	"cmp"
	"errors"
	"time"

	"github.com/triage-tools/triage/internal/locator"
)

// Sentinel errors. Callers match them with errors.Is.
var (
	// ErrLocked is returned by Open when another process holds the database.
	ErrLocked = errors.New("store: database is in use by another process")
	// ErrNewerSchema is returned by Open for a database written by a newer triage.
	ErrNewerSchema = errors.New("store: database was written by a newer version of triage")
	// ErrNotFound is returned when a message ID, prefix or Message-ID is unknown.
	ErrNotFound = errors.New("store: not found")
	// ErrAmbiguous is returned by Resolve when a prefix matches several messages.
	ErrAmbiguous = errors.New("store: ambiguous message id prefix")
	// ErrReadOnly is returned by writes on a store opened read-only.
	ErrReadOnly = errors.New("store: opened read-only")
	// ErrUnknownLabel is returned by SetLabel for a label not in the label set.
	// ErrCorrupt (integrity.go) and ErrImportRejected (import.go) are
	// declared next to their checks.
	ErrUnknownLabel = errors.New("store: unknown label")
)

// DefaultLabels returns the label set used when none is configured, as a
// fresh slice the caller may change.
func DefaultLabels() []string {
	return []string{"phish", "malware", "spam", "bec", "simulation", "benign", "unsure"}
}

// Locator says where a message's raw bytes live: the one locator type of
// triage (package locator), shared with the mailbox readers.
type Locator = locator.Locator

// Actor is who made a change: analyst name, SSH key fingerprint (may be
// empty) and the source of the change: "tui", "cli", "ssh" or "import".
type Actor struct {
	Name   string `json:"analyst"`
	Key    string `json:"key_fingerprint,omitempty"`
	Source string `json:"source"`
}

// LabelEvent is one entry of a message's label history.
type LabelEvent struct {
	Label    string    `json:"label"` // "" = label removed
	Previous string    `json:"previous"`
	Actor    Actor     `json:"actor"`
	Time     time.Time `json:"time"`
	// Dropped, when positive, marks an entry written by Import in place of
	// that many older imported events it did not keep (MaxImportEvents).
	Dropped int `json:"dropped,omitempty"`
}

// NoteVersion is one version of a note.
type NoteVersion struct {
	Text   string    `json:"text"`
	Author Actor     `json:"author"`
	Time   time.Time `json:"time"`
}

// Note is an analyst note on a message. Text/Author/Time are the current
// version; History holds earlier versions, oldest first.
type Note struct {
	ID      string        `json:"id"`
	Text    string        `json:"text"`
	Author  Actor         `json:"author"`
	Time    time.Time     `json:"time"`
	History []NoteVersion `json:"history,omitempty"`
}

// Row is the compact per-message summary the list view and filters need,
// kept in its own bucket so that listing 100k messages is fast.
type Row struct {
	ID        string    `json:"id"`
	Score     int       `json:"score"`
	RawScore  int       `json:"raw_score"` // uncapped; the order by score uses it (CompareByScore)
	Date      time.Time `json:"date"`
	FromName  string    `json:"from_name"`
	FromAddr  string    `json:"from_addr"`
	Subject   string    `json:"subject"`
	MessageID string    `json:"message_id"`
	Domains   []string  `json:"domains,omitempty"` // sender and URL registered domains
	Hosts     []string  `json:"hosts,omitempty"`   // URL hosts
	Rules     []string  `json:"rules,omitempty"`   // rule IDs of the findings
	Label     string    `json:"label,omitempty"`   // current label, filled in by the store
	// Reported is the number of reports of the message (reporters of a
	// report mailbox, see Store.Reporters), filled in by the store; 0 when
	// it never came inside a report wrapper.
	Reported int `json:"reported,omitempty"`
	// Campaign is the message's campaign, filled in by the caller that
	// needs it (CampaignRefs); not stored in the row.
	Campaign CampaignRef `json:"-"`
}

// Fingerprint identifies the state of a mailbox source when it was last
// analysed, so an unchanged source can be re-opened without reading it.
type Fingerprint struct {
	Path            string    `json:"path"` // absolute path
	Size            int64     `json:"size"`
	ModTime         time.Time `json:"mtime"`
	Inode           uint64    `json:"inode,omitempty"`
	Count           int       `json:"count"` // messages in the source
	AnalyzerVersion string    `json:"analyzer_version"`
	// TailOffset is the byte offset after the last message of an mbox, so an
	// appended-to mbox can be read from there.
	TailOffset int64 `json:"tail_offset,omitempty"`
}

// Change is sent to subscribers after a label or note is committed.
type Change struct {
	ID    string
	Kind  string // "label" or "note"
	Label string // the new label for Kind == "label"
	Actor Actor
}

// CompareByScore is the order by score, the one used everywhere (the
// workbench list, scan --sort score, triage eval): the higher raw
// (uncapped) score first, so that messages tied at 100 still rank by
// their evidence, then the newer date. It returns a negative number when
// a comes first and 0 for a tie; callers break ties further (by ID) as
// they need.
func CompareByScore(aRaw int, aDate time.Time, bRaw int, bDate time.Time) int {
	if c := cmp.Compare(bRaw, aRaw); c != 0 {
		return c
	}
	return bDate.Compare(aDate)
}

// CompareRows is CompareByScore on two rows.
func CompareRows(a, b *Row) int { return CompareByScore(a.RawScore, a.Date, b.RawScore, b.Date) }
