// Package domain holds what the analysis knows about host and domain
// names: the registered domain (eTLD+1, one implementation for analysis,
// store and enrich), e-mail address domains, IP literals, free-mail
// providers and matching against configured host lists.
package domain

import (
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// ParseAddr is netip.ParseAddr without the cost of a failure: netip
// allocates an error for every string that is not an address, and most
// strings checked here are host names. A string without a colon (so not
// IPv6) is rejected early unless it is all digits and dots.
func ParseAddr(s string) (netip.Addr, bool) {
	if s == "" || len(s) > 64 {
		return netip.Addr{}, false
	}
	if strings.IndexByte(s, ':') < 0 { // IPv4: digits and dots only
		for i := 0; i < len(s); i++ {
			if c := s[i]; (c < '0' || c > '9') && c != '.' {
				return netip.Addr{}, false
			}
		}
	}
	a, err := netip.ParseAddr(s)
	return a, err == nil
}

// etldMemo caches publicsuffix.EffectiveTLDPlusOne: the same few thousand
// host names recur across a mailbox, and each call costs a list walk plus
// an allocated error from the library's IP check. Bounded by etldN.
var (
	etldMemo sync.Map // host → etldAnswer
	etldN    atomic.Int64
)

type etldAnswer struct {
	d   string
	err error
}

const maxETLDMemo = 200_000

// memoOff disables the memo caches (EffectiveTLDPlusOne here, the brand
// lookalike memo). Fuzz targets set it: a cache hit skips code, so
// coverage would depend on the inputs run before and the fuzzer's
// minimisation would never settle.
var memoOff atomic.Bool

// SetMemo turns the memo caches on (the default) or off. Only fuzz targets
// turn them off; the answers are the same either way.
func SetMemo(on bool) { memoOff.Store(!on) }

// MemoOn reports whether memo caches may be used (see SetMemo).
func MemoOn() bool { return !memoOff.Load() }

// EffectiveTLDPlusOne is publicsuffix.EffectiveTLDPlusOne, memoised. Safe for
// concurrent use; the answers are a pure function of the input.
func EffectiveTLDPlusOne(host string) (string, error) {
	if memoOff.Load() {
		return publicsuffix.EffectiveTLDPlusOne(host)
	}
	if v, ok := etldMemo.Load(host); ok {
		a := v.(etldAnswer)
		return a.d, a.err
	}
	if etldN.Load() >= maxETLDMemo || len(host) > 253 {
		return publicsuffix.EffectiveTLDPlusOne(host)
	}
	// The memo outlives the call: keep a copy, not the caller's string
	// (which may view a reused buffer, as the analyzer's folded text does;
	// a key changed in place corrupts the map).
	host = strings.Clone(host)
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	etldN.Add(1)
	etldMemo.Store(host, etldAnswer{d, err})
	return d, err
}

// Registered returns the registered domain (eTLD+1, publicsuffix list) of
// host, lower-cased and without a trailing dot. It returns "" for an empty
// host or an IP address (bracketed or not), and host itself (lower-cased)
// when it has no registered domain, e.g. a bare public suffix ("co.jp") or
// a single label ("localhost").
func Registered(host string) string {
	h := Canon(host)
	if h == "" || IsIPLiteral(h) {
		return ""
	}
	d, err := EffectiveTLDPlusOne(h)
	if err != nil {
		return h
	}
	return d
}

// RegisteredOrSelf returns the registered domain (eTLD+1, as Registered)
// of name lower-cased with strings.ToLower and without one trailing dot,
// or that lower-cased name itself when the list gives none (a bare
// suffix, a single label, an IP address, an empty label). Unlike
// Registered it neither trims space nor recognises bracketed IP literals
// ("[192.0.2.1]" gives "2.1]"): it is the sender domain of the store's
// list rows, kept as it was so that stored rows and their search do not
// change.
func RegisteredOrSelf(name string) string {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if d, err := EffectiveTLDPlusOne(name); err == nil {
		return d
	}
	return name
}

// RegisteredICANN returns the domain a registrar registered for host:
// the ICANN public suffix plus one label. Unlike Registered it ignores the
// private section of the Public Suffix List, so
// "34-227-30-224.cprapid.com" gives "cprapid.com" (the name RDAP knows),
// and it returns "" for IP addresses, bare suffixes and names that are
// not ValidDNSName after lower-casing, trimming space and one trailing
// dot. Online enrichment (RDAP) uses it.
func RegisteredICANN(host string) string {
	host = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(host), "."))
	if !ValidDNSName(host) {
		return ""
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return ""
	}
	prev := -1 // start of the label before s
	for i := 0; ; {
		s := host[i:]
		if ps, icann := publicsuffix.PublicSuffix(s); ps == s && (icann || !strings.Contains(s, ".")) {
			if prev < 0 {
				return "" // host is itself a suffix
			}
			return host[prev:]
		}
		j := strings.IndexByte(s, '.')
		if j < 0 {
			return ""
		}
		prev, i = i, i+j+1
	}
}

