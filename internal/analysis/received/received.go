package received

import (
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/date"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// Per-hop flags set by ParseReceived and BuildHops. The strings are stable:
// rules and stored reports refer to them.
const (
	// FlagHeloPlaceholder: the announced name is localhost(.localdomain), an
	// IP address or address literal, or a name without a dot.
	FlagHeloPlaceholder = "helo_placeholder"
	// FlagHeloRDNSMismatch: HELO and reverse DNS are both known and their
	// registered domains differ. Common for legitimate relays too; it is
	// evidence, not a verdict.
	FlagHeloRDNSMismatch = "helo_rdns_mismatch"
	// FlagPrivateIP: the connecting IP is RFC 1918/ULA, loopback, link-local
	// or shared (CGNAT, 100.64.0.0/10) address space.
	FlagPrivateIP = "private_ip"
	// FlagReservedIP: the connecting IP is not routable on the Internet for
	// another reason (documentation, benchmarking, multicast, 0/8, 240/4...).
	FlagReservedIP = "reserved_ip"
	// FlagNegativeDelay: the hop is timestamped before the previous (older) hop.
	FlagNegativeDelay = "negative_delay"
	// FlagTimeFarFromDate: the hop time differs from the Date header by more
	// than MaxHopDateSkew.
	FlagTimeFarFromDate = "time_far_from_date"
	// FlagNoTimestamp: no date could be parsed from the header.
	FlagNoTimestamp = "no_timestamp"
)

const (
	// MaxHopDateSkew is how far a hop timestamp may be from the Date header
	// before the hop is flagged time_far_from_date.
	MaxHopDateSkew = 24 * time.Hour
	// NegativeDelayTolerance: a hop is flagged negative_delay when it is at
	// least this much older than the previous hop. Smaller differences come
	// from rounding sub-second timestamps.
	NegativeDelayTolerance = time.Second
	// MaxHops bounds the Received headers BuildHops looks at; the newest
	// MaxHops are kept (the origin search starts at the newest hop).
	MaxHops = 100
	// maxReceivedLen bounds the bytes of one Received value that are parsed.
	maxReceivedLen = 8 << 10
	// maxTokens bounds the tokens the clause parser looks at.
	maxTokens = 256
	// maxWithLen bounds the protocol text kept in Hop.With.
	maxWithLen = 96
)

// rcvd is the full result of parsing one Received value. Besides the Hop it
// keeps what the public type has no field for (used by tests and by
// BuildHops).
type rcvd struct {
	hop      report.Hop
	fromName string // the name or literal written right after "from", port removed
	ident    string
	via      string
	ip       netip.Addr // FromIP parsed; invalid when FromIP is empty
	flags    flagKey    // hop.Flags
}

// ParseReceived parses one Received header value (without the field name).
//
// The value may be folded and contain comments, NUL bytes (dropped) and
// garbage; parsing never fails: unknown parts are left empty. It recognises
// the forms written by Postfix, Sendmail, Exim (old and new), qmail,
// Exchange/Office 365, Gmail, CommuniGate, ecelerity, smap, GMX, Amazon SES,
// SendGrid and others:
//
//   - FromHelo is the name the client announced: "from X (rdns [ip])"
//     (Postfix/Sendmail), "helo=X" (Exim), "(HELO X)" (qmail, CommuniGate),
//     "claiming to be X" (smtpd). Without any HELO marker the name after
//     "from" is taken, except for HTTP submissions and bare IP addresses
//     that are the connecting address (webmail), which have no HELO.
//   - FromRDNS is the reverse-DNS name the receiver looked up ("unknown" →
//     empty). In the qmail/Exchange form "from X (ip)" X is both.
//   - FromIP is the connecting address without brackets, "IPv6:" prefix,
//     port or IPv4-mapped prefix. An address literal inside the comment
//     wins over one after "from", which wins over a bare address.
//   - Time is the date after the last top-level ';' (RFC 5322 and broken
//     forms), or a date found at the end when there is no ';'.
//
// ParseReceived sets the intrinsic flags (helo_placeholder,
// helo_rdns_mismatch, private_ip, reserved_ip, no_timestamp); BuildHops adds
// the ones that need context. Index, Delay, Origin and Trusted are left
// zero. Raw is value unchanged. ParseReceived is safe for concurrent use.
//
// The Flags slices of hops are shared with other hops (their capacity is
// their length, so appending to them is safe): do not write to their
// elements.
func ParseReceived(value string) report.Hop {
	r := parseReceived(value)
	return r.hop
}

func parseReceived(value string) rcvd {
	var p rparser
	r := &p.r
	r.hop.Raw = value
	s := value
	if len(s) > maxReceivedLen {
		s = s[:maxReceivedLen]
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	// With a single ';' (nearly always) it is the one lastTopLevelSemi
	// returns, inside a comment or not.
	semi := strings.IndexByte(s, ';')
	if semi >= 0 && strings.IndexByte(s[semi+1:], ';') >= 0 {
		semi = lastTopLevelSemi(s)
	}
	if semi >= 0 {
		p.clauses(s[:semi], 0)
		rest := s[semi+1:]
		p.state = stNone
		if t, end, ok := date.Parse(rest, false); ok {
			r.hop.Time = t
			p.clauses(rest[end:], 0)
		} else if start, end, t, ok := findTrailingDate(rest); ok {
			r.hop.Time = t
			p.clauses(rest[:start], 0)
			p.state = stNone
			p.clauses(rest[end:], 0)
		} else {
			p.clauses(rest, 0)
		}
	} else if start, end, t, ok := findTrailingDate(s); ok {
		r.hop.Time = t
		p.clauses(s[:start], 0)
		p.state = stNone
		p.clauses(s[end:], 0)
	} else {
		p.clauses(s, 0)
	}
	p.finish()
	if r.hop.FromIP != "" {
		r.ip = p.ip
	}
	r.flags = intrinsicFlags(&r.hop, r.ip)
	r.hop.Flags = r.flags.set()
	return p.r
}

// lastTopLevelSemi returns the index of the last ';' outside parentheses,
// or of the last ';' at all when every one is inside a comment; -1 if none.
func lastTopLevelSemi(s string) int {
	depth, top, any := 0, -1, -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ';':
			any = i
			if depth == 0 {
				top = i
			}
		}
	}
	if top >= 0 {
		return top
	}
	return any
}

