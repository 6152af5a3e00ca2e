package urls

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/fold"
	"github.com/triage-tools/triage/internal/analysis/report"
	"golang.org/x/net/html"
)

// scanHTMLRef is the tokenizer-based scanHTML that the hand-written
// scanner replaced, kept as the reference for the differential tests. It
// extracts URLs from an HTML document with the streaming
// tokenizer: a/area href (with anchor text), any src or background, form
// action and formaction, meta refresh, and URLs written in visible text.
// A simple <base href> resolves relative references; relative references
// without one are skipped. In an attachment every URL gets
// SourceAttachment (form actions and meta refreshes are flagged instead)
// and script text is scanned too.
func (e *urlExtractor) scanHTMLRef(h string, attach bool) {
	if h == "" {
		return
	}
	src := func(s string) string {
		if attach {
			return report.SourceAttachment
		}
		return s
	}
	z := html.NewTokenizer(strings.NewReader(h))
	var (
		base      *url.URL
		inAnchor  bool
		anchorIdx = urlNoIndex
		anchor    []byte
		skipText  bool
	)
	closeAnchor := func() {
		if inAnchor {
			e.closeAnchor(anchorIdx, htmlAnchorText(anchor))
			inAnchor, anchorIdx, anchor = false, urlNoIndex, anchor[:0]
		}
	}
	for !e.full {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			closeAnchor()
			return
		case html.TextToken:
			t := z.Text()
			if skipText {
				skipText = false
				if !attach {
					continue
				}
			} else if inAnchor && len(anchor) < urlAnchorByteCap {
				anchor = htmlAppendCollapsed(anchor, string(t), urlAnchorByteCap)
			}
			if bytes.Contains(t, []byte("://")) || bytes.Contains(t, []byte("www.")) {
				e.scanText(string(t), src(report.SourceHTMLText), true)
			}
		case html.EndTagToken:
			skipText = false
			if name, _ := z.TagName(); string(name) == "a" {
				closeAnchor()
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			skipText = false
			name, hasAttr := z.TagName()
			tag := string(name) // no allocation for the comparisons below
			switch tag {
			case "script", "style", "title", "xmp", "noembed", "noframes", "noscript", "textarea":
				skipText = tt == html.StartTagToken
			}
			if !hasAttr || !urlTagsRef[tag] {
				// Attributes of other tags cannot hold a URL we read, and
				// the tokenizer copies every attribute value it returns.
				continue
			}
			switch tag {
			case "body", "table", "tr", "td", "th":
				// Layout tags are everywhere in HTML mail; only their
				// background attribute matters.
				if !containsFoldASCIIRef(z.Raw(), "background") {
					continue
				}
			case "meta":
				if !containsFoldASCIIRef(z.Raw(), "refresh") {
					continue
				}
			}
			var href, srcv, action, formaction, background, equiv, content string
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "href":
					href = string(v)
				case "src":
					srcv = string(v)
				case "action":
					action = string(v)
				case "formaction":
					formaction = string(v)
				case "background":
					background = string(v)
				case "http-equiv":
					equiv = string(v)
				case "content":
					if tag == "meta" {
						content = string(v)
					}
				}
			}
			switch tag {
			case "base":
				if base == nil && len(href) <= urlMaxBase {
					if b, err := url.Parse(strings.TrimSpace(href)); err == nil && b.IsAbs() &&
						(b.Scheme == urlSchemeHTTP || b.Scheme == urlSchemeHTTPS) && b.Host != "" {
						base = b
					}
				}
			case "a":
				closeAnchor()
				if r := htmlRef(href, base); r != "" {
					anchorIdx = e.add(r, src(report.SourceHTMLHref), "", "", true)
					inAnchor = tt == html.StartTagToken
					if !inAnchor {
						e.closeAnchor(anchorIdx, "")
						anchorIdx = urlNoIndex
					}
				}
			case "area", "link":
				if r := htmlRef(href, base); r != "" {
					s := report.SourceHTMLHref
					if tag == "link" {
						s = report.SourceHTMLSrc
					}
					e.add(r, src(s), "", "", false)
				}
			case "form":
				if r := htmlRef(action, base); r != "" {
					e.add(r, src(report.SourceHTMLForm), "", htmlAttachFlag(attach, FlagFormAction), false)
				}
			case "meta":
				if strings.EqualFold(strings.TrimSpace(equiv), "refresh") {
					if r := htmlRef(htmlRefreshURL(content), base); r != "" {
						e.add(r, src(report.SourceHTMLMeta), "", htmlAttachFlag(attach, FlagMetaRefresh), false)
					}
				}
			}
			if r := htmlRef(formaction, base); r != "" {
				e.add(r, src(report.SourceHTMLForm), "", htmlAttachFlag(attach, FlagFormAction), false)
			}
			for _, v := range [...]string{srcv, background} {
				if r := htmlRef(v, base); r != "" {
					e.add(r, src(report.SourceHTMLSrc), "", "", false)
				}
			}
		}
	}
	closeAnchor()
}

