package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/encoding/htmlindex"
)

// A template is one demo message taken apart once, at start-up, into the
// pieces that vary (slots) and the bytes that do not, so that rendering a
// variant is mostly concatenation.
type template struct {
	envFrom   string    // address on the mbox "From " line
	delivered time.Time // time on the mbox "From " line
	header    []seg     // top-level header block, each field ending in "\n"
	body      *node
	ctFields  string   // the top-level Content-Type and Content-Transfer-Encoding fields
	numbers   []string // the subject's numbers, in the order of their slots
	tokens    []string // hex tracking tokens of the text parts, likewise
}

// node is one MIME entity of a template body.
type node struct {
	header string // the part's header block with its blank line ("" at the top)
	// leaf
	raw     string // encoded body, kept as is (attachments, calendars)
	text    []seg  // decoded text with slots, for inline text/plain and text/html
	html    bool
	charset string // lower-case declared charset of a text leaf
	cte     string // lower-case transfer encoding of a text leaf
	jp      bool   // the text is Japanese (filler paragraphs follow it)
	// multipart
	boundary string
	preamble string
	parts    []*node
}

// segKind says what a segment of a template holds.
type segKind uint8

const (
	segLit    segKind = iota // literal bytes
	segRcpt                  // the recipient's address
	segRcptQ                 // the recipient's address, URL query-escaped
	segDate                  // an RFC 5322 date, shifted
	segUnix                  // a Unix time (DKIM/ARC t=), shifted
	segMsgID                 // the left-hand side of the Message-ID
	segNumber                // a number of the subject (index into numbers)
	segToken                 // a hex tracking token (index into tokens)
	segFiller                // where filler paragraphs go
	segCT                    // the top-level Content-Type and Content-Transfer-Encoding fields
)

// seg is one piece of a template: literal text or a slot.
type seg struct {
	kind segKind
	lit  string    // segLit; the original text for the others
	t    time.Time // segDate, segUnix
	idx  int       // segNumber, segToken
}

var (
	dateRE  = regexp.MustCompile(`(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d [+-]\d{4}`)
	unixRE  = regexp.MustCompile(`\bt=\d{10}\b`)
	msgIDRE = regexp.MustCompile(`(?im)^Message-ID: <([^@>]+)@`)
	digitRE = regexp.MustCompile(`\d+`)
	hexRE   = regexp.MustCompile(`\b[0-9a-f]{8,}\b|[0-9a-f]{12,}`)
)

const rfc5322 = "Mon, 02 Jan 2006 15:04:05 -0700"

// parseTemplate takes one raw demo message apart. rcpt is the address the
// message was delivered to (its Delivered-To).
func parseTemplate(envFrom string, delivered time.Time, raw []byte) (*template, error) {
	s := string(raw)
	hdr, body, ok := strings.Cut(s, "\n\n")
	if !ok {
		return nil, fmt.Errorf("no header/body separator")
	}
	hdr += "\n"
	fields := headerFields(hdr)
	rcpt := strings.TrimSpace(fieldValue(fields, "Delivered-To"))
	if rcpt == "" {
		return nil, fmt.Errorf("no Delivered-To")
	}
	tp := &template{envFrom: envFrom, delivered: delivered}
	tp.numbers = subjectNumbers(fieldValue(fields, "Subject"))
	// The content fields become one slot, so that a variant can wrap the
	// body in multipart/mixed to add an attachment.
	var rest strings.Builder
	for _, f := range fields {
		k, _, _ := strings.Cut(f, ":")
		switch {
		case strings.EqualFold(k, "Content-Type"):
			tp.ctFields = f + tp.ctFields
			rest.WriteString(ctMarker)
		case strings.EqualFold(k, "Content-Transfer-Encoding"):
			tp.ctFields += f
		default:
			rest.WriteString(f)
		}
	}
	if tp.ctFields == "" {
		return nil, fmt.Errorf("no Content-Type")
	}
	tp.header = headerSegs(rest.String(), rcpt, tp.numbers)
	var err error
	tp.body, err = parseNode("", fieldValue(fields, "Content-Type"), fieldValue(fields, "Content-Transfer-Encoding"), "", body, rcpt, tp)
	if err != nil {
		return nil, err
	}
	return tp, nil
}

// headerFields splits a header block into fields (folded lines kept).
func headerFields(hdr string) []string {
	var out []string
	for line := range strings.Lines(hdr) {
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1] += line
			continue
		}
		out = append(out, line)
	}
	return out
}

