// Package urls finds the URLs of a message (plain text, a hand-written
// HTML scanner, attachments), normalises them, unwraps known rewriters,
// flags what phishing uses, defangs them, and summarises HTML bodies.
package urls

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// URL flags. They are stable strings: rules and stored reports refer to them.
const (
	FlagIPLiteralHost        = "ip_literal_host"        // host is an IPv4/IPv6 literal
	FlagIPObfuscated         = "ip_obfuscated"          // IPv4 literal in hex, octal, dword or short form
	FlagIPEncodedHost        = "ip_encoded_host"        // a host name that spells an IPv4 address (see EncodedIP)
	FlagPunycode             = "punycode"               // an internationalised (xn--) host name
	FlagIDNMixedScript       = "idn_mixed_script"       // a label mixes Latin with Cyrillic, Greek… (homograph)
	FlagUserinfo             = "userinfo"               // user info before the host: http://paypal.com@evil.tld/
	FlagNonstandardPort      = "nonstandard_port"       // explicit port other than the scheme's default
	FlagHTTPCredentialPath   = "http_credential_path"   // plain http to a login/account-looking path
	FlagLongURL              = "long_url"               // more than 200 characters
	FlagRecipientInQuery     = "recipient_in_query"     // a recipient's address, raw, %-encoded or base64
	FlagShortener            = "shortener"              // report.URL shortening service
	FlagFreeHosting          = "free_hosting"           // free hosting, object storage, tunnel, dynamic DNS, IPFS
	FlagSuspiciousTLD        = "suspicious_tld"         // frequently abused TLD
	FlagOpenRedirectParam    = "open_redirect_param"    // a query parameter carries another absolute http(s) report.URL
	FlagAnchorDomainMismatch = "anchor_domain_mismatch" // link text shows another registered domain
	FlagFormAction           = "form_action"            // form action inside an HTML attachment
	FlagMetaRefresh          = "meta_refresh"           // meta refresh inside an HTML attachment
	FlagRewriterSafeLinks    = "rewriter_safelinks"     // Microsoft Defender Safe Links
	FlagRewriterProofpoint   = "rewriter_proofpoint"    // Proofpoint report.URL Defense v1/v2/v3
	FlagRewriterMimecast     = "rewriter_mimecast"      // Mimecast (cannot be unwrapped offline)
	FlagRewriterGoogle       = "rewriter_google"        // google.*/url?q=
	FlagRewriterFacebook     = "rewriter_facebook"      // l.facebook.com/l.php?u=
	FlagRewriterBarracuda    = "rewriter_barracuda"     // linkprotect.cudasvc.com/url?a=
)

// Bounds and thresholds of URL extraction.
const (
	urlLongThreshold   = 200     // FlagLongURL: more bytes than this
	urlMaxLen          = 8 << 10 // bytes kept of one report.URL
	urlMaxAnchor       = 200     // runes kept of anchor text
	urlAnchorByteCap   = 4 * urlMaxAnchor
	urlMaxUnwrap       = 4       // nested rewriters followed
	urlMaxWarnings     = 20      // warnings per message
	urlCandidateFactor = 20      // candidates examined per kept report.URL (work bound)…
	urlMinCandidates   = 2000    // …but at least this many
	urlMaxRecipients   = 50      // recipients checked for FlagRecipientInQuery
	urlMaxAttachSniff  = 1024    // bytes sniffed to tell HTML attachments
	urlMaxBase         = 2 << 10 // bytes of a usable <base href>
	urlMinB64          = 8       // shortest base64 form of an address searched
	urlHostShowMax     = 80      // bytes of a host quoted in a warning
	urlCredentialCap   = 4 << 10 // bytes of path searched for credential words
	urlWarnPrefix      = "urls: "
	urlNoIndex         = -1

	urlSchemeHTTP  = "http"
	urlSchemeHTTPS = "https"
	urlSchemeFTP   = "ftp"
)