// urlTagsRef are the elements whose attributes scanHTML reads: href (a, area,
// base, link), src (img, image, script, iframe, frame, embed, source,
// input, video, audio, track), action (form), formaction (button, input),
// background (body, table, tr, td, th) and meta refresh.
var urlTagsRef = map[string]bool{
	"a": true, "area": true, "base": true, "link": true,
	"img": true, "image": true, "script": true, "iframe": true, "frame": true, "embed": true,
	"source": true, "input": true, "video": true, "audio": true, "track": true,
	"form": true, "button": true, "meta": true,
	"body": true, "table": true, "tr": true, "td": true, "th": true,
}

// containsFoldASCIIRef reports whether b contains the lower-case ASCII word
// w, ignoring ASCII case, without allocating.
func containsFoldASCIIRef(b []byte, w string) bool {
	n := len(w)
	for i := 0; i+n <= len(b); i++ {
		j := 0
		for ; j < n; j++ {
			c := b[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != w[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

// addRef is HTMLStats.add as it was before countVisible: the reference
// for TestHTMLStatsDiff.
func (st *HTMLStats) addRef(h string) {
	if len(h) > statsBytes {
		h = h[:statsBytes]
	}
	for i := 0; i < len(h); {
		c := h[i]
		if c != '<' {
			if c > ' ' {
				st.Visible++
			}
			i++
			continue
		}
		rest := h[i+1:]
		if strings.HasPrefix(rest, "!--") {
			j := strings.Index(rest[3:], "-->")
			if j < 0 {
				return
			}
			i += 1 + 3 + j + 3
			continue
		}
		j := strings.IndexByte(rest, '>')
		if j < 0 {
			return
		}
		tag := rest[:j]
		i += 1 + j + 1
		n := 0
		for n < len(tag) && fold.IsAlnum(tag[n]) {
			n++
		}
		name := tag[:n]
		switch {
		case strings.EqualFold(name, "img"):
			st.Images++
		case strings.EqualFold(name, "script") || strings.EqualFold(name, "style") || strings.EqualFold(name, "title"):
			k := indexCloseTag(h[i:], name)
			if k < 0 {
				return
			}
			i += k
			continue
		}
		if !st.Hidden && len(tag) > 12 {
			st.Hidden = hidesContentRef(tag) && hiddenText(h[i:], name)
		}
	}
}

// indexFoldASCIIRef is indexFoldASCII as it was before it searched with
// IndexByte: the reference for FuzzIndexFoldASCII.
func indexFoldASCIIRef(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if fold.LowerByte(s[i]) == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// hidesContentRef is hidesContent as it was before its pre-filter: the
// reference for TestHTMLStatsDiff.
func hidesContentRef(tag string) bool {
	k := indexFoldASCIIRef(tag, "style")
	if k < 0 {
		return false
	}
	st := tag[k:]
	if len(st) > 400 {
		st = st[:400]
	}
	var buf [400]byte
	b := buf[:0]
	for i := 0; i < len(st); i++ {
		if c := st[i]; c != ' ' && c != '\t' {
			b = append(b, fold.LowerByte(c))
		}
	}
	s := string(b)
	if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
		return true
	}
	if k := strings.Index(s, "font-size:0"); k >= 0 {
		r := s[k+len("font-size:0"):]
		return r == "" || (r[0] != '.' && (r[0] < '0' || r[0] > '9'))
	}
	return false
}
