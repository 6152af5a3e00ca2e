package ctl

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"time"

	"github.com/triage-tools/triage/store"
)

// Client is a Backend reached through the socket of the process that
// holds the store. It is not safe for concurrent use.
type Client struct {
	path   string
	conn   net.Conn
	br     *bufio.Reader
	buf    []byte
	labels []string
	// Timeout bounds each request's answer, and each frame of an export
	// (default 30 s).
	Timeout time.Duration
}

var _ Backend = (*Client)(nil)

// Dial connects to the process holding the store at dbPath. Errors:
// ErrNoServer when no socket answers; ErrUnsafeSocket for a socket that
// is not the user's own; ErrProtocol when the answer is not a triage
// server of this store.
func Dial(dbPath string) (*Client, error) {
	sock := SocketPath(dbPath)
	if err := checkSocket(sock); err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("unix", sock, time.Second)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoServer, err)
	}
	c := &Client{path: dbPath, conn: conn, br: bufio.NewReaderSize(conn, 64<<10), Timeout: 30 * time.Second}
	res, err := c.call(request{Op: opHello, Version: protoVersion})
	if err != nil {
		conn.Close()
		if errors.Is(err, ErrProtocol) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", ErrNoServer, err)
	}
	if !sameFile(dbPath, res.Path) {
		conn.Close()
		return nil, fmt.Errorf("%w: %s serves another store (%.200q)", ErrProtocol, sock, res.Path)
	}
	c.labels = res.Labels
	return c, nil
}

// sameFile reports whether a and b name the same file; when either
// cannot be examined, it trusts the socket's place next to the store.
func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	if err1 != nil || err2 != nil {
		return true
	}
	return os.SameFile(fa, fb)
}

func (c *Client) Path() string       { return c.path }
func (c *Client) LabelSet() []string { return slices.Clone(c.labels) }
func (c *Client) Close() error       { return c.conn.Close() }

// send writes one request line.
func (c *Client) send(req request) error {
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if len(b)+1 > MaxRequest {
		return fmt.Errorf("ctl: request longer than %d bytes", MaxRequest)
	}
	c.conn.SetDeadline(time.Now().Add(c.Timeout))
	_, err = c.conn.Write(append(b, '\n'))
	return err
}

// result decodes a result frame's payload; a reported error becomes a
// *remoteError.
func decodeResult(p []byte) (result, error) {
	var res result
	if err := json.Unmarshal(p, &res); err != nil {
		return result{}, fmt.Errorf("%w: %w", ErrProtocol, err)
	}
	if res.Error != "" || res.Code != "" {
		return res, &remoteError{code: res.Code, msg: res.Error}
	}
	return res, nil
}

// call sends req and reads its result.
func (c *Client) call(req request) (result, error) {
	if err := c.send(req); err != nil {
		return result{}, err
	}
	typ, p, err := readFrame(c.br, c.buf)
	if err != nil {
		return result{}, err
	}
	c.buf = p[:0]
	if typ != frameResult {
		return result{}, fmt.Errorf("%w: data frame where a result was due", ErrProtocol)
	}
	return decodeResult(p)
}

func (c *Client) Resolve(ref string) (string, error) {
	res, err := c.call(request{Op: opResolve, Ref: ref})
	return res.ID, err
}

func (c *Client) IDsWithPrefix(hex string, limit int) ([]string, error) {
	res, err := c.call(request{Op: opPrefix, Ref: hex, Limit: limit})
	return res.IDs, err
}

func (c *Client) Message(id string) (Message, error) {
	res, err := c.call(request{Op: opMessage, ID: id})
	if res.Message != nil && res.Message.Report == nil {
		res.Message = nil // a message without its report is no answer
	}
	return answer(res.Message, err, "message")
}

// answer returns *v from the result of a call, err when the call failed,
// or an ErrProtocol error naming what when the result lacks it.
func answer[T any](v *T, err error, what string) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	if v == nil {
		return zero, fmt.Errorf("%w: no %s in the answer", ErrProtocol, what)
	}
	return *v, nil
}

// SetLabel records the label through the serving process, attributed to
// by.Name with source "cli" (by.Source and by.Key are not sent).
func (c *Client) SetLabel(id, label string, by store.Actor) (store.LabelEvent, error) {
	res, err := c.call(request{Op: opLabel, ID: id, Label: label, Analyst: by.Name})
	return answer(res.Event, err, "label event")
}

// AddNote adds the note through the serving process, attributed like
// SetLabel.
func (c *Client) AddNote(id, text string, by store.Actor) (store.Note, error) {
	res, err := c.call(request{Op: opNote, ID: id, Text: text, Analyst: by.Name})
	return answer(res.Note, err, "note")
}

// Export streams the serving process's export to w and returns how many
// messages it held.
func (c *Client) Export(w io.Writer, opts store.ExportOptions) (int, error) {
	err := c.send(request{Op: opExport, Export: &exportRequest{
		All: opts.All, Labels: opts.Labels, Format: opts.Format, IncludeRaw: opts.IncludeRaw}})
	if err != nil {
		return 0, err
	}
	for {
		c.conn.SetReadDeadline(time.Now().Add(c.Timeout))
		typ, p, err := readFrame(c.br, c.buf)
		if err != nil {
			return 0, fmt.Errorf("ctl: export: %w", err)
		}
		c.buf = p[:0]
		if typ == frameResult {
			res, err := decodeResult(p)
			return res.Count, err
		}
		if _, err := w.Write(p); err != nil {
			c.conn.Close() // the rest of the stream is of no use
			return 0, err
		}
	}
}
