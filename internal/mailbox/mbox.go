package mailbox

import (
	"bytes"
	"fmt"
	"io"
)

const (
	// readBufSize is the initial (and usual) size of the mbox read buffer.
	readBufSize = 1 << 20
	// maxFromLine bounds the length of a "From " line examined as a
	// separator candidate.
	maxFromLine = 1 << 10
	// maxHeaderScan bounds how far Content-Length is looked for.
	maxHeaderScan = 256 << 10
)

// mboxReader splits an mbox stream into messages.
//
// Separators: the first "From " line of the file, then any line that starts
// with "From " and passes looksLikeSeparator: the rest of the line looks
// like a postmark (sender "-", a sender containing '@', or a time of day
// "h:mm") and the next line is a header field. A blank line before it is
// not required (some writers omit it) but, when present, its line
// terminator belongs to the separator. If the message header has a
// Content-Length and the claimed body ends exactly at end of file or at
// (an optional blank line and) a separator, that end is used, so unquoted
// "From " lines inside the body do not split it (mboxcl/mboxcl2); a lying
// Content-Length produces a warning and "From " splitting.
//
// The buffer always holds the current message from its "From " line
// (buf[r:w]); it grows up to the message size limit and is compacted in
// place otherwise.
type mboxReader struct {
	name    string
	src     io.Reader
	closer  closeOnce
	buf     []byte
	r, w    int   // buf[r:w]: unconsumed data, starting at a "From " line
	base    int64 // stream offset of buf[0]
	eof     bool
	rerr    error
	max     int
	cr      bool // CR-only input: warn once
	skip    bool // the previous message was truncated: find the next separator
	done    bool
	pending []string
}

func newMboxReader(name string, head []byte, start int, src io.Reader, closer io.Closer, cr bool, opts Options) *mboxReader {
	m := &mboxReader{name: name, src: src, closer: closeOnce{closer}, max: opts.max(), cr: cr}
	size := readBufSize
	if len(head) < sniffLen {
		m.eof = true // readHead stopped at EOF: the head is all there is
		size = len(head)
	}
	m.buf = make([]byte, size)
	m.w = copy(m.buf, head)
	m.r = start
	if start >= m.w && m.eof {
		m.done = true
	}
	return m
}

func (m *mboxReader) Kind() Kind { return KindMbox }

func (m *mboxReader) Close() error { return m.closer.Close() }

// limit is the largest buffer the reader may use.
func (m *mboxReader) limit() int { return m.max + 2*maxHeaderScan + 4*maxFromLine }

