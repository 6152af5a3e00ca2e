package urls

import (
	"encoding/base64"
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
	"github.com/triage-tools/triage/internal/analysis/report"
	"golang.org/x/net/publicsuffix"
)

// URL flags: hosts, paths and queries that phishing uses, rewriters, and hosts that encode an IP address.

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
	head := strings.ToLower(charset.TruncUTF8(a.Text, urlMaxAttachSniff))
	for _, m := range [...]string{"<html", "<!doctype", "<body", "<form", "<a ", "<script", "<meta", "<div", "<svg"} {
		if strings.Contains(head, m) {
			return true
		}
	}
	return false
}
