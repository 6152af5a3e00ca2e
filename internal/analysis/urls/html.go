package urls

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Bounds of HTML rendering.
const (
	htmlMaxLinks = 1000 // links numbered by HTMLToText
	htmlMaxAlt   = 200  // runes kept of an image's alt text
)

func htmlAttachFlag(attach bool, flag string) string {
	if attach {
		return flag
	}
	return ""
}

// htmlRef returns the absolute URL an attribute value refers to, or ""
// when it is empty, a fragment, not http/https/ftp (mailto:, tel:,
// javascript:, data:, cid:…), or relative without a usable base.
func htmlRef(v string, base *url.URL) string {
	v = strings.TrimSpace(v)
	if v == "" || v[0] == '#' {
		return ""
	}
	if strings.HasPrefix(v, "//") || strings.HasPrefix(v, `\\`) {
		return v
	}
	if c := strings.IndexAny(v, ":/?#"); c > 0 && v[c] == ':' {
		sc := v[:c]
		if strings.EqualFold(sc, urlSchemeHTTP) || strings.EqualFold(sc, urlSchemeHTTPS) ||
			strings.EqualFold(sc, urlSchemeFTP) {
			return v
		}
		return ""
	}
	if base == nil || len(v) > urlMaxLen {
		return ""
	}
	r, err := url.Parse(v)
	if err != nil {
		return ""
	}
	return base.ResolveReference(r).String()
}

// htmlRefreshURL returns the URL of a meta refresh content value such as
// `0; url=http://x/`, `5;URL='http://x/'` or `0,http://x/`.
func htmlRefreshURL(c string) string {
	i := strings.IndexAny(c, ";,")
	if i < 0 {
		return ""
	}
	s := strings.TrimSpace(c[i+1:])
	if len(s) >= 3 && strings.EqualFold(s[:3], "url") {
		t := strings.TrimSpace(s[3:])
		if strings.HasPrefix(t, "=") {
			s = strings.TrimSpace(t[1:])
		}
	}
	if len(s) > 0 && (s[0] == '\'' || s[0] == '"') {
		q := s[0]
		s = s[1:]
		if j := strings.IndexByte(s, q); j >= 0 {
			s = s[:j]
		}
	}
	return s
}

// htmlAppendCollapsed appends t to b with runs of white space collapsed
// to one space, keeping b at most max bytes.
func htmlAppendCollapsed(b []byte, t string, max int) []byte {
	space := len(b) > 0 && b[len(b)-1] == ' '
	for i := 0; i < len(t) && len(b) < max; {
		c := t[i]
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
				if !space {
					b = append(b, ' ')
					space = true
				}
			} else {
				b = append(b, c)
				space = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(t[i:])
		if unicode.IsSpace(r) {
			if !space {
				b = append(b, ' ')
				space = true
			}
		} else {
			b = append(b, t[i:i+n]...)
			space = false
		}
		i += n
	}
	return b
}

// htmlAnchorText finishes collected anchor text: trimmed, valid UTF-8, at
// most urlMaxAnchor runes.
func htmlAnchorText(b []byte) string {
	s := strings.TrimSpace(string(b))
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return CapRunes(s, urlMaxAnchor)
}

func CapRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return strings.TrimSpace(s[:k])
		}
		i++
	}
	return s
}

// HTMLToText renders HTML as plain text for the Body pane without fetching
// anything: block elements become line breaks (paragraphs and headings a
// blank line), list items start with "• ", table cells are separated by
// spaces, links are shown as "text [n]" where n is the 1-based index of the
// link's href in links (identical hrefs share a number), images as
// "[image: alt]" (1×1 tracking pixels are left out), and script, style,
// head title, noscript and template content is dropped. Entities are
// decoded and white space is collapsed except inside <pre>. The result is
// untrusted text: callers must still sanitise it before display. It never
// panics and its output is bounded by a small multiple of len(h).
func HTMLToText(h string) (text string, links []string) {
	z := html.NewTokenizer(strings.NewReader(h))
	r := htmlTextRun{w: htmlTextWriter{max: 2*len(h) + 1024}, linkNum: map[string]int{}}
	r.w.b.Grow(len(h) / 2)
	for r.w.b.Len() < r.w.max {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.TextToken:
			if r.skipText || r.template > 0 {
				r.skipText = false
				continue
			}
			r.w.text(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			r.skipText = false
			r.startTag(z, tt == html.StartTagToken)
		case html.EndTagToken:
			r.skipText = false
			name, _ := z.TagName()
			r.endTag(string(name))
		}
	}
	r.closeAnchor()
	return r.w.b.String(), r.links
}

// htmlTextRun is the state of one HTMLToText conversion.
type htmlTextRun struct {
	w         htmlTextWriter
	links     []string
	linkNum   map[string]int
	anchorRef int // link number of the open <a>, 0 if none
	skipText  bool
	template  int
}

// closeAnchor writes the link number of the open <a>, if any, and closes it.
func (r *htmlTextRun) closeAnchor() {
	if r.anchorRef > 0 {
		r.w.marker("["+strconv.Itoa(r.anchorRef)+"]", false)
		r.anchorRef = 0
	}
}