// findTrailingDate looks for a date (with a time of day) in a Received value
// that has no ';' (SendGrid, some Gmail and broken MTAs put it at the end).
// It returns the byte range of the date.
func findTrailingDate(s string) (start, end int, t time.Time, ok bool) {
	tries := 0
	for i := 0; i < len(s) && tries < 16; {
		for i < len(s) && isSpaceByte(s[i]) {
			i++
		}
		j := i
		for j < len(s) && class[s[j]]&(clSpace|clOpen|clClose) == 0 {
			j++
		}
		if j == i {
			i++
			continue
		}
		w := strings.TrimRight(s[i:j], ",")
		if w == "" {
			i = j
			continue
		}
		cand := false
		switch {
		case date.IsWeekday(w) || date.MonthNum(w) > 0:
			cand = true
		case len(w) >= 8 && isDigit(w[0]) && isDigit(w[1]) && isDigit(w[2]) && isDigit(w[3]) && w[4] == '-':
			cand = true
		case len(w) <= 2 && isDigit(w[0]):
			k := j
			for k < len(s) && isSpaceByte(s[k]) {
				k++
			}
			m := k
			for m < len(s) && isAlpha(s[m]) {
				m++
			}
			cand = date.MonthNum(s[k:m]) > 0
		}
		if cand {
			tries++
			if tt, e, good := date.Parse(s[i:], true); good {
				return i, i + e, tt, true
			}
		}
		i = j
	}
	return 0, 0, time.Time{}, false
}

type rstate uint8

const (
	stNone rstate = iota
	stFrom
	stBy
	stWith
	stID
	stFor
	stVia
	stEnvFrom // "from <addr>" after the by/for clauses (XMail, IBM)
	stEnvWord // "envelope-from <addr>" outside a comment (Haraka)
)

// IP candidate ranks: higher wins.
const (
	rankNone = iota
	rankBareName
	rankBareComment
	rankLiteral
	rankCommentLiteral
)

// rparser is the clause state machine over the tokens of one value.
type rparser struct {
	r     rcvd
	state rstate

	fromSeen    bool
	fromNameSet bool
	fromNameIP  netip.Addr // fromName is a bare address
	fromNameLit bool       // fromName is an [address] literal
	fromTokEnd  int        // end offset of the fromName token (adjacency)
	smap        bool       // "name(ip)" without a space (smap/smtpd)

	helo        string
	heloSet     bool
	rdns        string
	rdnsSet     bool
	nameOnly    string // a comment holding only a host name: "(host.example)"
	account     bool   // CommuniGate "(account x)"
	bareComment bool   // qmail-style "(ip)" / "(ident@ip)" without a port
	verified    bool   // CommuniGate "([ip] verified)"
	outsideLit  bool   // "name [ip]" with the literal outside a comment
	exim        bool   // "(Exim x.y)" seen
	http        bool   // HTTP submission: no HELO

	ip     netip.Addr
	ipText string // ip as written in the value
	ipRank int

	withDone  bool
	withSrc   string // With is withSrc[withEnd-len(With):withEnd] when set
	withEnd   int
	claimStep int // progress through "claiming to be"
	withLen   int
	tlsVer    string
	tlsCipher string
	tlsYes    bool
}

// clauses runs the state machine over s. depth guards the one level of
// recursion used for a leading "(from host [ip])" comment.
func (p *rparser) clauses(s string, depth int) {
	n := 0
	prevEnd := -1
	for i := 0; i < len(s) && n < maxTokens; {
		c := s[i]
		if isSpaceByte(c) {
			i++
			continue
		}
		n++
		switch c {
		case ';':
			p.state = stNone
			i++
			prevEnd = i
			continue
		case '(':
			j, seen := skipCommentClass(s, i)
			inner := s[i+1 : j]
			if j < len(s) {
				j++ // past ')'
			}
			adjacent := prevEnd == i
			p.comment(inner, seen, adjacent, i, depth)
			i = j
			prevEnd = j
			continue
		case ')':
			i++
			continue
		}
		j := i
		for j < len(s) && class[s[j]]&(clSpace|clOpen|clClose|clSemi) == 0 {
			j++
		}
		p.word(s, i, j)
		i = j
		prevEnd = j
	}
}

// skipCommentClass is skipComment that also returns the union of the
// class classes of the bytes it passed over (all classes when it gave up
// on the nesting).
func skipCommentClass(s string, i int) (int, uint8) {
	depth := 0
	var seen uint8
	for j := i; j < len(s); j++ {
		k := class[s[j]]
		seen |= k
		switch {
		case k&(clOpen|clClose) == 0:
		case k == clOpen:
			depth++
			if depth > 32 {
				return len(s), 0xff
			}
		default: // ')'
			depth--
			if depth == 0 {
				return j, seen
			}
		}
	}
	return len(s), seen
}

func keyword(w string) rstate {
	switch len(w) {
	case 2:
		if equalFold(w, "by") {
			return stBy
		}
		if equalFold(w, "id") {
			return stID
		}
	case 3:
		if equalFold(w, "for") {
			return stFor
		}
		if equalFold(w, "via") {
			return stVia
		}
	case 4:
		if equalFold(w, "from") {
			return stFrom
		}
		if equalFold(w, "with") {
			return stWith
		}
	case 13:
		if equalFold(w, "envelope-from") {
			return stEnvWord
		}
	case 15:
		if equalFold(w, "envelope-sender") {
			return stEnvWord
		}
	}
	return stNone
}

