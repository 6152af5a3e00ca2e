package build

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A message file (messages/NN-name.msg) holds one spec and reads like the
// message it becomes:
//
//	# comment lines and blank lines are allowed in the front matter
//	n: 30                              the place in the mailbox; the file name starts with it (30-…)
//	seed: bec-30                       derives IDs, tokens and fake signatures
//	date: 2026-11-12 08:51:02 JST      Date: (zones JST CET EST EDT GMT UTC); lag: and settle: are Go durations
//	subject: / category: / signals:    the catalog Entry
//	from: / envelope-from: / rcpt: / helo: / rdns: / ip: / tls: yes   the hop into mx.example.com
//	link: / boundary:                  the values of {link} and {boundary}
//	auth: …                            one Authentication-Results entry per line, in order
//	dkim: d=…; s=…; h=…[; sfx=…]       one fake DKIM-Signature per line, written where the header says {dkim}
//	crlf: 2                            parts (1-based) whose text lines end in CRLF
//	---
//	the header fields in order, folded lines starting with a space or tab, then a blank line and the body:
//	its text, or parts each opened by a "--{boundary}" line, with part header fields, a blank line and
//	the text, and closed by "--{boundary}--". A part whose text is the one line {data:name} or
//	{data:name:arg} holds bytes made in Go (see payload). Text may hold the placeholders of spec.expand;
//	a character that is not graphic (controls, bidi and zero-width marks) is written {U+XXXX}.

// specError is a malformed message file: file name, line number and what is wrong.
type specError struct {
	file string
	line int
	msg  string
}

func (e *specError) Error() string { return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg) }

// specParser reads one message file.
type specParser struct {
	file  string
	lines []string // decoded lines without their LF
	i     int      // next line
	s     spec
	crlf  []int // part numbers from crlf:

	// Line numbers for the errors of finish and checkExpand.
	fieldLine []int          // header field i starts on fieldLine[i]
	textLine  []int          // part i's text starts on textLine[i]
	valueLine map[string]int // first line of each front matter key
	authLine  []int          // line of each auth: entry
}

// frontItem is one front matter entry, continuation lines joined with LF.
type frontItem struct {
	key, val string
	line     int
}

// parseSpec parses the message file named file with content src.
func parseSpec(file, src string) (spec, error) {
	p := &specParser{file: file, valueLine: map[string]int{}}
	if !strings.HasSuffix(src, "\n") {
		return spec{}, p.errorf(strings.Count(src, "\n")+1, "the file must end with a newline")
	}
	p.lines = strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	for i, l := range p.lines {
		d, err := decodeLine(l)
		if err != nil {
			return spec{}, p.errorf(i+1, "%v", err)
		}
		p.lines[i] = d
	}
	items, err := p.frontMatter()
	if err != nil {
		return spec{}, err
	}
	if err := p.apply(items); err != nil {
		return spec{}, err
	}
	if err := p.header(); err != nil {
		return spec{}, err
	}
	if err := p.body(); err != nil {
		return spec{}, err
	}
	if err := p.finish(); err != nil {
		return spec{}, err
	}
	return p.s, nil
}

func (p *specParser) errorf(line int, format string, args ...any) error {
	return &specError{file: p.file, line: line, msg: fmt.Sprintf(format, args...)}
}

