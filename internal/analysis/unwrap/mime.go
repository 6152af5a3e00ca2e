package unwrap

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// maxHeaderScan bounds the header block read from a wrapper or a part.
const maxHeaderScan = 256 << 10

// mimeHead is what unwrap needs of an entity's header.
type mimeHead struct {
	ctype, cte, disp string
}

// splitEntity splits an entity into its header fields of interest and its
// body. A header without a blank line after it has an empty body.
func splitEntity(b []byte) (mimeHead, []byte) {
	var h mimeHead
	end, bodyAt := headerEnd(b)
	hdr := b[:end]
	var key string
	var val []byte
	flush := func() {
		switch key {
		case "content-type":
			h.ctype = string(val)
		case "content-transfer-encoding":
			h.cte = string(val)
		case "content-disposition":
			h.disp = string(val)
		}
		key, val = "", nil
	}
	for len(hdr) > 0 {
		var line []byte
		line, hdr = nextLine(hdr)
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if key != "" {
				val = append(append(val, ' '), bytes.TrimSpace(line)...)
			}
			continue
		}
		flush()
		if c := bytes.IndexByte(line, ':'); c > 0 {
			k := strings.ToLower(string(bytes.TrimSpace(line[:c])))
			switch k {
			case "content-type", "content-transfer-encoding", "content-disposition":
				key, val = k, append([]byte(nil), bytes.TrimSpace(line[c+1:])...)
			}
		}
	}
	flush()
	return h, b[bodyAt:]
}

// nextLine splits the first line off b, without its CR LF or LF, and
// returns it and the rest (nil after the last line).
func nextLine(b []byte) (line, rest []byte) {
	line = b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line, rest = b[:i], b[i+1:]
	}
	return bytes.TrimRight(line, "\r"), rest
}

// headerEnd finds the end of the header block (within maxHeaderScan) and
// where the body starts.
func headerEnd(b []byte) (end, body int) {
	lim := b
	if len(lim) > maxHeaderScan {
		lim = lim[:maxHeaderScan]
	}
	if bytes.HasPrefix(lim, []byte("\r\n")) {
		return 0, 2
	}
	if bytes.HasPrefix(lim, []byte("\n")) {
		return 0, 1
	}
	i := bytes.Index(lim, []byte("\n\n"))
	j := bytes.Index(lim, []byte("\n\r\n"))
	switch {
	case i < 0 && j < 0:
		return len(lim), len(lim)
	case j >= 0 && (i < 0 || j < i):
		return j + 1, j + 3
	}
	return i + 1, i + 2
}

// knownHeaders are the fields whose presence makes bytes look like a
// message.
var knownHeaders = map[string]bool{
	"from": true, "to": true, "date": true, "subject": true, "message-id": true,
	"received": true, "return-path": true, "mime-version": true, "reply-to": true,
	"delivered-to": true, "authentication-results": true, "dkim-signature": true,
	"x-mailer": true, "content-type": true, "cc": true, "sender": true,
}

// looksLikeMessage reports whether b starts with an RFC 5322 header block
// holding at least two well-known fields, From or Received among them, and
// no line that is not a header field.
func looksLikeMessage(b []byte) bool {
	end, _ := headerEnd(b)
	hdr := b[:end]
	known, anchor, lines := 0, false, 0
	for len(hdr) > 0 && lines < 4000 {
		lines++
		var line []byte
		line, hdr = nextLine(hdr)
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if lines == 1 {
				return false
			}
			continue
		}
		c := bytes.IndexByte(line, ':')
		if c <= 0 || c > 76 || bytes.ContainsAny(line[:c], " \t") {
			return false
		}
		k := strings.ToLower(string(line[:c]))
		if knownHeaders[k] {
			known++
			anchor = anchor || k == "from" || k == "received"
		}
	}
	return known >= 2 && anchor
}