// word handles the word s[start:end].
func (p *rparser) word(s string, start, end int) {
	w := s[start:end]
	h := &p.r.hop
	if kw := keyword(w); kw != stNone {
		switch {
		case kw == stFrom && p.fromSeen:
			p.state = stEnvFrom
		case kw == stFrom:
			p.fromSeen = true
			p.state = stFrom
		default:
			p.state = kw
		}
		return
	}
	switch p.state {
	case stFrom:
		p.fromWord(w, end)
	case stBy:
		if h.By == "" {
			h.By = cleanHost(w)
		}
		p.state = stNone
	case stWith:
		if p.withDone {
			return
		}
		if h.With == "" && p.withLen == 0 {
			if proto, rest, ok := strings.Cut(w, "/"); ok && proto != "" {
				// "ESMTP/TLS/DHE-RSA-AES256-GCM-SHA384"
				h.With = proto
				p.withLen = len(proto)
				p.withSrc, p.withEnd = s, start+len(proto)
				if k := strings.LastIndexByte(rest, '/'); k >= 0 && k+1 < len(rest) {
					p.tlsCipher = rest[k+1:]
				}
				p.tlsYes = true
				return
			}
		}
		if p.withLen+1+len(w) > maxWithLen {
			p.withDone = true
			return
		}
		switch {
		case h.With == "":
			h.With = w
			p.withSrc, p.withEnd = s, end
		case p.withSrc == s && start == p.withEnd+1 && s[p.withEnd] == ' ':
			// The words are written with one space between them: use the
			// text instead of joining copies.
			h.With = s[p.withEnd-len(h.With) : end]
			p.withEnd = end
		default:
			h.With += " " + w
			p.withSrc = ""
		}
		p.withLen = len(h.With)
	case stID:
		if h.ID == "" {
			h.ID = trim(w, &setIDTrim)
		}
		p.state = stNone
	case stFor:
		if h.For == "" {
			if a := cleanAddr(w); a != "" {
				h.For = a
			}
		}
		p.state = stNone
	case stVia:
		if p.r.via == "" {
			p.r.via = w
		} else if len(p.r.via) < 64 {
			p.r.via += " " + w
		}
	case stEnvFrom:
		if strings.IndexByte(w, '@') >= 0 && h.EnvFrom == "" {
			h.EnvFrom = cleanAddr(w)
		}
		p.state = stNone
	case stEnvWord:
		if h.EnvFrom == "" {
			h.EnvFrom = cleanAddr(w)
		}
		p.state = stNone
	}
}

// fromWord handles one word of the from clause.
func (p *rparser) fromWord(w string, end int) {
	if !p.fromNameSet {
		p.fromNameSet = true
		p.fromTokEnd = end
		name := w
		if k := strings.IndexByte(w, '['); k > 0 {
			// "host[1.2.3.4]"
			name = w[:k]
			if a, text, ok := parseIPLiteralText(w[k:]); ok {
				p.addIP(a, text, rankLiteral)
				p.outsideLit = true
			}
		}
		if k := strings.IndexByte(name, '/'); k > 0 {
			name = name[:k] // "Unknown/Local": host names have no '/'
		}
		if name != "" && name[0] == '[' {
			if a, text, ok := parseIPLiteralText(name); ok {
				p.addIP(a, text, rankLiteral)
				p.fromNameLit = true
				if n := len(text); len(name) >= n+2 && name[1:n+1] == text && name[n+1] == ']' && canonIP(a, text) == text {
					name = name[:n+2] // already "[" + a.String() + "]"
				} else {
					name = "[" + a.String() + "]"
				}
			}
		} else if a, text, ok := parseBareIPText(name); ok {
			p.fromNameIP = a
			p.addIP(a, text, rankBareName)
			name = canonIP(a, text)
		}
		p.r.fromName = strings.TrimSuffix(name, ",")
		return
	}
	switch {
	case p.claimStep == 0 && equalFold(w, "claiming"):
		p.claimStep = 1
	case p.claimStep == 1 && equalFold(w, "to"):
		p.claimStep = 2
	case p.claimStep == 2 && equalFold(w, "be"):
		p.claimStep = 3
	case p.claimStep == 3:
		p.helo = trim(w, &setQuotes)
		p.heloSet = true
		p.claimStep = 4
	case strings.IndexByte(w, '[') >= 0:
		if a, text, ok := parseIPLiteralText(w[strings.IndexByte(w, '['):]); ok {
			p.addIP(a, text, rankLiteral)
			p.outsideLit = true
		}
	}
}

// addIP records a candidate connecting address; text is how it is written.
func (p *rparser) addIP(a netip.Addr, text string, rank int) {
	if rank > p.ipRank {
		p.ip = a
		p.ipText = text
		p.ipRank = rank
	}
}

// comment handles one parenthesised comment; adjacent reports that it
// follows the previous word without a space.
// seen holds the class classes of the bytes of c.
func (p *rparser) comment(c string, seen uint8, adjacent bool, pos, depth int) {
	t := strings.TrimSpace(c)
	if t == "" {
		return
	}
	c0 := t[0] | 0x20 // picks the ASCII literals below that can match
	// Leading "(from host [ip])" (NAV gateway, sendmail Submit).
	if !p.fromSeen && depth == 0 && len(t) > 5 && c0 == 'f' && hasPrefixFold(t, "from ") {
		p.clauses(t, depth+1)
		p.state = stNone
		return
	}
	if env, ok := envelopeComment(t); ok {
		if p.r.hop.EnvFrom == "" {
			p.r.hop.EnvFrom = env
		}
		return
	}
	if p.tlsComment(t, seen) {
		return
	}
	if len(t) > 5 && c0 == 'e' && hasPrefixFold(t, "exim ") {
		p.exim = true
		return
	}
	if c0 == 'v' && equalFold(t, "via HTTP") || c0 == 's' && hasPrefixFold(t, "SquirrelMail authenticated") ||
		c0 == 'n' && hasPrefixFold(t, "NaSMail authenticated") {
		p.http = true
		return
	}
	if p.state == stWith && p.r.hop.With != "" {
		p.withDone = true
	}
	if p.state != stFrom {
		return
	}
	if adjacent && p.fromTokEnd == pos && !p.smap {
		p.smap = true
	}
	p.fromComment(t)
}

