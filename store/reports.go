package store

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/store/internal/analyst"
	"github.com/triage-tools/triage/store/internal/boltfile"
	"github.com/triage-tools/triage/store/internal/campstore"
	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/ids"
	"github.com/triage-tools/triage/store/internal/keyfilter"
	"github.com/triage-tools/triage/store/internal/learned"
	"github.com/triage-tools/triage/store/internal/reporters"
	"github.com/triage-tools/triage/store/internal/tailidx"
)

// Entry is one analysed message for PutBatch.
type Entry struct {
	Report  *analysis.Report
	Locator Locator
	// Row is the report's list row when the caller already built it with
	// RowFromReport; nil makes PutBatch build it.
	Row *Row
}

// Bounds applied to rows so that one hostile message cannot bloat the list.
const (
	maxRowText    = 1024 // bytes of FromName, FromAddr, Subject, MessageID each
	maxRowList    = 32   // entries in Domains, Hosts and Rules each
	maxMsgIDIndex = 998  // longer Message-IDs are not indexed
)

// RowFromReport derives the list row of a report: score, date, sender,
// subject, Message-ID, the registered domains of the sender and of every URL,
// URL hosts and rule IDs (deduplicated, each list bounded). Label is empty.
//
// The row's texts are copies: a report's header values share one buffer
// per message (internal/analysis/message), and a row that kept a substring
// of it would keep the whole header block alive as long as the list holds
// the row.
func RowFromReport(r *analysis.Report) Row {
	row := Row{
		ID:        r.ID,
		Score:     r.Score,
		RawScore:  r.RawScore,
		Date:      r.Summary.Date,
		FromName:  strings.Clone(charset.TruncUTF8(r.Summary.From.Name, maxRowText)),
		FromAddr:  strings.Clone(charset.TruncUTF8(r.Summary.From.Address, maxRowText)),
		Subject:   strings.Clone(charset.TruncUTF8(r.Summary.Subject, maxRowText)),
		MessageID: strings.Clone(charset.TruncUTF8(r.Summary.MessageID, maxRowText)),
	}
	if r.Wrapper != nil {
		row.Reported = 1 // at least this report; the store counts them all
	}
	if _, dom, ok := strings.Cut(r.Summary.From.Address, "@"); ok && dom != "" {
		row.Domains = addUnique(row.Domains, charset.TruncUTF8(domain.RegisteredOrSelf(dom), 255), true)
	}
	for i := range r.URLs {
		u := &r.URLs[i]
		if u.Domain != "" {
			row.Domains = addUnique(row.Domains, charset.TruncUTF8(u.Domain, 255), true)
		}
		if u.Host != "" {
			row.Hosts = addUnique(row.Hosts, charset.TruncUTF8(u.Host, 255), true)
		}
	}
	if len(r.Findings) > 0 {
		row.Rules = make([]string, 0, min(len(r.Findings), maxRowList))
	}
	for i := range r.Findings {
		// Rule names are the analyzer's constants, or strings a decoder
		// allocated: kept as they are, not copied.
		row.Rules = addUnique(row.Rules, charset.TruncUTF8(r.Findings[i].Rule, 128), false)
	}
	return row
}

// addUnique appends s to list unless it is there or the list is full; a
// copy of it when clone is set (a row's texts must not keep a message's
// buffers, see RowFromReport: the sender's domain is a substring of the
// header buffer, URL hosts of the decoded body).
func addUnique(list []string, s string, clone bool) []string {
	if len(list) >= maxRowList || slices.Contains(list, s) {
		return list
	}
	if clone {
		s = strings.Clone(s)
	}
	return append(list, s)
}

// normMsgID strips white space and one pair of angle brackets.
func normMsgID(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		s = s[1 : len(s)-1]
	}
	return s
}

func msgIDKey(msgID string, k []byte) []byte {
	msgID = normMsgID(msgID)
	if msgID == "" || len(msgID) > maxMsgIDIndex {
		return nil
	}
	return append([]byte(msgID), k...)
}

