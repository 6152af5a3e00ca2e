package urls

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/fold"
	"github.com/triage-tools/triage/internal/analysis/report"
	"golang.org/x/net/html"
)

// scanHTML extracts URLs from an HTML document: a/area href (with anchor
// text), any src or background, form action and formaction, meta refresh,
// and URLs written in visible text. A simple <base href> resolves relative
// references; relative references without one are skipped. In an
// attachment every URL gets SourceAttachment (form actions and meta
// refreshes are flagged instead) and script text is scanned too.
//
// The document is read by htmlScanner, which splits it into the same
// tokens as the HTML5 tokenizer of golang.org/x/net/html (tags, text, raw
// text of script, style…, comments) without copying: only attribute values
// that are used and text that is used are decoded.
func (e *urlExtractor) scanHTML(h string, attach bool) {
	if h == "" {
		return
	}
	s := htmlScanner{e: e, h: h, attach: attach, anchorIdx: urlNoIndex}
	s.run()
}

// htmlScanner is the state of one scanHTML call.
type htmlScanner struct {
	e         *urlExtractor
	h         string
	attach    bool
	base      *url.URL
	inAnchor  bool
	anchorIdx int
	anchor    []byte
	steps     int // bytes examined, for the test that bounds the work
}

// Kinds of text: character data, raw text (script, style, iframe…) and
// RCDATA (textarea, title), as the tokenizer's Text returns them.
const (
	htmlTextData   = iota // entities decoded, NUL kept
	htmlTextRaw           // NUL becomes U+FFFD, entities kept
	htmlTextRCDATA        // NUL becomes U+FFFD, entities decoded
)

// Elements whose attributes scanHTML reads (htmlTagInfo.kind).
const (
	htmlTagOther  = iota
	htmlTagSrc    // only src, formaction and background matter
	htmlTagA      // a
	htmlTagArea   // area
	htmlTagLink   // link
	htmlTagBase   // base
	htmlTagForm   // form
	htmlTagMeta   // meta (refresh)
	htmlTagLayout // body, table, tr, td, th (background)
)

// Raw text elements (htmlTagInfo.raw): the tokenizer reads their content
// as one text token up to the matching end tag.
const (
	htmlRawNone = iota
	htmlRawText
	htmlRawRCDATA
	htmlRawScript
	htmlRawPlaintext // to the end of the input
)

type htmlTagInfo struct {
	kind uint8  // htmlTagOther…
	raw  uint8  // htmlRawNone…
	skip bool   // the raw text is not visible (script, style, title…)
	name string // lower-case
}

// htmlLookupTag classifies a tag name (ASCII case-insensitively). The
// elements whose attributes hold URLs are a, area, base, link (href), img,
// image, script, iframe, frame, embed, source, input, video, audio, track
// (src), form (action), button and input (formaction), body, table, tr,
// td, th (background) and meta (refresh).
func htmlLookupTag(name string) htmlTagInfo {
	if len(name) == 0 || len(name) > len(htmlTags) {
		return htmlTagInfo{}
	}
	c := name[0] | 0x20 // lower-case, if a letter
	if c < 'a' || c > 'z' {
		return htmlTagInfo{}
	}
	for _, t := range htmlTags[len(name)-1][c-'a'] {
		if htmlEqualFold(name, t.name) {
			return t
		}
	}
	return htmlTagInfo{}
}