// fromComment analyses a comment of the from clause word by word.
func (p *rparser) fromComment(t string) {
	var prev string
	nwords := 0
	sawIP := false
	var only string
	for i := 0; i < len(t); {
		c := t[i]
		if class[c]&(clSpace|clComma) != 0 {
			i++
			continue
		}
		j := i
		for j < len(t) && class[t[j]]&(clSpace|clComma) == 0 {
			j++
		}
		w := t[i:j]
		i = j
		nwords++
		if nwords == 1 {
			only = w
		}
		// The literals below are ASCII: c0 (w's first byte, folded) picks
		// the ones that can match.
		c0 := w[0] | 0x20
		switch {
		case c0 == 'h' && (equalFold(w, "helo") || equalFold(w, "hello")) ||
			c0 == 'e' && equalFold(w, "ehlo") || c0 == 'l' && equalFold(w, "lhlo"):
			for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
				i++
			}
			k := i
			for k < len(t) && !isSpaceByte(t[k]) && t[k] != ',' && t[k] != ')' {
				k++
			}
			p.helo = t[i:k]
			p.heloSet = true
			i = k
			prev = ""
			continue
		case c0 == 'h' && hasPrefixFold(w, "helo="):
			p.helo = w[5:]
			p.heloSet = true
			continue
		case c0 == 'i' && hasPrefixFold(w, "ident="):
			p.r.ident = w[6:]
			continue
		case nwords == 1 && c0 == 'a' && equalFold(w, "account"):
			p.account = true
			// skip the account name
			for i < len(t) && isSpaceByte(t[i]) {
				i++
			}
			for i < len(t) && !isSpaceByte(t[i]) {
				i++
			}
			continue
		case c0 == 'v' && equalFold(w, "verified"):
			p.verified = true
			continue
		}
		if k := strings.IndexByte(w, '['); k >= 0 {
			name := w[:k]
			if a, text, ok := parseIPLiteralText(w[k:]); ok {
				p.addIP(a, text, rankCommentLiteral)
				sawIP = true
			}
			if name == "" {
				name = prev
			}
			if name != "" {
				p.setRDNS(name)
			}
			prev = ""
			continue
		}
		if a, text, hasPort, ok := parseCommentIP(w); ok {
			p.addIP(a, text, rankBareComment)
			if !hasPort {
				p.bareComment = true
			}
			sawIP = true
			prev = ""
			continue
		}
		if c0 == 'm' && equalFold(w, "may") || c0 == '(' && equalFold(w, "(may") {
			prev = ""
			continue
		}
		prev = w
	}
	if nwords == 1 && !sawIP && !p.heloSet && strings.IndexByte(only, '.') > 0 &&
		strings.IndexByte(only, '@') < 0 && isHostname(only) {
		p.nameOnly = only
	}
}

// setRDNS records the reverse-DNS name written before an address literal,
// removing an "ident@" or "IDENT:" prefix.
func (p *rparser) setRDNS(name string) {
	name = trim(name, &setAngles)
	if len(name) > 6 && hasPrefixFold(name, "IDENT:") {
		name = name[6:]
	}
	if k := strings.LastIndexByte(name, '@'); k >= 0 {
		if p.r.ident == "" {
			p.r.ident = name[:k]
		}
		name = name[k+1:]
	}
	p.rdnsSet = true
	if unknownRDNS(name) {
		p.rdns = ""
		return
	}
	if _, ok := parseBareIP(name); ok {
		p.rdns = ""
		return
	}
	p.rdns = strings.TrimSuffix(name, ".")
}

func unknownRDNS(name string) bool {
	if name == "" {
		return true
	}
	// Each name starts with u, s, m or n, and no other rune folds to one of
	// them: most names are rejected by their first byte.
	if c := name[0] | 0x20; c != 'u' && c != 's' && c != 'm' && c != 'n' {
		return false
	}
	return equalFoldAny(name, unknownNames[:])
}

// unknownNames stand in the reverse-name slot when there is none.
var unknownNames = [...]string{"unknown", "softdnserr", "unverified", "may", "no.name.available"}

