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
	RawScore        int                    `json:"raw_score"`
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
	// Imported marks a report that came from an import file, not from
	// analysing the raw message in this store. Ignored on import.
	Imported bool `json:"imported,omitempty"`
	// Wrapper is set when the message was found inside a report wrapper
	// (how it was unwrapped, and the first reporter); Reporters lists
	// every report of it. Both are ignored on import.
	Wrapper   *analysis.Wrapper `json:"wrapper,omitempty"`
	Reporters []ReporterRecord  `json:"reporters,omitempty"`
	// Campaign is the message's campaign when it has one (campaigns.go).
	// Ignored on import.
	Campaign *CampaignRef `json:"campaign,omitempty"`
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
	camps, err := s.CampaignRefs()
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
		if err := s.view(func(tx *bolt.Tx) error {
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
			if c, ok := camps[m.ID]; ok {
				m.Campaign = &c
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
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketRows) == nil {
			return nil
		}
		if opts.All && len(opts.Labels) == 0 {
			return tx.Bucket(bucketReports).ForEach(func(k, _ []byte) error { // ID order
				keys = append(keys, k...)
				return nil
			})
		}
		return tx.Bucket(bucketLabels).ForEach(func(k, sv []byte) error {
			v, err := unseal(bucketLabels, k, sv)
			if err != nil {
				return err
			}
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
		m.Score, m.RawScore, m.Findings, m.Summary, m.Hops, m.Auth = r.Score, r.RawScore, r.Findings, r.Summary, r.Hops, r.Auth
		m.URLs, m.Attachments, m.AnalyzerVersion, m.Size = r.URLs, r.Attachments, r.AnalyzerVersion, r.Size
		m.Headers, m.Warnings, m.Imported = r.Headers, r.Warnings, r.Imported
		m.Wrapper = r.Wrapper
	}
	if m.Reporters, err = reportersTx(tx, k); err != nil {
		return m, err
	}
	if len(m.Reporters) == 0 {
		m.Reporters = nil
	}
	var cur string
	if cur, m.LabelHistory, err = currentLabel(tx, k); err != nil {
		return m, err
	}
	m.Label = s.internLabel([]byte(cur))
	if m.Notes, err = getNotes(tx, k); err != nil {
		return m, err
	}
	if v := getBySeq(tx, bucketLocators, k); v != nil {
		set, err := decodeLocators(v)
		if err != nil {
			return m, fmt.Errorf("locators %s: %w", m.ID, err)
		}
		m.Locators, m.MoreLocators = set.Locs, set.More
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