// more reads more data, keeping buf[m.r:] (moved to the front when
// needed). Indexes relative to m.r stay valid. It returns false when
// nothing more can be read: end of input, a read error (kept in m.rerr), or
// the buffer limit reached.
func (m *mboxReader) more() bool {
	if m.eof {
		return false
	}
	if m.w == len(m.buf) {
		if m.r > 0 {
			n := copy(m.buf, m.buf[m.r:m.w])
			m.base += int64(m.r)
			m.r, m.w = 0, n
		} else {
			if len(m.buf) >= m.limit() {
				return false
			}
			size := 2 * len(m.buf)
			if size > m.limit() {
				size = m.limit()
			}
			nb := make([]byte, size)
			copy(nb, m.buf[:m.w])
			m.buf = nb
		}
	}
	for tries := 0; tries < 100; tries++ {
		n, err := m.src.Read(m.buf[m.w:])
		m.w += n
		if err != nil {
			m.eof = true
			if err != io.EOF {
				m.rerr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	m.eof = true
	m.rerr = io.ErrNoProgress
	return false
}

// avail is the number of buffered bytes from m.r.
func (m *mboxReader) avail() int { return m.w - m.r }

// ensure tries to buffer at least n bytes from m.r.
func (m *mboxReader) ensure(n int) bool {
	for m.avail() < n {
		if !m.more() {
			return false
		}
	}
	return true
}

// lineEnd returns the relative index of the '\n' ending the line that
// starts at rel, reading at most bound bytes of it; -1 if the line is
// longer than bound or has no terminator before the end of the input.
func (m *mboxReader) lineEnd(rel, bound int) int {
	for {
		end := m.w
		if end-(m.r+rel) > bound {
			end = m.r + rel + bound
		}
		if i := bytes.IndexByte(m.buf[m.r+rel:end], '\n'); i >= 0 {
			return rel + i
		}
		if end < m.w || !m.more() {
			return -1
		}
	}
}

// looksLikeSeparator reports whether the "From " line at rel (preceded by
// a line terminator) is a message separator. See mboxReader.
func (m *mboxReader) looksLikeSeparator(rel int) bool {
	nl := m.lineEnd(rel, maxFromLine)
	if nl < 0 {
		return false
	}
	// The next line must be a header field; buffer enough of it.
	m.ensure(nl + 1 + 128)
	next := m.buf[m.r+nl+1 : m.w]
	// An empty message (a blank line right after the postmark) also counts.
	blank := len(next) > 0 && (next[0] == '\n' || next[0] == '\r')
	if !blank && !isHeaderLine(next) && !isQuotedFrom(next) {
		return false
	}
	return isPostmark(m.buf[m.r+rel+len(fromSp) : m.r+nl])
}

// isQuotedFrom reports whether b starts with a quoted "From " line
// (">From ", ">>From "…): a message whose first line was its own envelope
// line, as in files saved from an mbox, then quoted when appended to one.
func isQuotedFrom(b []byte) bool {
	i := 0
	for i < len(b) && b[i] == '>' {
		i++
	}
	return i > 0 && bytes.HasPrefix(b[i:], fromSp)
}

// isPostmark reports whether tail (the rest of a "From " line) looks like
// "sender date": sender "-" (Mozilla), a sender with '@', or a time of day.
func isPostmark(tail []byte) bool {
	tail = bytes.TrimRight(tail, "\r")
	sp := bytes.IndexByte(tail, ' ')
	sender := tail
	if sp >= 0 {
		sender = tail[:sp]
	}
	if bytes.Equal(sender, []byte("-")) || bytes.IndexByte(sender, '@') >= 0 {
		return true
	}
	// A time of day: digit ':' digit digit.
	for i := 1; i+2 < len(tail); i++ {
		if tail[i] == ':' && isDigit(tail[i-1]) && isDigit(tail[i+1]) && isDigit(tail[i+2]) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// eolBefore returns the length of the blank line's terminator that ends
// right before rel (1 for "\n", 2 for "\r\n"), or 0 when the line before
// rel is not blank. lo is the lowest relative index that may be looked at.
func (m *mboxReader) eolBefore(rel, lo int) int {
	b := m.buf[m.r:]
	if rel-2 >= lo && b[rel-1] == '\n' && b[rel-2] == '\n' {
		return 1
	}
	if rel-3 >= lo && b[rel-1] == '\n' && b[rel-2] == '\r' && b[rel-3] == '\n' {
		return 2
	}
	return 0
}

// contentLength scans the header block that starts at rel for a
// Content-Length field. It returns the relative index just after the
// header block and the value; ok is false when there is no usable value.
func (m *mboxReader) contentLength(rel int) (bodyStart, n int, ok bool) {
	pos := rel
	n = -1
	for pos-rel < maxHeaderScan {
		nl := m.lineEnd(pos, maxHeaderScan)
		if nl < 0 {
			return 0, 0, false
		}
		line := m.buf[m.r+pos : m.r+nl]
		if len(line) == 0 || (len(line) == 1 && line[0] == '\r') {
			return nl + 1, n, n >= 0
		}
		if n < 0 && len(line) > 15 && (line[0] == 'C' || line[0] == 'c') && bytes.EqualFold(line[:15], []byte("content-length:")) {
			n = parseLength(line[15:])
		}
		pos = nl + 1
	}
	return 0, 0, false
}

// parseLength parses a decimal Content-Length value; -1 if invalid.
func parseLength(b []byte) int {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 12 {
		return -1
	}
	v := 0
	for _, c := range b {
		if !isDigit(c) {
			return -1
		}
		v = v*10 + int(c-'0')
	}
	return v
}

// byContentLength checks whether the body claimed by Content-Length ends
// at end of input or at a separator. It returns the message end and the
// next separator (-1 at end of input).
func (m *mboxReader) byContentLength(msgStart int) (end, sep int, ok bool, warn string) {
	bodyStart, n, has := m.contentLength(msgStart)
	if !has {
		return 0, 0, false, ""
	}
	e := bodyStart + n
	if e-msgStart > m.max {
		return 0, 0, false, fmt.Sprintf("content-length %d exceeds the message size limit; ignored", n)
	}
	lie := fmt.Sprintf("content-length %d does not end at a message boundary; split on From lines", n)
	if e+2+maxFromLine > m.avail() && !m.eof {
		// Checking the claim means reading up to its end. When a
		// separator already shows up before that end, the length is a lie
		// (an mboxcl2 body may hold "From " lines, but hardly one followed
		// by a header field): split on separators without buffering (and
		// copying) megabytes ahead.
		if sep, _ := m.scanBuffered(bodyStart, msgStart); sep >= 0 && sep < e {
			return 0, 0, false, lie
		}
	}
	m.ensure(e + 2 + maxFromLine)
	if e > m.avail() {
		return 0, 0, false, lie
	}
	if e == m.avail() && m.eof {
		return e, -1, true, ""
	}
	b := m.buf[m.r:m.w]
	q := e
	switch {
	case bytes.HasPrefix(b[q:], []byte("\n")):
		q++
	case bytes.HasPrefix(b[q:], []byte("\r\n")):
		q += 2
	}
	if q == len(b) && m.eof {
		return e, -1, true, "" // a trailing blank line ends the file
	}
	if q > 0 && b[q-1] == '\n' && bytes.HasPrefix(b[q:], fromSp) && m.looksLikeSeparator(q) {
		return e, q, true, ""
	}
	return 0, 0, false, lie
}

// scanBuffered looks for a separator in the data already buffered after
// relative index from, without reading more. It returns -1 when there is
// none.
func (m *mboxReader) scanBuffered(from, msgStart int) (sep int, ok bool) {
	s := from - 1
	for s < m.avail() {
		i := indexSep(m.buf[m.r+s : m.w])
		if i < 0 {
			return -1, false
		}
		cand := s + i + 1
		// looksLikeSeparator may read a little (the next line); that is
		// bounded and cheap.
		if cand+maxFromLine+128 <= m.avail() && m.looksLikeSeparator(cand) {
			return cand, true
		}
		s = cand
	}
	return -1, false
}

// indexSep returns the index of the first "\nFrom " in b, or -1. It looks
// for "From " (rarer than a line feed) and checks the byte before.
func indexSep(b []byte) int {
	off := 1
	for off < len(b) {
		i := bytes.Index(b[off:], fromSp)
		if i < 0 {
			return -1
		}
		i += off
		if b[i-1] == '\n' {
			return i - 1
		}
		off = i + 1
	}
	return -1
}

// scan looks for the next separator whose "From " starts at or after
// relative index from (> 0); the byte before from may be its preceding
// line terminator. It returns the separator's relative index, or -1 at
// end of input; overflow is true when the message starting at msgStart
// reached m.max bytes before a separator was found (only when !m.skip).
func (m *mboxReader) scan(from, msgStart int) (sep int, overflow bool) {
	s := from - 1 // "\nFrom " may start on the terminator before from
	for {
		i := indexSep(m.buf[m.r+s : m.w])
		if i >= 0 {
			cand := s + i + 1
			if !m.skip && cand-msgStart > m.max+2 {
				return -1, true
			}
			if m.looksLikeSeparator(cand) {
				return cand, false
			}
			s = cand
			continue
		}
		if m.skip {
			// Nothing to keep before the last few bytes.
			keep := m.w - len(nlFromSp)
			if keep > m.r {
				s -= keep - m.r
				msgStart -= keep - m.r
				m.r = keep
			}
		} else if m.avail()-msgStart > m.max {
			return -1, true
		}
		if t := m.avail() - len(nlFromSp) + 1; t > s {
			s = t
		}
		if !m.more() {
			if m.avail()-msgStart > m.max && !m.skip {
				return -1, true
			}
			return -1, false
		}
	}
}

// Next returns the next message of the mbox. See Reader.
func (m *mboxReader) Next() (*Message, error) {
	for !m.done {
		if m.skip {
			m.skipToSeparator()
			continue
		}
		// buf[m.r:] starts with "From ".
		msgStart := m.lineEnd(0, maxHeaderScan) + 1
		if msgStart == 0 { // no terminator: end of input, or a runaway line
			msgStart = min(m.avail(), maxHeaderScan)
		}
		end, sep := -1, -1
		found := false
		var warns []string
		if e, s, ok, warn := m.byContentLength(msgStart); ok {
			end, sep, found = e, s, true
		} else if warn != "" {
			warns = append(warns, warn)
		}
		overflow := false
		if !found {
			sep, overflow = m.scan(msgStart, msgStart)
			switch {
			case overflow:
				end = msgStart + m.max
			case sep < 0:
				// A blank line at the end of the file is the separator
				// mbox writers put after every message: drop it, so a
				// message has the same bytes (and ID) whether or not more
				// messages are appended later.
				end = m.avail() - m.eolBefore(m.avail(), msgStart-1)
			default:
				end = sep - m.eolBefore(sep, msgStart-1)
			}
		}
		if end-msgStart > m.max {
			end, overflow = msgStart+m.max, true
		}
		msg := &Message{Loc: Locator{
			Path:   m.name,
			Offset: m.base + int64(m.r+msgStart),
			Length: int64(end - msgStart),
		}, SepOffset: m.base + int64(m.r)}
		// One copy (append does not zero the new array), then unquote in place.
		msg.Raw = unquote(append([]byte(nil), m.buf[m.r+msgStart:m.r+end]...))
		if m.cr {
			m.cr = false
			msg.Warnings = append(msg.Warnings, warnCROnly)
		}
		msg.Warnings = append(msg.Warnings, m.pending...)
		m.pending = nil
		msg.Warnings = append(msg.Warnings, warns...)
		switch {
		case overflow:
			msg.Warnings = append(msg.Warnings, truncWarning(m.max))
			m.r += end
			m.skip = true
		case sep < 0:
			m.r = m.w
			m.done = true
		default:
			m.r += sep
		}
		return msg, nil // a read error is reported by the next call
	}
	if m.rerr != nil {
		return nil, fmt.Errorf("mailbox: %s: %w", m.name, m.rerr)
	}
	return nil, io.EOF
}

// skipToSeparator discards input up to the next separator after a
// truncated message.
func (m *mboxReader) skipToSeparator() {
	from := 1
	if m.r == 0 || m.buf[m.r-1] != '\n' {
		from = 1 // never treat the cut point itself as a line start
	} else {
		// The cut is at a line start: a separator may begin right here.
		if bytes.HasPrefix(m.buf[m.r:m.w], fromSp) && m.looksLikeSeparator(0) {
			m.skip = false
			return
		}
	}
	sep, _ := m.scan(from, 0)
	m.skip = false
	if sep < 0 {
		m.r = m.w
		m.done = true
		return
	}
	m.r += sep
}
