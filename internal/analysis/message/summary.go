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
	var p addrListParser
	p.name.Grow(len(v)) // one allocation each instead of repeated growth
	p.bare.Grow(len(v))
	for i := 0; i < len(v) && len(p.out) < 1000; i++ {
		c := v[i]
		switch c {
		case '"':
			i = p.readQuoted(v, i)
		case '(':
			i = p.readComment(v, i)
		case '<':
			j := strings.IndexByte(v[i+1:], '>')
			if j < 0 {
				p.addr = v[i+1:]
				i = len(v)
			} else {
				p.addr = v[i+1 : i+1+j]
				i += j + 1
			}
			p.hasAddr = true
		case ',':
			p.finish()
		case ';':
			p.finish()
		case ':':
			if !p.hasAddr && strings.IndexByte(p.bare.String(), '@') < 0 && p.bare.Len() < 256 {
				// group display name: drop it
				p.name.Reset()
				p.bare.Reset()
				p.comment.Reset()
				continue
			}
			p.name.WriteByte(c)
			p.bare.WriteByte(c)
		default:
			p.name.WriteByte(c)
			p.bare.WriteByte(c)
		}
	}
	p.finish()
	out := p.out
	for i := range out {
		out[i].Name = strings.ReplaceAll(out[i].Name, "\"", "")
		out[i].Name = strings.TrimSpace(out[i].Name)
	}
	return out, p.warn
}

// addrListParser is the state of parseAddressList: the mailbox being read
// and the mailboxes and first warning so far.
type addrListParser struct {
	out     []report.Address
	warn    string
	name    strings.Builder
	comment strings.Builder
	addr    string
	hasAddr bool
	bare    strings.Builder // text outside quotes/comments/brackets
}

// readQuoted reads the quoted string whose opening quote is at v[i] into the
// name (unescaped, with a trailing '"' as a marker that the name had
// quotes) and returns the position of its closing quote (len(v) if none).
func (p *addrListParser) readQuoted(v string, i int) int {
	j := i + 1
	for j < len(v) && v[j] != '"' {
		if v[j] == '\\' && j+1 < len(v) {
			j++
			p.name.WriteByte(v[j])
			p.bare.WriteByte(v[j])
		} else {
			p.name.WriteByte(v[j])
			p.bare.WriteByte(v[j])
		}
		j++
	}
	p.name.WriteByte('"') // marker: name had quotes (removed later)
	return j
}

// readComment reads the (nested) comment whose '(' is at v[i] into the
// comment and returns the position of its last byte.
func (p *addrListParser) readComment(v string, i int) int {
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
	if p.comment.Len() > 0 {
		p.comment.WriteByte(' ')
	}
	p.comment.WriteString(v[start:end])
	return j - 1
}

// finish ends the current mailbox: it picks the address (the bracketed
// one, else the word with '@'), the name (else the comment), decodes
// both, appends the mailbox unless it is empty and resets the state.
func (p *addrListParser) finish() {
	n := strings.TrimSpace(collapseWS(p.name.String()))
	a := strings.TrimSpace(p.addr)
	if !p.hasAddr {
		// No angle brackets: find the word with '@'.
		words := strings.Fields(p.bare.String())
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
			if len(rest) > 0 && strings.Contains(p.name.String(), "\"") {
				n = strings.TrimSpace(collapseWS(strings.Replace(p.name.String(), a, "", 1)))
			}
		}
	}
	if n == "" && p.comment.Len() > 0 {
		n = strings.TrimSpace(collapseWS(p.comment.String()))
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
		if w2 != "" && p.warn == "" {
			p.warn = w2 + " in address"
		}
	}
	if !charset.IsASCII(a) && !utf8.ValidString(a) {
		d, _ := charset.Detect([]byte(a))
		a = d
	}
	if n != "" || a != "" {
		p.out = append(p.out, report.Address{Name: n, Address: a})
	}
	p.name.Reset()
	p.comment.Reset()
	p.bare.Reset()
	p.addr, p.hasAddr = "", false
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