// Extract finds every URL in the message's text parts, HTML parts and
// HTML/text attachments (Attachment.Text), in order of appearance,
// de-duplicated by (normalised URL, source, anchor text), at most max
// (max <= 0 means DefaultLimits().MaxURLs). recipients are the lower-case
// To/Cc addresses, used for FlagRecipientInQuery.
//
// Only http, https and ftp URLs (and bare "www." host names in text) are
// kept; mailto:, tel:, javascript:, data: and cid: references are skipped,
// and so are relative links unless a <base href> makes them absolute.
//
// Text is scanned for "://" and "www." anchors, never with a regular
// expression; HTML is tokenised (not tree-parsed). For a URL wrapped by a
// known rewriter (Safe Links, Proofpoint, Google, Facebook, Barracuda),
// URL is the wrapper, Unwrapped the target, and Scheme, Host, Domain and
// the flags describe the target. Problems (a bound reached, an odd host)
// become warnings prefixed "urls: "; a URL is never dropped for being
// malformed. ExtractURLs never panics on any input and is safe for
// concurrent use.
func Extract(p *message.Parsed, recipients []string, max int) (urls []report.URL, warnings []string) {
	if p == nil {
		return nil, nil
	}
	if max <= 0 {
		max = message.DefaultLimits().MaxURLs
	}
	e := newURLExtractor(recipients, max)
	e.scanParsed(p)
	return e.finish()
}

// scanParsed adds the URLs of the body parts and textual attachments of p.
func (e *urlExtractor) scanParsed(p *message.Parsed) {
	for i := range p.TextParts {
		e.scanText(p.TextParts[i].Text, report.SourceText, false)
	}
	for i := range p.HTMLParts {
		e.scanHTML(p.HTMLParts[i].Text, false)
	}
	for i := range p.Attachments {
		a := &p.Attachments[i]
		if a.Text == "" {
			continue
		}
		if urlLooksHTML(a) {
			e.scanHTML(a.Text, true)
		} else {
			e.scanText(a.Text, report.SourceAttachment, false)
		}
	}
}

// urlInfo is the normalised, flagged form of one raw URL (shared by every
// occurrence of the same raw string in a message).
type urlInfo struct {
	ok        bool
	url       string
	unwrapped string
	target    *urlParts // the target when unwrapped, else the report.URL itself
	flags     []string
	defanged  string
}

type urlKey struct{ url, source, anchor string }

type urlRecipient struct{ addr, b64std, b64url string }

type urlExtractor struct {
	max           int
	rawRecips     []string
	recips        []urlRecipient // from rawRecips, see recipients
	recipsDone    bool
	out           []report.URL
	dead          int // out entries removed as duplicates (Source == "")
	seen          map[urlKey]struct{}
	cache         map[string]*urlInfo
	candidates    int
	maxCandidates int
	full          bool
	warnings      []string
	nwarn         int
}

func newURLExtractor(recipients []string, max int) *urlExtractor {
	e := &urlExtractor{max: max, maxCandidates: max * urlCandidateFactor, rawRecips: recipients}
	if e.maxCandidates < urlMinCandidates {
		e.maxCandidates = urlMinCandidates
	}
	return e
}

// recipients returns the recipients in the forms recipientIn searches,
// computed on first use (most URLs carry no query to search).
func (e *urlExtractor) recipients() []urlRecipient {
	if e.recipsDone {
		return e.recips
	}
	e.recipsDone = true
	for _, r := range e.rawRecips {
		if len(e.recips) >= urlMaxRecipients {
			break
		}
		r = strings.ToLower(strings.TrimSpace(r))
		if !strings.Contains(r, "@") {
			continue
		}
		rc := urlRecipient{addr: r}
		if n := 4 * (len(r) / 3); n >= urlMinB64 {
			rc.b64std = base64.RawStdEncoding.EncodeToString([]byte(r))[:n]
			rc.b64url = base64.RawURLEncoding.EncodeToString([]byte(r))[:n]
		}
		e.recips = append(e.recips, rc)
	}
	return e.recips
}

func (e *urlExtractor) warn(format string, args ...any) {
	e.nwarn++
	switch {
	case e.nwarn < urlMaxWarnings:
		e.warnings = append(e.warnings, urlWarnPrefix+fmt.Sprintf(format, args...))
	case e.nwarn == urlMaxWarnings:
		e.warnings = append(e.warnings, urlWarnPrefix+"more warnings suppressed")
	}
}

// admit counts one candidate and reports whether there is room for it.
func (e *urlExtractor) admit() bool {
	if e.full {
		return false
	}
	e.candidates++
	if e.candidates > e.maxCandidates {
		e.full = true
		e.warn("more than %d URL candidates; the rest were ignored", e.maxCandidates)
		return false
	}
	if len(e.out)-e.dead >= e.max {
		e.full = true
		e.warn("more than %d URLs; the rest were ignored", e.max)
		return false
	}
	return true
}

func (e *urlExtractor) info(raw string) *urlInfo {
	if in, ok := e.cache[raw]; ok {
		return in
	}
	in := e.normalize(raw)
	if e.cache == nil {
		e.cache = make(map[string]*urlInfo)
	}
	e.cache[raw] = in
	return in
}

