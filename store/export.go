package store

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
)

// ExportSchema is the schema identifier of the export format
// (docs/export-format.md).
const ExportSchema = "triage.corpus/v1"

// Export formats.
const (
	FormatJSON  = "json"
	FormatJSONL = "jsonl"
)

// ExportOptions selects what Export writes.
type ExportOptions struct {
	// All exports every stored message, labeled or not. Ignored when Labels
	// is set.
	All bool
	// Labels, when non-empty, exports only messages whose current label is
	// one of them. With neither All nor Labels, every labeled message is
	// exported.
	Labels []string
	// Format is FormatJSON (default when empty) or FormatJSONL.
	Format string
	// IncludeRaw adds each message's raw bytes, read through Raw.
	IncludeRaw bool
	// Raw returns the raw bytes of a message given its locators. Required
	// with IncludeRaw. An error, or bytes whose SHA-256 is not the ID,
	// becomes the message's "raw_error" and the export goes on.
	Raw func(id string, locs []Locator) ([]byte, error)
	// AnalyzerVersion is written in the header (the exporting binary's).
	AnalyzerVersion string
	// Now gives exported_at; nil means time.Now.
	Now func() time.Time
}

// ExportHeader is the top-level object of an export without its messages
// (the first line of a JSON Lines export).
type ExportHeader struct {
	Schema          string    `json:"schema"`
	ExportedAt      time.Time `json:"exported_at"`
	AnalyzerVersion string    `json:"analyzer_version"`
	Count           int       `json:"count"`
}

// ExportMessage is one message of an export.
type ExportMessage struct {
	ID              string                 `json:"id"`
	Label           string                 `json:"label"`
	LabelHistory    []LabelEvent           `json:"label_history"`
	Notes           []Note                 `json:"notes"`
	Score           int                    `json:"score"`
	Findings        []analysis.Finding     `json:"findings"`
	Summary         analysis.Summary       `json:"summary"`
	Hops            []analysis.Hop         `json:"hops"`
	Auth            analysis.Auth          `json:"auth"`
	URLs            []analysis.URL         `json:"urls"`
	Attachments     []analysis.Attachment  `json:"attachments"`
	Locators        []Locator              `json:"locators"`
	MoreLocators    int64                  `json:"more_locators,omitempty"` // sightings beyond MaxLocators, not kept
	AnalyzerVersion string                 `json:"analyzer_version,omitempty"`
	Size            int                    `json:"size,omitempty"`
	Headers         []analysis.HeaderField `json:"headers,omitempty"`
	Warnings        []string               `json:"warnings,omitempty"`
	Raw             *string                `json:"raw,omitempty"`
	RawBase64       []byte                 `json:"raw_base64,omitempty"`
	RawError        string                 `json:"raw_error,omitempty"`
}

// exportChunk is how many messages one read transaction covers, so that a
// long export never pins an old snapshot for long.
const exportChunk = 64

// Export writes the selected messages in ID order and returns how many it
// wrote. It streams: the ID list (32 bytes per message) is the only state
// that grows with the store; messages are read a few at a time in short read
// transactions and written one by one, so concurrent writers are not held
// back. The JSON document carries "count" before "messages", computed from
// the ID list taken at the start. Write errors are returned as they occur.
func (s *Store) Export(w io.Writer, opts ExportOptions) (int, error) {
	switch opts.Format {
	case "":
		opts.Format = FormatJSON
	case FormatJSON, FormatJSONL:
	default:
		return 0, fmt.Errorf("store: export: unknown format %q", opts.Format)
	}
	if opts.IncludeRaw && opts.Raw == nil {
		return 0, errors.New("store: export: IncludeRaw needs a Raw reader")
	}
	nowFn := opts.Now
	if nowFn == nil {
		nowFn = time.Now
	}
	keys, err := s.exportKeys(opts)
	if err != nil {
		return 0, fmt.Errorf("store: export: %w", err)
	}
	hdr := ExportHeader{Schema: ExportSchema, ExportedAt: nowFn().Round(0), AnalyzerVersion: opts.AnalyzerVersion, Count: len(keys) / 32}

	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(hdr); err != nil {
		return 0, fmt.Errorf("store: export: %w", err)
	}
	head := bytes.TrimSpace(buf.Bytes())
	if opts.Format == FormatJSON {
		head = append(head[:len(head)-1], `,"messages":[`...)
	}
	bw.Write(head)
	bw.WriteByte('\n')

	n := 0
	msgs := make([]ExportMessage, 0, exportChunk)
	for off := 0; off < len(keys); off += 32 * exportChunk {
		chunk := keys[off:min(len(keys), off+32*exportChunk)]
		msgs = msgs[:0]
		if err := s.db.View(func(tx *bolt.Tx) error {
			for i := 0; i < len(chunk); i += 32 {
				m, err := s.exportMessage(tx, chunk[i:i+32])
				if err != nil {
					return err
				}
				msgs = append(msgs, m)
			}
			return nil
		}); err != nil {
			return n, fmt.Errorf("store: export: %w", err)
		}
		for i := range msgs {
			m := &msgs[i]
			if opts.IncludeRaw {
				attachRaw(m, opts.Raw)
			}
			buf.Reset()
			if err := enc.Encode(m); err != nil {
				return n, fmt.Errorf("store: export %s: %w", m.ID, err)
			}
			if n > 0 && opts.Format == FormatJSON {
				bw.WriteString(",\n")
			}
			line := buf.Bytes()
			if opts.Format == FormatJSON {
				line = line[:len(line)-1]
			}
			if _, err := bw.Write(line); err != nil {
				return n, fmt.Errorf("store: export: %w", err)
			}
			n++
			*m = ExportMessage{} // let raw bytes go
		}
	}
	if opts.Format == FormatJSON {
		if n > 0 {
			bw.WriteByte('\n')
		}
		bw.WriteString("]}\n")
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("store: export: %w", err)
	}
	return n, nil
}