// startTag renders the start (or self-closing, when start is false) tag
// the tokenizer is on.
func (r *htmlTextRun) startTag(z *html.Tokenizer, start bool) {
	w := &r.w
	name, hasAttr := z.TagName()
	tag := string(name)
	var href, alt, width, height string
	if hasAttr && (tag == "a" || tag == "img") {
		for more := true; more; {
			var k, v []byte
			k, v, more = z.TagAttr()
			switch string(k) {
			case "href":
				href = string(v)
			case "alt":
				alt = string(v)
			case "width":
				width = string(v)
			case "height":
				height = string(v)
			}
		}
	}
	switch tag {
	case "script", "style", "title", "xmp", "noembed", "noframes", "noscript":
		r.skipText = start
	case "template":
		if start {
			r.template++
		}
	case "br":
		w.br()
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "dl":
		w.block(2)
	case "li":
		w.block(1)
		w.inline("• ")
	case "hr":
		w.block(1)
		w.inline("----------")
		w.block(1)
	case "td", "th":
		w.space = true
	case "pre":
		w.block(1)
		if start {
			w.pre++
		}
	case "img":
		if (width == "0" || width == "1") && (height == "0" || height == "1") {
			return
		}
		alt = CapRunes(strings.Join(strings.Fields(alt), " "), htmlMaxAlt)
		if alt == "" {
			w.marker("[image]", true)
		} else {
			w.marker("[image: "+alt+"]", true)
		}
	case "a":
		r.anchor(href, start)
	default:
		if htmlBlockTag(tag) {
			w.block(1)
		}
	}
}

// anchor opens (start) or writes the number of (self-closing) a link to
// href, numbering each distinct reference once; fragments and javascript:
// references get no number.
func (r *htmlTextRun) anchor(href string, start bool) {
	r.closeAnchor()
	ref := strings.TrimSpace(href)
	if ref == "" || ref[0] == '#' || len(ref) >= 11 && strings.EqualFold(ref[:11], "javascript:") {
		return
	}
	n, ok := r.linkNum[ref]
	if !ok && len(r.links) < htmlMaxLinks {
		r.links = append(r.links, ref)
		n = len(r.links)
		r.linkNum[ref] = n
	}
	if start {
		r.anchorRef = n
	} else if n > 0 {
		r.w.marker("["+strconv.Itoa(n)+"]", false)
	}
}

// endTag renders the end tag named tag.
func (r *htmlTextRun) endTag(tag string) {
	w := &r.w
	switch tag {
	case "a":
		r.closeAnchor()
	case "template":
		if r.template > 0 {
			r.template--
		}
	case "pre":
		if w.pre > 0 {
			w.pre--
		}
		w.block(1)
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "dl":
		w.block(2)
	default:
		if htmlBlockTag(tag) {
			w.block(1)
		}
	}
}

// htmlBlockTag reports elements rendered as their own line(s).
func htmlBlockTag(tag string) bool {
	switch tag {
	case "div", "tr", "li", "dt", "dd", "form", "section", "article", "header", "footer",
		"nav", "main", "aside", "address", "center", "fieldset", "figure", "figcaption",
		"details", "summary", "caption", "thead", "tbody", "tfoot", "body", "html", "frameset",
		"legend", "option", "select", "textarea", "iframe", "hgroup", "menu":
		return true
	}
	return false
}

// htmlTextWriter accumulates rendered text, collapsing white space and
// line breaks lazily so that no line ends with spaces and no more than one
// blank line separates blocks.
type htmlTextWriter struct {
	b     strings.Builder
	max   int
	nl    int  // pending line breaks (at most 2)
	space bool // pending space
	pre   int  // depth of <pre>
	bare  bool // drop the pending space (just after an inline prefix)
}

func (w *htmlTextWriter) block(n int) {
	if w.b.Len() > 0 && w.nl < n {
		w.nl = n
	}
}

func (w *htmlTextWriter) br() {
	if w.b.Len() > 0 && w.nl < 2 {
		w.nl++
	}
}

func (w *htmlTextWriter) flush() {
	if w.nl > 0 {
		if w.nl > 2 {
			w.nl = 2
		}
		w.b.WriteString("\n\n"[:w.nl])
		w.nl, w.space = 0, false
		return
	}
	if w.space && w.b.Len() > 0 && !w.bare {
		w.b.WriteByte(' ')
	}
	w.space, w.bare = false, false
}

// inline writes s at the current position; no space is added after it
// until the text itself has one ("• ").
func (w *htmlTextWriter) inline(s string) {
	w.flush()
	w.b.WriteString(s)
	w.bare = true
}

// marker writes s separated from the text before it by a space, and from
// the text after it too when after is set ("[image]", "[1]").
func (w *htmlTextWriter) marker(s string, after bool) {
	w.space = true
	w.flush()
	w.b.WriteString(s)
	w.space = after
}

func (w *htmlTextWriter) text(t []byte) {
	if w.pre > 0 {
		if len(t) > 0 {
			w.flush()
			w.b.Write(t)
		}
		return
	}
	for i := 0; i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
				w.space = true
			} else {
				w.flush()
				w.b.WriteByte(c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(t[i:])
		if unicode.IsSpace(r) {
			w.space = true
		} else {
			w.flush()
			w.b.Write(t[i : i+n])
		}
		i += n
	}
}
