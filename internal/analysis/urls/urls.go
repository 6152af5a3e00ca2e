package urls

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/fold"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
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
	return e.finish()
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
	return urlTruncUTF8(s, urlMaxLen)
}

// urlTruncUTF8 cuts s to at most n bytes without splitting a rune.
func urlTruncUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
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

// urlParts is a split, normalised absolute URL.
type urlParts struct {
	scheme      string // lower-case
	userinfo    string // without "@"; hasUser tells whether "@" was present
	hasUser     bool
	host        string // lower-case ASCII (punycode); "[v6]" for IPv6
	hostUnicode string // Unicode form of an IDN host
	port        string // "" when absent or default
	rest        string // path, query and fragment; starts with "/" when non-empty
	url         string // reassembled
	domain      string // registered domain; "" for IPs and public suffixes
	ip          bool
	ipOdd       bool
	badHost     bool
}

// urlSplit splits and normalises s. ok is false when s is not an absolute
// http, https or ftp URL (or a bare "www." name) with a host.
func urlSplit(s string) (p urlParts, ok bool) {
	switch {
	case len(s) >= 4 && strings.EqualFold(s[:4], "www."):
		p.scheme = urlSchemeHTTP
	case strings.HasPrefix(s, "//") || strings.HasPrefix(s, `\\`):
		p.scheme = urlSchemeHTTPS
		s = s[2:]
	default:
		c := strings.IndexByte(s, ':')
		if c <= 0 {
			return p, false
		}
		switch sc := s[:c]; {
		case strings.EqualFold(sc, urlSchemeHTTP):
			p.scheme = urlSchemeHTTP
		case strings.EqualFold(sc, urlSchemeHTTPS):
			p.scheme = urlSchemeHTTPS
		case strings.EqualFold(sc, urlSchemeFTP):
			p.scheme = urlSchemeFTP
		default:
			return p, false
		}
		s = s[c+1:]
		// Browsers accept any number of slashes or backslashes here.
		for len(s) > 0 && (s[0] == '/' || s[0] == '\\') {
			s = s[1:]
		}
	}
	end := urlIndexAny(s, &urlAuthEnd)
	if end < 0 {
		end = len(s)
	}
	auth, rest := s[:end], s[end:]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		p.hasUser = true
		p.userinfo = auth[:at]
		auth = auth[at+1:]
	}
	host := auth
	if strings.HasPrefix(auth, "[") {
		if rb := strings.IndexByte(auth, ']'); rb > 0 {
			host = auth[:rb+1]
			if tail := auth[rb+1:]; strings.HasPrefix(tail, ":") {
				p.port = tail[1:]
			}
		}
	} else if c := strings.LastIndexByte(auth, ':'); c >= 0 {
		host, p.port = auth[:c], auth[c+1:]
	}
	switch p.port {
	case "":
	case "80":
		if p.scheme == urlSchemeHTTP {
			p.port = ""
		}
	case "443":
		if p.scheme == urlSchemeHTTPS {
			p.port = ""
		}
	case "21":
		if p.scheme == urlSchemeFTP {
			p.port = ""
		}
	}
	if p.port != "" {
		if n, err := strconv.Atoi(p.port); err == nil && n >= 0 && n <= 65535 {
			p.port = strconv.Itoa(n)
		}
	}
	p.normHost(host)
	if p.host == "" {
		return p, false
	}
	if strings.IndexByte(rest, '\\') >= 0 {
		q := strings.IndexAny(rest, "?#")
		if q < 0 {
			q = len(rest)
		}
		rest = strings.ReplaceAll(rest[:q], `\`, "/") + rest[q:]
	}
	if rest == "" || rest[0] != '/' {
		rest = "/" + rest
	}
	p.rest = rest
	var b strings.Builder
	b.Grow(len(p.scheme) + 3 + len(p.userinfo) + 1 + len(p.host) + 6 + len(rest))
	b.WriteString(p.scheme)
	b.WriteString("://")
	if p.hasUser {
		b.WriteString(p.userinfo)
		b.WriteByte('@')
	}
	b.WriteString(p.host)
	if p.port != "" {
		b.WriteByte(':')
		b.WriteString(p.port)
	}
	b.WriteString(rest)
	p.url = b.String()
	if !p.ip {
		if d, err := domain.EffectiveTLDPlusOne(p.host); err == nil {
			p.domain = d
		}
	}
	return p, true
}

// normHost fills host, hostUnicode, ip, ipOdd and badHost from a raw host.
func (p *urlParts) normHost(h string) {
	if strings.IndexByte(h, '%') >= 0 {
		if d, err := url.PathUnescape(h); err == nil && utf8.ValidString(d) {
			h = d
		}
	}
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		a, err := netip.ParseAddr(h[1 : len(h)-1])
		if err != nil {
			p.host, p.badHost = strings.ToLower(h), true
			return
		}
		p.host, p.ip = "["+a.Unmap().String()+"]", true
		if a.Is4In6() {
			p.host = a.Unmap().String()
		}
		return
	}
	ascii := true
	for i := 0; i < len(h); i++ {
		if h[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		a, err := idna.Lookup.ToASCII(h)
		if err != nil {
			a, err = idna.Punycode.ToASCII(strings.ToLower(h))
		}
		if err != nil {
			p.host, p.badHost = strings.ToLower(h), true
			return
		}
		p.hostUnicode = strings.TrimSuffix(strings.ToLower(h), ".")
		h = a
	}
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	p.host = h
	if h == "" {
		return
	}
	if c := h[len(h)-1]; '0' <= c && c <= '9' || strings.Contains(h[strings.LastIndexByte(h, '.')+1:], "0x") {
		if a, canonical, ok := urlParseIPv4(h); ok {
			p.host, p.ip, p.ipOdd = a.String(), true, !canonical
			return
		}
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_') {
			p.badHost = true
			break
		}
	}
	if ascii && strings.Contains(h, "xn--") {
		if u, err := idna.Punycode.ToUnicode(h); err == nil {
			p.hostUnicode = u
		}
	}
}

// urlParseIPv4 parses a host the way WHATWG URL does: 1–4 dot-separated
// numbers, each decimal, 0x-hex or 0-octal, the last one filling the
// remaining bytes. canonical is true for plain dotted-quad decimal.
func urlParseIPv4(h string) (a netip.Addr, canonical bool, ok bool) {
	parts := strings.Split(h, ".")
	if len(parts) > 4 {
		return a, false, false
	}
	nums := make([]uint64, 0, 4)
	canonical = len(parts) == 4
	for _, s := range parts {
		if s == "" {
			return a, false, false
		}
		base := 10
		switch {
		case len(s) >= 2 && (s[:2] == "0x"):
			base, s = 16, s[2:]
			canonical = false
		case len(s) >= 2 && s[0] == '0':
			base, s = 8, s[1:]
			canonical = false
		}
		var n uint64
		if s != "" {
			v, err := strconv.ParseUint(s, base, 32)
			if err != nil {
				return a, false, false
			}
			n = v
		}
		nums = append(nums, n)
	}
	var v uint64
	for i, n := range nums[:len(nums)-1] {
		if n > 255 {
			return a, false, false
		}
		v |= n << (8 * (3 - i))
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return a, false, false
	}
	v |= last
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), canonical, true
}

// normalize turns one raw URL into its shared urlInfo: split, unwrap,
// flags and defanged form.
func (e *urlExtractor) normalize(raw string) *urlInfo {
	s := strings.TrimSpace(raw)
	if strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\r') >= 0 || strings.IndexByte(s, '\t') >= 0 {
		s = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(s)
	}
	if strings.Contains(s, "&amp;") {
		s = strings.ReplaceAll(s, "&amp;", "&")
	}
	if len(s) > urlMaxLen {
		e.warn("URL longer than %d bytes truncated", urlMaxLen)
		s = urlTruncUTF8(s, urlMaxLen)
	}
	p, ok := urlSplit(s)
	if !ok {
		return &urlInfo{}
	}
	if p.badHost {
		e.warn("unusual host name %q", urlTruncUTF8(p.host, urlHostShowMax))
	}
	in := &urlInfo{ok: true, url: p.url, defanged: Defang(p.url)}
	t := &p
	var flags []string
	for range urlMaxUnwrap {
		target, flag := urlUnwrap(t)
		if flag != "" && !urlHas(flags, flag) {
			flags = append(flags, flag)
		}
		if target == "" {
			break
		}
		tp, ok := urlSplit(urlTruncUTF8(strings.TrimSpace(target), urlMaxLen))
		if !ok {
			e.warn("cannot unwrap %s link to %q", strings.TrimPrefix(flag, "rewriter_"),
				urlTruncUTF8(target, urlHostShowMax))
			break
		}
		t = &tp
		in.unwrapped = tp.url
	}
	in.target = t
	in.flags = e.flags(t, flags)
	return in
}

func urlHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// flags computes the flags of one (target) URL, appended to pre.
func (e *urlExtractor) flags(p *urlParts, pre []string) []string {
	f := pre
	if p.ip {
		f = append(f, FlagIPLiteralHost)
		if p.ipOdd {
			f = append(f, FlagIPObfuscated)
		}
	} else if _, ok := EncodedIP(p.host); ok {
		f = append(f, FlagIPEncodedHost)
	}
	if strings.Contains(p.host, "xn--") {
		f = append(f, FlagPunycode)
		if urlMixedScript(p.hostUnicode) {
			f = append(f, FlagIDNMixedScript)
		}
	}
	if p.hasUser {
		f = append(f, FlagUserinfo)
	}
	if p.port != "" {
		f = append(f, FlagNonstandardPort)
	}
	if p.scheme == urlSchemeHTTP && urlCredentialPath(p.rest) {
		f = append(f, FlagHTTPCredentialPath)
	}
	if len(p.url) > urlLongThreshold {
		f = append(f, FlagLongURL)
	}
	if e.recipientIn(p.url) {
		f = append(f, FlagRecipientInQuery)
	}
	if !p.ip {
		if urlHostIn(p.host, urlShorteners) {
			f = append(f, FlagShortener)
		}
		if urlFreeHost(p) {
			f = append(f, FlagFreeHosting)
		}
		if tld := p.host[strings.LastIndexByte(p.host, '.')+1:]; urlHostIn(tld, urlSuspiciousTLDs) {
			f = append(f, FlagSuspiciousTLD)
		}
	}
	if urlOpenRedirect(p.rest) {
		f = append(f, FlagOpenRedirectParam)
	}
	return f
}

func urlFreeHost(p *urlParts) bool {
	if urlHostIn(p.host, urlFreeHosting) {
		return true
	}
	// bucket.s3.region.amazonaws.com, s3-website-region.amazonaws.com
	if strings.HasSuffix(p.host, ".amazonaws.com") {
		for _, l := range strings.Split(strings.TrimSuffix(p.host, ".amazonaws.com"), ".") {
			if strings.HasPrefix(l, "s3") {
				return true
			}
		}
	}
	if strings.HasPrefix(p.host, "ipfs.") || strings.Contains(p.host, ".ipfs.") {
		return true
	}
	return strings.HasPrefix(p.rest, "/ipfs/") || strings.HasPrefix(p.rest, "/ipns/")
}

// urlCredentialMatcher finds urlCredentialWords (all lower-case ASCII) in
// one pass.
var (
	urlCredentialOnce    sync.Once
	urlCredentialMatcher *fold.Matcher
)

func urlCredentialPath(rest string) bool {
	if len(rest) > urlCredentialCap {
		rest = rest[:urlCredentialCap]
	}
	// The fold.Matcher folds ASCII case itself; strings.ToLower differs from
	// that only on non-ASCII text (U+212A is 'k', U+0130 'i').
	l := rest
	if !charset.IsASCII(rest) {
		l = strings.ToLower(rest)
	}
	urlCredentialOnce.Do(func() {
		pats := make([][]byte, len(urlCredentialWords))
		for i, w := range urlCredentialWords {
			pats[i] = []byte(w)
		}
		urlCredentialMatcher = fold.NewMatcher(pats)
	})
	found := false
	urlCredentialMatcher.Scan(l, func(int, int, int) bool {
		found = true
		return false
	})
	if found {
		return true
	}
	if q := strings.IndexByte(l, '?'); q >= 0 {
		l = l[:q]
	}
	return len(l) >= len("/owa") && htmlEqualFold(l[len(l)-len("/owa"):], "/owa")
}

// recipientIn reports whether one of the recipients' addresses appears in
// u: as is, %-encoded (any case) or base64 (standard or URL alphabet,
// unpadded, the part of the encoding that does not depend on what follows).
func (e *urlExtractor) recipientIn(u string) bool {
	recips := e.recipients()
	if len(recips) == 0 {
		return false
	}
	// The address itself needs an "@", raw or %-encoded; without one only
	// the base64 forms can be there.
	if strings.IndexByte(u, '@') < 0 && !strings.Contains(u, "%40") {
		for _, r := range recips {
			if r.b64std != "" && (strings.Contains(u, r.b64std) || strings.Contains(u, r.b64url)) {
				return true
			}
		}
		return false
	}
	if strings.IndexByte(u, '@') < 0 && !strings.Contains(u, "%40") {
		// No address can be in u, raw or %-encoded ('@' is only ever
		// itself or %40, and lower-casing does not make one): only the
		// base64 forms are left to look for.
		for _, r := range e.recips {
			if r.b64std != "" && (strings.Contains(u, r.b64std) || r.b64url != r.b64std && strings.Contains(u, r.b64url)) {
				return true
			}
		}
		return false
	}
	l := strings.ToLower(u)
	var dec string
	if strings.IndexByte(l, '%') >= 0 {
		if d, err := url.QueryUnescape(l); err == nil {
			dec = d
		} else if d, err := url.PathUnescape(l); err == nil {
			dec = d
		}
	}
	for _, r := range recips {
		if strings.Contains(l, r.addr) || dec != "" && strings.Contains(dec, r.addr) {
			return true
		}
		if r.b64std != "" && (strings.Contains(u, r.b64std) || strings.Contains(u, r.b64url)) {
			return true
		}
	}
	return false
}

// urlAuthEnd and urlQueryStart mark the bytes that end the authority of a
// URL (`/?#\`) and that start its query or fragment ("?#").
var (
	urlAuthEnd    = [256]bool{'/': true, '?': true, '#': true, '\\': true}
	urlQueryStart = [256]bool{'?': true, '#': true}
)

// urlIndexAny is strings.IndexAny for a set of ASCII bytes given as a
// table (IndexAny builds its own table on every call).
func urlIndexAny(s string, set *[256]bool) int {
	for i := 0; i < len(s); i++ {
		if set[s[i]] {
			return i
		}
	}
	return -1
}

// urlQuery returns the query of rest (between "?" and "#").
func urlQuery(rest string) string {
	q := strings.IndexByte(rest, '?')
	if q < 0 {
		return ""
	}
	s := rest[q+1:]
	if h := strings.IndexByte(s, '#'); h >= 0 {
		s = s[:h]
	}
	return s
}

// urlParam returns the raw (still escaped) value of the first query
// parameter named name (ASCII case-insensitive).
func urlParam(query, name string) (string, bool) {
	for query != "" {
		var kv string
		kv, query, _ = strings.Cut(query, "&")
		k, v, _ := strings.Cut(kv, "=")
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

func urlParamDecoded(query, name string) string {
	v, ok := urlParam(query, name)
	if !ok {
		return ""
	}
	if d, err := url.QueryUnescape(v); err == nil {
		return d
	}
	return v
}

func urlIsAbsHTTP(s string) bool {
	return len(s) > 8 && (strings.EqualFold(s[:7], "http://") || strings.EqualFold(s[:8], "https://"))
}

// urlOpenRedirect reports whether a query parameter from urlRedirectParams
// carries an absolute http(s) URL.
func urlOpenRedirect(rest string) bool {
	q := urlQuery(rest)
	if q == "" || indexFoldASCII(q, "http") < 0 { // as ToLower: no other rune lower-cases to "http"
		return false
	}
	for q != "" {
		var kv string
		kv, q, _ = strings.Cut(q, "&")
		k, v, _ := strings.Cut(kv, "=")
		if _, ok := urlRedirectParams[strings.ToLower(k)]; !ok {
			continue
		}
		if d, err := url.QueryUnescape(v); err == nil {
			v = d
		}
		if urlIsAbsHTTP(strings.TrimSpace(v)) {
			return true
		}
	}
	return false
}

// urlUnwrap recognises a known link rewriter. It returns the wrapped
// target ("" when it cannot be recovered) and the rewriter's flag (""
// when p is not a known rewriter).
func urlUnwrap(p *urlParts) (target, flag string) {
	h, path := p.host, p.rest
	if i := urlIndexAny(path, &urlQueryStart); i >= 0 {
		path = path[:i]
	}
	switch {
	case strings.HasSuffix(h, ".safelinks.protection.outlook.com") || h == "safelinks.protection.outlook.com" ||
		strings.HasSuffix(h, ".safelinks.protection.office365.us"):
		return urlParamDecoded(urlQuery(p.rest), "url"), FlagRewriterSafeLinks
	case h == "urldefense.proofpoint.com" || h == "urldefense.com" || h == "urldefense.us":
		return urlProofpoint(p.rest), FlagRewriterProofpoint
	case p.domain == "mimecast.com" && (strings.HasPrefix(h, "protect") || strings.HasPrefix(path, "/s/")):
		return "", FlagRewriterMimecast
	case strings.HasPrefix(p.domain, "google.") && (h == p.domain || h == "www."+p.domain) && path == "/url":
		q := urlQuery(p.rest)
		t := urlParamDecoded(q, "q")
		if !urlIsAbsHTTP(t) {
			t = urlParamDecoded(q, "url")
		}
		if !urlIsAbsHTTP(t) {
			return "", ""
		}
		return t, FlagRewriterGoogle
	case (h == "l.facebook.com" || h == "lm.facebook.com" || h == "l.messenger.com" || h == "l.instagram.com") &&
		path == "/l.php":
		return urlParamDecoded(urlQuery(p.rest), "u"), FlagRewriterFacebook
	case h == "linkprotect.cudasvc.com" && path == "/url":
		return urlParamDecoded(urlQuery(p.rest), "a"), FlagRewriterBarracuda
	}
	return "", ""
}

// urlProofpoint decodes Proofpoint URL Defense links:
//
//	v1: /v1/url?u=<%-encoded URL>&k=…
//	v2: /v2/url?u=<URL with "-" for "%" and "_" for "/">&d=…
//	v3: /v3/__<URL with "*" placeholders>__;<base64url of the replaced characters>!!…
//
// In v3 a "*" stands for the next replaced character and "**X" for a run
// of them whose length is given by X in A–Z a–z 0–9 - _ (A = 2, B = 3, …).
func urlProofpoint(rest string) string {
	switch {
	case strings.HasPrefix(rest, "/v1/url"):
		return urlParamDecoded(urlQuery(rest), "u")
	case strings.HasPrefix(rest, "/v2/url"):
		v, ok := urlParam(urlQuery(rest), "u")
		if !ok {
			return ""
		}
		v = strings.NewReplacer("-", "%", "_", "/").Replace(v)
		if d, err := url.PathUnescape(v); err == nil {
			return d
		}
		return ""
	case strings.HasPrefix(rest, "/v3/__"):
		s := rest[len("/v3/__"):]
		end := strings.Index(s, "__;")
		if end < 0 {
			return ""
		}
		enc, tail := s[:end], s[end+3:]
		if b := strings.IndexByte(tail, '!'); b >= 0 {
			tail = tail[:b]
		}
		if d, err := url.PathUnescape(enc); err == nil {
			enc = d
		}
		if strings.IndexByte(enc, '*') < 0 {
			return enc
		}
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(tail, "="))
		if err != nil || !utf8.Valid(raw) {
			return ""
		}
		repl := []rune(string(raw))
		var b strings.Builder
		k := 0
		for i := 0; i < len(enc); i++ {
			if enc[i] != '*' {
				b.WriteByte(enc[i])
				continue
			}
			n := 1
			if i+2 < len(enc) && enc[i+1] == '*' {
				n = strings.IndexByte(urlPPRunChars, enc[i+2]) + 2
				if n < 2 {
					return ""
				}
				i += 2
			}
			if k+n > len(repl) {
				return ""
			}
			b.WriteString(string(repl[k : k+n]))
			k += n
		}
		return b.String()
	}
	return ""
}

const urlPPRunChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// ---------------------------------------------------------------------------
// Host heuristics.

// EncodedIP reports whether host, a host name (not an IP literal), spells
// an IPv4 address in its labels, and returns it:
//
//   - four dash-separated octets in one label, alone or with a prefix or
//     suffix: "34-227-30-224.cprapid.com", "ec2-3-4-5-6.compute-1.amazonaws.com",
//     "ip-10-0-0-1.ec2.internal";
//   - four consecutive all-digit labels: "121.50.46.57.nip.io";
//   - a label "0x" + 8 hex digits anywhere, or 8 hex digits under a
//     wildcard-IP DNS service (nip.io, sslip.io…): "0x22e31ee0.example".
//
// An IP literal host returns false.
func EncodedIP(host string) (netip.Addr, bool) {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" || strings.HasPrefix(host, "[") {
		return netip.Addr{}, false
	}
	if _, ok := domain.ParseAddr(host); ok {
		return netip.Addr{}, false
	}
	var oct [4]byte
	run := 0
	for rest := host; ; {
		dot := strings.IndexByte(rest, '.')
		if dot < 0 {
			break // the TLD is never part of an encoding
		}
		l, parent := rest[:dot], rest[dot+1:]
		rest = parent
		if n, ok := urlOctet(l); ok {
			oct[run] = byte(n)
			run++
			if run == 4 {
				return netip.AddrFrom4(oct), true
			}
		} else {
			run = 0
		}
		if strings.IndexByte(l, '-') >= 0 {
			if a, ok := urlDashedIP(l); ok {
				return a, true
			}
		}
		if hx, ok := strings.CutPrefix(l, "0x"); ok && len(hx) == 8 {
			if a, ok := urlHexIP(hx); ok {
				return a, true
			}
		}
		if len(l) == 8 && urlHostIn(parent, urlWildcardIPDNS) {
			if a, ok := urlHexIP(l); ok {
				return a, true
			}
		}
	}
	return netip.Addr{}, false
}

func urlOctet(s string) (int, bool) {
	if s == "" || len(s) > 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, n <= 255
}

// urlDashedIP finds four dash-separated octets in label l, delimited by
// the label's ends or by dashes.
func urlDashedIP(l string) (netip.Addr, bool) {
	if strings.Count(l, "-") < 3 {
		return netip.Addr{}, false
	}
	f := strings.Split(l, "-")
	for i := 0; i+4 <= len(f); i++ {
		var b [4]byte
		ok := true
		for k := range 4 {
			n, good := urlOctet(f[i+k])
			if !good {
				ok = false
				break
			}
			b[k] = byte(n)
		}
		if ok {
			return netip.AddrFrom4(b), true
		}
	}
	return netip.Addr{}, false
}

func urlHexIP(s string) (netip.Addr, bool) {
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

// urlMixedScript reports whether a label of the Unicode host mixes Latin
// letters with Cyrillic, Greek, Armenian or Cherokee, or Cyrillic with
// Greek: the usual homograph constructions.
func urlMixedScript(host string) bool {
	const (
		latin = 1 << iota
		cyrillic
		greek
		armenian
		cherokee
	)
	for _, label := range strings.Split(host, ".") {
		m := 0
		for _, r := range label {
			switch {
			case r < utf8.RuneSelf:
				if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
					m |= latin
				}
			case unicode.Is(unicode.Latin, r):
				m |= latin
			case unicode.Is(unicode.Cyrillic, r):
				m |= cyrillic
			case unicode.Is(unicode.Greek, r):
				m |= greek
			case unicode.Is(unicode.Armenian, r):
				m |= armenian
			case unicode.Is(unicode.Cherokee, r):
				m |= cherokee
			}
		}
		if m&latin != 0 && m&^latin != 0 || m&cyrillic != 0 && m&greek != 0 {
			return true
		}
	}
	return false
}

// urlAnchorDomain returns the registered domain (or IP) that link text
// shows when it looks like a URL or a bare domain ("https://secure.kagoya.jp/…",
// "www.paypal.com", "Amazon.co.jp"), else "".
func urlAnchorDomain(text string) string {
	t := strings.TrimSpace(text)
	var cand string
	bare := false
	if strings.Contains(t, "://") || indexFoldASCII(t, "www.") >= 0 { // as ToLower: no other rune lower-cases to "www."
		urlScanText(t, func(raw string) bool {
			cand = raw
			return false
		})
	} else if t != "" && !strings.ContainsAny(t, " \t\r\n") && strings.IndexByte(t, '.') > 0 && !strings.Contains(t, "@") {
		cand, bare = "http://"+strings.TrimRight(t, ".,;:!?"), true
	}
	if cand == "" {
		return ""
	}
	p, ok := urlSplit(cand)
	if !ok || p.badHost {
		return ""
	}
	if p.ip {
		return p.host
	}
	if _, icann := publicsuffix.PublicSuffix(p.host); bare && !icann {
		return "" // "file.pdf", "Mr.Smith"
	}
	return p.domain
}

// urlLooksHTML tells HTML (or SVG) attachments from plain text ones by
// declared or sniffed type, file name, then content.
func urlLooksHTML(a *report.Attachment) bool {
	for _, t := range [...]string{a.DeclaredType, a.SniffedType} {
		t = strings.ToLower(t)
		if strings.Contains(t, "html") || strings.Contains(t, "svg") || strings.Contains(t, "xml") {
			return true
		}
	}
	n := strings.ToLower(a.Name)
	for _, ext := range [...]string{".htm", ".html", ".shtml", ".xhtml", ".svg", ".hta", ".mht"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	head := strings.ToLower(urlTruncUTF8(a.Text, urlMaxAttachSniff))
	for _, m := range [...]string{"<html", "<!doctype", "<body", "<form", "<a ", "<script", "<meta", "<div", "<svg"} {
		if strings.Contains(head, m) {
			return true
		}
	}
	return false
}