// decodeLine checks that l is valid UTF-8 of graphic characters and tabs,
// and replaces each {U+XXXX} with its character.
func decodeLine(l string) (string, error) {
	for i, r := range l {
		if r == utf8.RuneError && !strings.HasPrefix(l[i:], "\uFFFD") {
			return "", fmt.Errorf("invalid UTF-8 at byte %d", i+1)
		}
		if r != '\t' && !unicode.IsGraphic(r) {
			return "", fmt.Errorf("raw character U+%04X: write it as {U+%04X}", r, r)
		}
	}
	if !strings.Contains(l, "{U+") {
		return l, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(l, "{U+")
		if i < 0 {
			b.WriteString(l)
			return b.String(), nil
		}
		j := strings.IndexByte(l[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("unclosed %q", l[i:])
		}
		hex := l[i+3 : i+j]
		n, err := strconv.ParseUint(hex, 16, 32)
		if err != nil || len(hex) < 2 || len(hex) > 6 || strings.ToUpper(hex) != hex || !utf8.ValidRune(rune(n)) {
			return "", fmt.Errorf("bad character escape %q: want {U+XXXX} with 2 to 6 upper-case hex digits", l[i:i+j+1])
		}
		if n == '\n' || n == '\r' {
			return "", fmt.Errorf("%s: a line break is a new line (and CRLF is crlf:)", l[i:i+j+1])
		}
		b.WriteString(l[:i])
		b.WriteRune(rune(n))
		l = l[i+j+1:]
	}
}

// frontMatter reads the key: value lines up to the "---" line.
func (p *specParser) frontMatter() ([]frontItem, error) {
	var items []frontItem
	for ; p.i < len(p.lines); p.i++ {
		l := p.lines[p.i]
		switch {
		case l == "---":
			p.i++
			return items, nil
		case l == "" || strings.HasPrefix(l, "#"):
			continue
		case l[0] == ' ' || l[0] == '\t':
			if len(items) == 0 {
				return nil, p.errorf(p.i+1, "continuation line with no key before it")
			}
			items[len(items)-1].val += "\n" + l
			continue
		}
		key, val, ok := strings.Cut(l, ": ")
		if !ok || key == "" || strings.ContainsAny(key, " \t") || val == "" {
			return nil, p.errorf(p.i+1, "want \"key: value\" (or \"---\" to end the front matter), got %q", l)
		}
		items = append(items, frontItem{key, val, p.i + 1})
	}
	return nil, p.errorf(len(p.lines), "no \"---\" line ending the front matter")
}

// required lists the front matter keys every file must have.
var required = []string{"n", "seed", "date", "lag", "subject", "category", "signals", "from", "rcpt", "helo", "ip"}

// categories are the labels a demo message may intend.
var categories = []string{"phish", "malware", "bec", "simulation", "benign", "borderline"}

// apply sets the spec's fields from the front matter.
func (p *specParser) apply(items []frontItem) error {
	for _, it := range items {
		_, dup := p.valueLine[it.key]
		if dup && it.key != "auth" && it.key != "dkim" {
			return p.errorf(it.line, "%s: given twice (first on line %d)", it.key, p.valueLine[it.key])
		}
		if !dup {
			p.valueLine[it.key] = it.line
		}
		if it.key == "auth" {
			p.authLine = append(p.authLine, it.line)
		}
		if err := p.set(it.key, it.val); err != nil {
			return p.errorf(it.line, "%s: %v", it.key, err)
		}
	}
	for _, k := range required {
		if _, ok := p.valueLine[k]; !ok {
			return p.errorf(p.i, "the front matter has no %s: line", k)
		}
	}
	return nil
}

// set sets the field for one front matter key.
func (p *specParser) set(key, val string) error {
	s := &p.s
	var err error
	switch key {
	case "n":
		s.n, err = strconv.Atoi(val)
		if err == nil && s.n < 1 {
			err = fmt.Errorf("want a positive number, got %d", s.n)
		}
	case "seed":
		s.seed = val
	case "date":
		s.date, err = parseDate(val)
	case "lag":
		s.lag, err = parseDuration(val)
	case "settle":
		s.settle, err = parseDuration(val)
	case "subject":
		s.Subject = val
	case "category":
		s.Category = val
		if !slices.Contains(categories, val) {
			err = fmt.Errorf("want one of %s, got %q", strings.Join(categories, " "), val)
		}
	case "signals":
		s.Signals = val
	case "from":
		s.from = val
	case "envelope-from":
		s.hop.rp = val
	case "rcpt":
		s.hop.rcpt = val
	case "helo":
		s.hop.helo = val
	case "rdns":
		s.hop.rdns = val
	case "ip":
		_, err = netip.ParseAddr(val)
		s.hop.ip = val
	case "tls":
		s.hop.tls, err = parseYes(val)
	case "link":
		s.link = val
	case "boundary":
		s.boundary = val
	case "auth":
		s.auth = append(s.auth, val)
	case "dkim":
		var g sig
		g, err = parseSig(val)
		s.sigs = append(s.sigs, g)
	case "crlf":
		p.crlf, err = parseInts(val)
	default:
		err = fmt.Errorf("unknown key")
	}
	return err
}

// zones are the time zones a date: line may name.
var zones = map[string]*time.Location{"JST": jst, "CET": cet, "EST": est, "EDT": edt, "GMT": gmt, "UTC": time.UTC}

// parseDate parses "2006-01-02 15:04:05 ZONE".
func parseDate(val string) (time.Time, error) {
	clock, zone, _ := strings.Cut(val, " ")
	clock2, zone, _ := strings.Cut(zone, " ")
	loc, ok := zones[zone]
	if !ok {
		return time.Time{}, fmt.Errorf("want \"YYYY-MM-DD hh:mm:ss ZONE\" with ZONE one of JST CET EST EDT GMT UTC, got %q", val)
	}
	return time.ParseInLocation("2006-01-02 15:04:05", clock+" "+clock2, loc)
}

func parseDuration(val string) (time.Duration, error) {
	d, err := time.ParseDuration(val)
	if err == nil && d < 0 {
		err = fmt.Errorf("negative duration %s", val)
	}
	return d, err
}

func parseYes(val string) (bool, error) {
	switch val {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	}
	return false, fmt.Errorf("want yes or no, got %q", val)
}

func parseInts(val string) ([]int, error) {
	var out []int
	for _, f := range strings.Fields(val) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("want part numbers from 1, got %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// parseSig parses "d=domain; s=selector; h=fields[; sfx=suffix]".
func parseSig(val string) (sig, error) {
	var g sig
	seen := map[string]bool{}
	for _, kv := range strings.Split(val, "; ") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || v == "" || seen[k] {
			return g, fmt.Errorf("want \"d=…; s=…; h=…\" and an optional \"; sfx=…\", got %q", val)
		}
		seen[k] = true
		switch k {
		case "d":
			g.d = v
		case "s":
			g.s = v
		case "h":
			g.h = v
		case "sfx":
			g.suffix = v
		default:
			return g, fmt.Errorf("unknown tag %q (want d, s, h, sfx)", k)
		}
	}
	if g.d == "" || g.s == "" || g.h == "" {
		return g, fmt.Errorf("d=, s= and h= are required, got %q", val)
	}
	return g, nil
}

// header reads the header fields up to the blank line.
func (p *specParser) header() error {
	s := &p.s
	for ; p.i < len(p.lines); p.i++ {
		l := p.lines[p.i]
		switch {
		case l == "":
			p.i++
			if len(s.header) == 0 {
				return p.errorf(p.i, "no header fields after \"---\"")
			}
			return nil
		case l[0] == ' ' || l[0] == '\t':
			if len(s.header) == 0 || s.header[len(s.header)-1] == "{dkim}" {
				return p.errorf(p.i+1, "folded line with no header field before it")
			}
			s.header[len(s.header)-1] += "\n" + l
			continue
		case l == "{dkim}":
			if slices.Contains(s.header, l) {
				return p.errorf(p.i+1, "{dkim} given twice")
			}
		default:
			name, _, ok := strings.Cut(l, ":")
			if !ok || !fieldName(name) {
				return p.errorf(p.i+1, "want a header field \"Name: value\", {dkim} or a blank line before the body, got %q", l)
			}
		}
		s.header = append(s.header, l)
		p.fieldLine = append(p.fieldLine, p.i+1)
	}
	return p.errorf(len(p.lines), "no blank line and body after the header")
}

// fieldName reports whether name is an RFC 5322 field name.
func fieldName(name string) bool {
	for i := 0; i < len(name); i++ {
		if name[i] <= ' ' || name[i] > '~' {
			return false
		}
	}
	return name != ""
}

// body reads the text, or the parts between "--{boundary}" lines.
func (p *specParser) body() error {
	const open, close = "--{boundary}", "--{boundary}--"
	if p.i >= len(p.lines) {
		return p.errorf(len(p.lines), "no body after the header")
	}
	if p.lines[p.i] != open {
		for j := p.i; j < len(p.lines); j++ {
			if p.lines[j] == open || p.lines[j] == close {
				return p.errorf(j+1, "%s inside a single-part body (a multipart body starts with it)", p.lines[j])
			}
		}
		p.textLine = append(p.textLine, p.i+1)
		p.s.body = []part{p.text(p.i, len(p.lines))}
		return nil
	}
	if p.s.boundary == "" {
		return p.errorf(p.i+1, "a multipart body needs a boundary: line in the front matter")
	}
	start := p.i + 1
	for j := start; j < len(p.lines); j++ {
		if l := p.lines[j]; l == open || l == close {
			if err := p.part(start, j); err != nil {
				return err
			}
			start = j + 1
			if l == close {
				if j != len(p.lines)-1 {
					return p.errorf(j+2, "text after the closing %s", close)
				}
				if len(p.s.body) < 2 {
					return p.errorf(j+1, "a multipart body needs two parts or more")
				}
				return nil
			}
		}
	}
	return p.errorf(len(p.lines), "no closing %s line", close)
}

// part reads the part on lines [start, end): header fields, a blank line
// and the text.
func (p *specParser) part(start, end int) error {
	var header []string
	for j := start; j < end; j++ {
		l := p.lines[j]
		switch {
		case l == "":
			if len(header) == 0 {
				return p.errorf(j+1, "a part needs header fields before its blank line")
			}
			if j+1 == end {
				return p.errorf(j+1, "a part needs text after its blank line")
			}
			pt := p.text(j+1, end)
			pt.header = header
			p.s.body = append(p.s.body, pt)
			p.textLine = append(p.textLine, j+2)
			return nil
		case l[0] == ' ' || l[0] == '\t':
			if len(header) == 0 {
				return p.errorf(j+1, "folded line with no part header field before it")
			}
			header[len(header)-1] += "\n" + l
		default:
			name, _, ok := strings.Cut(l, ":")
			if !ok || !fieldName(name) {
				return p.errorf(j+1, "want a part header field \"Name: value\", got %q", l)
			}
			header = append(header, l)
		}
	}
	return p.errorf(end, "a part needs header fields, a blank line and text")
}

// text returns lines [start, end) as a part: data when it is the one line
// {data:…}, else text, each line ending in LF.
func (p *specParser) text(start, end int) part {
	if end == start+1 && strings.HasPrefix(p.lines[start], "{data:") {
		return part{text: p.lines[start]} // made into data by finish
	}
	return part{text: strings.Join(p.lines[start:end], "\n") + "\n"}
}

// finish makes the {data:…} parts, applies crlf: and checks that the
// spec expands: signatures where {dkim} stands, known placeholders.
func (p *specParser) finish() error {
	s := &p.s
	for i := range s.body {
		pt := &s.body[i]
		ref, ok := strings.CutPrefix(strings.TrimSuffix(pt.text, "\n"), "{data:")
		if !ok {
			continue
		}
		ref, ok = strings.CutSuffix(ref, "}")
		if !ok {
			return p.errorf(p.textLine[i], "want {data:name} or {data:name:arg}, got %q", pt.text)
		}
		name, arg, _ := strings.Cut(ref, ":")
		data, err := payload(name, arg)
		if err != nil {
			return p.errorf(p.textLine[i], "%s: %v", pt.text, err)
		}
		pt.text, pt.data = "", data
	}
	for _, n := range p.crlf {
		if n > len(s.body) || s.body[n-1].data != nil {
			return p.errorf(p.valueLine["crlf"], "crlf: part %d is not a text part", n)
		}
		s.body[n-1].text = strings.ReplaceAll(s.body[n-1].text, "\n", "\r\n")
	}
	if i := slices.Index(s.header, "{dkim}"); i >= 0 && len(s.sigs) == 0 {
		return p.errorf(p.fieldLine[i], "{dkim} with no dkim: lines in the front matter")
	} else if i < 0 && len(s.sigs) > 0 {
		return p.errorf(p.valueLine["dkim"], "dkim: the header has no {dkim} line where the signatures go")
	}
	if s.boundary != "" && len(s.body) == 1 {
		return p.errorf(p.valueLine["boundary"], "boundary: given for a single-part body")
	}
	if !strings.HasPrefix(p.file, fmt.Sprintf("%02d-", s.n)) {
		return p.errorf(p.valueLine["n"], "n: %d does not match the file name (want %02d-…)", s.n, s.n)
	}
	return p.checkExpand()
}

// checkExpand expands every string of the spec once, so that an unknown
// placeholder is reported with its line rather than panicking in Build.
func (p *specParser) checkExpand() error {
	s := p.s
	for _, v := range []struct{ key, val string }{{"envelope-from", s.hop.rp}, {"link", s.link}, {"boundary", s.boundary}} {
		if strings.Contains(v.val, "{link") || strings.Contains(v.val, "{boundary") {
			return p.errorf(p.valueLine[v.key], "%s: may not refer to {link} or {boundary}", v.key)
		}
		if err := s.tryExpand(v.val); err != nil {
			return p.errorf(p.valueLine[v.key], "%s: %v", v.key, err)
		}
	}
	for i, a := range s.auth {
		if err := s.tryExpand(a); err != nil {
			return p.errorf(p.authLine[i], "auth: %v", err)
		}
	}
	for i, f := range s.header {
		if err := s.tryExpand(f); f != "{dkim}" && err != nil {
			return p.errorf(p.fieldLine[i], "%v", err)
		}
	}
	for i, pt := range s.body {
		for j, l := range strings.Split(pt.text, "\n") {
			if err := s.tryExpand(l); err != nil {
				return p.errorf(p.textLine[i]+j, "%v", err)
			}
		}
	}
	return nil
}

// tryExpand expands str, turning the expander's panic into an error.
func (s spec) tryExpand(str string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	s.expand(str)
	return nil
}