// PutBatch stores a batch of analysed messages in one transaction. Per
// entry, the report and row are written when the message is new or its
// stored report has a different analyzer version; the locator is added to
// the message's locator set unless it is already there (a maildir file whose
// flags changed, or an mbox entry at the same offset, replaces its old
// locator); the Message-ID index is updated. Repeating a batch changes
// nothing. Reports are encoded (in parallel, up to 4 goroutines) before the write
// transaction starts, so concurrent label writes wait only for the bbolt
// commit. Call it from one goroutine at a time for best throughput; it is
// nevertheless safe for concurrent use. Each message not yet in a
// campaign is assigned one in the same transaction (campaigns.go).
// Entries with a nil
// report or a malformed ID fail the whole batch before anything is written.
//
// PutBatch is Prepare followed by Commit.
func (s *Store) PutBatch(entries []Entry) error {
	p, err := s.Prepare(entries)
	if err != nil {
		return err
	}
	return s.Commit(p)
}

// Prepared is a batch of entries encoded by Prepare, ready for Commit. It
// holds the encoded reports, rows and locators, and the compact extras the
// commit writes (feature hashes, reporter records, campaign signatures),
// not the reports.
type Prepared struct {
	keys   [][32]byte
	ids    []string
	enc    [][]byte // sealed report ‖ ID ‖ sealed row, nil when the report is current
	rowAt  []int
	msgIDs []string
	locs   []Locator
	feats  [][]uint32               // learned-model feature hashes (features.go), with enc
	reps   []*reporters.Prepared    // reporter record of a message found in a report wrapper
	sigs   []*campstore.PreparedSig // campaign signature of a message not yet in a campaign
	seqs   [][]byte                 // sequence keys, set by Commit's writes for its campaign assignment
	size   int
}

// Len returns the number of entries in the batch.
func (p *Prepared) Len() int { return len(p.keys) }

// Size returns the encoded bytes the batch holds (for bounding a queue).
func (p *Prepared) Size() int { return p.size }

// Prepare checks and encodes entries for Commit, outside any write
// transaction: which reports must be written (see PutBatch) is decided
// now, against the store as it is. Entries with a nil report or a
// malformed ID fail the whole batch.
func (s *Store) Prepare(entries []Entry) (*Prepared, error) {
	if s.readOnly {
		return nil, ErrReadOnly
	}
	keys, err := batchKeys(entries)
	if err != nil {
		return nil, fmt.Errorf("store: put batch: %w", err)
	}
	need, unclustered, err := s.needReports(entries, keys)
	if err != nil {
		return nil, fmt.Errorf("store: put batch: %w", err)
	}
	encoded, rowAt, err := encodeEntries(entries, keys, need)
	if err != nil {
		return nil, fmt.Errorf("store: put batch: %w", err)
	}
	p := &Prepared{keys: keys, ids: make([]string, len(entries)), enc: encoded, rowAt: rowAt,
		msgIDs: make([]string, len(entries)), locs: make([]Locator, len(entries)),
		feats: make([][]uint32, len(entries)), reps: make([]*reporters.Prepared, len(entries)),
		sigs: campaignSigs(entries, unclustered)}
	for i := range entries {
		r := entries[i].Report
		p.ids[i] = r.ID
		p.msgIDs[i] = strings.Clone(r.Summary.MessageID) // not the header arena's, kept until the commit
		p.locs[i] = entries[i].Locator
		p.size += len(encoded[i]) + 32 + len(p.msgIDs[i])
		if need[i] && !r.Imported && r.Features.Len() > 0 {
			p.feats[i] = r.Features.Hashes
			p.size += 4 * len(r.Features.Hashes)
		}
		if r.Wrapper != nil {
			if p.reps[i], err = prepareReporter(&entries[i]); err != nil {
				return nil, fmt.Errorf("store: put batch: %w", err)
			}
		}
	}
	return p, nil
}

