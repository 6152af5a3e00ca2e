package urls

import "strings"

// The ends of raw-text elements (script, style, textarea, title …) as the HTML tokenizer finds them.

// htmlRawEnd returns the position of the "</name" (followed by white
// space, '/' or '>') that ends raw text starting at p, or len(h).
func htmlRawEnd(h string, p int, name string) int {
	for {
		k := strings.Index(h[p:], "</")
		if k < 0 {
			return len(h)
		}
		q, ok := htmlRawEndTag(h, p+k+2, name)
		if ok {
			return p + k
		}
		if q >= len(h) {
			return len(h)
		}
		p = q
	}
}

// htmlRawEndTag matches the name (ASCII case-insensitively) and one of
// white space, '/' or '>' at p, just after a "</". It returns the position
// of the '<' and true, or the position of the first byte that does not
// match (len(h) at the end) and false.
func htmlRawEndTag(h string, p int, name string) (int, bool) {
	for i := 0; i < len(name); i++ {
		if p+i >= len(h) {
			return len(h), false
		}
		if c := h[p+i]; c != name[i] && c != name[i]-('a'-'A') {
			return p + i, false
		}
	}
	q := p + len(name)
	if q >= len(h) {
		return len(h), false
	}
	switch h[q] {
	case ' ', '\n', '\r', '\t', '\f', '/', '>':
		return p - 2, true
	}
	return q, false
}

// scriptState names where htmlScriptEnd resumes: the tokenizer's script
// data states, grouped so that each group is one function.
type scriptState int

const (
	scriptDone            scriptState = iota // p is the result
	scriptData                               // script data
	scriptEscaped                            // script data escaped
	scriptEscapedDashDash                    // script data escaped dash dash
	scriptDoubleEscaped                      // script data double escaped
)

// htmlScriptEnd returns where the text of a script element starting at p
// ends, following the tokenizer's rules for escaped ("<!--") and double
// escaped ("<!--<script>") script text: at the "</script" that closes it,
// or len(h).
func htmlScriptEnd(h string, p int) int {
	st := scriptData
	for {
		switch st {
		case scriptData:
			p, st = htmlScriptData(h, p)
		case scriptEscaped, scriptEscapedDashDash:
			p, st = htmlScriptEscaped(h, p, st == scriptEscapedDashDash, false)
		case scriptDoubleEscaped:
			p, st = htmlScriptEscaped(h, p, false, true)
		default:
			return p
		}
	}
}

// htmlScriptData runs the script data states (plain text, "<", "</",
// "<!", "<!-") from p. It returns the end (scriptDone) or the position
// and state where escaped script text starts.
func htmlScriptData(h string, p int) (int, scriptState) {
	n := len(h)
	var (
		c  byte
		q  int
		ok bool
	)
scriptData:
	if k := strings.IndexByte(h[p:], '<'); k >= 0 {
		p += k + 1
	} else {
		return n, scriptDone
	}
	// Script data less-than sign.
	if p >= n {
		return n, scriptDone
	}
	c = h[p]
	p++
	switch c {
	case '/':
		goto scriptDataEndTagOpen
	case '!':
		goto scriptDataEscapeStart
	}
	p--
	goto scriptData

scriptDataEndTagOpen:
	if q, ok = htmlRawEndTag(h, p, "script"); ok || q >= n {
		return q, scriptDone
	}
	p = q
	goto scriptData

scriptDataEscapeStart:
	if p >= n {
		return n, scriptDone
	}
	if h[p] == '-' {
		p++
		goto scriptDataEscapeStartDash
	}
	goto scriptData

scriptDataEscapeStartDash:
	if p >= n {
		return n, scriptDone
	}
	if h[p] == '-' {
		p++
		return p, scriptEscapedDashDash
	}
	goto scriptData
}

// htmlScriptEscaped runs the escaped script data states from p (the
// double escaped ones with double), entering at "dash dash" when dashDash
// is set. Both sets have the same shape; they differ after "<". It returns
// the end (scriptDone) or the position and state to continue in: script
// data after "-->" (or, escaped, a "<" not followed by a letter), double
// escaped after "<script" (escaped), escaped after "</script" (double
// escaped).
func htmlScriptEscaped(h string, p int, dashDash, double bool) (int, scriptState) {
	n := len(h)
	var (
		c  byte
		q  int
		ok bool
	)
	if dashDash {
		goto scriptDataEscapedDash
	}
scriptDataEscaped:
	if k := strings.IndexAny(h[p:], "-<"); k >= 0 {
		p += k
	} else {
		return n, scriptDone
	}
	c = h[p]
	p++
	if c == '-' {
		dashDash = false
		goto scriptDataEscapedDash
	}
	goto scriptDataEscapedLessThanSign

scriptDataEscapedDash:
	// The "dash" and "dash dash" states: only the second ends at '>'.
	if p >= n {
		return n, scriptDone
	}
	c = h[p]
	p++
	switch {
	case c == '-':
		dashDash = true
		goto scriptDataEscapedDash
	case c == '<':
		goto scriptDataEscapedLessThanSign
	case c == '>' && dashDash:
		return p, scriptData
	}
	goto scriptDataEscaped

scriptDataEscapedLessThanSign:
	if p >= n {
		return n, scriptDone
	}
	if double {
		// Script data double escaped less-than sign.
		if h[p] == '/' {
			p++
			goto scriptDataEscapedEndTagOpen
		}
		goto scriptDataEscaped
	}
	c = h[p]
	p++
	if c == '/' {
		goto scriptDataEscapedEndTagOpen
	}
	if htmlLetter(c) {
		p--
		goto scriptDataDoubleEscapeStart
	}
	p--
	return p, scriptData

scriptDataEscapedEndTagOpen:
	// Escaped: the end tag ends the script. Double escaped: "script
	// data double escape end", back to escaped after the delimiter.
	q, ok = htmlRawEndTag(h, p, "script")
	switch {
	case ok && double:
		return q + len("</script>"), scriptEscaped
	case ok:
		return q, scriptDone
	case q >= n:
		return n, scriptDone
	}
	p = q
	goto scriptDataEscaped

scriptDataDoubleEscapeStart:
	for i := 0; i < len("script"); i++ {
		if p >= n {
			return n, scriptDone
		}
		c = h[p]
		p++
		if c != "script"[i] && c != "SCRIPT"[i] {
			p--
			goto scriptDataEscaped
		}
	}
	if p >= n {
		return n, scriptDone
	}
	c = h[p]
	p++
	switch c {
	case ' ', '\n', '\r', '\t', '\f', '/', '>':
		return p, scriptDoubleEscaped
	}
	p--
	goto scriptDataEscaped
}
