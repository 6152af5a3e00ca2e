package store

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/campaign"
)

// ErrImportRejected is returned by Import with ImportOptions.Strict when
// the file holds items that would be skipped; nothing is written.
var ErrImportRejected = errors.New("store: import rejected")

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

// maxImportLocators bounds the locators one import adds to a message.
const maxImportLocators = 64

// ImportOptions configures Import.
type ImportOptions struct {
	// Strict fails the whole import with ErrImportRejected, writing
	// nothing, when any item would be skipped. The import then runs in one
	// write transaction.
	Strict bool
}

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

func (s *ImportSummary) skip(reason string, n int) {
	if n == 0 {
		return
	}
	if s.Skipped == nil {
		s.Skipped = make(map[string]int)
	}
	s.Skipped[reason] += n
}

func (s ImportSummary) clone() ImportSummary {
	c := s
	c.Skipped = maps.Clone(s.Skipped)
	return c
}

// importBatch is how many messages one import write transaction covers.
const importBatch = 128

// Import merges an export (JSON document or JSON Lines, detected from the
// content) into the store. Everything in the file is untrusted. Per
// message: a report is added only when the store has none, marked
// imported (analysis.Report.Imported) and replaced by PutBatch as soon as
// the raw message is analysed here; a report with invalid fields (rule
// IDs, flags, hashes, analyzer version, URL sources) is replaced by an
// empty imported placeholder. Locators are merged; label histories are
// merged (identical events once), ordered by time, and the newest event
// decides the current label (a tie keeps the local order); at most
// MaxImportEvents new events per message are added (the newest; an event
// with Dropped records how many older ones were left out); a conflict is
// counted when both sides had different current labels; notes are merged
// by note ID, versions deduplicated and the newest version current. Items
// that fail validation are skipped and counted by reason in
// ImportSummary.Skipped. Without opts.Strict messages are committed in
// batches, so after an error or cancellation the batches before it stay
// imported; importing the same file again changes nothing. ctx is checked
// between messages. Label and note changes are announced to subscribers
// after commit. by is recorded for labels given without history.
func (s *Store) Import(ctx context.Context, r io.Reader, by Actor, opts ImportOptions) (ImportSummary, error) {
	im := &importer{s: s, ctx: ctx, by: by, opts: opts}
	sum, err := im.run(r)
	if err != nil {
		return sum, fmt.Errorf("store: import: %w", err)
	}
	return sum, nil
}

type importer struct {
	s       *Store
	ctx     context.Context
	by      Actor
	opts    ImportOptions
	hdr     ExportHeader
	sum     ImportSummary
	batch   []ExportMessage
	tx      *bolt.Tx // strict mode: the one write transaction
	changes []Change
	deltas  []modelDelta // learned-model member changes, applied once committed
}

func (im *importer) run(r io.Reader) (sum ImportSummary, err error) {
	if im.s.readOnly {
		return im.sum, ErrReadOnly
	}
	defer func() {
		if err != nil { // some batches may have committed: recount the model
			im.s.dropModel()
		}
	}()
	if im.opts.Strict {
		err := im.s.guard(func() error {
			tx, err := im.s.db.Begin(true)
			if err != nil {
				return err
			}
			im.tx = tx
			return nil
		})
		if err != nil {
			return im.sum, err
		}
		defer func() {
			if im.tx != nil {
				_ = im.s.guard(im.tx.Rollback)
			}
		}()
	}
	if err := im.decode(r); err != nil {
		return im.sum, err
	}
	if err := im.flush(); err != nil {
		return im.sum, err
	}
	if im.tx != nil {
		if n := im.sum.SkippedTotal(); n > 0 {
			return im.sum, fmt.Errorf("%w: %d items would be skipped (--strict)", ErrImportRejected, n)
		}
		tx := im.tx
		im.tx = nil
		if err := im.s.guard(tx.Commit); err != nil {
			return im.sum, err
		}
	}
	im.s.applyModel(im.deltas)
	for _, c := range im.changes {
		im.s.publish(c)
	}
	return im.sum, nil
}

func (im *importer) add(m ExportMessage) error {
	if err := im.ctx.Err(); err != nil {
		return err
	}
	im.batch = append(im.batch, m)
	if len(im.batch) == importBatch {
		return im.flush()
	}
	return nil
}

