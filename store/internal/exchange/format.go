// Package exchange is the export file format of the store
// (docs/export-format.md) and what an import does with its content before
// it reaches the database: the JSON document and JSON Lines writer and
// decoder, the validation of every untrusted field, and the merge of
// imported label histories and notes. It knows nothing of bbolt.
package exchange

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/locator"
	"github.com/triage-tools/triage/store/internal/record"
)

// Schema is the schema identifier of the export format
// (docs/export-format.md).
const Schema = "triage.corpus/v1"

// Export formats.
const (
	FormatJSON  = "json"
	FormatJSONL = "jsonl"
)

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
	LabelHistory    []record.LabelEvent    `json:"label_history"`
	Notes           []record.Note          `json:"notes"`
	Score           int                    `json:"score"`
	RawScore        int                    `json:"raw_score"`
	Findings        []analysis.Finding     `json:"findings"`
	Summary         analysis.Summary       `json:"summary"`
	Hops            []analysis.Hop         `json:"hops"`
	Auth            analysis.Auth          `json:"auth"`
	URLs            []analysis.URL         `json:"urls"`
	Attachments     []analysis.Attachment  `json:"attachments"`
	Locators        []locator.Locator      `json:"locators"`
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
	Wrapper   *analysis.Wrapper       `json:"wrapper,omitempty"`
	Reporters []record.ReporterRecord `json:"reporters,omitempty"`
	// Campaign is the message's campaign when it has one (store.CampaignRefs).
	// Ignored on import.
	Campaign *record.CampaignRef `json:"campaign,omitempty"`
}

// Writer writes an export: the header, then the messages one by one.
type Writer struct {
	bw  *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	doc bool // FormatJSON: one document, messages in an array
	n   int  // messages written
}

// NewWriter writes hdr to w in format (FormatJSON or FormatJSONL). The
// JSON document carries "count" before "messages".
func NewWriter(w io.Writer, format string, hdr ExportHeader) (*Writer, error) {
	ew := &Writer{bw: bufio.NewWriterSize(w, 64<<10), doc: format == FormatJSON}
	ew.enc = json.NewEncoder(&ew.buf)
	ew.enc.SetEscapeHTML(false)
	if err := ew.enc.Encode(hdr); err != nil {
		return nil, err
	}
	head := bytes.TrimSpace(ew.buf.Bytes())
	if ew.doc {
		head = append(head[:len(head)-1], `,"messages":[`...)
	}
	ew.bw.Write(head)
	ew.bw.WriteByte('\n')
	return ew, nil
}

// Encode encodes m; WriteEncoded writes it.
func (ew *Writer) Encode(m *ExportMessage) error {
	ew.buf.Reset()
	return ew.enc.Encode(m)
}

// WriteEncoded writes the message last encoded.
func (ew *Writer) WriteEncoded() error {
	if ew.n > 0 && ew.doc {
		ew.bw.WriteString(",\n")
	}
	line := ew.buf.Bytes()
	if ew.doc {
		line = line[:len(line)-1]
	}
	if _, err := ew.bw.Write(line); err != nil {
		return err
	}
	ew.n++
	return nil
}

// Close ends the document and flushes.
func (ew *Writer) Close() error {
	if ew.doc {
		if ew.n > 0 {
			ew.bw.WriteByte('\n')
		}
		ew.bw.WriteString("]}\n")
	}
	return ew.bw.Flush()
}

// Normalize makes the arrays of m arrays in the export, never null.
func Normalize(m *ExportMessage) {
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
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// AttachRaw reads the raw bytes of m through read and verifies them: an
// error, or bytes whose SHA-256 is not the ID, becomes m.RawError.
func AttachRaw(m *ExportMessage, idPrefix string, read func(string, []locator.Locator) ([]byte, error)) {
	raw, err := read(m.ID, m.Locators)
	switch {
	case err != nil:
		m.RawError = err.Error()
		return
	default:
		sum := sha256.Sum256(raw)
		if idPrefix+hex.EncodeToString(sum[:]) != m.ID {
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
