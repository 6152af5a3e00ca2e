package analysis

import (
	"strings"

	"github.com/triage-tools/triage/internal/analysis/brands"
	"github.com/triage-tools/triage/internal/analysis/fold"
)

// appendVisibleFolded appends to b the text of HTML source h that a
// reader sees, folded for matching: markup (tags with their attribute
// values and URLs), comments and the contents of style and script
// elements become a space. Brand names and lexicon words inside markup
// (an XML namespace on facebook.com, "?login=1" in a link) are not what
// the message says. Linear in len(h); an unclosed tag or comment ends
// the text.
func appendVisibleFolded(b []byte, h string) []byte {
	for len(h) > 0 {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			return fold.Append(b, h, fold.MatchMode)
		}
		if i > 0 {
			b = fold.Append(b, h[:i], fold.MatchMode)
		}
		h = h[i:]
		if strings.HasPrefix(h, "<!--") {
			end := strings.Index(h[4:], "-->")
			if end < 0 {
				return b
			}
			h = h[4+end+3:]
			b = append(b, ' ')
			continue
		}
		if len(h) < 2 || !isTagStart(h[1]) {
			b = fold.Append(b, "<", fold.MatchMode) // a literal '<' in text
			h = h[1:]
			continue
		}
		end := strings.IndexByte(h, '>')
		if end < 0 {
			return b
		}
		name, attrs := h[1:end], ""
		if n := strings.IndexAny(name, " \t\r\n/"); n >= 0 {
			name, attrs = name[:n], name[n:]
		}
		h = h[end+1:]
		b = append(b, ' ')
		b = appendShownAttrs(b, attrs)
		if strings.EqualFold(name, "style") || strings.EqualFold(name, "script") {
			h = skipRawElement(h, name)
		}
	}
	return b
}

func isTagStart(c byte) bool {
	return c == '/' || c == '!' || c == '?' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// skipRawElement returns h after the closing tag of the raw-text element
// name (style, script), or "" when it is not closed.
func skipRawElement(h, name string) string {
	for {
		i := strings.Index(h, "</")
		if i < 0 {
			return ""
		}
		h = h[i+2:]
		if len(h) >= len(name) && strings.EqualFold(h[:len(name)], name) {
			if end := strings.IndexByte(h, '>'); end >= 0 {
				return h[end+1:]
			}
			return ""
		}
	}
}

// bodyBrands returns the brands named in the body. Unlike the lexicons,
// it reads HTML markup too: a lure's brand often sits only in image
// alternative text, file names or link paths. Called only when a message
// asks for credentials or pushes a link elsewhere, so the second fold is
// rare.
func (a *analyzer) bodyBrandsWithMarkup() []*brands.Brand {
	if a.hasPlainText() || len(a.p.HTMLParts) == 0 {
		return uniqueBrands(a.reg.FindFolded(a.folded[a.foldedBody:]))
	}
	bp := fold.GetBuf()
	defer fold.PutBuf(bp)
	b := (*bp)[:0]
	a.bodyPieces(func(t string, _ bool) {
		b = fold.Append(b, t, fold.MatchMode)
		b = append(b, '\n')
	})
	*bp = b
	return uniqueBrands(a.reg.FindFolded(string(b)))
}

// shownAttrs are the attributes whose values a reader sees: text shown in
// place of an image, a field's placeholder, a button's label, a tooltip.
var shownAttrs = []string{"alt", "placeholder", "value", "title"}

// appendShownAttrs appends, folded, the values of the shownAttrs in a
// tag's attribute text.
func appendShownAttrs(b []byte, attrs string) []byte {
	for attrs != "" {
		attrs = strings.TrimLeft(attrs, " \t\r\n/")
		eq := strings.IndexAny(attrs, "= \t\r\n")
		if eq < 0 {
			return b
		}
		name := attrs[:eq]
		attrs = strings.TrimLeft(attrs[eq:], " \t\r\n")
		if !strings.HasPrefix(attrs, "=") {
			continue
		}
		attrs = strings.TrimLeft(attrs[1:], " \t\r\n")
		var val string
		if attrs != "" && (attrs[0] == '"' || attrs[0] == '\'') {
			q := strings.IndexByte(attrs[1:], attrs[0])
			if q < 0 {
				return b
			}
			val, attrs = attrs[1:1+q], attrs[2+q:]
		} else {
			n := strings.IndexAny(attrs, " \t\r\n")
			if n < 0 {
				n = len(attrs)
			}
			val, attrs = attrs[:n], attrs[n:]
		}
		for _, s := range shownAttrs {
			if strings.EqualFold(name, s) {
				b = fold.Append(b, val, fold.MatchMode)
				b = append(b, ' ')
				break
			}
		}
	}
	return b
}