// exportKeys returns the concatenated 32-byte keys to export, in order.
func (s *Store) exportKeys(opts ExportOptions) ([]byte, error) {
	var keys []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketRows) == nil {
			return nil
		}
		if opts.All && len(opts.Labels) == 0 {
			return tx.Bucket(bucketRows).ForEach(func(k, _ []byte) error {
				keys = append(keys, k...)
				return nil
			})
		}
		return tx.Bucket(bucketLabels).ForEach(func(k, v []byte) error {
			if len(opts.Labels) == 0 || slices.Contains(opts.Labels, string(v)) {
				keys = append(keys, k...)
			}
			return nil
		})
	})
	return keys, err
}

// exportMessage gathers one message inside a read transaction.
func (s *Store) exportMessage(tx *bolt.Tx, k []byte) (ExportMessage, error) {
	m := ExportMessage{ID: formatID(k)}
	v, err := getReport(tx, k)
	if err != nil {
		return m, fmt.Errorf("report %s: %w", m.ID, err)
	}
	if v != nil {
		r, err := decodeReport(v)
		if err != nil {
			return m, fmt.Errorf("report %s: %w", m.ID, err)
		}
		m.Score, m.Findings, m.Summary, m.Hops, m.Auth = r.Score, r.Findings, r.Summary, r.Hops, r.Auth
		m.URLs, m.Attachments, m.AnalyzerVersion, m.Size = r.URLs, r.Attachments, r.AnalyzerVersion, r.Size
		m.Headers, m.Warnings = r.Headers, r.Warnings
	}
	m.Label = s.internLabel(tx.Bucket(bucketLabels).Get(k))
	if m.LabelHistory, err = getHistory(tx, k); err != nil {
		return m, err
	}
	if m.Notes, err = getNotes(tx, k); err != nil {
		return m, err
	}
	if v := tx.Bucket(bucketLocators).Get(k); v != nil {
		set, err := decodeLocators(v)
		if err != nil {
			return m, fmt.Errorf("locators %s: %w", m.ID, err)
		}
		m.Locators, m.MoreLocators = set.locs, set.more
	}
	// Arrays are always arrays in the export, never null.
	m.LabelHistory = nonNil(m.LabelHistory)
	m.Notes = nonNil(m.Notes)
	m.Findings = nonNil(m.Findings)
	m.Hops = nonNil(m.Hops)
	m.URLs = nonNil(m.URLs)
	m.Attachments = nonNil(m.Attachments)
	m.Locators = nonNil(m.Locators)
	if m.Summary.To == nil {
		m.Summary.To = []analysis.Address{}
	}
	return m, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// attachRaw reads and verifies the raw bytes of m.
func attachRaw(m *ExportMessage, read func(string, []Locator) ([]byte, error)) {
	raw, err := read(m.ID, m.Locators)
	switch {
	case err != nil:
		m.RawError = err.Error()
		return
	default:
		sum := sha256.Sum256(raw)
		if IDPrefix+hex.EncodeToString(sum[:]) != m.ID {
			m.RawError = "raw bytes do not match the message id"
			return
		}
	}
	if utf8.Valid(raw) {
		s := string(raw)
		m.Raw = &s
	} else {
		m.RawBase64 = raw
	}
}

// ImportSummary counts what Import did.
type ImportSummary struct {
	Messages       int // message objects read
	NewMessages    int // messages whose report was added
	LabelsApplied  int // messages whose current label changed
	LabelConflicts int // messages labeled differently here and in the import
	NotesAdded     int // notes (by note ID) added
	Skipped        int // message objects ignored: malformed ID
	UnknownLabels  int // label events dropped: label not in the label set
}

// importBatch is how many messages one import write transaction covers.
const importBatch = 128

// Import merges an export (JSON document or JSON Lines, detected from the
// content) into the store. Per message: the report is added when the store
// has none (imported reports are trusted as they are); locators are merged;
// label histories are merged (identical events once), ordered by time, and
// the newest event decides the current label (a tie keeps the local order);
// a conflict is counted when both sides had different current labels; notes
// are merged by note ID, versions deduplicated and the newest version
// current. Label events with labels outside the label set are dropped and
// counted. Messages are committed in batches, so after an error the batches
// before it stay imported; importing the same file again changes nothing.
// Label and note changes are announced to subscribers. by is recorded for
// labels given without history.
func (s *Store) Import(r io.Reader, by Actor) (ImportSummary, error) {
	var sum ImportSummary
	if s.readOnly {
		return sum, ErrReadOnly
	}
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	var hdr ExportHeader
	batch := make([]ExportMessage, 0, importBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.importBatch(batch, hdr, by, &sum)
		batch = batch[:0]
		return err
	}
	add := func(m ExportMessage) error {
		batch = append(batch, m)
		if len(batch) == importBatch {
			return flush()
		}
		return nil
	}
	fail := func(err error) (ImportSummary, error) { return sum, fmt.Errorf("store: import: %w", err) }

	if t, err := dec.Token(); err != nil {
		return fail(err)
	} else if t != json.Delim('{') {
		return fail(errors.New("not a triage export: expected an object"))
	}
	sawMessages := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := t.(string)
		switch key {
		case "schema":
			err = dec.Decode(&hdr.Schema)
			if err == nil && hdr.Schema != ExportSchema {
				err = fmt.Errorf("unsupported schema %q (want %q)", truncate(hdr.Schema, 80), ExportSchema)
			}
		case "exported_at":
			err = dec.Decode(&hdr.ExportedAt)
		case "analyzer_version":
			err = dec.Decode(&hdr.AnalyzerVersion)
		case "messages":
			if hdr.Schema == "" {
				return fail(errors.New(`"schema" must precede "messages"`))
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
			return fail(err)
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return fail(err)
	}
	if hdr.Schema == "" {
		return fail(errors.New(`not a triage export: no "schema"`))
	}
	if !sawMessages { // JSON Lines: one message per following value
		for {
			var m ExportMessage
			err := dec.Decode(&m)
			if err == io.EOF {
				break
			}
			if err == nil {
				err = add(m)
			}
			if err != nil {
				return fail(err)
			}
		}
	}
	if err := flush(); err != nil {
		return fail(err)
	}
	return sum, nil
}

func (s *Store) importBatch(batch []ExportMessage, hdr ExportHeader, by Actor, sum *ImportSummary) error {
	type prepared struct {
		k   [32]byte
		m   *ExportMessage
		rep []byte
		row []byte
	}
	preps := make([]prepared, 0, len(batch))
	for i := range batch {
		m := &batch[i]
		k, err := parseID(m.ID)
		if err != nil {
			sum.Skipped++
			continue
		}
		sum.Messages++
		p := prepared{k: k, m: m}
		rep := importedReport(m, hdr)
		if p.rep, err = encodeReport(nil, rep); err != nil {
			return err
		}
		row := RowFromReport(rep)
		p.row = appendRow(nil, &row)
		preps = append(preps, p)
	}
	var changes []Change
	err := s.db.Update(func(tx *bolt.Tx) error {
		changes = changes[:0]
		local := *sum
		for _, p := range preps {
			k := p.k[:]
			if !hasMessage(tx, k) {
				local.NewMessages++
				if err := putReport(tx, k, p.rep); err != nil {
					return err
				}
				if err := tx.Bucket(bucketRows).Put(k, p.row); err != nil {
					return err
				}
				if mk := msgIDKey(p.m.Summary.MessageID, k); mk != nil {
					if err := tx.Bucket(bucketMsgID).Put(mk, nil); err != nil {
						return err
					}
				}
			}
			if err := importLocators(tx, k, p.m.Locators); err != nil {
				return err
			}
			ch, err := s.importLabels(tx, k, p.m, hdr, by, &local)
			if err != nil {
				return err
			}
			if ch != nil {
				changes = append(changes, *ch)
			}
			added, changed, err := importNotes(tx, k, p.m.Notes)
			if err != nil {
				return err
			}
			local.NotesAdded += added
			if changed {
				changes = append(changes, Change{ID: p.m.ID, Kind: "note", Actor: by})
			}
		}
		*sum = local
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range changes {
		s.publish(c)
	}
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
		Attachments: m.Attachments, Findings: m.Findings, Score: m.Score,
		Warnings: m.Warnings,
	}
}

func importLocators(tx *bolt.Tx, k []byte, in []Locator) error {
	if len(in) == 0 {
		return nil
	}
	return addLocators(tx.Bucket(bucketLocators), k, in...)
}

func sameEvent(a, b LabelEvent) bool {
	return a.Label == b.Label && a.Previous == b.Previous && a.Actor == b.Actor && a.Time.Equal(b.Time)
}

// importLabels merges the label history of m into the store; it returns a
// Change when the current label changed.
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
	hist, err := getHistory(tx, k)
	if err != nil {
		return nil, err
	}
	localCur := string(tx.Bucket(bucketLabels).Get(k))
	merged := slices.Clone(hist)
	for _, ev := range in {
		if ev.Label != "" {
			if _, ok := s.labelSet[ev.Label]; !ok {
				sum.UnknownLabels++
				continue
			}
		}
		if slices.ContainsFunc(merged, func(e LabelEvent) bool { return sameEvent(e, ev) }) {
			continue
		}
		merged = append(merged, ev)
	}
	if len(merged) == len(hist) {
		return nil, nil
	}
	// Stable: local events keep their order among equal times and come
	// before imported ones.
	slices.SortStableFunc(merged, func(a, b LabelEvent) int { return a.Time.Compare(b.Time) })
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

func noteVersions(n Note) []NoteVersion {
	return append(slices.Clone(n.History), NoteVersion{Text: n.Text, Author: n.Author, Time: n.Time})
}

func sameVersion(a, b NoteVersion) bool {
	return a.Text == b.Text && a.Author == b.Author && a.Time.Equal(b.Time)
}

// importNotes merges notes by ID. It returns how many notes were new and
// whether anything changed.
func importNotes(tx *bolt.Tx, k []byte, in []Note) (added int, changed bool, err error) {
	if len(in) == 0 {
		return 0, false, nil
	}
	notes, err := getNotes(tx, k)
	if err != nil {
		return 0, false, err
	}
	for _, n := range in {
		if len(n.Text) > maxNoteText {
			continue
		}
		n.History = slices.DeleteFunc(n.History, func(v NoteVersion) bool { return len(v.Text) > maxNoteText })
		if n.ID == "" {
			h := sha256.Sum256([]byte(n.Text + "\x00" + n.Time.UTC().Format(time.RFC3339Nano)))
			n.ID = "n" + hex.EncodeToString(h[:8])
		}
		i := slices.IndexFunc(notes, func(c Note) bool { return c.ID == n.ID })
		if i < 0 {
			notes = append(notes, n)
			added++
			changed = true
			continue
		}
		vs := noteVersions(notes[i])
		before := len(vs)
		for _, v := range noteVersions(n) {
			if !slices.ContainsFunc(vs, func(c NoteVersion) bool { return sameVersion(c, v) }) {
				vs = append(vs, v)
			}
		}
		if len(vs) == before {
			continue
		}
		slices.SortStableFunc(vs, func(a, b NoteVersion) int { return a.Time.Compare(b.Time) })
		cur := vs[len(vs)-1]
		notes[i] = Note{ID: n.ID, Text: cur.Text, Author: cur.Author, Time: cur.Time, History: vs[:len(vs)-1]}
		changed = true
	}
	if !changed {
		return 0, false, nil
	}
	return added, true, putNotes(tx, k, notes)
}

// WriteFileAtomic writes a file through write into a temporary file in the
// same directory, fsyncs it and renames it over path, so readers see either
// the old or the complete new file. A new file gets mode 0600 (exports
// contain mail); an existing file keeps its mode. On error the temporary
// file is removed and path is untouched.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	mode := os.FileMode(0o600)
	if fi, statErr := os.Stat(path); statErr == nil {
		mode = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("store: write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return fmt.Errorf("store: write %s: %w", path, err)
	}
	if err = f.Chmod(mode); err != nil {
		return fmt.Errorf("store: write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("store: write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("store: write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("store: write %s: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename durable
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
