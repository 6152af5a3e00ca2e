package store

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/exchange"
	"github.com/triage-tools/triage/store/internal/reporters"
	bolt "go.etcd.io/bbolt"
)

// ExportSchema is the schema identifier of the export format
// (docs/export-format.md).
const ExportSchema = exchange.Schema

// Export formats.
const (
	FormatJSON  = exchange.FormatJSON
	FormatJSONL = exchange.FormatJSONL
)

// The export file format is in store/internal/exchange.
type (
	ExportHeader  = exchange.ExportHeader
	ExportMessage = exchange.ExportMessage
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

	ew, err := exchange.NewWriter(w, opts.Format, hdr)
	if err != nil {
		return 0, fmt.Errorf("store: export: %w", err)
	}

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
				exchange.AttachRaw(m, IDPrefix, opts.Raw)
			}
			if c, ok := camps[m.ID]; ok {
				m.Campaign = &c
			}
			if err := ew.Encode(m); err != nil {
				return n, fmt.Errorf("store: export %s: %w", m.ID, err)
			}
			if err := ew.WriteEncoded(); err != nil {
				return n, fmt.Errorf("store: export: %w", err)
			}
			n++
			*m = ExportMessage{} // let raw bytes go
		}
	}
	if err := ew.Close(); err != nil {
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
			return reportsIndex.Walk(tx, nil, nil, func(k, _ []byte) error { // ID order
				keys = append(keys, k...)
				return nil
			})
		}
		return tx.Bucket(bucketLabels).ForEach(func(k, sv []byte) error {
			v, err := codec.Unseal(bucketLabels, k, sv)
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
		r, err := codec.DecodeReport(v)
		if err != nil {
			return m, fmt.Errorf("report %s: %w", m.ID, err)
		}
		m.Score, m.RawScore, m.Findings, m.Summary, m.Hops, m.Auth = r.Score, r.RawScore, r.Findings, r.Summary, r.Hops, r.Auth
		m.URLs, m.Attachments, m.AnalyzerVersion, m.Size = r.URLs, r.Attachments, r.AnalyzerVersion, r.Size
		m.Headers, m.Warnings, m.Imported = r.Headers, r.Warnings, r.Imported
		m.Wrapper = r.Wrapper
	}
	if m.Reporters, err = reporters.List(tx, k); err != nil {
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
		set, err := codec.DecodeLocators(v)
		if err != nil {
			return m, fmt.Errorf("locators %s: %w", m.ID, err)
		}
		m.Locators, m.MoreLocators = set.Locs, set.More
	}
	exchange.Normalize(&m)
	return m, nil
}

// WriteFileAtomic writes a file through write into a temporary file in the
// same directory, fsyncs it and renames it over path, so readers see either
// the old or the complete new file. A new file gets mode 0600 (exports
// contain mail); an existing file keeps its mode. On error the temporary
// file is removed and path is untouched.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	return exchange.WriteFileAtomic(path, write)
}