// decode reads the header and streams the messages to add.
func (im *importer) decode(r io.Reader) error {
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
			err = dec.Decode(&im.hdr.Schema)
			if err == nil && im.hdr.Schema != ExportSchema {
				err = fmt.Errorf("unsupported schema %q (want %q)", truncate(im.hdr.Schema, 80), ExportSchema)
			}
		case "exported_at":
			err = dec.Decode(&im.hdr.ExportedAt)
		case "analyzer_version":
			err = dec.Decode(&im.hdr.AnalyzerVersion)
		case "messages":
			if im.hdr.Schema == "" {
				return errors.New(`"schema" must precede "messages"`)
			}
			sawMessages = true
			if t, err = dec.Token(); err == nil && t != json.Delim('[') {
				err = errors.New(`"messages" is not an array`)
			}
			for err == nil && dec.More() {
				var m ExportMessage
				if err = dec.Decode(&m); err == nil {
					err = im.add(m)
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
	if im.hdr.Schema == "" {
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
			err = im.add(m)
		}
		if err != nil {
			return err
		}
	}
}

type preparedMsg struct {
	k   [32]byte
	m   *ExportMessage
	rep []byte // encoded imported report
	row []byte // unsealed row
	sig campaign.Sig
}

// flush validates and writes the pending batch.
func (im *importer) flush() error {
	if len(im.batch) == 0 {
		return nil
	}
	defer func() { im.batch = im.batch[:0] }()
	preps := make([]preparedMsg, 0, len(im.batch))
	for i := range im.batch {
		m := &im.batch[i]
		k, err := parseID(m.ID)
		if err != nil {
			im.sum.skip(SkipMalformedID, 1)
			continue
		}
		im.sum.Messages++
		rep := importedReport(m, im.hdr)
		if err := validateReport(rep); err != nil {
			im.sum.skip(SkipInvalidReport, 1)
			rep = &analysis.Report{ID: m.ID, Warnings: []string{"store: imported report rejected: " + err.Error()}}
		}
		rep.Imported = true
		p := preparedMsg{k: k, m: m}
		if p.rep, err = encodeReport(nil, rep); err != nil {
			return err
		}
		row := RowFromReport(rep)
		p.row = appendRow(nil, &row)
		p.sig = campaign.SigOf(rep)
		preps = append(preps, p)
	}
	if im.tx != nil {
		return im.s.guard(func() error { return im.apply(im.tx, preps) })
	}
	return im.s.update(func(tx *bolt.Tx) error { return im.apply(tx, preps) })
}

// apply writes prepared messages in tx; the summary and change list are
// updated only when it succeeds.
func (im *importer) apply(tx *bolt.Tx, preps []preparedMsg) error {
	local := im.sum.clone()
	var changes []Change
	var deltas []modelDelta
	for _, p := range preps {
		if err := im.ctx.Err(); err != nil {
			return err
		}
		k := p.k[:]
		if !hasMessage(tx, k) {
			local.NewMessages++
			q, err := putReport(tx, k, p.rep)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketRows).Put(q, withID(k, seal(bucketRows, k, p.row))); err != nil {
				return err
			}
			if mk := msgIDKey(p.m.Summary.MessageID, k); mk != nil {
				if err := tx.Bucket(bucketMsgID).Put(mk, nil); err != nil {
					return err
				}
			}
		}
		if err := im.s.importCampaign(tx, k, p.m.ID, &p.sig, p.m.Campaign); err != nil {
			return err
		}
		if err := importLocators(tx, k, p.m.Locators, &local); err != nil {
			return err
		}
		ch, err := im.s.importLabels(tx, k, p.m, im.hdr, im.by, &local)
		if err != nil {
			return err
		}
		if ch != nil {
			changes = append(changes, *ch)
			if err := im.s.syncMember(tx, k, &deltas); err != nil {
				return err
			}
		}
		added, changed, err := importNotes(tx, k, p.m.Notes, &local)
		if err != nil {
			return err
		}
		local.NotesAdded += added
		if changed {
			changes = append(changes, Change{ID: p.m.ID, Kind: "note", Actor: im.by})
		}
	}
	im.sum = local
	im.changes = append(im.changes, changes...)
	im.deltas = append(im.deltas, deltas...)
	return nil
}

// importedReport rebuilds the report carried by an export message.
func importedReport(m *ExportMessage, hdr ExportHeader) *analysis.Report {
	av := m.AnalyzerVersion
	if av == "" {
		av = hdr.AnalyzerVersion
	}
	return &analysis.Report{
		ID: m.ID, AnalyzerVersion: av, Size: m.Size, Summary: m.Summary,
		Headers: m.Headers, Hops: m.Hops, Auth: m.Auth, URLs: m.URLs,
		Attachments: m.Attachments, Findings: m.Findings, Score: m.Score, RawScore: rawScoreOf(m),
		Warnings: m.Warnings,
	}
}

func importLocators(tx *bolt.Tx, k []byte, in []Locator, sum *ImportSummary) error {
	valid := make([]Locator, 0, min(len(in), maxImportLocators))
	for i, l := range in {
		if i >= maxImportLocators || !validLocator(l) {
			sum.skip(SkipInvalidLocator, 1)
			continue
		}
		valid = append(valid, l)
	}
	if len(valid) == 0 {
		return nil
	}
	q := seqOf(tx, k)
	if q == nil {
		return nil // no such message
	}
	return addLocators(tx.Bucket(bucketLocators), q, valid...)
}