// Commit writes prepared batches, in order, in one transaction: one
// commit and one fsync for all of them. Either every batch is written
// or, on error, none. Each message not yet in a campaign is assigned one
// in the same transaction (campaigns.go), and the learned model follows
// the feature sets of labeled messages (model.go).
func (s *Store) Commit(ps ...*Prepared) error {
	if s.readOnly {
		return ErrReadOnly
	}
	n := 0
	for _, p := range ps {
		n += p.Len()
	}
	if n == 0 {
		return nil
	}
	var deltas []learned.Delta
	err := s.update(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketReports)
		keys, err := s.keys.ForWrite(idx.Sequence(), func(add func([]byte)) error {
			return reportsIndex.Walk(tx, nil, nil, func(k, _ []byte) error { add(k); return nil })
		})
		if err != nil {
			return err
		}
		w := batchWriter{s: s, deltas: &deltas, tx: tx, keys: keys, rows: tx.Bucket(bucketRows), locs: tx.Bucket(bucketLocators)}
		w.rows.FillPercent, w.locs.FillPercent = 1.0, 1.0 // appended in sequence order
		for _, p := range ps {
			p.seqs = make([][]byte, len(p.keys))
			for i := range p.keys { // arrival order: new messages get increasing sequence numbers
				if err := w.put(p, i); err != nil {
					return err
				}
			}
		}
		keys.Complete(idx.Sequence())
		if err := s.assignCampaigns(tx, ps); err != nil {
			return err
		}
		return mergeTails(tx, cmp.Or(s.tailMin, tailidx.Min))
	})
	if err != nil {
		s.dropModel() // fn may have failed after some member changes: recount
		s.keys.Drop() // and after keys were added
		return fmt.Errorf("store: put batch: %w", err)
	}
	s.applyModel(deltas)
	s.featuresChanged()
	s.releaseMapped()
	return nil
}

// batchKeys checks every entry has a report and returns their keys.
func batchKeys(entries []Entry) ([][32]byte, error) {
	keys := make([][32]byte, len(entries))
	for i := range entries {
		if entries[i].Report == nil {
			return nil, fmt.Errorf("entry %d has no report", i)
		}
		k, err := parseID(entries[i].Report.ID)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	return keys, nil
}

// needReports reports, per entry, whether its report must be written: the
// message is new, its stored report is unreadable or imported (replaced
// as soon as the message is seen), or was made by another analyzer
// version; and whether the message has no campaign yet.
func (s *Store) needReports(entries []Entry, keys [][32]byte) (need, unclustered []bool, err error) {
	need = make([]bool, len(entries))
	unclustered = make([]bool, len(entries))
	err = s.view(func(tx *bolt.Tx) error {
		members := tx.Bucket(campstore.BucketMembers)
		for i := range entries {
			var p []byte
			if !s.keys.Absent(keys[i][:]) {
				p, _ = reportsIndex.Get(tx, keys[i][:]) // one look-up for the sequence and the report
			}
			if p == nil {
				need[i], unclustered[i] = true, true // a new message
				continue
			}
			var q []byte
			if len(p) == 2*ptrLen {
				q = p[ptrLen:]
			}
			unclustered[i] = members == nil || q == nil || members.Get(q) == nil
			v, err := reportAt(tx, keys[i][:], p)
			if v == nil || err != nil {
				need[i] = true
				continue
			}
			av, imported, err := codec.ReportVersion(v)
			need[i] = err != nil || imported || av != entries[i].Report.AnalyzerVersion
		}
		return nil
	})
	return need, unclustered, err
}

// encodeScratch holds encodeEntries' scratch buffers from one batch to
// the next (each grew to the largest report of the batch).
var encodeScratch = sync.Pool{New: func() any { return new([]byte) }}

// encodeEntries encodes the reports and rows of the entries that need
// writing, outside the write transaction and in parallel (CBOR + S2 is
// the dominant cost of a batch). encoded[i] is sealed report ‖ ID ‖
// sealed row, the ID starting at rowAt[i].
func encodeEntries(entries []Entry, keys [][32]byte, need []bool) (encoded [][]byte, rowAt []int, err error) {
	encoded = make([][]byte, len(entries))
	rowAt = make([]int, len(entries))
	workers := min(runtime.GOMAXPROCS(0), 4, 1+len(entries)/64)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			buf := encodeScratch.Get().(*[]byte)
			scratch := (*buf)[:0] // report ‖ row, copied out at their exact size
			defer func() {
				if cap(scratch) <= 1<<20 { // a rare huge report does not pin its buffer
					*buf = scratch
					encodeScratch.Put(buf)
				}
			}()
			for i := w; i < len(entries); i += workers {
				if !need[i] {
					continue
				}
				rep := withoutHeaders(entries[i].Report)
				if rep.Imported {
					c := *rep
					c.Imported = false // analysed here: local evidence
					rep = &c
				}
				var err error
				if scratch, err = codec.EncodeReport(scratch[:0], rep); err != nil {
					errs[w] = err
					return
				}
				scratch = binary.BigEndian.AppendUint32(scratch, codec.SealSum(bucketBlobs, keys[i][:], scratch))
				rowAt[i] = len(scratch)
				scratch = append(scratch, keys[i][:]...)
				var row Row
				if r := entries[i].Row; r != nil {
					row = *r
				} else {
					row = RowFromReport(entries[i].Report)
				}
				scratch = codec.AppendRow(scratch, &row)
				sum := codec.SealSum(bucketRows, keys[i][:], scratch[rowAt[i]+32:])
				// Queued until the commit: keep exactly the bytes.
				enc := make([]byte, 0, len(scratch)+codec.SealLen)
				encoded[i] = binary.BigEndian.AppendUint32(append(enc, scratch...), sum)
			}
		})
	}
	wg.Wait()
	return encoded, rowAt, errors.Join(errs...)
}