// equalFoldAny reports whether s equals one of list, ignoring case.
func equalFoldAny(s string, list []string) bool {
	for _, w := range list {
		if len(s) >= len(w) && strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

// tlsComment extracts TLS details from comments such as
// "(using TLSv1.3 with cipher X (256/256 bits))", "(version=TLS1_2,
// cipher=X)", "(TLSv1:RC4-SHA:128)", "(TLS1.3)", "(TLS: TLSv1/SSLv3, ...)",
// "(Cipher TLSv1:DES-CBC3-SHA:168)", "(DHE-RSA-AES256-SHA encrypted)".
// It reports whether the comment was about TLS.
// seen has the class classes of t's bytes (or more).
func (p *rparser) tlsComment(t string, seen uint8) bool {
	c0 := t[0] | 0x20 // picks the ASCII prefixes below that can match
	switch {
	case c0 == 'u' && hasPrefixFold(t, "using "):
		f := t[6:]
		ver, rest, _ := strings.Cut(strings.TrimSpace(f), " ")
		p.tlsVer = ver
		if k := strings.Index(rest, "cipher "); k >= 0 {
			c := rest[k+7:]
			if e := strings.IndexAny(c, " )"); e >= 0 {
				c = c[:e]
			}
			p.tlsCipher = c
		}
		return true
	case seen&clEq != 0 && strings.Contains(t, "version=") && (strings.Contains(t, "cipher=") || strings.Contains(t, "TLS")):
		if k := strings.Index(t, "version="); k >= 0 {
			v := t[k+8:]
			if e := strings.IndexAny(v, " ,)"); e >= 0 {
				v = v[:e]
			}
			p.tlsVer = v
		}
		if k := strings.Index(t, "cipher="); k >= 0 {
			v := t[k+7:]
			if e := strings.IndexAny(v, " ,)"); e >= 0 {
				v = v[:e]
			}
			p.tlsCipher = v
		}
		return true
	case c0 == 't' && hasPrefixFold(t, "tls_cipher "), c0 == 'c' && hasPrefixFold(t, "cipher "):
		_, v, _ := strings.Cut(t, " ")
		p.tlsColon(strings.TrimSpace(v))
		return true
	case c0 == 't' && hasPrefixFold(t, "TLS"), c0 == 's' && hasPrefixFold(t, "SSL"):
		if k := strings.Index(t, "TLS:"); k >= 0 || hasPrefixFold(t, "SSL:") {
			// "TLS: TLSv1/SSLv3, 168bits,DES-CBC3-SHA"
			v := t[strings.IndexByte(t, ':')+1:]
			// The first and the last of the fields separated by ',' and ' '.
			first, last, n := "", "", 0
			for i := 0; i < len(v); {
				if v[i] == ',' || v[i] == ' ' {
					i++
					continue
				}
				j := i
				for j < len(v) && v[j] != ',' && v[j] != ' ' {
					j++
				}
				if n == 0 {
					first = v[i:j]
				}
				last = v[i:j]
				n++
				i = j
			}
			if n > 0 {
				p.tlsVer = first
			}
			if n > 1 {
				p.tlsCipher = last
			}
			return true
		}
		if strings.IndexByte(t, ' ') < 0 {
			p.tlsColon(t)
			return true
		}
		return false
	case strings.HasSuffix(t, " encrypted"):
		p.tlsCipher = strings.TrimSuffix(t, " encrypted")
		return true
	}
	if seen&clColon == 0 {
		return false
	}
	if k := strings.Index(t, "AUTH:"); k >= 0 {
		if m := strings.Index(t, "TLS:"); m >= 0 {
			return p.tlsComment(t[m:], 0xff)
		}
		if m := strings.Index(t, "SSL:"); m >= 0 {
			return p.tlsComment(t[m:], 0xff)
		}
	}
	return false
}

// tlsColon parses Exim's "TLSv1:RC4-SHA:128" / "TLS1.3" forms.
func (p *rparser) tlsColon(v string) {
	ver, rest, ok := strings.Cut(v, ":")
	p.tlsVer = ver
	if ok {
		p.tlsCipher, _, _ = strings.Cut(rest, ":")
	}
}

func envelopeComment(t string) (string, bool) {
	if t == "" || t[0]|0x20 != 'e' {
		return "", false
	}
	var rest string
	switch {
	case hasPrefixFold(t, "envelope-from"):
		rest = t[13:]
	case hasPrefixFold(t, "envelope-sender"):
		rest = t[15:]
	default:
		return "", false
	}
	rest = trimLeft(rest, &setEnvSep)
	if e := strings.IndexAny(rest, " \t\r\n,"); e >= 0 {
		rest = rest[:e]
	}
	return cleanAddr(rest), true
}

// finish turns the collected evidence into the Hop fields.
func (p *rparser) finish() {
	h := &p.r.hop
	if p.ipRank > rankNone {
		h.FromIP = canonIP(p.ip, p.ipText)
	}
	name := p.r.fromName
	nameIsHost := name != "" && !p.fromNameLit && !p.fromNameIP.IsValid() && !unknownRDNS(name) &&
		strings.IndexByte(name, '@') < 0
	// hasPrefixFold: no other rune upper-cases or folds to H, T or P.
	if hasPrefixFold(h.With, "HTTP") || equalFold(p.r.via, "HTTP") {
		p.http = true
	}
	switch {
	case p.heloSet:
		h.FromHelo = p.helo
		if p.rdnsSet {
			h.FromRDNS = p.rdns
		} else if nameIsHost {
			h.FromRDNS = name
		}
	case p.smap:
		if nameIsHost {
			h.FromRDNS = name
		}
	default:
		switch {
		case p.account, p.http:
		case p.fromNameIP.IsValid() && p.fromNameIP == p.ip:
		case !p.fromSeen:
		default:
			h.FromHelo = name
		}
		switch {
		case p.rdnsSet:
			h.FromRDNS = p.rdns
		case p.nameOnly != "" && p.outsideLit:
			// Exim 3: "from rdns (helo) [ip]"
			h.FromRDNS = name
			h.FromHelo = p.nameOnly
		case p.nameOnly != "":
			h.FromRDNS = p.nameOnly
		case nameIsHost && (p.bareComment || p.verified || (p.exim && p.ipRank == rankCommentLiteral)):
			h.FromRDNS = name
		}
	}
	h.FromRDNS = strings.TrimSuffix(h.FromRDNS, ".")
	if len(h.With) > maxWithLen {
		h.With = h.With[:maxWithLen]
	}
	switch {
	case p.tlsVer != "":
		var buf [128]byte
		b, ok := appendTLSVersion(buf[:0], p.tlsVer)
		if !ok {
			b = append(b, normTLSVersion(p.tlsVer)...)
		}
		if p.tlsCipher != "" {
			b = append(append(b, ' '), p.tlsCipher...)
		}
		h.TLS = internTLS(b)
	case p.tlsCipher != "":
		h.TLS = p.tlsCipher
	case p.tlsYes || withImpliesTLS(h.With):
		h.TLS = "yes"
	}
}

// normTLSVersion turns TLS1_2, TLSv1_2, TLS-1.2, TLS1.2 into "TLSv1.2";
// other spellings are kept.
func normTLSVersion(v string) string {
	u := strings.ToUpper(v)
	if !strings.HasPrefix(u, "TLS") {
		return v
	}
	rest := strings.TrimLeft(u[3:], "V-_ ")
	rest = strings.ReplaceAll(rest, "_", ".")
	if k := strings.IndexByte(rest, '/'); k >= 0 {
		rest = rest[:k]
	}
	if rest == "" {
		return "TLS"
	}
	return "TLSv" + rest
}

// appendTLSVersion appends normTLSVersion(v) to dst for an ASCII v;
// ok is false (and nothing appended) for other text.
func appendTLSVersion(dst []byte, v string) ([]byte, bool) {
	if !isASCII(v) {
		return dst, false
	}
	if len(v) < 3 || v[0]&^0x20 != 'T' || v[1]&^0x20 != 'L' || v[2]&^0x20 != 'S' {
		return append(dst, v...), true
	}
	rest := v[3:]
	for rest != "" && (rest[0]&^0x20 == 'V' || rest[0] == '-' || rest[0] == '_' || rest[0] == ' ') {
		rest = rest[1:]
	}
	if k := strings.IndexByte(rest, '/'); k >= 0 {
		rest = rest[:k]
	}
	if rest == "" {
		return append(dst, "TLS"...), true
	}
	dst = append(dst, "TLSv"...)
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == '_':
			c = '.'
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}

// tLSCommon are frequent Hop.TLS values, kept as constants so that
// parsing them does not allocate.
var tLSCommon = func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{
		"TLS", "TLSv1", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3",
		"TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
		"TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
		"TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
		"TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
		"TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384",
		"TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256",
		"TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384",
		"TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256",
		"TLSv1.2 ECDHE-RSA-CHACHA20-POLY1305",
		"TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305",
		"TLSv1.2 ECDHE-RSA-AES256-SHA384",
		"TLSv1.2 ECDHE-RSA-AES128-SHA256",
		"TLSv1.2 AECDH-AES256-SHA",
		"TLSv1.3 TLS_AES_256_GCM_SHA384",
		"TLSv1.3 TLS_AES_128_GCM_SHA256",
		"TLSv1.3 TLS_CHACHA20_POLY1305_SHA256",
		"TLSv1 DES-CBC3-SHA",
		"TLSv1 AES256-SHA",
		"TLSv1 AES128-SHA",
	} {
		m[s] = s
	}
	return m
}()

// internTLS returns b as a string, without allocating for the common
// values.
func internTLS(b []byte) string {
	if s, ok := tLSCommon[string(b)]; ok {
		return s
	}
	return string(b)
}

func withImpliesTLS(with string) bool {
	w, _, _ := strings.Cut(with, " ")
	return equalFoldAny(w, tLSProtocols[:])
}

// tLSProtocols are the "with" protocols that mean the hop used TLS.
var tLSProtocols = [...]string{"ESMTPS", "ESMTPSA", "ESMTP-TLS", "SMTPS", "UTF8SMTPS", "UTF8SMTPSA", "LMTPS", "LMTPSA", "HTTPS", "LOCAL-ESMTPS"}

// flagKey says which flags a hop has; set returns them.
type flagKey struct {
	helo     uint8 // 0, 1 helo_placeholder, 2 helo_rdns_mismatch
	ip       uint8 // 0, 1 private_ip, 2 reserved_ip
	noTime   uint8 // 1: no_timestamp
	negative uint8 // 1: negative_delay (BuildHops)
	far      uint8 // 1: time_far_from_date (BuildHops)
}

// set returns the flags of k in their documented order. The slices are
// shared (see flagSets).
func (k flagKey) set() []string {
	return flagSets[k.helo][k.ip][k.noTime][k.negative][k.far]
}

// flagSets holds every combination of flags, indexed like flagKey,
// each in the order the flags are listed there. Their capacity is their
// length, so that an append never writes into a shared array; the empty
// set is nil.
var flagSets = func() (t [3][3][2][2][2][]string) {
	for helo, hf := range []string{"", FlagHeloPlaceholder, FlagHeloRDNSMismatch} {
		for ip, ipf := range []string{"", FlagPrivateIP, FlagReservedIP} {
			for nt, ntf := range []string{"", FlagNoTimestamp} {
				for neg, negf := range []string{"", FlagNegativeDelay} {
					for far, farf := range []string{"", FlagTimeFarFromDate} {
						var fl []string
						for _, f := range []string{hf, ipf, ntf, negf, farf} {
							if f != "" {
								fl = append(fl, f)
							}
						}
						t[helo][ip][nt][neg][far] = fl[:len(fl):len(fl)]
					}
				}
			}
		}
	}
	return t
}()

// intrinsicFlags returns the flags that depend on one hop only; a is
// the connecting address (h.FromIP parsed), invalid when there is none.
func intrinsicFlags(h *report.Hop, a netip.Addr) flagKey {
	var k flagKey
	if h.FromHelo != "" && isPlaceholderHelo(h.FromHelo) {
		k.helo = 1
	} else if h.FromHelo != "" && h.FromRDNS != "" && !strings.EqualFold(h.FromHelo, h.FromRDNS) {
		a, errA := domain.EffectiveTLDPlusOne(strings.ToLower(strings.TrimSuffix(h.FromHelo, ".")))
		b, errB := domain.EffectiveTLDPlusOne(strings.ToLower(h.FromRDNS))
		if errA == nil && errB == nil && a != b {
			k.helo = 2
		}
	}
	if a.IsValid() {
		switch {
		case isPrivateIP(a):
			k.ip = 1
		case isReservedIP(a):
			k.ip = 2
		}
	}
	if h.Time.IsZero() {
		k.noTime = 1
	}
	return k
}

// isPlaceholderHelo reports a HELO that names no real host: localhost,
// localhost.localdomain, an IP address or literal, or a name without a dot.
func isPlaceholderHelo(helo string) bool {
	h := trim(helo, &setHeloTrim)
	if strings.EqualFold(h, "localhost") || strings.EqualFold(h, "localhost.localdomain") {
		return true
	}
	if _, ok := parseBareIP(strings.TrimPrefix(h, "IPv6:")); ok {
		return true
	}
	return strings.IndexByte(strings.TrimSuffix(h, "."), '.') < 0
}

var (
	cgnat        = netip.MustParsePrefix("100.64.0.0/10")
	reservedNets = []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("192.0.0.0/24"),
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("198.18.0.0/15"),
		netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"),
		netip.MustParsePrefix("240.0.0.0/4"),
		netip.MustParsePrefix("2001:db8::/32"),
		netip.MustParsePrefix("100::/64"),
		netip.MustParsePrefix("2001:2::/48"),
	}
)