// htmlTags lists the elements scanHTML treats specially by the length and
// the first letter of their names.
var htmlTags = func() (t [len("plaintext")][26][]htmlTagInfo) {
	add := func(info htmlTagInfo, names ...string) {
		for _, n := range names {
			info.name = n
			t[len(n)-1][n[0]-'a'] = append(t[len(n)-1][n[0]-'a'], info)
		}
	}
	add(htmlTagInfo{kind: htmlTagA}, "a")
	add(htmlTagInfo{kind: htmlTagArea}, "area")
	add(htmlTagInfo{kind: htmlTagLink}, "link")
	add(htmlTagInfo{kind: htmlTagBase}, "base")
	add(htmlTagInfo{kind: htmlTagForm}, "form")
	add(htmlTagInfo{kind: htmlTagMeta}, "meta")
	add(htmlTagInfo{kind: htmlTagLayout}, "td", "tr", "table", "th", "body")
	add(htmlTagInfo{kind: htmlTagSrc}, "img", "image", "frame", "embed", "source", "input", "video", "audio", "track", "button")
	add(htmlTagInfo{kind: htmlTagSrc, raw: htmlRawScript, skip: true}, "script")
	add(htmlTagInfo{kind: htmlTagSrc, raw: htmlRawText}, "iframe")
	add(htmlTagInfo{raw: htmlRawText, skip: true}, "style", "xmp", "noembed", "noframes", "noscript")
	add(htmlTagInfo{raw: htmlRawRCDATA, skip: true}, "title", "textarea")
	add(htmlTagInfo{raw: htmlRawPlaintext}, "plaintext")
	return t
}()

func htmlLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// Byte classes of the tokenizer, as tables: white space; bytes that end a
// tag name, an attribute key, an unquoted attribute value.
var (
	htmlSpace     = [256]bool{' ': true, '\n': true, '\r': true, '\t': true, '\f': true}
	htmlNameStop  = [256]bool{' ': true, '\n': true, '\r': true, '\t': true, '\f': true, '/': true, '>': true}
	htmlKeyStop   = [256]bool{' ': true, '\n': true, '\r': true, '\t': true, '\f': true, '/': true, '>': true, '=': true}
	htmlValueStop = [256]bool{' ': true, '\n': true, '\r': true, '\t': true, '\f': true, '>': true}
	// htmlTagStart marks the bytes after a '<' that make it start a tag,
	// an end tag, a comment or a doctype rather than be text.
	htmlTagStart = func() (t [256]bool) {
		for c := 'a'; c <= 'z'; c++ {
			t[c], t[c-'a'+'A'] = true, true
		}
		t['/'], t['!'], t['?'] = true, true, true
		return t
	}()
)

// run reads the document token by token, like html.Tokenizer.Next. Any
// construct left open at the end of the input (a tag, a comment) ends the
// scan, as the tokenizer's ErrorToken does.
func (s *htmlScanner) run() {
	h, n := s.h, len(s.h)
	var raw htmlTagInfo // an element whose raw text comes next
	rawSkip := false
	for i := 0; !s.e.full && i < n; {
		if raw.raw != htmlRawNone {
			end := s.rawTextEnd(i, raw)
			kind := uint8(htmlTextRaw)
			if raw.raw == htmlRawRCDATA {
				kind = htmlTextRCDATA
			}
			raw = htmlTagInfo{}
			if end > i {
				s.text(h[i:end], kind, rawSkip)
				i = end
				continue
			}
		}
		if h[i] != '<' || i+1 == n || !htmlTagStart[h[i+1]] {
			j := s.textEnd(i)
			s.text(h[i:j], htmlTextData, false)
			i = j
			continue
		}
		// h[i] is a '<' that starts a tag, a comment or a doctype.
		next := -1
		switch c := h[i+1]; {
		case htmlLetter(c):
			var tag htmlTagInfo
			var self bool
			next, tag, self = s.startTag(i)
			if tag.raw != htmlRawNone {
				raw, rawSkip = tag, tag.skip && !self
			}
		case c == '/':
			switch {
			case i+2 >= n:
				// A lone "</" at the end is text.
				s.text(h[i:], htmlTextData, false)
				next = n
			case h[i+2] == '>':
				next = i + 3 // "</>" is no token at all
			case htmlLetter(h[i+2]):
				next = s.endTag(i)
			default:
				next = s.past(i+2, '>') // a bogus comment
			}
		case c == '!':
			switch {
			case i+4 > n:
				// Less than two bytes after "<!": a bogus comment to the end.
			case h[i+2] == '-' && h[i+3] == '-':
				next = s.commentEnd(i + 4)
			default:
				next = s.past(i+2, '>') // doctype, CDATA or a bogus comment
			}
		default: // '?': a bogus comment
			next = s.past(i+2, '>')
		}
		if next < 0 {
			break
		}
		i = next
	}
	s.closeAnchor()
}

