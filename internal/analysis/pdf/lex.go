package pdf

import (
	"bytes"
	"strconv"
)

// dicts reads the part of the file between streams: it counts objects and
// pages and collects /URI targets.
func (r *reader) dicts(b []byte) {
	if r.objects <= r.lim.MaxObjects {
		r.objects += bytes.Count(b, []byte(" obj"))
		if r.objects > r.lim.MaxObjects {
			r.warn("more than %d objects, the rest not read", r.lim.MaxObjects)
			return
		}
	} else {
		return
	}
	r.doc.Pages += countPages(b)
	for s := b; ; {
		i := bytes.Index(s, []byte("/URI"))
		if i < 0 {
			return
		}
		s = s[i+len("/URI"):]
		v := bytes.TrimLeft(s, " \t\r\n")
		if len(v) == 0 || (v[0] != '(' && v[0] != '<') || bytes.HasPrefix(v, []byte("<<")) {
			continue // "/URI" as an action type name ("/S /URI"), not a value
		}
		str, n := readString(v, 4096)
		s = v[n:]
		if len(str) == 0 {
			continue
		}
		r.addLink(string(str))
	}
}

func (r *reader) addLink(l string) {
	for _, x := range r.doc.Links {
		if x == l {
			return
		}
	}
	if len(r.doc.Links) >= r.lim.MaxLinks {
		r.warn("more than %d links, the rest not read", r.lim.MaxLinks)
		return
	}
	r.doc.Links = append(r.doc.Links, l)
}

// countPages counts "/Type /Page" not followed by "s" (the /Pages tree).
func countPages(b []byte) int {
	n := 0
	for s := b; ; {
		i := bytes.Index(s, []byte("/Type"))
		if i < 0 {
			return n
		}
		s = s[i+len("/Type"):]
		v := bytes.TrimLeft(s, " \t\r\n")
		if bytes.HasPrefix(v, []byte("/Page")) && (len(v) == len("/Page") || !isRegular(v[len("/Page")])) {
			n++
		}
	}
}

// isRegular reports a byte that continues a PDF name or number.
func isRegular(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return false
	}
	return true
}

// readString reads the PDF string (literal "(…)" or hex "<…>") at the
// start of b, at most max bytes of it, and returns it with the number of
// input bytes consumed.
func readString(b []byte, max int) ([]byte, int) {
	if len(b) == 0 {
		return nil, 0
	}
	if b[0] == '<' {
		return readHex(b, max)
	}
	var out []byte
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '(':
			depth++
			if depth == 1 {
				continue
			}
		case c == ')':
			depth--
			if depth == 0 {
				return out, i + 1
			}
		case c == '\\' && i+1 < len(b):
			i++
			c = b[i]
			switch c {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r', '\n':
				if c == '\r' && i+1 < len(b) && b[i+1] == '\n' {
					i++
				}
				continue // line continuation
			default:
				if c >= '0' && c <= '7' {
					v, k := 0, 0
					for k < 3 && i+k < len(b) && b[i+k] >= '0' && b[i+k] <= '7' {
						v = v*8 + int(b[i+k]-'0')
						k++
					}
					i += k - 1
					c = byte(v)
				}
			}
		}
		if len(out) < max {
			out = append(out, c)
		}
	}
	return out, len(b)
}

func readHex(b []byte, max int) ([]byte, int) {
	var out []byte
	hi, half := byte(0), false
	for i := 1; i < len(b); i++ {
		c := b[i]
		if c == '>' {
			if half && len(out) < max {
				out = append(out, hi<<4)
			}
			return out, i + 1
		}
		v, ok := unhex(c)
		if !ok {
			continue // white space, or junk a lenient reader skips
		}
		if half {
			if len(out) < max {
				out = append(out, hi<<4|v)
			}
			half = false
		} else {
			hi, half = v, true
		}
	}
	return out, len(b)
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// showText appends the strings of a content stream's text operators to
// the page text: every literal or hex string inside BT … ET, each text
// object on its own line. Strings are taken as bytes (PDFDocEncoding and
// simple font encodings of ASCII text read right; glyph IDs do not).
func (r *reader) showText(cs []byte) {
	in := false
	for i := 0; i < len(cs) && len(r.text) < r.lim.MaxTextBytes; i++ {
		c := cs[i]
		switch {
		case c == '%': // comment to end of line
			for i < len(cs) && cs[i] != '\n' && cs[i] != '\r' {
				i++
			}
		case !in && c == 'B' && i+1 < len(cs) && cs[i+1] == 'T' && boundary(cs, i, 2):
			in = true
			i++
		case in && c == 'E' && i+1 < len(cs) && cs[i+1] == 'T' && boundary(cs, i, 2):
			in = false
			r.text = append(r.text, '\n')
			i++
		case in && (c == '(' || (c == '<' && (i+1 >= len(cs) || cs[i+1] != '<'))):
			s, n := readString(cs[i:], r.lim.MaxTextBytes-len(r.text))
			r.text = append(r.text, s...)
			i += n - 1
		case in && c == 'T' && i+1 < len(cs) && (cs[i+1] == '*' || cs[i+1] == 'd' || cs[i+1] == 'D') && boundary(cs, i, 2):
			r.text = append(r.text, ' ') // a move to a new line of text
		}
	}
	r.doc.Text = string(r.text)
}

// boundary reports whether the n-byte operator at cs[i] stands alone.
func boundary(cs []byte, i, n int) bool {
	return (i == 0 || !isRegular(cs[i-1])) && (i+n >= len(cs) || !isRegular(cs[i+n]))
}

// quote makes a file name safe to embed in a warning (the UI sanitises
// again at render time): control characters escaped, length capped.
func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}
