package urls

import (
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"golang.org/x/net/idna"
)

// Splitting and normalising one URL.

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
		s = charset.TruncUTF8(s, urlMaxLen)
	}
	p, ok := urlSplit(s)
	if !ok {
		return &urlInfo{}
	}
	if p.badHost {
		e.warn("unusual host name %q", charset.TruncUTF8(p.host, urlHostShowMax))
	}
	in := &urlInfo{ok: true, url: p.url, defanged: Defang(p.url)}
	t := &p
	var flags []string
	for range urlMaxUnwrap {
		target, flag := urlUnwrap(t)
		if flag != "" && !slices.Contains(flags, flag) {
			flags = append(flags, flag)
		}
		if target == "" {
			break
		}
		tp, ok := urlSplit(charset.TruncUTF8(strings.TrimSpace(target), urlMaxLen))
		if !ok {
			e.warn("cannot unwrap %s link to %q", strings.TrimPrefix(flag, "rewriter_"),
				charset.TruncUTF8(target, urlHostShowMax))
			break
		}
		t = &tp
		in.unwrapped = tp.url
	}
	in.target = t
	in.flags = e.flags(t, flags)
	return in
}
