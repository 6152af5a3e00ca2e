// Package pdf reads the links of a PDF attachment: the targets of its link
// annotations (/URI actions) and the text of its first content streams, in
// which package urls then finds URLs.
//
// # Why a reader of our own
//
// The one Go PDF library served to this project (pdfcpu) is marked as not
// an approved release, and a full reader is far more than needed: links
// are in annotation dictionaries, either in the file as written or inside
// compressed object streams (/Type /ObjStm), and page text is in
// FlateDecode content streams. This package is a bounded lexical scanner
// for exactly that:
//
//   - it finds "N G obj … endobj" objects and "stream … endstream" bodies
//     by scanning, never by trusting the cross-reference table or a
//     declared /Length beyond the end of the file (a declared 1 GB stream
//     is read up to "endstream" or the end of the data);
//   - it inflates /FlateDecode streams (other filters are skipped) with a
//     cap per stream and per file on the decompressed bytes;
//   - it reads /URI string values (literal and hex strings, PDF escapes);
//   - it collects the literal strings shown by text operators (Tj, TJ, ',
//     ") of the first content streams. Text drawn through custom font
//     encodings (glyph IDs) is not decoded: such text stays invisible here.
//   - it counts /Type /Page objects to tell a one-page PDF.
//
// Encrypted PDFs (an /Encrypt dictionary) are reported with a warning:
// their strings and streams cannot be read without the key.
//
// Work is bounded by Limits (bytes in, bytes inflated, objects, streams);
// with no wall-clock deadline, the same file gives the same result on any
// machine, and the time is bounded through the byte caps (see the tests and
// BenchmarkExtract). Problems become warnings prefixed "pdf: ". Extract is
// pure, never panics and is safe for concurrent use.
package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits bound the work on one PDF.
type Limits struct {
	MaxBytes        int // bytes of the file read
	MaxObjects      int // "obj" headers looked at (including in object streams)
	MaxStreams      int // streams inflated
	MaxStreamBytes  int // decompressed bytes of one stream
	MaxInflateBytes int // decompressed bytes per file, all streams together
	MaxLinks        int // /URI targets kept
	MaxTextBytes    int // bytes of page text kept
}

// DefaultLimits read the links of any real PDF attachment and keep a
// hostile one to well under a second.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:        10 << 20,
		MaxObjects:      20000,
		MaxStreams:      200,
		MaxStreamBytes:  4 << 20,
		MaxInflateBytes: 16 << 20,
		MaxLinks:        100,
		MaxTextBytes:    64 << 10,
	}
}

// textStreams is how many content streams (in file order) give page text:
// "the first pages".
const textStreams = 4

// Doc is what Extract read from one PDF.
type Doc struct {
	Links     []string // /URI targets in file order, de-duplicated
	Text      string   // text shown by the first content streams, one string per line
	Pages     int      // /Type /Page objects seen
	Encrypted bool
}

// LinkOnly reports a PDF that is only a link: one page, almost no text
// (under 80 bytes of shown text) and exactly one external (http, https)
// link. Phishing PDFs of this shape carry a "view document" button.
func (d *Doc) LinkOnly() bool {
	if d.Pages != 1 || len(strings.TrimSpace(d.Text)) >= 80 || d.Encrypted {
		return false
	}
	n := 0
	for _, l := range d.Links {
		ll := strings.ToLower(strings.TrimSpace(l))
		if strings.HasPrefix(ll, "http://") || strings.HasPrefix(ll, "https://") {
			n++
		}
	}
	return n == 1
}

// Extract reads the links and first-page text of the PDF in data, within
// lim. Warnings name the file as name.
func Extract(name string, data []byte, lim Limits) (doc Doc, warnings []string) {
	lim = sanitize(lim)
	r := &reader{lim: lim, name: quote(name), doc: &doc}
	defer func() {
		if e := recover(); e != nil { // a bug here, never the file's fault
			r.warn("internal error: %v", e)
		}
		warnings = r.warnings
	}()
	if len(data) > lim.MaxBytes {
		r.warn("%d bytes, only the first %d MiB read", len(data), lim.MaxBytes>>20)
		data = data[:lim.MaxBytes]
	}
	if bytes.Contains(data, []byte("/Encrypt")) {
		doc.Encrypted = true
		r.warn("encrypted, its links and text cannot be read")
	}
	r.scan(data)
	return doc, r.warnings
}

func sanitize(l Limits) Limits {
	d := DefaultLimits()
	for _, p := range []struct {
		v *int
		d int
	}{
		{&l.MaxBytes, d.MaxBytes}, {&l.MaxObjects, d.MaxObjects}, {&l.MaxStreams, d.MaxStreams},
		{&l.MaxStreamBytes, d.MaxStreamBytes}, {&l.MaxInflateBytes, d.MaxInflateBytes},
		{&l.MaxLinks, d.MaxLinks}, {&l.MaxTextBytes, d.MaxTextBytes},
	} {
		if *p.v <= 0 {
			*p.v = p.d
		}
	}
	return l
}

type reader struct {
	lim      Limits
	name     string
	doc      *Doc
	objects  int
	streams  int
	inflated int
	texts    int  // content streams read for text
	inObjStm bool // scanning the body of an object stream
	text     []byte
	warnings []string
	warned   map[string]bool
}

