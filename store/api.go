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
	"github.com/triage-tools/triage/store/internal/record"
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

// The records shared with callers live in store/internal/record; these
// aliases keep their names in this package.
type (
	Actor           = record.Actor
	LabelEvent      = record.LabelEvent
	NoteVersion     = record.NoteVersion
	Note            = record.Note
	Row             = record.Row
	ReporterRecord  = record.ReporterRecord
	CampaignRef     = record.CampaignRef
	Campaign        = record.Campaign
	CampaignMerge   = record.CampaignMerge
	CampaignSummary = record.CampaignSummary
)

// SummarizeCampaign summarises campaign c from its members' rows (rows of
// other messages are ignored; members without a row count as unlabeled
// with score 0).
func SummarizeCampaign(c Campaign, rows []Row) CampaignSummary {
	return record.SummarizeCampaign(c, rows)
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
	Kind  string // "label", "note" or ChangeResync (see Subscribe)
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