// batchWriter writes the entries of one Commit transaction.
type batchWriter struct {
	s          *Store
	deltas     *[]learned.Delta
	tx         *bolt.Tx
	keys       *keyfilter.Filter // of the reports index: new messages skip its look-up
	rows, locs *bolt.Bucket
	rd         rowDecoder
	old        Row
}

// put writes entry i of p: its encoded report and row when it has them
// (moving the Message-ID index when it changed, and keeping its feature
// set), its reporter record, and its locator.
func (w *batchWriter) put(p *Prepared, i int) error {
	k, msgID, enc, at := p.keys[i][:], p.msgIDs[i], p.enc[i], p.rowAt[i]
	var old []byte
	var in *bolt.Bucket
	if w.keys.MayContain(k) {
		old, in = reportsIndex.Get(w.tx, k)
	}
	var q []byte
	if len(old) == 2*ptrLen {
		q = old[ptrLen:]
	}
	if enc != nil {
		if q != nil {
			if ov := w.rows.Get(q); ov != nil && w.rd.decode(q, ov, &w.old) == nil && normMsgID(w.old.MessageID) != normMsgID(msgID) {
				if mk := msgIDKey(w.old.MessageID, k); mk != nil {
					if err := msgIDIndex.Delete(w.tx, mk); err != nil {
						return err
					}
				}
			}
		}
		var err error
		if q, err = putSealedReportAt(w.tx, k, enc[:at:at], old, in); err != nil {
			return err
		}
		if old == nil {
			w.keys.Add(k)
		}
		if err := w.rows.Put(q, enc[at:]); err != nil {
			return err
		}
		if mk := msgIDKey(msgID, k); mk != nil {
			put := msgIDIndex.Add
			if old == nil {
				put = msgIDIndex.AddNew // a new message: no entry ends with its ID
			}
			if err := put(w.tx, mk, nil); err != nil {
				return err
			}
		}
		if err := w.putFeatures(k, q, p.feats[i]); err != nil {
			return err
		}
	}
	if q == nil {
		return nil // no report: nothing to attach a locator to
	}
	p.seqs[i] = q
	if r := p.reps[i]; r != nil {
		if err := reporters.Put(w.tx, k, r); err != nil {
			return err
		}
	}
	return addLocators(w.locs, q, p.locs[i])
}

// addLocators adds the locators in (those with neither a path nor a file
// are ignored) to the set of message k in bucket b, writing it only when
// it changed. A corrupt set is replaced.
func addLocators(b *bolt.Bucket, k []byte, in ...Locator) error {
	var cur codec.LocatorSet
	if v := b.Get(k); v != nil {
		cur, _ = codec.DecodeLocators(v)
	}
	changed := false
	for _, l := range in {
		if l.Path != "" || l.File != "" {
			changed = cur.Add(l) || changed
		}
	}
	if !changed {
		return nil
	}
	return b.Put(k, codec.AppendLocators(nil, cur)) // fresh: bbolt keeps it until commit
}

// MaxLocators is the number of places kept per message. The same message
// seen in more places (a mailbox of many identical copies) keeps the first
// MaxLocators and counts the others (see Store.MoreLocators), so that
// adding a copy costs the same whatever the number of copies.
const MaxLocators = codec.MaxLocators

