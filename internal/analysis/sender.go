package analysis

import (
	"strings"

	"golang.org/x/net/publicsuffix"
)

// OrgDomain returns the registered domain (eTLD+1, publicsuffix list) of
// host, lower-cased and without a trailing dot. It returns "" for an empty
// host or an IP address (bracketed or not), and host itself (lower-cased)
// when it has no registered domain, e.g. a bare public suffix ("co.jp") or
// a single label ("localhost").
func OrgDomain(host string) string {
	h := canonHost(host)
	if h == "" || isIPLiteralHost(h) {
		return ""
	}
	d, err := etldPlusOne(h)
	if err != nil {
		return h
	}
	return d
}

// DomainOf returns the lower-cased domain of an e-mail address: the part
// after the last '@', without angle brackets, a trailing dot or a
// surrounding quote. It returns "" when addr has no '@' or nothing after it.
func DomainOf(addr string) string {
	addr = strings.TrimSpace(addr)
	addr = strings.TrimSuffix(strings.TrimPrefix(addr, "<"), ">")
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	d := strings.Trim(addr[i+1:], "\"' ")
	return canonHost(d)
}

// isIPLiteral reports an IPv4/IPv6 address, optionally in brackets, with
// an optional "IPv6:" tag (RFC 5321 address literal).
func isIPLiteralHost(h string) bool {
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
		if len(h) > 5 && strings.EqualFold(h[:5], "ipv6:") {
			h = h[5:]
		}
	}
	_, ok := parseAddr(h)
	return ok
}

// placeholderHosts are names that a correctly configured sender never
// uses as its own host name.
var placeholderHosts = map[string]bool{
	"localhost": true, "localhost.localdomain": true, "localdomain": true,
	"localhost6": true, "localhost6.localdomain6": true, "ip6-localhost": true,
	"unknown": true, "user": true, "computer": true, "pc": true, "host": true,
	"example": true, "example.com": true, "example.net": true, "example.org": true,
}

// placeholderSuffixes are private-use pseudo top-level names (RFC 6762
// .local, RFC 8375 home.arpa, and common LAN suffixes).
var placeholderSuffixes = []string{
	".local", ".localdomain", ".lan", ".internal", ".intranet", ".home",
	".home.arpa", ".corp", ".localhost", ".test", ".invalid", ".example",
}

// IsPlaceholderHost reports whether h (a HELO name, Message-ID host or
// similar) is not a real public host name: empty, localhost and its
// variants, an IP address or [IP] literal, a name without a dot, a name
// under a private-use suffix (.local, .lan, .internal, .localdomain, …), or
// the example domains of RFC 2606.
func IsPlaceholderHost(h string) bool {
	h = canonHost(h)
	if h == "" || placeholderHosts[h] || isIPLiteralHost(h) {
		return true
	}
	if !strings.Contains(h, ".") {
		return true
	}
	for _, s := range placeholderSuffixes {
		if strings.HasSuffix(h, s) {
			return true
		}
	}
	return false
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
	d := canonHost(domain)
	if freemailDomains[d] {
		return true
	}
	// Host names below a freemail domain (e.g. "i.softbank.jp" is listed
	// itself, "mail.yahoo.co.jp" is not).
	if o := OrgDomain(d); o != d && freemailDomains[o] {
		return true
	}
	return false
}

// DisplayNameAddress reports whether a display name contains something a
// reader takes for an address: an e-mail address ("service@paypal.com")
// or a domain name ("PayPal.com Support", "amazon.co.jp"). It returns the
// address or domain found (lower-cased) and true. A token counts as a
// domain when it has a dot and ends in a known public suffix of at least
// two letters (so "v1.2" or "Mr. Smith" do not count).
func DisplayNameAddress(name string) (string, bool) {
	if len(name) > 1024 {
		name = name[:1024]
	}
	name = Normalize(name)
	for tok := range strings.FieldsFuncSeq(name, isDisplayNameSep) {
		tok = strings.Trim(tok, ".-_")
		if at := strings.LastIndexByte(tok, '@'); at > 0 && at < len(tok)-1 {
			if looksLikeDomain(tok[at+1:]) {
				return tok, true
			}
			continue
		}
		if looksLikeDomain(tok) {
			return tok, true
		}
	}
	return "", false
}

func isDisplayNameSep(r rune) bool {
	switch {
	case r == '.' || r == '-' || r == '_' || r == '@' || r == '+':
		return false
	case r < 0x80:
		return !isAlnumByte(byte(r))
	}
	return true
}

// looksLikeDomain reports a dotted ASCII name whose top-level label is a
// known (ICANN or private) public suffix of two or more letters and which
// has a label before the suffix.
func looksLikeDomain(s string) bool {
	if len(s) < 4 || len(s) > 253 || !strings.Contains(s, ".") || strings.Contains(s, "..") {
		return false
	}
	last := s[strings.LastIndexByte(s, '.')+1:]
	if len(last) < 2 {
		return false
	}
	for i := 0; i < len(last); i++ {
		if !isLetterByte(last[i]) {
			return false
		}
	}
	suffix, icann := publicsuffix.PublicSuffix(s)
	if !icann && !strings.Contains(suffix, ".") {
		// Unknown TLD: publicsuffix falls back to the last label.
		return false
	}
	return len(suffix) < len(s)
}
