// Package message decodes the raw bytes of one RFC 5322 message, bounded
// by Limits: the header fields and their summary, the MIME tree, text and
// HTML bodies in UTF-8, and attachments (described by package attach).
package message

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/triage-tools/triage/internal/analysis/attach"
	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// maxWarnings bounds Parsed.Warnings; further warnings are counted.
const maxWarnings = 100

// Parse decodes the raw bytes of one RFC 5322 message. It never returns nil
// and never panics: every problem (malformed header, unknown charset, limit
// hit) becomes a short warning in Parsed.Warnings with a stable prefix
// ("header: ", "mime: ", "charset: ", "limit: ", "parse: ").
//
// Parse works on raw in place: the MIME tree is split without copying, only
// decoded text and attachment metadata are allocated. raw is not modified
// or retained (strings are copies). Parse is safe for concurrent use.
func Parse(raw []byte, lim Limits) (p *Parsed) {
	return parse(raw, lim, attach.Describe)
}

// describeFunc is the signature of attach.Describe; tests give parse one
// that fails on purpose.
type describeFunc func(name, declared string, data []byte, maxText int, cs string) report.Attachment

// parse is Parse with the attachment describer as a parameter.
func parse(raw []byte, lim Limits, describe describeFunc) (p *Parsed) {
	p = &Parsed{}
	lim = sanitizeLimits(lim)
	w := &walker{p: p, lim: lim, describe: describe}
	defer func() {
		if r := recover(); r != nil {
			// Last resort: a bug, not the message's fault. Keep what we have.
			p.Warnings = append(p.Warnings, fmt.Sprintf("parse: internal error: %v", r))
		}
		w.release()
		if w.dropped > 0 {
			p.Warnings = append(p.Warnings, fmt.Sprintf("parse: %d more warnings dropped", w.dropped))
		}
	}()

	// The top-level header: every field is kept. Its values (and the
	// few in part headers) fit in one arena the size of the header block.
	n, lines := headerLen(raw, lim.MaxHeaderBytes)
	w.arena = make([]byte, 0, n+512)
	w.fieldsHint = min(max(lines, 32), 1024)
	hdr, body := w.readHeader(raw, lim.MaxHeaderBytes, true)
	w.summarize()
	w.entity(hdr, body, 0)
	return p
}

func sanitizeLimits(l Limits) Limits {
	d := DefaultLimits()
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = d.MaxHeaderBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxParts <= 0 {
		l.MaxParts = d.MaxParts
	}
	if l.MaxPartBytes <= 0 {
		l.MaxPartBytes = d.MaxPartBytes
	}
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = d.MaxBodyBytes
	}
	return l
}