// peelMIME removes a wrapper that carries the original as a MIME part: a
// message/rfc822 part, an .eml or .msg file, or an ARF report.
func peelMIME(raw []byte, p *message.Parsed) (layer, bool) {
	h, body := splitEntity(raw)
	mt, params := message.ContentType(h.ctype)
	if !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return layer{}, false
	}
	arf := mt == "multipart/report" && strings.EqualFold(strings.TrimSpace(params["report-type"]), "feedback-report")
	if mt == "multipart/report" && !arf {
		return layer{}, false // a bounce or receipt returns a message, nobody reported it
	}
	parts, _ := message.SplitMultipart(body, params["boundary"])
	var found layer
	var failed []string
	n := 0
	for i, part := range parts {
		l, ok := partOriginal(part, arf)
		if !ok {
			failed = append(failed, l.warnings...)
			continue
		}
		n++
		if n == 1 {
			l.part = i + 1
			found = l
		}
	}
	if n == 0 {
		return layer{warnings: failed}, false
	}
	found.warnings = append(found.warnings, failed...)
	if n > 1 {
		found.warnings = append(found.warnings, fmt.Sprintf("unwrap: the wrapper holds %d attached messages; triaged the first (part %d)", n, found.part))
	}
	found.note = wrapperText(p)
	return found, true
}

// partOriginal returns the original carried by one top-level part.
func partOriginal(part []byte, arf bool) (layer, bool) {
	h, body := splitEntity(part)
	mt, params := message.ContentType(h.ctype)
	_, dparams := message.ContentType(h.disp)
	name := strings.ToLower(message.FileName(dparams, params))
	switch {
	case mt == "message/rfc822" || mt == "message/global":
		inner, trunc := message.DecodeTransfer(h.cte, body, MaxOriginal)
		if trunc || len(bytes.TrimSpace(inner)) == 0 {
			return layer{}, false
		}
		kind := report.WrapAttached
		if arf {
			kind = report.WrapARF
		}
		return layer{kind: kind, inner: inner}, true
	case arf && mt == "text/rfc822-headers":
		inner, trunc := message.DecodeTransfer(h.cte, body, MaxOriginal)
		if trunc || !looksLikeMessage(inner) {
			return layer{}, false
		}
		inner = headersOnly(inner)
		return layer{kind: report.WrapARFHeaders, inner: inner, incomplete: true,
			warnings: []string{"unwrap: the feedback report holds only the original's headers; its body, URLs and attachments are missing"}}, true
	}
	isMsg := strings.HasSuffix(name, ".msg") || mt == "application/vnd.ms-outlook" || mt == "application/x-ole-storage"
	isEml := strings.HasSuffix(name, ".eml") || mt == "application/eml"
	if !isMsg && !isEml && mt != "application/octet-stream" {
		return layer{}, false
	}
	if !isMsg && !isEml && !sniffMessage(h.cte, body) {
		return layer{}, false // an octet-stream that is not a message: decode no further
	}
	data, trunc := message.DecodeTransfer(h.cte, body, MaxOriginal)
	if trunc {
		return layer{}, false
	}
	if isCFB(data) || isMsg {
		return msgOriginal(data)
	}
	if looksLikeMessage(data) {
		return layer{kind: report.WrapEML, inner: data}, true
	}
	return layer{}, false
}

// headersOnly returns a header block ending in one blank line, so that it
// parses as a message without a body.
func headersOnly(b []byte) []byte {
	end, _ := headerEnd(b)
	out := make([]byte, 0, end+2)
	out = append(out, b[:end]...)
	if !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, "\r\n"...)
	}
	return append(out, "\r\n"...)
}

// wrapperText is the wrapper's own text (its parts outside any attached
// message): the reporter's note.
func wrapperText(p *message.Parsed) string {
	var b strings.Builder
	for _, pt := range p.TextParts {
		if pt.Nested {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(pt.Text)
		if b.Len() > MaxNote {
			return b.String()
		}
	}
	if b.Len() == 0 {
		for _, pt := range p.HTMLParts {
			if !pt.Nested {
				return htmlText(pt.Text, MaxNote*4)
			}
		}
	}
	return b.String()
}

// sniffBytes is how much of an unnamed octet-stream part is decoded to
// tell whether it is a message.
const sniffBytes = 16 << 10

// sniffMessage reports whether an octet-stream part starts like a message
// (a header block, or the CFB magic of an Outlook .msg), decoding only its
// first sniffBytes.
func sniffMessage(cte string, body []byte) bool {
	if len(body) > sniffBytes*4/3+64 {
		body = body[:sniffBytes*4/3+64]
	}
	head, _ := message.DecodeTransfer(cte, body, sniffBytes)
	if isCFB(head) {
		return true
	}
	if len(head) == sniffBytes {
		if i := bytes.LastIndexByte(head, '\n'); i > 0 {
			head = head[:i+1] // a header line cut in the middle is no evidence
		}
	}
	return looksLikeMessage(head)
}