// Report returns the stored report of a message, or ErrNotFound.
func (s *Store) Report(id string) (*analysis.Report, error) {
	k, err := parseID(id)
	if err != nil {
		return nil, err
	}
	var r *analysis.Report
	err = s.view(func(tx *bolt.Tx) error {
		v, err := getReport(tx, k[:])
		if err != nil {
			return err
		}
		if v == nil {
			return ErrNotFound
		}
		r, err = codec.DecodeReport(v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: report %s: %w", id, err)
	}
	if len(r.Headers) == 0 && s.raw != nil {
		s.restoreHeaders(id, r)
	}
	return r, nil
}

// withoutHeaders returns r without its raw header list, for storage: the
// headers are most of a report's size and can be re-read from the message.
func withoutHeaders(r *analysis.Report) *analysis.Report {
	if len(r.Headers) == 0 {
		return r
	}
	c := *r
	c.Headers = nil
	return &c
}

// restoreHeaders re-reads the raw header list of a report stored without
// it. A message whose mailbox is gone or changed keeps an empty list and
// gets a warning; the rest of the report is intact.
func (s *Store) restoreHeaders(id string, r *analysis.Report) {
	locs, err := s.Locators(id)
	if err != nil || len(locs) == 0 {
		return
	}
	raw, err := s.raw(id, locs)
	if err == nil {
		if sum := sha256.Sum256(raw); formatID(sum[:]) != id {
			err = errors.New("the mailbox changed since the message was analysed")
		}
	}
	if err != nil {
		r.Warnings = append(r.Warnings, "store: raw headers unavailable: "+err.Error())
		return
	}
	r.Headers = message.Parse(raw, analysis.DefaultLimits()).Headers
}

// Locators returns where the message's raw bytes were seen, in the order
// they were first stored, at most MaxLocators places. An unknown ID yields
// ErrNotFound; a known message without locators (e.g. imported) yields an
// empty slice.
func (s *Store) Locators(id string) ([]Locator, error) {
	set, err := s.locatorSet(id)
	return set.Locs, err
}

// MoreLocators returns how many further sightings of the message were
// counted but not kept because its locator set was full (MaxLocators).
// An unknown ID yields ErrNotFound.
func (s *Store) MoreLocators(id string) (int64, error) {
	set, err := s.locatorSet(id)
	return set.More, err
}

func (s *Store) locatorSet(id string) (codec.LocatorSet, error) {
	k, err := parseID(id)
	if err != nil {
		return codec.LocatorSet{}, err
	}
	var set codec.LocatorSet
	err = s.view(func(tx *bolt.Tx) error {
		if !hasMessage(tx, k[:]) {
			return ErrNotFound
		}
		if v := getBySeq(tx, bucketLocators, k[:]); v != nil {
			var err error
			set, err = codec.DecodeLocators(v)
			return err
		}
		return nil
	})
	if err != nil {
		return codec.LocatorSet{}, fmt.Errorf("store: locators %s: %w", id, err)
	}
	return set, nil
}

func hasMessage(tx *bolt.Tx, k []byte) bool {
	v, _ := reportsIndex.Get(tx, k)
	return v != nil
}

// Resolve turns what an analyst typed into a full message ID. ref may be a
// full ID ("sha256:<hex>"), a hex prefix of at least 8 digits with or
// without "sha256:", or a Message-ID with or without angle brackets (tried
// when ref is not a known ID or prefix). Several matches yield ErrAmbiguous,
// none ErrNotFound.
func (s *Store) Resolve(ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	h := strings.ToLower(strings.TrimPrefix(ref, IDPrefix))
	var id string
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketReports) == nil {
			return ErrNotFound
		}
		if p, ok := ids.ParseHexPrefix(h); ok && len(h) >= 8 {
			matches, err := idsWithPrefix(tx, p, 2)
			switch {
			case err != nil:
				return err
			case len(matches) == 1:
				id = matches[0]
				return nil
			case len(matches) > 1:
				return ErrAmbiguous
			}
		}
		mid := normMsgID(ref)
		if mid == "" || len(mid) > maxMsgIDIndex {
			return ErrNotFound
		}
		n := 0
		err := msgIDIndex.Walk(tx, nil, []byte(mid), func(k, _ []byte) error {
			if len(k) == len(mid)+32 {
				n++
				id = formatID(k[len(mid):])
			}
			return nil
		})
		if err != nil {
			return err
		}
		switch {
		case n == 1:
			return nil
		case n > 1:
			return ErrAmbiguous
		}
		return ErrNotFound
	})
	if err != nil {
		return "", fmt.Errorf("store: resolve %q: %w", truncate(ref, 80), err)
	}
	return id, nil
}