func validLocator(l Locator) bool {
	if l.Path == "" && l.File == "" {
		return false
	}
	for _, s := range []string{l.Path, l.File, l.Folder} {
		if len(s) > 4096 || strings.IndexByte(s, 0) >= 0 {
			return false
		}
	}
	return l.Offset >= 0 && l.Length >= 0 && (l.Flags == "" || safeFlags.MatchString(l.Flags))
}

// eventKey identifies a label event for deduplication.
type eventKey struct {
	label, previous string
	actor           Actor
	unixNano        int64
	dropped         int
}

func keyOf(e LabelEvent) eventKey {
	return eventKey{e.Label, e.Previous, e.Actor, e.Time.UnixNano(), e.Dropped}
}

// importLabels merges the label history of m into the store in time
// linear in the number of events; it returns a Change when the current
// label changed.
func (s *Store) importLabels(tx *bolt.Tx, k []byte, m *ExportMessage, hdr ExportHeader, by Actor, sum *ImportSummary) (*Change, error) {
	in := m.LabelHistory
	if len(in) == 0 && m.Label != "" {
		t := hdr.ExportedAt
		if t.IsZero() {
			t = now()
		}
		in = []LabelEvent{{Label: m.Label, Actor: by, Time: t}}
	}
	if len(in) == 0 {
		return nil, nil
	}
	localCur, hist, err := currentLabel(tx, k)
	if err != nil {
		return nil, err
	}
	seen := make(map[eventKey]struct{}, len(hist)+len(in))
	var droppedUpTo time.Time // newest recorded drop: older events stay out
	for _, e := range hist {
		seen[keyOf(e)] = struct{}{}
		if e.Dropped > 0 && e.Time.After(droppedUpTo) {
			droppedUpTo = e.Time
		}
	}
	var fresh []LabelEvent
	for _, ev := range in {
		if !s.validEvent(ev, sum) {
			continue
		}
		key := keyOf(ev)
		if _, dup := seen[key]; dup {
			continue
		}
		if !droppedUpTo.IsZero() && !ev.Time.After(droppedUpTo) {
			sum.EventsDropped++
			continue
		}
		seen[key] = struct{}{}
		fresh = append(fresh, ev)
	}
	if len(fresh) == 0 {
		return nil, nil
	}
	sort.SliceStable(fresh, func(i, j int) bool { return fresh[i].Time.Before(fresh[j].Time) })
	if n := len(fresh) - MaxImportEvents; n > 0 {
		last := fresh[n-1]
		marker := LabelEvent{Label: last.Label, Previous: last.Label, Actor: Actor{Name: by.Name, Source: "import"}, Time: last.Time, Dropped: n}
		fresh = append([]LabelEvent{marker}, fresh[n:]...)
		sum.EventsDropped += n
		if _, dup := seen[keyOf(marker)]; dup {
			fresh = fresh[1:] // the same file imported again
		}
	}
	// Stable: local events keep their order among equal times and come
	// before imported ones.
	merged := append(slices.Clip(hist), fresh...)
	sort.SliceStable(merged, func(i, j int) bool { return merged[i].Time.Before(merged[j].Time) })
	importedCur := in[len(in)-1].Label
	if localCur != "" && importedCur != "" && localCur != importedCur {
		sum.LabelConflicts++
	}
	if err := putLabel(tx, k, merged); err != nil {
		return nil, err
	}
	newCur := merged[len(merged)-1].Label
	if newCur == localCur {
		return nil, nil
	}
	sum.LabelsApplied++
	last := merged[len(merged)-1]
	return &Change{ID: formatID(k), Kind: "label", Label: newCur, Actor: last.Actor}, nil
}

// validEvent checks an imported label event, counting a rejection.
func (s *Store) validEvent(ev LabelEvent, sum *ImportSummary) bool {
	if ev.Label != "" {
		if _, ok := s.labelSet[ev.Label]; !ok {
			sum.skip(SkipUnknownLabel, 1)
			return false
		}
	}
	if !validActor(ev.Actor) || ev.Dropped < 0 || (ev.Previous != "" && !safeLabel.MatchString(ev.Previous)) {
		sum.skip(SkipInvalidEvent, 1)
		return false
	}
	return true
}

// rawScoreOf is the raw score of an imported message: the file's when it
// is consistent with the score (exports written before raw_score existed
// carry none), else the sum of the findings' points when that is, else
// the score itself.
func rawScoreOf(m *ExportMessage) int {
	clamp := func(s int) int { return max(0, min(100, s)) }
	if clamp(m.RawScore) == m.Score {
		return m.RawScore
	}
	if sum := analysis.RawScore(m.Findings); clamp(sum) == m.Score {
		return sum
	}
	return m.Score
}