// fieldValue returns the unfolded value of the first field called name.
func fieldValue(fields []string, name string) string {
	for _, f := range fields {
		k, v, ok := strings.Cut(f, ":")
		if ok && strings.EqualFold(k, name) {
			v = strings.NewReplacer("\n\t", " ", "\n ", " ", "\n", "").Replace(v)
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// subjectNumbers lists the distinct numbers of three or more digits in a
// plain (not encoded-word) subject, years excepted.
func subjectNumbers(subject string) []string {
	if strings.Contains(subject, "=?") {
		return nil
	}
	var out []string
	for _, n := range digitRE.FindAllString(subject, -1) {
		if len(n) < 3 || (len(n) == 4 && strings.HasPrefix(n, "20")) || slices.Contains(out, n) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// span is a slot found in a string, before it becomes a segment.
type span struct {
	start, end int
	s          seg
}

// cut turns s and the slots found in it into segments; where slots
// overlap, the one found first wins.
func cut(s string, spans []span) []seg {
	slices.SortStableFunc(spans, func(a, b span) int { return a.start - b.start })
	var out []seg
	pos := 0
	for _, sp := range spans {
		if sp.start < pos {
			continue
		}
		if sp.start > pos {
			out = append(out, seg{kind: segLit, lit: s[pos:sp.start]})
		}
		out = append(out, sp.s)
		pos = sp.end
	}
	if pos < len(s) {
		out = append(out, seg{kind: segLit, lit: s[pos:]})
	}
	return out
}

// findAll adds a span for every occurrence of lit in s.
func findAll(spans []span, s, lit string, mk func() seg) []span {
	for i := 0; lit != ""; {
		j := strings.Index(s[i:], lit)
		if j < 0 {
			break
		}
		spans = append(spans, span{i + j, i + j + len(lit), mk()})
		i += j + len(lit)
	}
	return spans
}

// numberSpans adds a span for every whole number of s that is one of the
// subject's numbers.
func numberSpans(spans []span, s string, numbers []string) []span {
	if len(numbers) == 0 {
		return spans
	}
	for _, m := range digitRE.FindAllStringIndex(s, -1) {
		if i := slices.Index(numbers, s[m[0]:m[1]]); i >= 0 {
			spans = append(spans, span{m[0], m[1], seg{kind: segNumber, lit: s[m[0]:m[1]], idx: i}})
		}
	}
	return spans
}

// ctMarker stands for the content fields in a header while it is cut.
const ctMarker = "\x00"

func headerSegs(hdr, rcpt string, numbers []string) []seg {
	var spans []span
	spans = findAll(spans, hdr, ctMarker, func() seg { return seg{kind: segCT} })
	spans = findAll(spans, hdr, rcpt, func() seg { return seg{kind: segRcpt, lit: rcpt} })
	if m := msgIDRE.FindStringSubmatchIndex(hdr); m != nil {
		spans = append(spans, span{m[2], m[3], seg{kind: segMsgID, lit: hdr[m[2]:m[3]]}})
	}
	for _, m := range dateRE.FindAllStringIndex(hdr, -1) {
		t, err := time.Parse(rfc5322, hdr[m[0]:m[1]])
		if err == nil {
			spans = append(spans, span{m[0], m[1], seg{kind: segDate, lit: hdr[m[0]:m[1]], t: t}})
		}
	}
	for _, m := range unixRE.FindAllStringIndex(hdr, -1) {
		var sec int64
		fmt.Sscan(hdr[m[0]+2:m[1]], &sec)
		spans = append(spans, span{m[0] + 2, m[1], seg{kind: segUnix, lit: hdr[m[0]+2 : m[1]], t: time.Unix(sec, 0)}})
	}
	if sm := regexp.MustCompile(`(?m)^Subject: [^\n]*`).FindStringIndex(hdr); sm != nil {
		sub := numberSpans(nil, hdr[sm[0]:sm[1]], numbers)
		for i := range sub {
			sub[i].start += sm[0]
			sub[i].end += sm[0]
		}
		spans = append(spans, sub...)
	}
	return cut(hdr, spans)
}

// parseNode parses one entity. header is the part's own header block ("" at
// the top level, where ctype and cte come from the message header).
func parseNode(header, ctype, cte, disp, body, rcpt string, tp *template) (*node, error) {
	n := &node{header: header, raw: body}
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		mt, params = "text/plain", map[string]string{"charset": "us-ascii"}
	}
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		return parseMultipart(n, params["boundary"], body, rcpt, tp)
	case (mt == "text/plain" || mt == "text/html") && !strings.HasPrefix(strings.ToLower(disp), "attachment"):
		n.html = mt == "text/html"
		n.charset = strings.ToLower(params["charset"])
		n.cte = strings.ToLower(cte)
		text, err := decodeText(body, n.charset, n.cte)
		if err != nil {
			return nil, err
		}
		n.jp = isJapanese(text)
		n.text = textSegs(text, n.html, rcpt, tp)
		n.raw = ""
	}
	return n, nil
}

func parseMultipart(n *node, boundary, body, rcpt string, tp *template) (*node, error) {
	if boundary == "" {
		return nil, fmt.Errorf("multipart without boundary")
	}
	n.boundary = boundary
	delim := "\n--" + boundary
	pre, rest, ok := strings.Cut("\n"+body, delim+"\n")
	if !ok {
		return nil, fmt.Errorf("boundary %q not found", boundary)
	}
	n.preamble = strings.TrimPrefix(pre, "\n")
	for {
		p, after, ok := strings.Cut(rest, delim)
		if !ok {
			return nil, fmt.Errorf("unterminated multipart %q", boundary)
		}
		ph, pb, _ := strings.Cut(p, "\n\n")
		fields := headerFields(ph + "\n")
		child, err := parseNode(ph+"\n\n", fieldValue(fields, "Content-Type"), fieldValue(fields, "Content-Transfer-Encoding"),
			fieldValue(fields, "Content-Disposition"), pb, rcpt, tp)
		if err != nil {
			return nil, err
		}
		n.parts = append(n.parts, child)
		if strings.HasPrefix(after, "--") {
			return n, nil
		}
		rest = strings.TrimPrefix(after, "\n")
	}
}

// textSegs finds the slots of a decoded text part and where filler goes:
// before </body> in HTML, before the last paragraph (the signature) in
// plain text.
func textSegs(text string, html bool, rcpt string, tp *template) []seg {
	var spans []span
	spans = findAll(spans, text, rcpt, func() seg { return seg{kind: segRcpt, lit: rcpt} })
	q := strings.Replace(rcpt, "@", "%40", 1)
	spans = findAll(spans, text, q, func() seg { return seg{kind: segRcptQ, lit: q} })
	spans = numberSpans(spans, text, tp.numbers)
	for _, m := range hexRE.FindAllStringIndex(text, -1) {
		tok := text[m[0]:m[1]]
		if strings.ContainsAny(tok, "0123456789") && strings.ContainsAny(tok, "abcdef") {
			i := slices.Index(tp.tokens, tok)
			if i < 0 {
				i = len(tp.tokens)
				tp.tokens = append(tp.tokens, tok)
			}
			spans = append(spans, span{m[0], m[1], seg{kind: segToken, lit: tok, idx: i}})
		}
	}
	at := len(text)
	if html {
		if i := strings.LastIndex(strings.ToLower(text), "</body>"); i >= 0 {
			at = i
		}
	} else if i := strings.LastIndex(strings.TrimRight(text, "\n"), "\n\n"); i >= 0 {
		at = i + 1
	}
	// The filler slot must not fall inside another slot.
	for _, sp := range spans {
		if sp.start < at && at < sp.end {
			at = sp.end
		}
	}
	spans = append(spans, span{at, at, seg{kind: segFiller}})
	return cut(text, spans)
}

// isJapanese reports whether s holds kana or kanji.
func isJapanese(s string) bool {
	for _, r := range s {
		if (r >= 0x3040 && r <= 0x30ff) || (r >= 0x4e00 && r <= 0x9fff) {
			return true
		}
	}
	return false
}

// decodeText undoes the transfer encoding and the charset of a text part.
func decodeText(body, charset, cte string) (string, error) {
	var b []byte
	switch cte {
	case "base64":
		var err error
		b, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(body, "\n", ""))
		if err != nil {
			return "", fmt.Errorf("base64: %w", err)
		}
	case "quoted-printable":
		var err error
		b, err = io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
		if err != nil {
			return "", fmt.Errorf("quoted-printable: %w", err)
		}
	default:
		b = []byte(body)
	}
	if isUTF8(charset) {
		return string(b), nil
	}
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return "", fmt.Errorf("charset %q: %w", charset, err)
	}
	out, err := enc.NewDecoder().Bytes(b)
	return string(out), err
}

// encodeText applies the charset and the transfer encoding of a text part,
// using scratch for intermediate bytes.
func encodeText(dst, scratch *bytes.Buffer, text []byte, charset, cte string) error {
	b := text
	if !isUTF8(charset) {
		enc, err := htmlindex.Get(charset)
		if err != nil {
			return err
		}
		if b, err = enc.NewEncoder().Bytes(b); err != nil {
			return fmt.Errorf("charset %s: %w", charset, err)
		}
	}
	switch cte {
	case "base64":
		writeBase64(dst, b)
		return nil
	case "quoted-printable":
		scratch.Reset()
		w := quotedprintable.NewWriter(scratch)
		if _, err := w.Write(b); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		b = scratch.Bytes()
		for len(b) > 0 { // CRLF → LF
			i := bytes.Index(b, []byte("\r\n"))
			if i < 0 {
				dst.Write(b)
				break
			}
			dst.Write(b[:i])
			dst.WriteByte('\n')
			b = b[i+2:]
		}
	default:
		dst.Write(b)
	}
	if !bytes.HasSuffix(dst.Bytes(), []byte("\n")) {
		dst.WriteByte('\n')
	}
	return nil
}

// isUTF8 reports whether a declared charset needs no conversion for the
// text this generator writes (UTF-8, or ASCII-compatible and unset).
func isUTF8(charset string) bool {
	return charset == "" || charset == "utf-8" || charset == "utf8"
}

// writeBase64 writes b base64-encoded in 76-column lines ending in LF.
func writeBase64(dst *bytes.Buffer, b []byte) {
	const lineBytes = 57 // 76 characters
	var line [76]byte
	for len(b) > 0 {
		n := min(len(b), lineBytes)
		base64.StdEncoding.Encode(line[:], b[:n])
		dst.Write(line[:base64.StdEncoding.EncodedLen(n)])
		dst.WriteByte('\n')
		b = b[n:]
	}
}