// ValidDNSName reports an ASCII (punycode) lower-case DNS name of letters,
// digits, hyphens, underscores and dots, at most 253 bytes, with a dot,
// not starting with a dot and without an empty label inside.
func ValidDNSName(h string) bool {
	if len(h) == 0 || len(h) > 253 || !strings.Contains(h, ".") || h[0] == '.' || strings.Contains(h, "..") {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// placeholderHosts is the one list of host names that name no real
// Internet host: loopback names of RFC 6761 and operating-system defaults,
// and the example domains of RFC 2606. helo marks the names that also
// count as an announced HELO name (IsPlaceholderHELO); the others are
// dot-less (the HELO check catches every dot-less name by its own rule) or
// have never been counted there.
var placeholderHosts = [...]struct {
	name string
	helo bool
}{
	{"localhost", true},
	{"localhost.localdomain", true},
	{"localdomain", false},
	{"localhost6", false},
	{"localhost6.localdomain6", false},
	{"example.com", false},
	{"example.net", false},
	{"example.org", false},
}

// IsPlaceholderMsgIDHost reports a Message-ID host that no configured
// sender uses: after Canon, a name of placeholderHosts, a name under
// .localdomain or .localhost, or one starting with "localhost." (suffix
// and prefix rules: mail software appends the machine's own domain).
// Dot-less and LAN names are common in legitimate mail from desktop
// clients and are not counted.
func IsPlaceholderMsgIDHost(host string) bool {
	h := Canon(host)
	for _, p := range placeholderHosts {
		if h == p.name {
			return true
		}
	}
	return strings.HasSuffix(h, ".localdomain") || strings.HasSuffix(h, ".localhost") ||
		strings.HasPrefix(h, "localhost.")
}

// IsPlaceholderHELO reports a HELO name equal (strings.EqualFold, no
// trimming: the caller trims as the Received parser does) to a
// placeholderHosts name marked helo. Exact names only: a suffix rule would
// make "x.localdomain" a placeholder HELO, which it has never been. The
// Received parser adds its own rules (IP literals, dot-less names).
func IsPlaceholderHELO(name string) bool {
	for _, p := range placeholderHosts {
		if p.helo && strings.EqualFold(name, p.name) {
			return true
		}
	}
	return false
}

// OfAddress returns the lower-cased domain of an e-mail address: the part
// after the last '@', without angle brackets, a trailing dot or a
// surrounding quote. It returns "" when addr has no '@' or nothing after it.
func OfAddress(addr string) string {
	addr = strings.TrimSpace(addr)
	addr = strings.TrimSuffix(strings.TrimPrefix(addr, "<"), ">")
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	d := strings.Trim(addr[i+1:], "\"' ")
	return Canon(d)
}

// isIPLiteral reports an IPv4/IPv6 address, optionally in brackets, with
// an optional "IPv6:" tag (RFC 5321 address literal).
func IsIPLiteral(h string) bool {
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
		if len(h) > 5 && strings.EqualFold(h[:5], "ipv6:") {
			h = h[5:]
		}
	}
	_, ok := ParseAddr(h)
	return ok
}

// freemailDomains are registered domains of mailbox providers where
// anyone can get an address (including Japanese carrier mail).
var freemailDomains = map[string]bool{
	"gmail.com": true, "googlemail.com": true,
	"yahoo.com": true, "yahoo.co.jp": true, "ymail.com": true, "rocketmail.com": true,
	"yahoo.co.uk": true, "yahoo.fr": true, "yahoo.de": true, "yahoo.es": true, "yahoo.it": true,
	"yahoo.com.br": true, "yahoo.ca": true, "yahoo.com.au": true, "yahoo.in": true,
	"outlook.com": true, "outlook.jp": true, "hotmail.com": true, "hotmail.co.jp": true,
	"hotmail.co.uk": true, "hotmail.fr": true, "hotmail.de": true, "hotmail.it": true,
	"hotmail.es": true, "live.com": true, "live.jp": true, "live.co.uk": true, "live.fr": true,
	"msn.com": true, "aol.com": true, "aim.com": true,
	"icloud.com": true, "me.com": true, "mac.com": true,
	"mail.ru": true, "bk.ru": true, "list.ru": true, "inbox.ru": true,
	"yandex.ru": true, "yandex.com": true, "ya.ru": true,
	"gmx.com": true, "gmx.de": true, "gmx.net": true, "gmx.at": true, "gmx.ch": true, "web.de": true,
	"proton.me": true, "protonmail.com": true, "pm.me": true, "tutanota.com": true, "tuta.io": true,
	"zoho.com": true, "zohomail.com": true, "mail.com": true, "fastmail.com": true,
	"qq.com": true, "163.com": true, "126.com": true, "yeah.net": true, "sina.com": true,
	"sina.cn": true, "sohu.com": true, "aliyun.com": true, "foxmail.com": true,
	"naver.com": true, "daum.net": true, "hanmail.net": true,
	"docomo.ne.jp": true, "ezweb.ne.jp": true, "au.com": true, "softbank.ne.jp": true,
	"i.softbank.jp": true, "ymobile.ne.jp": true, "rakuten.jp": true,
	"seznam.cz": true, "wp.pl": true, "o2.pl": true, "interia.pl": true, "libero.it": true,
	"orange.fr": true, "laposte.net": true, "free.fr": true, "t-online.de": true,
	"uol.com.br": true, "bol.com.br": true, "terra.com.br": true, "rediffmail.com": true,
}

// IsFreemail reports whether domain (a registered domain or host name,
// any case) belongs to a free or consumer mailbox provider. ISP domains
// whose addresses come with a paid contract (nifty.com, ocn.ne.jp …) are
// not freemail.
func IsFreemail(domain string) bool {
	d := Canon(domain)
	if freemailDomains[d] {
		return true
	}
	// Host names below a freemail domain (e.g. "i.softbank.jp" is listed
	// itself, "mail.yahoo.co.jp" is not).
	if o := Registered(d); o != d && freemailDomains[o] {
		return true
	}
	return false
}

// Canon lower-cases h and strips one trailing dot and surrounding
// space.
func Canon(h string) string {
	h = strings.TrimSpace(h)
	h = strings.TrimSuffix(h, ".")
	for i := 0; i < len(h); i++ {
		if c := h[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(h)
		}
	}
	return h
}

// MatchHost reports whether host equals one of names or is a subdomain of
// one, case-insensitively.
func MatchHost(host string, names []string) bool {
	for _, n := range names {
		n = strings.TrimSuffix(n, ".")
		if n == "" {
			continue
		}
		if strings.EqualFold(host, n) {
			return true
		}
		if len(host) > len(n) && host[len(host)-len(n)-1] == '.' && strings.EqualFold(host[len(host)-len(n):], n) {
			return true
		}
	}
	return false
}

// umlautSpelling maps the German letters with diacritics to their standard
// two-letter spellings (DIN 5007-2; ß to ss): a German organisation commonly
// holds both ökoligenta.de and oekoligenta.de for one name.
var umlautSpelling = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")

// SameName reports whether two registered domains are one name: equal, or
// equal once an internationalised name (A-label or U-label) is spelled with
// the standard ASCII replacements of the German umlauts.
func SameName(a, b string) bool {
	if a == b {
		return true
	}
	if a == "" || b == "" || !international(a) && !international(b) {
		return false // two different plain ASCII names: no spelling makes them one
	}
	return asciiSpelling(a) == asciiSpelling(b)
}

// international reports whether d may be an internationalised name: an
// A-label (xn--) or a character outside ASCII.
func international(d string) bool {
	if strings.Contains(d, "xn--") {
		return true
	}
	for i := 0; i < len(d); i++ {
		if d[i] >= 0x80 {
			return true
		}
	}
	return false
}

func asciiSpelling(d string) string {
	if u, err := idna.ToUnicode(d); err == nil {
		d = u
	}
	return umlautSpelling.Replace(strings.ToLower(d))
}
