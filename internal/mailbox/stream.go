package mailbox

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// sniffLen is how many leading bytes are examined to detect gzip, CR-only
// line endings and the container format. Detection depends only on these
// bytes, so Open and ReadRaw always agree.
const sniffLen = 4096

const warnCROnly = "mailbox uses CR-only line endings; converted to LF"

var (
	bom      = []byte("\xef\xbb\xbf")
	fromSp   = []byte("From ")
	nlFromSp = []byte("\nFrom ")
)

// readHead reads up to sniffLen bytes from r into a new slice.
func readHead(r io.Reader) ([]byte, error) {
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return head[:n], err
}

// isGzip reports whether b starts with the gzip magic bytes.
func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// decompressed returns a reader of the decompressed stream when head
// starts with gzip magic, together with the new head; otherwise r itself
// (prefixed by head).
func decompressed(head []byte, r io.Reader) (io.Reader, []byte, error) {
	if !isGzip(head) {
		return r, head, nil
	}
	zr, err := gzip.NewReader(io.MultiReader(bytes.NewReader(head), r))
	if err != nil {
		return nil, nil, fmt.Errorf("gzip: %w", err)
	}
	zr.Multistream(true)
	h, err := readHead(zr)
	if err != nil {
		return nil, nil, fmt.Errorf("gzip: %w", err)
	}
	return zr, h, nil
}

