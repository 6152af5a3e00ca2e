package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/campaign"
	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/exchange"
	"github.com/triage-tools/triage/store/internal/learned"
	"github.com/triage-tools/triage/store/internal/notify"
	"github.com/triage-tools/triage/store/internal/tailidx"
)

// ErrImportRejected is returned by Import with ImportOptions.Strict when
// the file holds items that would be skipped; nothing is written.
var ErrImportRejected = errors.New("store: import rejected")

// MaxImportEvents bounds how many new label events one import adds to one
// message. Beyond it the newest are kept and one event with Dropped set
// records how many older imported events were left out.
const MaxImportEvents = exchange.MaxImportEvents

// ImportSummary counts what Import did (store/internal/exchange).
type ImportSummary = exchange.ImportSummary

// ImportOptions configures Import.
type ImportOptions struct {
	// Strict fails the whole import with ErrImportRejected, writing
	// nothing, when any item would be skipped. The import then runs in one
	// write transaction.
	Strict bool
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
	tx      *bolt.Tx              // strict mode: the one write transaction
	txTk    notify.Ticket[Change] // strict mode: tx's place in the announcements
	changes []Change              // strict mode: the changes to announce once tx is committed
	deltas  []learned.Delta       // learned-model member changes, applied once committed
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
			im.s.hub.Stage(&im.txTk) // in commit order: the writer lock is held
			return nil
		})
		if err != nil {
			return im.sum, err
		}
		defer func() {
			if im.tx != nil {
				_ = im.s.guard(im.tx.Rollback)
				im.s.hub.Announce(&im.txTk) // withdrawn
			}
		}()
	}
	if err := exchange.Decode(r, &im.hdr, im.add); err != nil {
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
			im.s.hub.Announce(&im.txTk)
			return im.sum, err
		}
		im.s.hub.Announce(&im.txTk, im.changes...)
	}
	im.s.applyModel(im.deltas)
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
			im.sum.Skip(exchange.SkipMalformedID, 1)
			continue
		}
		im.sum.Messages++
		rep := exchange.ImportedReport(m, im.hdr)
		if err := exchange.ValidateReport(rep); err != nil {
			im.sum.Skip(exchange.SkipInvalidReport, 1)
			rep = &analysis.Report{ID: m.ID, Warnings: []string{"store: imported report rejected: " + err.Error()}}
		}
		rep.Imported = true
		p := preparedMsg{k: k, m: m}
		if p.rep, err = codec.EncodeReport(nil, rep); err != nil {
			return err
		}
		row := RowFromReport(rep)
		p.row = codec.AppendRow(nil, &row)
		p.sig = campaign.SigOf(rep)
		preps = append(preps, p)
	}
	if im.tx != nil {
		return im.s.guard(func() error { return im.apply(im.tx, preps) })
	}
	// Each batch's changes are announced once it is committed, in commit
	// order with the other writers' (notify.Ticket).
	var tk notify.Ticket[Change]
	n := len(im.changes)
	err := im.s.update(func(tx *bolt.Tx) error {
		im.s.hub.Stage(&tk)
		if err := im.apply(tx, preps); err != nil {
			return err
		}
		return mergeTails(tx, cmp.Or(im.s.tailMin, tailidx.Min)) // as Commit does
	})
	if err != nil {
		im.changes = im.changes[:n] // rolled back
		im.s.hub.Announce(&tk)
		return err
	}
	done := im.changes[n:]
	im.changes = im.changes[:n:n] // the hub may keep done until earlier writers announce
	im.s.hub.Announce(&tk, done...)
	return nil
}

// apply writes prepared messages in tx; the summary and change list are
// updated only when it succeeds.
func (im *importer) apply(tx *bolt.Tx, preps []preparedMsg) error {
	local := im.sum.Clone()
	var changes []Change
	var deltas []learned.Delta
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
			if err := tx.Bucket(bucketRows).Put(q, withID(k, codec.Seal(bucketRows, k, p.row))); err != nil {
				return err
			}
			if mk := msgIDKey(p.m.Summary.MessageID, k); mk != nil {
				if err := msgIDIndex.Add(tx, mk, nil); err != nil {
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

func importLocators(tx *bolt.Tx, k []byte, in []Locator, sum *ImportSummary) error {
	valid := exchange.ValidLocators(in, sum)
	if len(valid) == 0 {
		return nil
	}
	q := seqOf(tx, k)
	if q == nil {
		return nil // no such message
	}
	return addLocators(tx.Bucket(bucketLocators), q, valid...)
}

// importLabels merges the label history of m into the store in time
// linear in the number of events; it returns a Change when the current
// label changed.
func (s *Store) importLabels(tx *bolt.Tx, k []byte, m *ExportMessage, hdr ExportHeader, by Actor, sum *ImportSummary) (*Change, error) {
	in := exchange.IncomingLabels(m, hdr, by, now)
	if len(in) == 0 {
		return nil, nil
	}
	localCur, hist, err := currentLabel(tx, k)
	if err != nil {
		return nil, err
	}
	merged := exchange.MergeLabels(localCur, hist, in, s.labelSet, by, sum)
	if merged == nil {
		return nil, nil
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

// importNotes merges notes by ID (exchange.MergeNotes). It returns how many
// notes were new and whether anything changed.
func importNotes(tx *bolt.Tx, k []byte, in []Note, sum *ImportSummary) (added int, changed bool, err error) {
	if len(in) == 0 {
		return 0, false, nil
	}
	notes, err := getNotes(tx, k)
	if err != nil {
		return 0, false, err
	}
	notes, added, changed = exchange.MergeNotes(notes, in, sum)
	if !changed {
		return 0, false, nil
	}
	return added, true, putNotes(tx, k, notes)
}
