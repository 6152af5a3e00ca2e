package ctl

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/triage-tools/triage/store"
)

// The protocol, version 1.
//
// A client sends one request per line: a JSON object of at most
// MaxRequest bytes, newline-terminated. The server answers each request
// with frames: one byte of type, a big-endian uint32 payload length, the
// payload. A frameResult (JSON, at most maxResult bytes) ends every answer;
// an export sends its document as frameData frames (at most dataChunk
// bytes each) before it. Requests on one connection are answered in order;
// the server closes a connection idle for longer than its IdleTimeout.
const (
	protoVersion = 1
	// MaxRequest bounds one request line (a note is at most 64 KiB, which
	// JSON escaping can grow sixfold).
	MaxRequest = 512 << 10
	maxResult  = 64 << 20 // a report with its headers, notes and history
	dataChunk  = 32 << 10

	frameResult = 'R'
	frameData   = 'D'
)

// Operations.
const (
	opHello   = "hello"
	opResolve = "resolve"
	opPrefix  = "prefix"
	opMessage = "message"
	opLabel   = "label"
	opNote    = "note"
	opExport  = "export"

	opLabelCampaign = "label-campaign" // campaign.go
)

// Error codes of a result, mapped to the store's sentinels by the client.
const (
	codeNotFound     = "not_found"
	codeAmbiguous    = "ambiguous"
	codeUnknownLabel = "unknown_label"
	codeReadOnly     = "read_only"
	codeBadRequest   = "bad_request"
	codeFailed       = "failed"
)

type request struct {
	Op      string         `json:"op"`
	Version int            `json:"version,omitempty"` // hello
	Ref     string         `json:"ref,omitempty"`     // resolve, prefix
	Limit   int            `json:"limit,omitempty"`   // prefix
	ID      string         `json:"id,omitempty"`
	Label   string         `json:"label,omitempty"`
	Text    string         `json:"text,omitempty"`    // note
	Analyst string         `json:"analyst,omitempty"` // label, note
	Export  *exportRequest `json:"export,omitempty"`
}

type exportRequest struct {
	All        bool     `json:"all,omitempty"`
	Labels     []string `json:"labels,omitempty"`
	Format     string   `json:"format,omitempty"`
	IncludeRaw bool     `json:"include_raw,omitempty"`
}

type result struct {
	Code    string            `json:"code,omitempty"`
	Error   string            `json:"error,omitempty"`
	Version int               `json:"version,omitempty"` // hello
	Path    string            `json:"path,omitempty"`    // hello: the store file
	Labels  []string          `json:"labels,omitempty"`  // hello
	ID      string            `json:"id,omitempty"`      // resolve
	IDs     []string          `json:"ids,omitempty"`     // prefix
	Message *Message          `json:"message,omitempty"`
	Event   *store.LabelEvent `json:"event,omitempty"`
	Note    *store.Note       `json:"note,omitempty"`
	Count   int               `json:"count,omitempty"` // export; label-campaign: messages changed
	Size    int               `json:"size,omitempty"`  // label-campaign: messages in the campaign
}

// errorCode classifies err for a result.
func errorCode(err error) string {
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrNoCampaign):
		return codeNotFound
	case errors.Is(err, store.ErrAmbiguous):
		return codeAmbiguous
	case errors.Is(err, store.ErrUnknownLabel):
		return codeUnknownLabel
	case errors.Is(err, store.ErrReadOnly):
		return codeReadOnly
	}
	return codeFailed
}

// remoteError is an error reported by the server; it unwraps to the
// store's sentinel for its code.
type remoteError struct{ code, msg string }

func (e *remoteError) Error() string { return e.msg }

func (e *remoteError) Unwrap() error {
	switch e.code {
	case codeNotFound:
		return store.ErrNotFound
	case codeAmbiguous:
		return store.ErrAmbiguous
	case codeUnknownLabel:
		return store.ErrUnknownLabel
	case codeReadOnly:
		return store.ErrReadOnly
	case codeBadRequest:
		return ErrProtocol
	}
	return nil
}

func writeFrame(w io.Writer, typ byte, payload []byte) error {
	var hdr [5]byte
	hdr[0] = typ
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(payload)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// readFrame reads one frame into buf (grown as needed) and returns its
// type and payload. A payload longer than its type's bound is an
// ErrProtocol error, read no further.
func readFrame(r *bufio.Reader, buf []byte) (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := int(binary.BigEndian.Uint32(hdr[1:]))
	switch hdr[0] {
	case frameResult:
		if n > maxResult {
			return 0, nil, fmt.Errorf("%w: result of %d bytes", ErrProtocol, n)
		}
	case frameData:
		if n > dataChunk {
			return 0, nil, fmt.Errorf("%w: data frame of %d bytes", ErrProtocol, n)
		}
	default:
		return 0, nil, fmt.Errorf("%w: frame type %#x", ErrProtocol, hdr[0])
	}
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		return 0, nil, err
	}
	return hdr[0], buf, nil
}

// writeResult writes res as a result frame.
func writeResult(w io.Writer, res result) error {
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	return writeFrame(w, frameResult, b)
}