// add records one occurrence and returns its index in out, or urlNoIndex
// when it is skipped. With pending set the anchor text is filled in later by
// closeAnchor, which also de-duplicates.
func (e *urlExtractor) add(raw, source, anchor, extra string, pending bool) int {
	if !e.admit() {
		return urlNoIndex
	}
	in := e.info(raw)
	if !in.ok {
		return urlNoIndex
	}
	if !pending {
		k := urlKey{in.url, source, anchor}
		if _, dup := e.seen[k]; dup {
			return urlNoIndex
		}
		if e.seen == nil {
			e.seen = make(map[urlKey]struct{})
		}
		e.seen[k] = struct{}{}
	}
	t := in.target
	u := report.URL{
		Raw:       strings.Clone(urlCap(raw)), // not a window into the whole body text
		URL:       in.url,
		Unwrapped: in.unwrapped,
		Source:    source,
		Scheme:    t.scheme,
		Host:      t.host,
		Domain:    t.domain,
		Flags:     in.flags,
		Defanged:  in.defanged,
	}
	if t.hostUnicode != "" && t.hostUnicode != t.host {
		u.HostUnicode = t.hostUnicode
	}
	if extra != "" {
		u.Flags = append(u.Flags[:len(u.Flags):len(u.Flags)], extra)
	}
	if e.out == nil {
		e.out = make([]report.URL, 0, min(e.max, 4))
	}
	e.out = append(e.out, u)
	idx := len(e.out) - 1
	if !pending && anchor != "" {
		e.setAnchor(idx, anchor)
	}
	return idx
}

// closeAnchor sets the anchor text of a pending entry and drops it when an
// identical (URL, source, anchor) entry was already recorded.
func (e *urlExtractor) closeAnchor(idx int, anchor string) {
	if idx < 0 || idx >= len(e.out) {
		return
	}
	u := &e.out[idx]
	k := urlKey{u.URL, u.Source, anchor}
	if _, dup := e.seen[k]; dup {
		u.Source = ""
		e.dead++
		return
	}
	if e.seen == nil {
		e.seen = make(map[urlKey]struct{})
	}
	e.seen[k] = struct{}{}
	e.setAnchor(idx, anchor)
}

// AnchorDomain returns the registered domain a link text shows as a URL
// or host name ("www.example.com/login" → example.com), or "".
func AnchorDomain(anchor string) string { return urlAnchorDomain(anchor) }

func (e *urlExtractor) setAnchor(idx int, anchor string) {
	u := &e.out[idx]
	u.AnchorText = anchor
	if anchor == "" {
		return
	}
	ad := urlAnchorDomain(anchor)
	if ad == "" {
		return
	}
	td := u.Domain
	if td == "" {
		td = u.Host
	}
	if td != "" && ad != td {
		u.Flags = append(u.Flags[:len(u.Flags):len(u.Flags)], FlagAnchorDomainMismatch)
	}
}

func (e *urlExtractor) finish() ([]report.URL, []string) {
	if e.dead > 0 {
		out := e.out[:0]
		for _, u := range e.out {
			if u.Source != "" {
				out = append(out, u)
			}
		}
		e.out = out
	}
	if len(e.out) == 0 {
		e.out = nil
	}
	return e.out, e.warnings
}

func urlCap(s string) string {
	if len(s) <= urlMaxLen {
		return s
	}
	return charset.TruncUTF8(s, urlMaxLen)
}

// ---------------------------------------------------------------------------
// Candidate scan over plain text.

// urlStop marks ASCII bytes that end a URL in running text.
var urlStop = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	t[0x7f] = true
	for _, c := range "<>\"'`" {
		t[c] = true
	}
	return t
}()

// urlStopRune reports whether the non-ASCII rune r ends a URL in text:
// CJK scripts, CJK and full-width punctuation, general punctuation (quotes,
// zero-width and bidi controls), spaces and invalid UTF-8.
func urlStopRune(r rune) bool {
	switch {
	case r == utf8.RuneError,
		r == 0x00A0, r == 0x00AB, r == 0x00BB, r == 0xFEFF,
		r >= 0x0080 && r <= 0x009F, // C1 controls
		r >= 0x2000 && r <= 0x206F, // general punctuation, zero-width, bidi
		r >= 0x2E80 && r <= 0x9FFF, // CJK radicals … unified ideographs, kana, CJK punctuation
		r >= 0xAC00 && r <= 0xD7AF, // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF, // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFFEF, // half/full-width forms
		r >= 0x20000:               // supplementary ideographs and beyond
		return true
	}
	return unicode.IsSpace(r)
}