func (r *reader) warn(format string, args ...any) {
	s := fmt.Sprintf("pdf: %s: ", r.name) + fmt.Sprintf(format, args...)
	if r.warned[s] || len(r.warnings) >= 10 {
		return
	}
	if r.warned == nil {
		r.warned = map[string]bool{}
	}
	r.warned[s] = true
	r.warnings = append(r.warnings, s)
}

// scan walks data (the file, or the decompressed body of an object
// stream): the dictionaries outside streams give /URI
// targets and /Type /Page counts; streams are inflated and either scanned
// again (object streams) or read for text (content streams).
func (r *reader) scan(data []byte) {
	pos := 0
	for pos < len(data) {
		i := bytes.Index(data[pos:], []byte("stream"))
		if i < 0 {
			r.dicts(data[pos:])
			return
		}
		i += pos
		// "endstream" also contains "stream"; and the keyword must stand alone.
		if i >= 3 && string(data[i-3:i]) == "end" || !streamKeyword(data, i) {
			r.dicts(data[pos : i+6])
			pos = i + 6
			continue
		}
		dict := data[pos:i]
		if k := bytes.LastIndex(dict, []byte("obj")); k >= 0 {
			dict = dict[k:]
		}
		r.dicts(data[pos:i])
		start := i + len("stream")
		if start < len(data) && data[start] == '\r' {
			start++
		}
		if start < len(data) && data[start] == '\n' {
			start++
		}
		end := r.streamEnd(data, start, dict)
		r.stream(dict, data[start:end])
		pos = end
		if e := bytes.Index(data[end:], []byte("endstream")); e >= 0 && e < 64 {
			pos = end + e + len("endstream")
		}
	}
}

// streamKeyword reports whether data[i:] starts the keyword "stream"
// followed by an end of line (not "streams" in text).
func streamKeyword(data []byte, i int) bool {
	j := i + len("stream")
	return j < len(data) && (data[j] == '\r' || data[j] == '\n')
}

// streamEnd returns where the stream starting at start ends: after the
// declared /Length when it is a direct number that stays inside the data
// and is followed by "endstream", else at the next "endstream", else at
// the end of the data.
func (r *reader) streamEnd(data []byte, start int, dict []byte) int {
	if n, ok := directInt(dict, "/Length"); ok {
		if n > len(data)-start {
			r.warn("stream declares %d bytes, more than the file holds; read up to endstream", n)
		} else if n >= 0 {
			rest := data[start+n:]
			if e := bytes.Index(rest[:min(len(rest), 64)], []byte("endstream")); e >= 0 {
				return start + n
			}
		}
	}
	if e := bytes.Index(data[start:], []byte("endstream")); e >= 0 {
		end := start + e
		for end > start && (data[end-1] == '\n' || data[end-1] == '\r') {
			end--
		}
		return end
	}
	return len(data)
}

// directInt returns the integer after key in dict when it is a direct
// value (not "N G R").
func directInt(dict []byte, key string) (int, bool) {
	i := bytes.Index(dict, []byte(key))
	if i < 0 {
		return 0, false
	}
	s := bytes.TrimLeft(dict[i+len(key):], " \t\r\n")
	j := 0
	for j < len(s) && j < 12 && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == 0 {
		return 0, false
	}
	rest := bytes.TrimLeft(s[j:], " \t\r\n")
	if len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9' { // "N G R": indirect
		return 0, false
	}
	n, err := strconv.Atoi(string(s[:j]))
	return n, err == nil
}

// stream handles one stream body: inflated when FlateDecode, then scanned
// as an object stream or read as a content stream.
func (r *reader) stream(dict, body []byte) {
	flate := bytes.Contains(dict, []byte("/FlateDecode")) || bytes.Contains(dict, []byte("/Fl ")) || bytes.Contains(dict, []byte("/Fl/"))
	other := bytes.Contains(dict, []byte("/Filter")) && !flate
	objStm := bytes.Contains(dict, []byte("/ObjStm"))
	// A page content stream has neither /Type nor /Subtype; images, fonts,
	// metadata and cross-reference streams are not read.
	for _, skip := range []string{"/Type", "/Subtype", "/Length1", "/N "} {
		if bytes.Contains(dict, []byte(skip)) && !objStm {
			return
		}
	}
	if other || r.doc.Encrypted {
		return
	}
	if !objStm && r.texts >= textStreams {
		return
	}
	if flate {
		if r.streams >= r.lim.MaxStreams {
			r.warn("more than %d streams, the rest not read", r.lim.MaxStreams)
			return
		}
		r.streams++
		body = r.inflate(body)
		if body == nil {
			return
		}
	}
	if objStm {
		// Object streams hold no streams (PDF 32000-1, 7.5.7): one level
		// only, so that a hostile nesting cannot recurse.
		if !r.inObjStm {
			r.inObjStm = true
			r.scan(body)
			r.inObjStm = false
		}
		return
	}
	r.texts++
	r.showText(body)
}

// inflate decompresses a zlib stream within the caps; a corrupt stream
// gives what was read before the error.
func (r *reader) inflate(body []byte) []byte {
	room := min(r.lim.MaxStreamBytes, r.lim.MaxInflateBytes-r.inflated)
	if room <= 0 {
		r.warn("more than %d MiB decompressed, the rest not read", r.lim.MaxInflateBytes>>20)
		return nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, int64(room)+1))
	if len(out) > room {
		out = out[:room]
		r.warn("a stream decompresses to more than %d MiB, truncated", room>>20)
	}
	_ = err // a truncated or corrupt stream: keep what inflated
	r.inflated += len(out)
	return out
}
