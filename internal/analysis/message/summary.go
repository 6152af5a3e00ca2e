package message

import (
	"strings"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/analysis/date"
	"github.com/triage-tools/triage/internal/analysis/report"
)

func (w *walker) summarize() {
	s := &w.p.Summary
	var haveFrom, haveSubject, haveDate, haveMID, haveRP, haveSender bool
	var kb [16]byte
	for i := range w.p.Headers {
		f := &w.p.Headers[i]
		if len(f.Key) > len(kb) {
			continue
		}
		for j := 0; j < len(f.Key); j++ {
			c := f.Key[j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			kb[j] = c
		}
		switch string(kb[:len(f.Key)]) {
		case "from":
			if haveFrom {
				continue
			}
			haveFrom = true
			list := w.addresses(f.Value)
			for _, a := range list {
				if a.Address != "" {
					s.From = a
					break
				}
			}
			if s.From.Address == "" && len(list) > 0 {
				s.From = list[0]
			}
		case "to":
			s.To = append(s.To, w.addresses(f.Value)...)
		case "cc":
			s.Cc = append(s.Cc, w.addresses(f.Value)...)
		case "reply-to":
			s.ReplyTo = append(s.ReplyTo, w.addresses(f.Value)...)
		case "sender":
			if !haveSender {
				haveSender = true
				if l := w.addresses(f.Value); len(l) > 0 {
					a := l[0]
					s.Sender = &a
				}
			}
		case "return-path":
			if !haveRP {
				haveRP = true
				s.ReturnPath = bareAddress(f.Value)
			}
		case "subject":
			if !haveSubject {
				haveSubject = true
				s.Subject = f.Value
				if f.Decoded != "" {
					s.Subject = f.Decoded
				}
			}
		case "date":
			if !haveDate {
				haveDate = true
				t, ok := date.ParseHeader(f.Value)
				if !ok {
					w.warn("header: unparseable Date " + charset.Quote(f.Value))
				}
				s.Date = t
			}
		case "message-id":
			if !haveMID {
				haveMID = true
				s.MessageID = bareAddress(f.Value)
			}
		}
	}
}

// bareAddress strips angle brackets, comments and whitespace from a
// Return-Path or Message-ID value.
func bareAddress(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '<'); i >= 0 {
		rest := v[i+1:]
		if j := strings.IndexByte(rest, '>'); j >= 0 {
			return strings.TrimSpace(rest[:j])
		}
		return strings.TrimSpace(rest)
	}
	if i := strings.IndexAny(v, " \t("); i >= 0 {
		v = v[:i]
	}
	return v
}

func (w *walker) addresses(v string) []report.Address {
	list, warn := parseAddressList(v)
	if warn != "" {
		w.warn(warn)
	}
	return list
}

// parseAddressList parses an address-list header value leniently
// (RFC 5322 §3.4 plus common breakage): mailboxes are split on commas
// outside quotes, comments and angle brackets; groups contribute their
// members; "Name <addr>", bare "addr", "addr (Comment)" and unterminated
// quotes or brackets are accepted. Display names are RFC 2047 decoded (also
// inside quoted strings). A mailbox without "@" and without angle
// brackets is returned as a name with no address.
func parseAddressList(v string) ([]report.Address, string) {
	var out []report.Address
	var warn string
	var (
		name    strings.Builder
		comment strings.Builder
		addr    string
		hasAddr bool
		bare    strings.Builder // text outside quotes/comments/brackets
	)
	name.Grow(len(v)) // one allocation each instead of repeated growth
	bare.Grow(len(v))
	finish := func() {
		n := strings.TrimSpace(collapseWS(name.String()))
		a := strings.TrimSpace(addr)
		if !hasAddr {
			// No angle brackets: find the word with '@'.
			words := strings.Fields(bare.String())
			at := -1
			for i, wd := range words {
				if strings.Contains(wd, "@") {
					at = i
					break
				}
			}
			if at >= 0 {
				a = words[at]
				rest := append(append([]string{}, words[:at]...), words[at+1:]...)
				n = strings.Join(rest, " ")
				if len(rest) > 0 && strings.Contains(name.String(), "\"") {
					n = strings.TrimSpace(collapseWS(strings.Replace(name.String(), a, "", 1)))
				}
			}
		}
		if n == "" && comment.Len() > 0 {
			n = strings.TrimSpace(collapseWS(comment.String()))
		}
		if strings.ContainsAny(a, "( \t") {
			a = stripComments(a)
		}
		if i := strings.LastIndexByte(a, ':'); i >= 0 && strings.HasPrefix(a, "@") {
			a = a[i+1:] // obsolete route
		}
		a = strings.Trim(a, " \t\"'<>")
		if needsDecode(n) {
			d, w2 := decodeHeader(n)
			n = d
			if w2 != "" && warn == "" {
				warn = w2 + " in address"
			}
		}
		if !charset.IsASCII(a) && !utf8.ValidString(a) {
			d, _ := charset.Detect([]byte(a))
			a = d
		}
		if n != "" || a != "" {
			out = append(out, report.Address{Name: n, Address: a})
		}
		name.Reset()
		comment.Reset()
		bare.Reset()
		addr, hasAddr = "", false
	}
	for i := 0; i < len(v) && len(out) < 1000; i++ {
		c := v[i]
		switch c {
		case '"':
			j := i + 1
			for j < len(v) && v[j] != '"' {
				if v[j] == '\\' && j+1 < len(v) {
					j++
					name.WriteByte(v[j])
					bare.WriteByte(v[j])
				} else {
					name.WriteByte(v[j])
					bare.WriteByte(v[j])
				}
				j++
			}
			i = j
			name.WriteByte('"') // marker: name had quotes (removed later)
		case '(':
			depth := 1
			j := i + 1
			start := j
			for j < len(v) && depth > 0 {
				switch v[j] {
				case '\\':
					j++
				case '(':
					depth++
				case ')':
					depth--
				}
				j++
			}
			end := j
			if depth == 0 {
				end = j - 1
			}
			if end > len(v) {
				end = len(v)
			}
			if comment.Len() > 0 {
				comment.WriteByte(' ')
			}
			comment.WriteString(v[start:end])
			i = j - 1
		case '<':
			j := strings.IndexByte(v[i+1:], '>')
			if j < 0 {
				addr = v[i+1:]
				i = len(v)
			} else {
				addr = v[i+1 : i+1+j]
				i += j + 1
			}
			hasAddr = true
		case ',':
			finish()
		case ';':
			finish()
		case ':':
			if !hasAddr && strings.IndexByte(bare.String(), '@') < 0 && bare.Len() < 256 {
				// group display name: drop it
				name.Reset()
				bare.Reset()
				comment.Reset()
				continue
			}
			name.WriteByte(c)
			bare.WriteByte(c)
		default:
			name.WriteByte(c)
			bare.WriteByte(c)
		}
	}
	finish()
	for i := range out {
		out[i].Name = strings.ReplaceAll(out[i].Name, "\"", "")
		out[i].Name = strings.TrimSpace(out[i].Name)
	}
	return out, warn
}

// stripComments removes (nested) comments and whitespace from an addr-spec.
func stripComments(s string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0, c == ' ', c == '\t':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func collapseWS(s string) string {
	if !strings.ContainsAny(s, "\t\r\n") && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