// scanText finds URL candidates in s and adds them with source. With
// html set, the text is visible HTML text (already entity-decoded).
func (e *urlExtractor) scanText(s, source string, html bool) {
	urlScanText(s, func(raw string) bool {
		e.add(raw, source, "", "", false)
		return !e.full
	})
	_ = html
}

// urlScanText calls emit for each URL candidate in s, in order, until emit
// returns false. Candidates are "scheme://…" for http, https and ftp
// (any case) and bare "www.host.tld…"; the end is found by urlScanEnd.
func urlScanText(s string, emit func(raw string) bool) {
	i := 0
	nextSep, nextWWW := -2, -2
	for i < len(s) {
		if nextSep != -1 && nextSep < i {
			if j := strings.Index(s[i:], "://"); j >= 0 {
				nextSep = i + j
			} else {
				nextSep = -1
			}
		}
		if nextWWW != -1 && nextWWW < i {
			if j := strings.Index(s[i:], "www."); j >= 0 {
				nextWWW = i + j
			} else {
				nextWWW = -1
			}
		}
		var start, end int
		switch {
		case nextSep >= 0 && (nextWWW < 0 || nextSep < nextWWW):
			p := nextSep
			i = p + 3
			start = urlSchemeStart(s, p)
			if start < 0 {
				continue
			}
			if p+3 >= len(s) || !urlHostStartByte(s[p+3]) {
				continue
			}
			end = urlScanEnd(s, p+3)
			if end <= p+3 {
				continue
			}
		case nextWWW >= 0:
			p := nextWWW
			i = p + 4
			if p > 0 && urlWordByte(s[p-1]) {
				continue
			}
			end = urlScanEnd(s, p+4)
			host := s[p+4 : end]
			if k := strings.IndexAny(host, "/?#:"); k >= 0 {
				host = host[:k]
			}
			if d := strings.IndexByte(host, '.'); d <= 0 || d == len(host)-1 {
				i = max(end, i) // skip the token: keeps the scan linear
				continue
			}
			start = p
		default:
			return
		}
		i = end
		if !emit(s[start:end]) {
			return
		}
	}
}

// urlSchemeStart returns where the scheme ending at s[p] (just before
// "://") starts, or -1 when it is not http, https or ftp. Letters glued in
// front ("Linkhttps://") are not part of the scheme.
func urlSchemeStart(s string, p int) int {
	for _, sc := range [...]string{urlSchemeHTTPS, urlSchemeHTTP, urlSchemeFTP} {
		if p >= len(sc) && strings.EqualFold(s[p-len(sc):p], sc) {
			return p - len(sc)
		}
	}
	return -1
}

func urlHostStartByte(c byte) bool {
	return c >= utf8.RuneSelf || c == '[' || c == '%' || c == '_' ||
		('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// urlWordByte reports bytes that may not directly precede a bare "www.".
func urlWordByte(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') ||
		c == '.' || c == '-' || c == '_' || c == '@' || c == '/' || c == ':' || c == '%'
}

// urlScanEnd returns the end of the URL that starts before from: it stops
// at whitespace, controls, <>"'`, CJK and full-width punctuation, then
// trims trailing .,;:!?* and unbalanced closing brackets.
func urlScanEnd(s string, from int) int {
	j, limit := from, min(len(s), from+urlMaxLen)
	for j < limit {
		c := s[j]
		if c < utf8.RuneSelf {
			if urlStop[c] {
				break
			}
			j++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[j:])
		if urlStopRune(r) {
			break
		}
		j += n
	}
	// Closing brackets are kept only while balanced: count once, then
	// adjust while trimming (linear in the URL).
	var open, closed [3]int
	const brackets = "([{)]}"
	for k := from; k < j; k++ {
		if b := strings.IndexByte(brackets, s[k]); b >= 0 {
			if b < 3 {
				open[b]++
			} else {
				closed[b-3]++
			}
		}
	}
	for j > from {
		c := s[j-1]
		switch c {
		case '.', ',', ';', ':', '!', '?', '*':
			j--
			continue
		case ')', ']', '}':
			b := strings.IndexByte(brackets, c) - 3
			if open[b] < closed[b] {
				closed[b]--
				j--
				continue
			}
		}
		break
	}
	return j
}

// ---------------------------------------------------------------------------
// Normalisation.