// isPrivateIP: RFC 1918 / ULA, loopback, link-local and CGNAT addresses,
// i.e. addresses of a local network rather than of an Internet host.
func isPrivateIP(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || cgnat.Contains(a)
}

// isReservedIP: addresses that are not routable on the Internet for other
// reasons (documentation, benchmarking, multicast, unspecified, 240/4...).
func isReservedIP(a netip.Addr) bool {
	a = a.Unmap()
	if a.Is4() {
		// The IPv4 part of reservedNets, multicast and unspecified.
		b := a.As4()
		switch b[0] {
		case 0:
			return true
		case 192:
			return b[1] == 0 && (b[2] == 0 || b[2] == 2)
		case 198:
			return b[1] == 18 || b[1] == 19 || b[1] == 51 && b[2] == 100
		case 203:
			return b[1] == 0 && b[2] == 113
		}
		return b[0] >= 224
	}
	if a.IsUnspecified() || a.IsMulticast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range reservedNets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// isRelayIP: addresses always trusted as relays of the receiving side.
func isRelayIP(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast()
}

// parseIPLiteralText parses "[1.2.3.4]", "[IPv6:::1]", "[1.2.3.4]:25",
// "[1.2.3.4:25]", "[1.2.3.4.25]" (old Exim port notation) and similar. It
// also returns the part of w that was parsed as the address (see
// parseBareIPText).
func parseIPLiteralText(w string) (netip.Addr, string, bool) {
	if len(w) < 3 || w[0] != '[' {
		return netip.Addr{}, "", false
	}
	e := strings.IndexByte(w, ']')
	if e < 0 {
		return netip.Addr{}, "", false
	}
	return parseBareIPText(w[1:e])
}

// parseBareIP parses an address possibly written with an "IPv6:" prefix, a
// ":port" or ".port" suffix, a zone, or IPv4-mapped; the result is unmapped.
func parseBareIP(s string) (netip.Addr, bool) {
	a, _, ok := parseBareIPText(s)
	return a, ok
}

// parseBareIPText is parseBareIP that also returns the part of s that
// was parsed as the address (without prefix, zone or port), so that callers
// can use it instead of formatting the address when it is already in
// canonical form (canonIP).
func parseBareIPText(s string) (netip.Addr, string, bool) {
	if len(s) < 2 || len(s) > 64 {
		return netip.Addr{}, "", false
	}
	if len(s) > 5 && hasPrefixFold(s, "IPv6:") {
		s = s[5:]
	}
	// Cut the zone at the first '%' (unless it starts s). netip.ParseAddr
	// accepts nothing but hex digits, '.' and ':' in what is left, and
	// neither do the port forms below: reject other text early, which also
	// spares ParseAddr's error allocation.
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i > 0 {
			s = s[:i]
			break
		}
		if !iPByte[s[i]] {
			return netip.Addr{}, "", false
		}
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), s, true
	}
	// 1.2.3.4:port
	if k := strings.LastIndexByte(s, ':'); k > 0 && strings.IndexByte(s[:k], ':') < 0 {
		if a, err := netip.ParseAddr(s[:k]); err == nil && a.Is4() && allDigits(s[k+1:]) {
			return a, s[:k], true
		}
	}
	// 1.2.3.4.port
	if strings.Count(s, ".") == 4 {
		k := strings.LastIndexByte(s, '.')
		if a, err := netip.ParseAddr(s[:k]); err == nil && allDigits(s[k+1:]) {
			return a, s[:k], true
		}
	}
	return netip.Addr{}, "", false
}