func (s *htmlScanner) src(source string) string {
	if s.attach {
		return report.SourceAttachment
	}
	return source
}

func (s *htmlScanner) closeAnchor() {
	if s.inAnchor {
		s.e.closeAnchor(s.anchorIdx, htmlAnchorText(s.anchor))
		s.inAnchor, s.anchorIdx, s.anchor = false, urlNoIndex, s.anchor[:0]
	}
}

// textEnd returns where the text starting at i ends: at the next '<' that
// starts a tag, an end tag, a comment or a doctype, or at the end. There
// is text at i: it returns more than i.
func (s *htmlScanner) textEnd(i int) int {
	h, n := s.h, len(s.h)
	for j := i; ; {
		k := htmlIndexByte(h[j:], '<')
		if k < 0 {
			s.steps += n - j
			return n
		}
		s.steps += k + 1
		j += k
		if j+1 >= n {
			return n
		}
		if htmlTagStart[h[j+1]] {
			return j
		}
		j++
	}
}

// htmlIndexByte is strings.IndexByte, faster when c is near: most text
// between tags and most attribute values are short.
func htmlIndexByte(s string, c byte) int {
	const near = 8
	for i := 0; i < len(s) && i < near; i++ {
		if s[i] == c {
			return i
		}
	}
	if len(s) <= near {
		return -1
	}
	if k := strings.IndexByte(s[near:], c); k >= 0 {
		return near + k
	}
	return -1
}

// past returns the position after the next c at or after i, or -1.
func (s *htmlScanner) past(i int, c byte) int {
	k := htmlIndexByte(s.h[i:], c)
	if k < 0 {
		s.steps += len(s.h) - i
		return -1
	}
	s.steps += k + 1
	return i + k + 1
}

// commentEnd returns the position after the comment whose text starts at
// d (after "<!--"), or -1 when it is not closed. It closes at the first
// '>' that follows "--" or "--!", or that only dashes precede (<!-->).
func (s *htmlScanner) commentEnd(d int) int {
	h := s.h
	for k := d; ; {
		p := s.past(k, '>') - 1
		if p < 0 {
			return -1
		}
		if k == d && strings.Count(h[d:p], "-") == p-d ||
			p-d >= 2 && h[p-1] == '-' && h[p-2] == '-' ||
			p-d >= 3 && h[p-1] == '!' && h[p-2] == '-' && h[p-3] == '-' {
			return p + 1
		}
		k = p + 1
	}
}

// rawTextEnd returns where the raw text of element t starting at i ends.
func (s *htmlScanner) rawTextEnd(i int, t htmlTagInfo) int {
	var end int
	switch t.raw {
	case htmlRawPlaintext:
		end = len(s.h)
	case htmlRawScript:
		end = htmlScriptEnd(s.h, i)
	default:
		end = htmlRawEnd(s.h, i, t.name)
	}
	s.steps += end - i
	return end
}

// htmlAttr is one attribute of a tag: h[ks:ke] is the key, h[vs:ve] the
// raw value; unquoted is set for a value without quotes.
type htmlAttr struct {
	ks, ke, vs, ve int
	unquoted       bool
}

// attr reads the attribute at p (not white space) into a as the
// tokenizer does. It returns the position after the attribute and the
// white space after it, or end set and the position after the tag's '>',
// or -1 at the end of the input.
func (s *htmlScanner) attr(p int, a *htmlAttr) (next int, end bool) {
	h, n := s.h, len(s.h)
	if p >= n {
		return -1, false
	}
	if h[p] == '>' {
		s.steps++
		return p + 1, true
	}
	// The key runs to white space, '/', '>' or a '=' that is not its
	// first byte.
	q := p
	if h[q] == '=' {
		q++
	}
	for q < n && !htmlKeyStop[h[q]] {
		q++
	}
	s.steps += q - p
	*a = htmlAttr{p, q, q, q, false}
	r := s.skipSpace(q)
	if r >= n {
		return -1, false
	}
	switch h[r] {
	case '/':
		r++
	case '=':
		if r = s.skipSpace(r + 1); r >= n {
			return -1, false
		}
		switch quote := h[r]; quote {
		case '>':
		case '"', '\'':
			e := s.past(r+1, quote)
			if e < 0 {
				return -1, false
			}
			a.vs, a.ve, r = r+1, e-1, e
		default:
			e := r + 1
			for e < n && !htmlValueStop[h[e]] {
				e++
			}
			s.steps += e - r
			if e >= n {
				return -1, false
			}
			a.vs, a.ve, a.unquoted, r = r, e, true, e
			if h[e] != '>' {
				r++ // the white space
			}
		}
	}
	if r = s.skipSpace(r); r >= n {
		return -1, false
	}
	return r, false
}