// walker carries the state of one Parse call.
type walker struct {
	p          *Parsed
	lim        Limits
	parts      int
	dropped    int
	partsHit   bool
	depthHit   bool
	nested     int     // depth of encapsulated messages (message/rfc822) being walked
	buf        *[]byte // pooled scratch for transfer decoding
	describe   describeFunc
	mediaLen   int    // bytes kept in p.Media
	arena      []byte // backs header strings; only ever appended to (see reserve)
	fieldsHint int    // lines in the top-level header: the capacity for Parsed.Headers
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

func (w *walker) scratch() []byte {
	if w.buf == nil {
		w.buf = bufPool.Get().(*[]byte)
	}
	return (*w.buf)[:0]
}

// keep records b, a possibly grown version of the scratch buffer, for
// reuse. It must only be given slices that scratch() returned.
func (w *walker) keep(b []byte) {
	if w.buf != nil && cap(b) > cap(*w.buf) {
		*w.buf = b[:0]
	}
}

func (w *walker) release() {
	if w.buf != nil {
		if cap(*w.buf) <= 4<<20 { // don't pin huge buffers
			bufPool.Put(w.buf)
		}
		w.buf = nil
	}
}

func (w *walker) warn(s string) {
	if len(w.p.Warnings) >= maxWarnings {
		w.dropped++
		return
	}
	for _, x := range w.p.Warnings {
		if x == s {
			return
		}
	}
	w.p.Warnings = append(w.p.Warnings, s)
}

// ---- header block ----

// mimeHeader is what the MIME walk needs from a header block.
type mimeHeader struct {
	contentType string // unfolded, "" when absent
	cte         string
	disposition string
	contentID   string // Content-ID without angle brackets, "" when absent
	hasCT       bool
}

// readHeader splits the header block at the start of b and returns it with
// the body. With all set, every field is appended to Parsed.Headers (at
// most maxHeader bytes worth; the rest is skipped with a warning). Lines
// that are not fields are skipped with a warning; a first line without a
// colon after at least one field is taken as the start of a body that lacks
// the blank separator line.
func (w *walker) readHeader(b []byte, maxHeader int, all bool) (mimeHeader, []byte) {
	var h mimeHeader
	var (
		keyStart, valStart, fieldEnd int
		inField                      bool
		folded                       bool
		used                         int
		truncated                    bool
		bad                          int
	)
	emit := func() {
		if !inField {
			return
		}
		inField = false
		key := trimWSP(b[keyStart:valStart])
		val := b[valStart:fieldEnd]
		if all {
			if used+fieldEnd-keyStart > maxHeader {
				truncated = true
				return
			}
			used += fieldEnd - keyStart
		}
		w.field(&h, key, val, folded, all)
	}
	nfields := 0
	done := func(rest []byte) (mimeHeader, []byte) {
		emit()
		if bad > 0 {
			w.warn(fmt.Sprintf("header: %d malformed header lines skipped", bad))
		}
		if truncated {
			w.warn(fmt.Sprintf("limit: header block truncated at %d bytes", maxHeader))
		}
		return h, rest
	}
	pos := 0
	first := true
	for pos < len(b) {
		nl := bytes.IndexByte(b[pos:], '\n')
		lineEnd := len(b)
		next := len(b)
		if nl >= 0 {
			lineEnd = pos + nl
			next = lineEnd + 1
		}
		contentEnd := lineEnd
		if contentEnd > pos && b[contentEnd-1] == '\r' {
			contentEnd--
		}
		line := b[pos:contentEnd]
		if len(line) == 0 {
			return done(b[next:])
		}
		if line[0] == ' ' || line[0] == '\t' {
			if inField {
				fieldEnd = contentEnd
				folded = true
			} else if !first {
				bad++
			}
			pos = next
			continue
		}
		emit()
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || !validKey(trimWSP(line[:colon])) {
			if first && bytes.HasPrefix(line, []byte("From ")) {
				// mbox separator left in place
				pos = next
				first = false
				continue
			}
			if colon < 0 {
				if nfields == 0 {
					if all {
						w.warn("header: no header fields")
					}
				} else {
					w.warn("header: missing blank line before body")
				}
				return done(b[pos:])
			}
			bad++
			pos = next
			first = false
			continue
		}
		first = false
		nfields++
		inField, folded = true, false
		keyStart, valStart, fieldEnd = pos, pos+colon, contentEnd
		pos = next
	}
	return done(nil)
}

// headerLen returns the length of the header block at the start of b (up
// to its first empty line), at most max, and the number of its lines that
// start a field (or are not continuation lines).
func headerLen(b []byte, max int) (n, fields int) {
	if len(b) > max {
		b = b[:max]
	}
	for pos := 0; pos < len(b); {
		nl := bytes.IndexByte(b[pos:], '\n')
		if nl < 0 {
			break
		}
		pos += nl + 1
		if pos < len(b) && b[pos] == '\n' || pos+1 < len(b) && b[pos] == '\r' && b[pos+1] == '\n' {
			return pos, fields + 1
		}
		if pos < len(b) && b[pos] != ' ' && b[pos] != '\t' {
			fields++
		}
	}
	return len(b), fields + 1
}

func validKey(k []byte) bool {
	if len(k) == 0 || len(k) > 128 {
		return false
	}
	for _, c := range k {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

func trimWSP(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

// unfold returns the value with line breaks removed (the folding
// whitespace is kept) and surrounding whitespace trimmed, as a string in
// the walker's arena (see str).
func (w *walker) unfold(v []byte, folded bool) string {
	// v starts at the colon
	v = trimWSP(v[1:])
	if !folded {
		return w.str(v)
	}
	a := w.reserve(len(v))
	start := len(a)
	for len(v) > 0 {
		k := bytes.IndexByte(v, '\n')
		if k < 0 {
			a = append(a, v...)
			break
		}
		line := v[:k]
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		a = append(a, line...)
		v = v[k+1:]
	}
	w.arena = a
	t := trimWSP(a[start:])
	if len(t) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(t), len(t))
}

// reserve makes room for n more bytes in the arena and returns it. A full
// arena is left to the strings made over it and replaced by a larger one,
// never written again: bytes once written in an arena never change.
func (w *walker) reserve(n int) []byte {
	if cap(w.arena)-len(w.arena) < n {
		c := max(2*cap(w.arena), n, 2048)
		w.arena = make([]byte, 0, c)
	}
	return w.arena
}

// str returns a copy of b as a string. The copies of one message share
// a few allocations (the arena) instead of one each; header values are
// many and small.
func (w *walker) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	a := w.reserve(len(b))
	start := len(a)
	a = append(a, b...)
	w.arena = a
	return unsafe.String(&a[start], len(b))
}

func (w *walker) field(h *mimeHeader, key, val []byte, folded, all bool) {
	var k, v string // v: the unfolded value, once computed
	switch {
	case asciiEqualFold(key, "content-type"):
		k = "Content-Type"
		if !h.hasCT {
			h.hasCT = true
			v = w.unfold(val, folded)
			h.contentType = v
		}
	case asciiEqualFold(key, "content-transfer-encoding"):
		k = "Content-Transfer-Encoding"
		if h.cte == "" {
			v = w.unfold(val, folded)
			h.cte = v
		}
	case asciiEqualFold(key, "content-disposition"):
		k = "Content-Disposition"
		if h.disposition == "" {
			v = w.unfold(val, folded)
			h.disposition = v
		}
	case asciiEqualFold(key, "content-id"):
		if h.contentID == "" { // k stays "": the field name is kept as written
			v = w.unfold(val, folded)
			h.contentID = strings.Trim(v, " \t<>")
		}
	}
	if !all {
		return
	}
	if k == "" {
		// Most field names are common ones: share their strings instead
		// of allocating one per field (the map look-up does not allocate).
		var ok bool
		if k, ok = commonFieldNames[string(key)]; !ok {
			k = w.str(key)
		}
	}
	if v == "" {
		v = w.unfold(val, folded)
	}
	f := report.HeaderField{Key: k, Value: v}
	if !asciiBytes(val) || bytes.Contains(val, []byte("=?")) {
		d, warn := decodeHeader(v)
		if warn != "" {
			w.warn(warn + " in " + k)
		}
		if d != v {
			f.Decoded = d
		}
	}
	if w.p.Headers == nil {
		w.p.Headers = make([]report.HeaderField, 0, max(w.fieldsHint, 32))
	}
	w.p.Headers = append(w.p.Headers, f)
}

// commonFieldNames interns the header field names seen in most mail, as
// written.
var commonFieldNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{
		"Received", "From", "To", "Cc", "Subject", "Date", "Message-ID", "Message-Id", "Reply-To",
		"Return-Path", "Sender", "MIME-Version", "Mime-Version", "In-Reply-To", "References",
		"DKIM-Signature", "Authentication-Results", "ARC-Seal", "ARC-Message-Signature",
		"ARC-Authentication-Results", "Received-SPF", "Delivered-To", "X-Mailer", "User-Agent",
		"List-Id", "List-Unsubscribe", "List-Post", "List-Help", "List-Subscribe", "List-Archive",
		"Precedence", "Errors-To", "X-Original-To", "X-Spam-Status", "X-Spam-Level", "X-Spam-Checker-Version",
		"X-Priority", "Importance", "Thread-Index", "Thread-Topic", "Content-Language", "X-MS-Has-Attach",
		"X-Originating-IP", "X-Beenthere", "X-Mailman-Version", "X-BeenThere", "Organization",
		"Content-type", "Content-Transfer-encoding",
	} {
		m[n] = n
	}
	return m
}()

// asciiBytes reports whether b is 7-bit, eight bytes at a time.
func asciiBytes(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func needsDecode(v string) bool {
	return !charset.IsASCII(v) || strings.Contains(v, "=?")
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// ---- MIME walk ----

// entity walks one MIME entity with header h and undecoded body.
func (w *walker) entity(h mimeHeader, body []byte, depth int) {
	w.parts++
	if w.parts > w.lim.MaxParts {
		if !w.partsHit {
			w.partsHit = true
			w.warn(fmt.Sprintf("limit: more than %d MIME parts, rest skipped", w.lim.MaxParts))
		}
		return
	}
	mt, params := parseContentType(h.contentType, h.hasCT)
	if mt == "" {
		if h.hasCT {
			w.warn("mime: invalid Content-Type " + charset.Quote(h.contentType) + ", treated as text/plain")
		}
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		if depth >= w.lim.MaxDepth {
			w.depthExceeded()
			return
		}
		boundary := params["boundary"]
		if boundary == "" {
			w.warn("mime: multipart without boundary, treated as text/plain")
			w.safeLeaf(h, "text/plain", params, body, depth)
			return
		}
		parts, closed := splitMultipart(body, boundary)
		if len(parts) == 0 {
			w.warn("mime: no parts found for boundary " + charset.Quote(boundary))
			return
		}
		if !closed {
			w.warn("mime: missing closing boundary")
		}
		for _, part := range parts {
			if w.parts >= w.lim.MaxParts {
				w.parts++
				if !w.partsHit {
					w.partsHit = true
					w.warn(fmt.Sprintf("limit: more than %d MIME parts, rest skipped", w.lim.MaxParts))
				}
				return
			}
			ph, pbody := w.readHeader(part, 0, false)
			if !ph.hasCT && mt == "multipart/digest" {
				ph.hasCT = true
				ph.contentType = "message/rfc822"
			}
			w.entity(ph, pbody, depth+1)
		}
		return
	}
	w.safeLeaf(h, mt, params, body, depth)
}

// safeLeaf is leaf isolated per MIME part: a panic while decoding or
// describing one part (a bug, never the message's fault) becomes a
// warning naming the part, "parse: internal error in MIME part N
// (type/subtype): …", and the walk goes on with the next part, so that
// one part never hides the evidence of the others. What the part had
// added before the panic stays.
func (w *walker) safeLeaf(h mimeHeader, mt string, params map[string]string, body []byte, depth int) {
	n := w.parts
	defer func() {
		if r := recover(); r != nil {
			w.warn(fmt.Sprintf("parse: internal error in MIME part %d (%s): %v", n, charset.Quote(mt), r))
		}
	}()
	w.leaf(h, mt, params, body, depth)
}

func (w *walker) depthExceeded() {
	if !w.depthHit {
		w.depthHit = true
		w.warn(fmt.Sprintf("limit: MIME nesting deeper than %d, rest skipped", w.lim.MaxDepth))
	}
}

// leaf handles a non-multipart entity.
func (w *walker) leaf(h mimeHeader, mt string, params map[string]string, body []byte, depth int) {
	data, truncated := w.transferDecode(h.cte, body)
	disp, dparams := parseContentType(h.disposition, h.disposition != "")
	filename := paramName(dparams["filename"])
	if filename == "" {
		filename = paramName(params["name"])
	}
	isAttachment := disp == "attachment" || filename != ""
	cs := strings.ToLower(strings.Trim(params["charset"], " \t\"'"))

	switch {
	case (mt == "text/plain" || mt == "text/html") && !isAttachment:
		if truncated {
			w.warn("limit: part truncated")
		}
		part := Part{ContentType: mt, Charset: cs, Text: w.text(data, cs, truncated), Nested: w.nested > 0}
		if mt == "text/html" {
			w.p.HTMLParts = append(w.p.HTMLParts, part)
		} else {
			w.p.TextParts = append(w.p.TextParts, part)
		}
	case mt == "message/rfc822" || mt == "message/global":
		a := w.describe(filename, mt, data, w.lim.MaxBodyBytes, cs)
		w.addAttachment(a, truncated)
		if depth+1 > w.lim.MaxDepth {
			w.depthExceeded()
			break
		}
		// The encapsulated message is walked as part of this one; its
		// text becomes body text of the report (forwarded phish). data may
		// live in the scratch buffer: hand that buffer over to the nested
		// walk so that decoding its parts cannot overwrite it.
		w.buf = nil
		hdr, inner := w.readHeader(data, w.lim.MaxHeaderBytes, false)
		w.nested++
		w.entity(hdr, inner, depth+1)
		w.nested--
	default:
		a := w.describe(filename, mt, data, w.lim.MaxBodyBytes, cs)
		w.addAttachment(a, truncated)
		w.keepMedia(filename, h.contentID, data)
	}
}

func (w *walker) addAttachment(a report.Attachment, truncated bool) {
	if truncated {
		w.warn("limit: part truncated")
	}
	for _, f := range a.Flags {
		if f == "zip_entries_truncated" {
			w.warn("limit: archive listing truncated")
		}
	}
	w.p.Attachments = append(w.p.Attachments, a)
}

// paramName decodes RFC 2047 words in a file name parameter (RFC 2231
// values are already decoded by parseParams).
func paramName(s string) string {
	if s == "" {
		return ""
	}
	if needsDecode(s) {
		s, _ = decodeHeader(s)
	}
	return s
}

// text decodes body bytes in charset cs to UTF-8, bounded by MaxBodyBytes.
func (w *walker) text(data []byte, cs string, truncated bool) string {
	max := w.lim.MaxBodyBytes
	if len(data) > max {
		data = data[:max]
		truncated = true
		w.warn("limit: text truncated")
	}
	if truncated {
		data = trimPartialUTF8(data)
	}
	t, warn := charset.Decode(data, cs)
	if warn != "" {
		w.warn(warn)
	}
	return charset.TruncUTF8(t, max)
}

// trimPartialUTF8 drops an incomplete UTF-8 sequence left at the end of
// b by truncation, so that detection does not mistake cut UTF-8 for
// another charset.
func trimPartialUTF8(b []byte) []byte {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < 0x80 {
			return b
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return b[:len(b)-k]
			}
			return b
		}
	}
	return b
}

// transferDecode decodes a Content-Transfer-Encoding into pooled scratch
// (or returns body itself for identity encodings), bounded by MaxPartBytes.
func (w *walker) transferDecode(cte string, body []byte) ([]byte, bool) {
	max := w.lim.MaxPartBytes
	truncated := false
	enc := strings.ToLower(strings.TrimSpace(cte))
	if i := strings.IndexAny(enc, " \t;("); i >= 0 {
		enc = enc[:i]
	}
	var out []byte
	switch enc {
	case "base64":
		in := body
		if int64(len(in)) > max*2 {
			in = in[:max*2]
		}
		var bad bool
		out, bad = decodeBase64Body(w.scratch(), in)
		w.keep(out)
		if bad {
			w.warn("mime: invalid characters in base64 body skipped")
		}
	case "quoted-printable":
		in := body
		if int64(len(in)) > max*3 {
			in = in[:max*3]
		}
		out = decodeQPBody(w.scratch(), in)
		w.keep(out)
	case "", "7bit", "8bit", "binary":
		out = body
	default:
		w.warn("mime: unknown Content-Transfer-Encoding " + charset.Quote(cte) + ", body kept as is")
		out = body
	}
	if int64(len(out)) > max {
		out = out[:max]
		truncated = true
	}
	return out, truncated
}