// iPByte marks the bytes of a textual IPv4 or IPv6 address (no zone).
var iPByte = func() (t [256]bool) {
	for _, c := range "0123456789abcdefABCDEF.:" {
		t[c] = true
	}
	return t
}()

// canonIP returns a.String(), using text (the source of a) instead of a
// new string when it is already written that way.
func canonIP(a netip.Addr, text string) string {
	if a.Is4() && strings.IndexByte(text, ':') < 0 {
		// Parsed as dotted IPv4, which netip accepts only in canonical
		// form (no leading zeros).
		return text
	}
	var buf [64]byte
	b := a.AppendTo(buf[:0])
	if string(b) == text {
		return text
	}
	return string(b)
}

// parseCommentIP parses a bare address in a from comment: "1.2.3.4",
// "ident@1.2.3.4", "1.2.3.4:port", "1.2.3.4," and reports a port; text is
// the address as written.
func parseCommentIP(w string) (a netip.Addr, text string, hasPort, ok bool) {
	w = trimRight(w, &setCommaParen)
	if k := strings.LastIndexByte(w, '@'); k >= 0 {
		w = w[k+1:]
	}
	a, text, ok = parseBareIPText(w)
	if !ok {
		return a, "", false, false
	}
	if a.Is4() && strings.IndexByte(w, ':') >= 0 {
		hasPort = true
	}
	return a, text, hasPort, true
}

// cleanHost strips brackets, angle brackets and trailing punctuation from a
// by-host.
func cleanHost(w string) string {
	w = trimRight(w, &setHostTrim)
	w = trim(w, &setAngles)
	if len(w) > 2 && w[0] == '[' {
		if a, text, ok := parseIPLiteralText(w); ok {
			return canonIP(a, text)
		}
	}
	return w
}

// cleanAddr strips angle brackets and punctuation from an address.
func cleanAddr(w string) string {
	w = trimRight(w, &setCommaSemi)
	w = trimLeft(w, &setLess)
	if k := strings.IndexByte(w, '>'); k >= 0 {
		w = w[:k]
	}
	return w
}