func (s *htmlScanner) skipSpace(p int) int {
	q := p
	for q < len(s.h) && htmlSpace[s.h[q]] {
		q++
	}
	s.steps += q - p
	return q
}

// tagName returns the end of the tag name starting at p.
func (s *htmlScanner) tagName(p int) int {
	q := p
	for q < len(s.h) && !htmlNameStop[s.h[q]] {
		q++
	}
	s.steps += q - p
	return q
}

// endTag reads the end tag at i ("</" and a letter) and returns the
// position after it, or -1 at the end of the input.
func (s *htmlScanner) endTag(i int) int {
	q := s.tagName(i + 2)
	next := s.tagEnd(s.skipSpace(q))
	if next >= 0 && q == i+3 && fold.LowerByte(s.h[i+2]) == 'a' {
		s.closeAnchor()
	}
	return next
}

// tagEnd returns the position after the tag whose attributes start at p
// (not white space), or -1 at the end of the input.
func (s *htmlScanner) tagEnd(p int) int {
	if p < len(s.h) && s.h[p] == '>' {
		s.steps++
		return p + 1
	}
	var a htmlAttr
	for {
		next, end := s.attr(p, &a)
		if next < 0 || end {
			return next
		}
		p = next
	}
}

// The attributes scanHTML reads (indexes in htmlTagAttrs).
const (
	htmlAttrHref = iota
	htmlAttrSrc
	htmlAttrAction
	htmlAttrFormaction
	htmlAttrBackground
	htmlAttrHTTPEquiv
	htmlAttrContent
	htmlNumAttrs
)

// htmlAttrIndex returns the index of an attribute scanHTML reads, or -1.
func htmlAttrIndex(key string) int {
	var w string
	switch len(key) {
	case 3:
		w = "src"
	case 4:
		w = "href"
	case 6:
		w = "action"
	case 7:
		w = "content"
	case 10:
		switch fold.LowerByte(key[0]) {
		case 'f':
			w = "formaction"
		case 'b':
			w = "background"
		case 'h':
			w = "http-equiv"
		}
	}
	if w == "" || !htmlEqualFold(key, w) {
		return -1
	}
	switch w {
	case "href":
		return htmlAttrHref
	case "src":
		return htmlAttrSrc
	case "action":
		return htmlAttrAction
	case "formaction":
		return htmlAttrFormaction
	case "background":
		return htmlAttrBackground
	case "http-equiv":
		return htmlAttrHTTPEquiv
	}
	return htmlAttrContent
}

// htmlEqualFold reports whether s equals the lower-case w, folding ASCII
// letters only (as the tokenizer lower-cases names).
func htmlEqualFold(s, w string) bool {
	if len(s) != len(w) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if fold.LowerByte(s[i]) != w[i] {
			return false
		}
	}
	return true
}

