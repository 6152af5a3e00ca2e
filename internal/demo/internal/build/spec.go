package build

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// spec describes one demo message as data: who sent it to whom, how it
// travelled, what mx.example.com concluded, its header fields in order and
// its body parts. Strings may hold placeholders (see expand) for the values
// derived from the date and the seed, so that an entry reads like the
// message it becomes.
type spec struct {
	Entry
	n        int       // place in the mailbox (the numbers in DESIGN and the tests)
	seed     string    // derives IDs, tokens and fake signatures
	date     time.Time // the Date: field; DKIM t= and upstream hops count from it
	from     string    // the From address: {from}, and the envelope sender unless hop.rp is set
	hop      hop       // the client hop into mx.example.com; hop.rp may hold placeholders; hop.t is set from date+lag
	lag      time.Duration
	settle   time.Duration // arrival at mx.example.com to delivery; 0 means 2s
	link     string        // {link}, {link&} (HTML-escaped)
	boundary string        // {boundary}
	auth     []string      // Authentication-Results entries
	sigs     []sig         // DKIM-Signature fields, written where the header says {dkim}
	header   []string      // header fields after the trace fields
	body     []part        // one part: the body; more: a multipart body with boundary
}

// sig is one fake DKIM signature over the fields h, keyed by seed+suffix.
type sig struct{ d, s, h, suffix string }

// part is one body part: its header fields and its content, text to be
// expanded or data. The content is encoded as the header says: ISO-2022-JP
// or Shift_JIS charsets, then quoted-printable or base64 transfer encoding.
// A single-part message takes its encoding from the message header.
type part struct {
	header []string
	text   string
	data   []byte
}

// message turns the spec into a message delivered through s.hop.
func (s spec) message() message {
	h := s.hop
	if h.rp == "" {
		h.rp = s.from
	}
	h.rp = s.expand(h.rp)
	h.t = s.date.Add(s.lag)
	s.hop = h
	settle := s.settle
	if settle == 0 {
		settle = 2 * time.Second
	}
	header := make([]string, 0, len(s.header))
	for _, f := range s.header {
		if f == "{dkim}" {
			for _, g := range s.sigs {
				header = append(header, dkim(g.d, g.s, g.h, s.date, s.seed+g.suffix))
			}
			continue
		}
		header = append(header, s.expand(f))
	}
	auth := make([]string, len(s.auth))
	for i, a := range s.auth {
		auth[i] = s.expand(a)
	}
	return message{
		Entry:     s.Entry,
		envFrom:   h.rp,
		delivered: h.t.Add(settle),
		header:    append(h.inbound(s.seed, auth...), header...),
		body:      s.encodeBody(header),
	}
}

func (s spec) encodeBody(header []string) string {
	if len(s.body) == 1 {
		return s.encode(s.body[0], header)
	}
	parts := make([]string, len(s.body))
	for i, p := range s.body {
		parts[i] = mimePart(s.encode(p, p.header), p.header...)
	}
	return multipart(s.expand("{boundary}"), parts...)
}

// encode returns the content of p encoded as header declares.
func (s spec) encode(p part, header []string) string {
	if p.data != nil {
		return b64(p.data)
	}
	text := s.expand(p.text)
	switch field(header, "Content-Type:", "charset=") {
	case "iso-2022-jp":
		text = jis(text)
	case "shift_jis":
		text = sjis(text)
	}
	switch field(header, "Content-Transfer-Encoding:", "") {
	case "quoted-printable":
		return qp(text)
	case "base64":
		return b64([]byte(text))
	}
	return text
}

// field returns the lower-cased value of the header field named name, or
// of its parameter param, unquoted; "" when absent.
func field(header []string, name, param string) string {
	for _, f := range header {
		v, ok := strings.CutPrefix(f, name)
		if !ok {
			continue
		}
		if param != "" {
			_, v, ok = strings.Cut(v, param)
			if !ok {
				return ""
			}
			v, _, _ = strings.Cut(v, ";")
		}
		return strings.ToLower(strings.Trim(strings.TrimSpace(v), `"`))
	}
	return ""
}

// expand replaces the placeholders in str:
//
//	{date} {utc} {datez}   date(t), date(t.UTC()), dateZ(t); "+N" adds N seconds: {utc+1}
//	{unix}                 t as Unix seconds
//	{from} {rcpt} {rp}     the From address, recipient and envelope sender
//	{subject}              Entry.Subject; {subject:u8}, {subject:jis}, {subject:sjis} as encoded words
//	{u8:text} {jis:text} {sjis:text}   text as RFC 2047 encoded words
//	{hex:sfx:n} {HEX:sfx:n}   n hex digits from seed+sfx (upper case)
//	{b64:sfx:n}            n base64 characters from seed+sfx
//	{qid:sfx}              a Postfix queue ID from seed+sfx
//	{b:sfx}                the header.b= prefix of the signature keyed seed+sfx
//	{spf:result}           the SPF result for the hop
//	{link} {link&} {boundary}
//
// An unknown placeholder is a programming error and panics.
func (s spec) expand(str string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(str, '{')
		if i < 0 {
			b.WriteString(str)
			return b.String()
		}
		j := strings.IndexByte(str[i:], '}')
		if j < 0 {
			panic(fmt.Sprintf("demo build: unclosed placeholder in %q", str))
		}
		b.WriteString(str[:i])
		b.WriteString(s.value(str[i+1 : i+j]))
		str = str[i+j+1:]
	}
}

// value returns the value of one placeholder, without its braces.
func (s spec) value(ph string) string {
	name, arg, _ := strings.Cut(ph, ":")
	name, plus, _ := strings.Cut(name, "+")
	t := s.date
	if plus != "" {
		t = t.Add(time.Duration(atoi(plus)) * time.Second)
	}
	sfx, n, _ := strings.Cut(arg, ":")
	switch name {
	case "date":
		return date(t)
	case "utc":
		return date(t.UTC())
	case "datez":
		return dateZ(t)
	case "unix":
		return itoa(t.Unix())
	case "from":
		return s.from
	case "rcpt":
		return s.hop.rcpt
	case "rp":
		return s.hop.rp
	case "subject":
		if arg == "" {
			return s.Subject
		}
		return s.value(arg + ":" + s.Subject)
	case "u8":
		return u8(arg)
	case "jis":
		return ewJIS(arg)
	case "sjis":
		return ewSJIS(arg)
	case "hex":
		return hexid(s.seed+sfx, atoi(n))
	case "HEX":
		return strings.ToUpper(hexid(s.seed+sfx, atoi(n)))
	case "b64":
		return fakeB64(s.seed+sfx, atoi(n))
	case "qid":
		return qid(s.seed + sfx)
	case "b":
		return dkimB(s.seed + sfx)
	case "spf":
		return s.hop.spf(arg)
	case "link":
		return s.expand(s.link)
	case "link&":
		return strings.ReplaceAll(s.expand(s.link), "&", "&amp;")
	case "boundary":
		return s.expand(s.boundary)
	}
	panic(fmt.Sprintf("demo build: unknown placeholder {%s}", ph))
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1000 { // hexid has 128 digits; signatures and tokens need fewer than 100
		panic(fmt.Sprintf("demo build: bad number %q in a placeholder (want 0 to 1000)", s))
	}
	return n
}