func isHostname(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// byteSet is a set of ASCII bytes.
type byteSet [2]uint64

func makeSet(chars string) (b byteSet) {
	for i := 0; i < len(chars); i++ {
		b[chars[i]>>6] |= 1 << (chars[i] & 63)
	}
	return b
}

func (b *byteSet) has(c byte) bool { return c < 128 && b[c>>6]&(1<<(c&63)) != 0 }

// The cutsets of the trims below.
var (
	setIDTrim     = makeSet("<>,;")
	setQuotes     = makeSet(`"',`)
	setAngles     = makeSet("<>")
	setLess       = makeSet("<")
	setEnvSep     = makeSet(" \t\r\n:=")
	setHeloTrim   = makeSet("[]?")
	setCommaParen = makeSet(",)")
	setHostTrim   = makeSet(",;:")
	setCommaSemi  = makeSet(",;")
)

// trimLeft, trimRight and trim are strings.TrimLeft, TrimRight
// and Trim for an ASCII cutset (given as a set), without building a set
// on each call.
func trimLeft(s string, cut *byteSet) string {
	for len(s) > 0 && cut.has(s[0]) {
		s = s[1:]
	}
	return s
}

func trimRight(s string, cut *byteSet) string {
	for len(s) > 0 && cut.has(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func trim(s string, cut *byteSet) string { return trimRight(trimLeft(s, cut), cut) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s starts with the ASCII prefix, ignoring
// case. This is strings.EqualFold(s[:len(prefix)], prefix): a rune of more
// than one byte in s[:len(prefix)] leaves it fewer runes than prefix, and
// an invalid byte folds to nothing.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if c, p := s[i], prefix[i]; c != p && (c|0x20 != p|0x20 || !isAlpha(p)) {
			return false
		}
	}
	return true
}

// equalFold is strings.EqualFold(s, lit) for an ASCII lit without 'k'
// or 's' (which the Kelvin sign and the long s fold to): only ASCII text of
// lit's length can match it.
func equalFold(s, lit string) bool {
	return len(s) == len(lit) && hasPrefixFold(s, lit)
}

// Byte classes of class.
const (
	clSpace = 1 << iota // ' ', \t, \r, \n, \v, \f
	clOpen              // '('
	clClose             // ')'
	clSemi              // ';'
	clComma             // ','
	clEq                // '='
	clColon             // ':'
)

var class = func() (t [256]uint8) {
	for _, c := range " \t\r\n\v\f" {
		t[c] = clSpace
	}
	t['('], t[')'], t[';'], t[','] = clOpen, clClose, clSemi, clComma
	t['='], t[':'] = clEq, clColon
	return t
}()

func isSpaceByte(c byte) bool { return class[c]&clSpace != 0 }
func isDigit(c byte) bool     { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool     { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// BuildHops parses the Received fields among headers (matched
// case-insensitively, in header order, newest first) and returns the hops
// oldest first: Index 1 is the bottom-most Received header. Only the newest
// MaxHops headers are used.
//
// Delay is the time since the previous (older) hop when both are known;
// negative delays are kept, and flagged negative_delay from
// NegativeDelayTolerance on. Hops whose time is
// more than MaxHopDateSkew from date (when date is not zero) are flagged
// time_far_from_date.
//
// The origin is found by walking from the newest hop towards the oldest.
// A hop is a trusted relay of the receiving side when its connecting IP is
// private, loopback or link-local or in trustedNets, or its connecting host
// matches a trusted host (the name or a parent domain, case-insensitive).
// The connecting host is the reverse-DNS name, never the HELO alone, which
// the client chooses. When trustedHosts is empty, the receiving
// organisation is the registered domain (eTLD+1) of the by-host of the
// newest hop that names one, and hosts in that domain are trusted. Hops
// without a connecting IP (local pickup, LMTP over a unix socket,
// "by x with SMTP id y") are passed over: a handoff from the outside always
// records an address. The first hop whose connecting host is not trusted is the
// Origin: it records the handoff from the external sender. Hops newer than
// it are Trusted; hops older than it are not (the sender could have written
// them). When every hop is trusted the oldest hop with a connecting IP is
// the Origin (mail submitted inside the organisation); without any IP there
// is no origin.
//
// Note: in the "from X (ip)" form (qmail, Exchange) X becomes the rDNS name
// (as SpamAssassin does), although Exchange writes the client's HELO there;
// configure TrustedNetworks to avoid relying on it.
func BuildHops(headers []report.HeaderField, date time.Time, trustedHosts []string, trustedNets []netip.Prefix) []report.Hop {
	n := 0
	for i := range headers {
		if equalFold(headers[i].Key, "Received") {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if n > MaxHops {
		n = MaxHops
	}
	hops := make([]report.Hop, n)
	var addrBuf [16]netip.Addr
	var flagBuf [16]flagKey
	addrs, flags := addrBuf[:0], flagBuf[:0]
	if n > len(addrBuf) {
		addrs, flags = make([]netip.Addr, 0, n), make([]flagKey, 0, n)
	}
	addrs, flags = addrs[:n], flags[:n]
	k := n - 1
	for i := range headers {
		if k < 0 {
			break
		}
		if equalFold(headers[i].Key, "Received") {
			r := parseReceived(headers[i].Value)
			hops[k] = r.hop
			addrs[k] = r.ip
			flags[k] = r.flags
			k--
		}
	}
	var delays []float64 // backing store of the Delay pointers
	for i := range hops {
		h := &hops[i]
		h.Index = i + 1
		fk := &flags[i]
		if i > 0 && !h.Time.IsZero() && !hops[i-1].Time.IsZero() {
			if delays == nil {
				delays = make([]float64, n)
			}
			d := &delays[i]
			*d = h.Time.Sub(hops[i-1].Time).Seconds()
			h.Delay = d
			if *d <= -NegativeDelayTolerance.Seconds() {
				fk.negative = 1
			}
		}
		if !date.IsZero() && !h.Time.IsZero() {
			if skew := h.Time.Sub(date); skew > MaxHopDateSkew || skew < -MaxHopDateSkew {
				fk.far = 1
			}
		}
		if fk.negative|fk.far != 0 {
			h.Flags = fk.set()
		}
	}
	markOrigin(hops, addrs, trustedHosts, trustedNets)
	return hops
}

// markOrigin sets Trusted and Origin; see BuildHops. addrs[i] is the
// connecting address of hops[i] (FromIP parsed), invalid when there is none.
func markOrigin(hops []report.Hop, addrs []netip.Addr, trustedHosts []string, trustedNets []netip.Prefix) {
	org := ""
	if len(trustedHosts) == 0 {
		for i := len(hops) - 1; i >= 0; i-- {
			by := strings.ToLower(strings.TrimSuffix(hops[i].By, "."))
			if by == "" || strings.IndexByte(by, '.') < 0 {
				continue
			}
			if _, ok := parseBareIP(by); ok {
				continue
			}
			if d, err := domain.EffectiveTLDPlusOne(by); err == nil {
				org = d
				break
			}
		}
	}
	hostTrusted := func(host string) bool {
		host = strings.TrimSuffix(host, ".")
		if host == "" {
			return false
		}
		if len(trustedHosts) > 0 {
			return domain.MatchHost(host, trustedHosts)
		}
		return org != "" && domain.MatchHost(host, []string{org})
	}
	for i := len(hops) - 1; i >= 0; i-- {
		h := &hops[i]
		if h.FromIP == "" {
			// Local processing record of the receiving side (pickup, LMTP
			// over a unix socket, "by x with SMTP id y"): an SMTP handoff
			// from the outside always has an address.
			h.Trusted = true
			continue
		}
		trusted := false
		if a := addrs[i]; a.IsValid() {
			if isRelayIP(a) {
				trusted = true
			}
			for _, p := range trustedNets {
				if p.Contains(a.Unmap()) {
					trusted = true
					break
				}
			}
		}
		if !trusted && h.FromRDNS != "" {
			trusted = hostTrusted(h.FromRDNS)
		}
		if !trusted {
			h.Origin = true
			return
		}
		h.Trusted = true
	}
	// Everything trusted: the oldest hop with connecting information.
	for i := range hops {
		h := &hops[i]
		if h.FromIP != "" {
			h.Origin = true
			return
		}
	}
}

// OriginHop returns the hop marked Origin by BuildHops, or nil.
func OriginHop(hops []report.Hop) *report.Hop {
	for i := range hops {
		if hops[i].Origin {
			return &hops[i]
		}
	}
	return nil
}