// startTag reads the start tag at i ('<' and a letter), records the URLs
// of its attributes and returns the position after it, its element and
// whether it is self-closing; next is -1 at the end of the input.
func (s *htmlScanner) startTag(i int) (next int, tag htmlTagInfo, self bool) {
	h := s.h
	q := s.tagName(i + 1)
	tag = htmlLookupTag(h[i+1 : q])
	first := s.skipSpace(q)
	var (
		vals    [htmlNumAttrs][2]int // raw values: start and end
		have    uint
		hasAttr bool
		last    htmlAttr
	)
	if tag.kind == htmlTagOther && tag.raw == htmlRawNone {
		// Neither the attributes nor self-closing matter.
		return s.tagEnd(first), tag, false
	}
	var a htmlAttr
	for p := first; ; {
		np, end := s.attr(p, &a)
		if np < 0 {
			return -1, htmlTagInfo{}, false
		}
		if end {
			next = np
			break
		}
		if a.ke > a.ks {
			// The tokenizer keeps the first of duplicated attributes.
			hasAttr = true
			if tag.kind != htmlTagOther {
				if k := htmlAttrIndex(h[a.ks:a.ke]); k >= 0 && have&(1<<k) == 0 {
					vals[k] = [2]int{a.vs, a.ve}
					have |= 1 << k
				}
			}
		}
		last = a
		p = np
	}
	// As in the tokenizer, "/>" makes the tag self-closing unless the '/'
	// ends the unquoted value of the last attribute it kept (<a href=x/>).
	gt := next - 1
	if h[gt-1] == '/' {
		self = !last.unquoted || last.ve != gt || s.dupKey(first, last)
	}
	if tag.kind == htmlTagOther || !hasAttr {
		return next, tag, self
	}
	const srcAttrs = 1<<htmlAttrSrc | 1<<htmlAttrFormaction | 1<<htmlAttrBackground
	switch tag.kind {
	case htmlTagLayout:
		// Layout tags are everywhere in HTML mail: their attributes are
		// read only when the tag mentions "background" (anywhere: as the
		// scanner has always done), and those of meta when it mentions
		// "refresh".
		if have&srcAttrs == 0 ||
			have&(1<<htmlAttrBackground) == 0 && !s.containsFold(h[i:next], "background") {
			return next, tag, self
		}
	case htmlTagMeta:
		if have&(srcAttrs|1<<htmlAttrHTTPEquiv) == 0 || !s.containsFold(h[i:next], "refresh") {
			return next, tag, self
		}
	}
	val := func(k int) string {
		if have&(1<<k) == 0 {
			return ""
		}
		return htmlAttrValue(h[vals[k][0]:vals[k][1]])
	}
	e := s.e
	switch tag.kind {
	case htmlTagBase:
		if href := val(htmlAttrHref); s.base == nil && len(href) <= urlMaxBase {
			if b, err := url.Parse(strings.TrimSpace(href)); err == nil && b.IsAbs() &&
				(b.Scheme == urlSchemeHTTP || b.Scheme == urlSchemeHTTPS) && b.Host != "" {
				s.base = b
			}
		}
	case htmlTagA:
		s.closeAnchor()
		if r := htmlRef(val(htmlAttrHref), s.base); r != "" {
			s.anchorIdx = e.add(r, s.src(report.SourceHTMLHref), "", "", true)
			s.inAnchor = !self
			if self {
				e.closeAnchor(s.anchorIdx, "")
				s.anchorIdx = urlNoIndex
			}
		}
	case htmlTagArea, htmlTagLink:
		if r := htmlRef(val(htmlAttrHref), s.base); r != "" {
			src := report.SourceHTMLHref
			if tag.kind == htmlTagLink {
				src = report.SourceHTMLSrc
			}
			e.add(r, s.src(src), "", "", false)
		}
	case htmlTagForm:
		if r := htmlRef(val(htmlAttrAction), s.base); r != "" {
			e.add(r, s.src(report.SourceHTMLForm), "", htmlAttachFlag(s.attach, FlagFormAction), false)
		}
	case htmlTagMeta:
		if strings.EqualFold(strings.TrimSpace(val(htmlAttrHTTPEquiv)), "refresh") {
			if r := htmlRef(htmlRefreshURL(val(htmlAttrContent)), s.base); r != "" {
				e.add(r, s.src(report.SourceHTMLMeta), "", htmlAttachFlag(s.attach, FlagMetaRefresh), false)
			}
		}
	}
	if r := htmlRef(val(htmlAttrFormaction), s.base); r != "" {
		e.add(r, s.src(report.SourceHTMLForm), "", htmlAttachFlag(s.attach, FlagFormAction), false)
	}
	for _, k := range [...]int{htmlAttrSrc, htmlAttrBackground} {
		if r := htmlRef(val(k), s.base); r != "" {
			e.add(r, s.src(report.SourceHTMLSrc), "", "", false)
		}
	}
	return next, tag, self
}