// skipPreamble returns the index of the first byte after an optional UTF-8
// BOM and any blank lines.
func skipPreamble(b []byte) int {
	i := 0
	if bytes.HasPrefix(b, bom) {
		i = len(bom)
	}
	for i < len(b) && (b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// isCROnly reports whether the first line terminator in head is a lone CR
// (classic Mac line endings).
func isCROnly(head []byte) bool {
	i := bytes.IndexAny(head, "\r\n")
	return i >= 0 && head[i] == '\r' && i+1 < len(head) && head[i+1] != '\n'
}

// crToLF replaces every CR by LF in place.
func crToLF(b []byte) {
	for {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			return
		}
		b[i] = '\n'
		b = b[i+1:]
	}
}

// crReader converts CR to LF on the fly (length-preserving).
type crReader struct{ r io.Reader }

func (c crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	crToLF(p[:n])
	return n, err
}

// isHeaderLine reports whether b starts with something shaped like a header
// field: a name of letters, digits, '-', '_' or '.', optional blanks, then
// a colon. It examines at most 128 bytes.
func isHeaderLine(b []byte) bool {
	if len(b) > 128 {
		b = b[:128]
	}
	n := 0
	for n < len(b) && isNameByte(b[n]) {
		n++
	}
	if n == 0 {
		return false
	}
	for n < len(b) && (b[n] == ' ' || b[n] == '\t') {
		n++
	}
	return n < len(b) && b[n] == ':'
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// openStream detects the format of the stream r and returns a reader for
// it. closer (may be nil) is closed by the returned Reader's Close.
func openStream(name string, r io.Reader, closer io.Closer, opts Options) (Reader, error) {
	head, err := readHead(r)
	if err != nil {
		return nil, fmt.Errorf("mailbox: %s: %w", name, err)
	}
	src, head, err := decompressed(head, r)
	if err != nil {
		return nil, fmt.Errorf("mailbox: %s: %w", name, err)
	}
	cr := isCROnly(head)
	if cr {
		crToLF(head)
		src = crReader{src}
	}
	p := skipPreamble(head)
	switch {
	case p == len(head):
		if len(head) == sniffLen {
			return nil, notMailbox(name, "only blank lines at the start")
		}
		// Empty (or only blank lines): an mbox with no messages.
		return newMboxReader(name, head, p, src, closer, cr, opts), nil
	case bytes.HasPrefix(head[p:], fromSp):
		return newMboxReader(name, head, p, src, closer, cr, opts), nil
	case isHeaderLine(head[p:]):
		return &singleReader{name: name, head: head, src: src, closer: closeOnce{closer}, cr: cr, max: opts.max()}, nil
	}
	return nil, notMailbox(name, "neither an mbox nor a message")
}

// singleReader yields one message read from a stream.
type singleReader struct {
	name   string
	head   []byte
	src    io.Reader
	closer closeOnce
	cr     bool
	max    int
	done   bool
}

func (s *singleReader) Kind() Kind { return KindEML }

func (s *singleReader) Close() error { return s.closer.Close() }

// closeOnce closes the io.Closer it holds (which may be nil) on the first
// Close only; later calls return nil.
type closeOnce struct{ c io.Closer }

func (o *closeOnce) Close() error {
	if o.c == nil {
		return nil
	}
	c := o.c
	o.c = nil
	return c.Close()
}

func (s *singleReader) Next() (*Message, error) {
	if s.done {
		return nil, io.EOF
	}
	s.done = true
	data, truncated, err := readBounded(s.head, s.src, s.max)
	if err != nil {
		return nil, fmt.Errorf("mailbox: %s: %w", s.name, err)
	}
	m := &Message{Loc: Locator{Path: s.name}}
	if truncated {
		m.Loc.Length = int64(len(data))
		m.Warnings = append(m.Warnings, truncWarning(len(data)))
	}
	if s.cr {
		m.Warnings = append(m.Warnings, warnCROnly)
	}
	m.Raw = fileMessage(data)
	return m, nil
}

// readBounded returns head followed by the rest of r, at most max bytes;
// truncated is true when r had more. The source is CR-converted already.
func readBounded(head []byte, r io.Reader, max int) (data []byte, truncated bool, err error) {
	if len(head) > max {
		return head[:max:max], true, nil
	}
	buf := bytes.NewBuffer(make([]byte, 0, len(head)+512))
	buf.Write(head)
	if len(head) < sniffLen {
		return buf.Bytes(), false, nil // the head read hit EOF
	}
	n, err := buf.ReadFrom(io.LimitReader(r, int64(max-len(head))+1))
	_ = n
	if err != nil {
		return nil, false, err
	}
	data = buf.Bytes()
	if len(data) > max {
		return data[:max:max], true, nil
	}
	return data, false, nil
}

func truncWarning(n int) string {
	return fmt.Sprintf("message larger than %d bytes; truncated", n)
}

// fileMessage turns the bytes of a message file into the raw message: the
// file verbatim, unless it starts (after an optional BOM and blank lines)
// with an mbox "From " envelope line, which is then removed together with
// what precedes it, and the rest is mboxrd-unquoted. data must already be
// CR-converted when needed. The result may alias data, which is modified.
func fileMessage(data []byte) []byte {
	p := skipPreamble(data)
	if !bytes.HasPrefix(data[p:], fromSp) {
		return data
	}
	rest := data[p:]
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 {
		return data[:0]
	}
	return unquote(rest[nl+1:])
}

// unquote removes, in place, one '>' from every line of b that matches
// ">+From " (mboxrd unquoting) and returns the shortened slice. The start
// of b is a line start. Without such lines b is returned untouched.
func unquote(b []byte) []byte {
	w := -1 // write position once the first quote is found
	start := 0
	pos := 0
	for {
		i := bytes.Index(b[pos:], fromSp)
		if i < 0 {
			break
		}
		i += pos
		pos = i + len(fromSp)
		j := i
		for j > 0 && b[j-1] == '>' {
			j--
		}
		if j == i || (j > 0 && b[j-1] != '\n') {
			continue // not quoted, or not at a line start
		}
		if w < 0 {
			w = j
		} else {
			w += copy(b[w:], b[start:j])
		}
		start = j + 1 // drop one '>'
	}
	if w < 0 {
		return b
	}
	w += copy(b[w:], b[start:])
	return b[:w]
}

// errShortRead reports a file shorter than its locator says.
var errShortRead = errors.New("mailbox file is shorter than the locator")
