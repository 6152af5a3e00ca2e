package exchange

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/store/internal/ids"
	"github.com/triage-tools/triage/store/internal/record"
)

// Reasons for skipped import items (keys of ImportSummary.Skipped).
const (
	SkipMalformedID    = "malformed message id"
	SkipUnknownLabel   = "label event with a label outside the label set"
	SkipInvalidEvent   = "label event with an invalid actor or previous label"
	SkipNoteTooLong    = "note version longer than 64 KiB"
	SkipInvalidNote    = "note with an invalid id or author"
	SkipInvalidReport  = "report with invalid fields (labels and notes kept)"
	SkipInvalidLocator = "invalid or surplus locator"
)

// MaxImportEvents bounds how many new label events one import adds to one
// message. Beyond it the newest are kept and one event with Dropped set
// records how many older imported events were left out.
const MaxImportEvents = 1000

// MaxImportLocators bounds the locators one import adds to a message.
const MaxImportLocators = 64

// ImportSummary counts what Import did.
type ImportSummary struct {
	Messages       int // message objects with a valid ID
	NewMessages    int // messages whose (imported) report was added
	LabelsApplied  int // messages whose current label changed
	LabelConflicts int // messages labeled differently here and in the import
	NotesAdded     int // notes (by note ID) added
	EventsDropped  int // older label events left out by MaxImportEvents
	// Skipped counts items not imported, by reason (the Skip* constants).
	Skipped map[string]int
}

// SkippedTotal is the number of skipped items of every reason.
func (s ImportSummary) SkippedTotal() int {
	n := 0
	for _, c := range s.Skipped {
		n += c
	}
	return n
}

// SkipReasons returns the reasons of Skipped in a stable order.
func (s ImportSummary) SkipReasons() []string {
	return slices.Sorted(maps.Keys(s.Skipped))
}

// Skip counts n items skipped for reason.
func (s *ImportSummary) Skip(reason string, n int) {
	if n == 0 {
		return
	}
	if s.Skipped == nil {
		s.Skipped = make(map[string]int)
	}
	s.Skipped[reason] += n
}

// Clone is a copy of s that shares nothing with it.
func (s ImportSummary) Clone() ImportSummary {
	c := s
	c.Skipped = maps.Clone(s.Skipped)
	return c
}

// Decode reads an export from r, a JSON document or JSON Lines (told
// apart by the content): it fills hdr as the header's fields arrive and
// calls add with each message in file order, stopping at the first error.
func Decode(r io.Reader, hdr *ExportHeader, add func(ExportMessage) error) error {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	if t, err := dec.Token(); err != nil {
		return err
	} else if t != json.Delim('{') {
		return errors.New("not a triage export: expected an object")
	}
	sawMessages := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		switch key {
		case "schema":
			err = dec.Decode(&hdr.Schema)
			if err == nil && hdr.Schema != Schema {
				err = fmt.Errorf("unsupported schema %q (want %q)", ids.Truncate(hdr.Schema, 80), Schema)
			}
		case "exported_at":
			err = dec.Decode(&hdr.ExportedAt)
		case "analyzer_version":
			err = dec.Decode(&hdr.AnalyzerVersion)
		case "messages":
			if hdr.Schema == "" {
				return errors.New(`"schema" must precede "messages"`)
			}
			sawMessages = true
			if t, err = dec.Token(); err == nil && t != json.Delim('[') {
				err = errors.New(`"messages" is not an array`)
			}
			for err == nil && dec.More() {
				var m ExportMessage
				if err = dec.Decode(&m); err == nil {
					err = add(m)
				}
			}
			if err == nil {
				_, err = dec.Token() // ']'
			}
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return err
	}
	if hdr.Schema == "" {
		return errors.New(`not a triage export: no "schema"`)
	}
	if sawMessages {
		return nil
	}
	for { // JSON Lines: one message per following value
		var m ExportMessage
		err := dec.Decode(&m)
		if err == io.EOF {
			return nil
		}
		if err == nil {
			err = add(m)
		}
		if err != nil {
			return err
		}
	}
}

// ImportedReport rebuilds the report carried by an export message.
func ImportedReport(m *ExportMessage, hdr ExportHeader) *analysis.Report {
	av := m.AnalyzerVersion
	if av == "" {
		av = hdr.AnalyzerVersion
	}
	return &analysis.Report{
		ID: m.ID, AnalyzerVersion: av, Size: m.Size, Summary: m.Summary,
		Headers: m.Headers, Hops: m.Hops, Auth: m.Auth, URLs: m.URLs,
		Attachments: m.Attachments, Findings: m.Findings, Score: m.Score, RawScore: RawScoreOf(m),
		Warnings: m.Warnings,
	}
}

// eventKey identifies a label event for deduplication.
type eventKey struct {
	label, previous string
	actor           record.Actor
	unixNano        int64
	dropped         int
}

func keyOf(e record.LabelEvent) eventKey {
	return eventKey{e.Label, e.Previous, e.Actor, e.Time.UnixNano(), e.Dropped}
}

// RawScoreOf is the raw score of an imported message: the file's when it
// is consistent with the score (exports written before raw_score existed
// carry none), else the sum of the findings' points when that is, else
// the score itself.
func RawScoreOf(m *ExportMessage) int {
	clamp := func(s int) int { return max(0, min(100, s)) }
	if clamp(m.RawScore) == m.Score {
		return m.RawScore
	}
	if sum := analysis.RawScore(m.Findings); clamp(sum) == m.Score {
		return sum
	}
	return m.Score
}