// dupKey reports whether an attribute before last in the tag whose
// attributes start at p has the same key (so the tokenizer dropped last).
func (s *htmlScanner) dupKey(p int, last htmlAttr) bool {
	key := s.h[last.ks:last.ke]
	var a htmlAttr
	for p < last.ks {
		np, end := s.attr(p, &a)
		if np < 0 || end {
			return false
		}
		if a.ke-a.ks == len(key) {
			same := true
			for j := 0; j < len(key); j++ {
				if fold.LowerByte(s.h[a.ks+j]) != fold.LowerByte(key[j]) {
					same = false
					break
				}
			}
			if same {
				return true
			}
		}
		p = np
	}
	return false
}

// containsFold reports whether t contains the lower-case ASCII word w,
// ignoring ASCII case.
func (s *htmlScanner) containsFold(t, w string) bool {
	s.steps += len(t)
	return indexFoldASCII(t, w) >= 0
}

// text handles one text token: its decoded form is appended to the anchor
// text inside <a> and scanned for URLs when it may contain one. skip marks
// the raw text of a hidden element (script, style…), scanned only in
// attachments.
func (s *htmlScanner) text(raw string, kind uint8, skip bool) {
	if skip && !s.attach {
		return
	}
	s.steps += len(raw)
	anchor := !skip && s.inAnchor && len(s.anchor) < urlAnchorByteCap
	scan := len(raw) >= len("://") && htmlMayHaveURL(raw, kind != htmlTextRaw)
	if !anchor && !scan {
		return
	}
	t := htmlDecodeText(raw, kind)
	if anchor {
		s.anchor = htmlAppendCollapsed(s.anchor, t, urlAnchorByteCap)
	}
	if scan && (strings.Contains(t, "://") || strings.Contains(t, "www.")) {
		s.e.scanText(t, s.src(report.SourceHTMLText), true)
	}
}

// htmlMayHaveURL reports whether text may contain "://" or "www." once
// decoded. Only numeric references and &colon; &sol; &period; decode to
// one of those bytes.
func htmlMayHaveURL(raw string, entities bool) bool {
	if len(raw) <= 32 {
		// Short text (often white space between tags): one pass.
		i := 0
		for i < len(raw) && !htmlURLMark[raw[i]] {
			i++
		}
		if i == len(raw) {
			return false
		}
	}
	if i := strings.IndexByte(raw, ':'); i >= 0 && strings.Contains(raw[i:], "://") {
		return true
	}
	for i := len("www"); i < len(raw); i++ {
		k := strings.IndexByte(raw[i:], '.')
		if k < 0 {
			break
		}
		if i += k; raw[i-3:i] == "www" {
			return true
		}
	}
	for i := 0; entities; {
		k := strings.IndexByte(raw[i:], '&')
		if k < 0 {
			break
		}
		i += k + 1
		if r := raw[i:]; strings.HasPrefix(r, "#") || strings.HasPrefix(r, "colon") ||
			strings.HasPrefix(r, "sol") || strings.HasPrefix(r, "period") {
			return true
		}
	}
	return false
}

// htmlURLMark marks the bytes of "://", "www." and character references
// that htmlMayHaveURL looks for.
var htmlURLMark = [256]bool{':': true, '.': true, '&': true}

// htmlDecodeText returns text as the tokenizer's Text does: "\r\n" and
// "\r" become "\n", NUL becomes U+FFFD in raw text and RCDATA, and
// entities are decoded except in raw text.
func htmlDecodeText(t string, kind uint8) string {
	if strings.IndexByte(t, '\r') >= 0 {
		t = htmlConvertNewlines(t)
	}
	if kind != htmlTextData && strings.IndexByte(t, 0) >= 0 {
		t = strings.ReplaceAll(t, "\x00", "\ufffd")
	}
	if kind != htmlTextRaw && strings.IndexByte(t, '&') >= 0 {
		t = html.UnescapeString(t)
	}
	return t
}