// Rows returns every message's row with its current label, in arrival
// order (the order messages were first stored), from one read
// transaction.
func (s *Store) Rows() ([]Row, error) {
	var out []Row
	err := s.view(func(tx *bolt.Tx) error {
		rb := tx.Bucket(bucketRows)
		if rb == nil {
			return nil
		}
		labels := map[[32]byte]string{}
		err := tx.Bucket(bucketLabels).ForEach(func(k, sv []byte) error {
			v, err := codec.Unseal(bucketLabels, k, sv)
			if err != nil {
				return err
			}
			if len(k) == 32 {
				labels[[32]byte(k)] = s.internLabel(v)
			}
			return nil
		})
		if err != nil {
			return err
		}
		// The number of messages ever stored bounds the rows (Stats would
		// read every page of the bucket once more just to count them).
		out = make([]Row, 0, min(tx.Bucket(bucketReports).Sequence(), 1<<22))
		var rd rowDecoder
		c := rb.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			out = append(out, Row{})
			r := &out[len(out)-1]
			if err := rd.decode(k, v, r); err != nil {
				return fmt.Errorf("row %x: %w", k, err)
			}
			if len(labels) > 0 {
				r.Label = labels[[32]byte(v[:32])]
			}
		}
		fillReported(tx, out)
		boltfile.Unmap(s.db, tx) // every row was read: see RowReader
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: rows: %w", err)
	}
	return out, nil
}

// internLabel returns a string for a stored label without allocating for
// labels in the label set.
func (s *Store) internLabel(v []byte) string {
	if l, ok := s.labelSet[string(v)]; ok {
		return l
	}
	return string(v)
}

// RowsFor returns the rows of the given IDs, in the given order, with their
// current labels. Unknown or malformed IDs are skipped.
func (s *Store) RowsFor(ids []string) ([]Row, error) {
	out := make([]Row, 0, len(ids))
	err := s.view(func(tx *bolt.Tx) error {
		rb := tx.Bucket(bucketRows)
		if rb == nil {
			return nil
		}
		var rd rowDecoder
		var reps *bolt.Cursor // one cursor for every row's count
		if b := tx.Bucket(reporters.Bucket); b != nil {
			reps = b.Cursor()
		}
		for _, id := range ids {
			k, err := parseID(id)
			if err != nil {
				continue
			}
			q := seqOf(tx, k[:])
			v := rb.Get(q)
			if q == nil || v == nil {
				continue
			}
			var r Row
			if err := rd.decode(q, v, &r); err != nil {
				return fmt.Errorf("row %s: %w", id, err)
			}
			lv, err := analyst.GetSealed(tx, bucketLabels, k[:])
			if err != nil {
				return err
			}
			if lv != nil {
				r.Label = s.internLabel(lv)
			}
			if reps != nil {
				r.Reported = reporters.CountPrefixAt(reps, k[:], MaxReporters)
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: rows: %w", err)
	}
	return out, nil
}

// Has reports whether a report for id is stored and with which analyzer
// version. A malformed id is reported as absent.
func (s *Store) Has(id string) (analyzerVersion string, ok bool, err error) {
	k, perr := parseID(id)
	if perr != nil {
		return "", false, nil
	}
	err = s.view(func(tx *bolt.Tx) error {
		v, err := getReport(tx, k[:])
		if err != nil || v == nil {
			return err
		}
		ok = true
		analyzerVersion, _, err = codec.ReportVersion(v)
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("store: has %s: %w", id, err)
	}
	return analyzerVersion, ok, nil
}

// Count returns the number of stored messages.
func (s *Store) Count() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketRows); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: count: %w", err)
	}
	return n, nil
}

// releaseMapped drops the store file's pages from the process's mapping
// after a commit (boltfile.Unmap in a read transaction, which keeps bbolt
// from remapping the file meanwhile). bbolt writes every changed page to a
// new place, so an ingest that reads its index tails after each commit
// maps a little more of the file each time: at 300,000 messages some
// 200 MB of the process's RSS was clean file pages mapped once and never
// read again. A no-op outside Linux.
func (s *Store) releaseMapped() {
	_ = s.db.View(func(tx *bolt.Tx) error {
		boltfile.Unmap(s.db, tx)
		return nil
	})
}