// htmlConvertNewlines converts "\r\n" and "\r" to "\n".
func htmlConvertNewlines(s string) string {
	i := strings.IndexByte(s, '\r')
	if i < 0 {
		return s
	}
	b := make([]byte, i, len(s))
	copy(b, s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if c == '\r' {
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			c = '\n'
		}
		b = append(b, c)
	}
	return string(b)
}

// htmlAttrValue decodes a raw attribute value as the tokenizer's TagAttr
// does: NUL becomes U+FFFD, "\r\n" and "\r" become "\n", and character
// references are decoded by the rules for attributes.
func htmlAttrValue(v string) string {
	if strings.IndexByte(v, '&') < 0 && strings.IndexByte(v, '\r') < 0 && strings.IndexByte(v, 0) < 0 {
		return v
	}
	if strings.IndexByte(v, 0) >= 0 {
		v = strings.ReplaceAll(v, "\x00", "\ufffd")
	}
	return htmlUnescapeAttr(htmlConvertNewlines(v))
}

// htmlUnescapeAttr decodes the character references of an attribute
// value.
func htmlUnescapeAttr(s string) string {
	amp := strings.IndexByte(s, '&')
	if amp < 0 {
		return s
	}
	var b []byte
	last := 0
	for {
		rep, n := htmlAttrEntity(s[amp:])
		next := amp + 1
		if n > 0 {
			if b == nil {
				b = make([]byte, 0, len(s))
			}
			b = append(b, s[last:amp]...)
			b = append(b, rep...)
			last = amp + n
			next = last
		}
		k := strings.IndexByte(s[next:], '&')
		if k < 0 {
			break
		}
		amp = next + k
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

// htmlAttrEntity decodes the character reference at the start of s (which
// starts with '&') by the rules for attribute values: it returns the
// decoded text and the length of the reference, or n == 0 when s does not
// start with one. Unlike in text, a named reference must match a name
// exactly (a prefix such as "&not" in "&notit" is not enough), and one
// without ';' is left alone before '='.
func htmlAttrEntity(s string) (rep string, n int) {
	if len(s) <= 1 {
		return "", 0
	}
	if s[1] == '#' {
		// Numeric references decode as in text.
		i := 2
		hex := i < len(s) && (s[i] == 'x' || s[i] == 'X')
		if hex {
			i++
		}
		i0 := i
		for i < len(s) && ('0' <= s[i] && s[i] <= '9' || hex && ('a' <= s[i]|0x20 && s[i]|0x20 <= 'f')) {
			i++
		}
		if i == i0 {
			return "", 0
		}
		if i < len(s) && s[i] == ';' {
			i++
		}
		return html.UnescapeString(s[:i]), i
	}
	i := 1
	for i < len(s) && fold.IsAlnum(s[i]) {
		i++
	}
	semi := i < len(s) && s[i] == ';'
	if semi {
		i++
	}
	switch {
	case i == 1:
		return "", 0
	case !semi && i < len(s) && s[i] == '=':
		return "", 0
	case s[:i] == "&amp;" || s[:i] == "&amp":
		return "&", i
	}
	// html.UnescapeString decodes an exact name to one or two runes; in
	// text it also decodes a prefix and keeps the rest of the name, which
	// attribute values must not do. No two-rune reference but &fjlig; ends
	// with an ASCII letter, digit or ';'.
	t := html.UnescapeString(s[:i])
	if t == s[:i] {
		return "", 0
	}
	_, n1 := utf8.DecodeRuneInString(t)
	if n1 == len(t) {
		return t, i
	}
	if r2, n2 := utf8.DecodeRuneInString(t[n1:]); n1+n2 == len(t) &&
		(!(r2 == ';' || r2 < utf8.RuneSelf && fold.IsAlnum(byte(r2))) || s[:i] == "&fjlig;") {
		return t, i
	}
	return "", 0
}
