package analysis

import (
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"
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
	// rcvMaxReceivedLen bounds the bytes of one Received value that are parsed.
	rcvMaxReceivedLen = 8 << 10
	// rcvMaxTokens bounds the tokens the clause parser looks at.
	rcvMaxTokens = 256
	// rcvMaxWithLen bounds the protocol text kept in Hop.With.
	rcvMaxWithLen = 96
)

// rcvRcvd is the full result of parsing one Received value. Besides the Hop it
// keeps what the public type has no field for (used by tests and by
// BuildHops).
type rcvRcvd struct {
	hop      Hop
	fromName string // the name or literal written right after "from", port removed
	ident    string
	via      string
	ip       netip.Addr // FromIP parsed; invalid when FromIP is empty
	flags    rcvFlagKey // hop.Flags
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
func ParseReceived(value string) Hop {
	r := rcvParseReceived(value)
	return r.hop
}

func rcvParseReceived(value string) rcvRcvd {
	var p rcvRparser
	r := &p.r
	r.hop.Raw = value
	s := value
	if len(s) > rcvMaxReceivedLen {
		s = s[:rcvMaxReceivedLen]
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	// With a single ';' (nearly always) it is the one rcvLastTopLevelSemi
	// returns, inside a comment or not.
	semi := strings.IndexByte(s, ';')
	if semi >= 0 && strings.IndexByte(s[semi+1:], ';') >= 0 {
		semi = rcvLastTopLevelSemi(s)
	}
	if semi >= 0 {
		p.clauses(s[:semi], 0)
		rest := s[semi+1:]
		p.state = rcvStNone
		if t, end, ok := rcvParseDate(rest, false); ok {
			r.hop.Time = t
			p.clauses(rest[end:], 0)
		} else if start, end, t, ok := rcvFindTrailingDate(rest); ok {
			r.hop.Time = t
			p.clauses(rest[:start], 0)
			p.state = rcvStNone
			p.clauses(rest[end:], 0)
		} else {
			p.clauses(rest, 0)
		}
	} else if start, end, t, ok := rcvFindTrailingDate(s); ok {
		r.hop.Time = t
		p.clauses(s[:start], 0)
		p.state = rcvStNone
		p.clauses(s[end:], 0)
	} else {
		p.clauses(s, 0)
	}
	p.finish()
	if r.hop.FromIP != "" {
		r.ip = p.ip
	}
	r.flags = rcvIntrinsicFlags(&r.hop, r.ip)
	r.hop.Flags = r.flags.set()
	return p.r
}

// rcvLastTopLevelSemi returns the index of the last ';' outside parentheses,
// or of the last ';' at all when every one is inside a comment; -1 if none.
func rcvLastTopLevelSemi(s string) int {
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

// rcvFindTrailingDate looks for a date (with a time of day) in a Received value
// that has no ';' (SendGrid, some Gmail and broken MTAs put it at the end).
// It returns the byte range of the date.
func rcvFindTrailingDate(s string) (start, end int, t time.Time, ok bool) {
	tries := 0
	for i := 0; i < len(s) && tries < 16; {
		for i < len(s) && rcvIsSpaceByte(s[i]) {
			i++
		}
		j := i
		for j < len(s) && rcvClass[s[j]]&(rcvClSpace|rcvClOpen|rcvClClose) == 0 {
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
		case rcvIsWeekday(w) || rcvMonthNum(w) > 0:
			cand = true
		case len(w) >= 8 && rcvIsDigit(w[0]) && rcvIsDigit(w[1]) && rcvIsDigit(w[2]) && rcvIsDigit(w[3]) && w[4] == '-':
			cand = true
		case len(w) <= 2 && rcvIsDigit(w[0]):
			k := j
			for k < len(s) && rcvIsSpaceByte(s[k]) {
				k++
			}
			m := k
			for m < len(s) && rcvIsAlpha(s[m]) {
				m++
			}
			cand = rcvMonthNum(s[k:m]) > 0
		}
		if cand {
			tries++
			if tt, e, good := rcvParseDate(s[i:], true); good {
				return i, i + e, tt, true
			}
		}
		i = j
	}
	return 0, 0, time.Time{}, false
}

type rcvRstate uint8

const (
	rcvStNone rcvRstate = iota
	rcvStFrom
	rcvStBy
	rcvStWith
	rcvStID
	rcvStFor
	rcvStVia
	rcvStEnvFrom // "from <addr>" after the by/for clauses (XMail, IBM)
	rcvStEnvWord // "envelope-from <addr>" outside a comment (Haraka)
)

// IP candidate ranks: higher wins.
const (
	rcvRankNone = iota
	rcvRankBareName
	rcvRankBareComment
	rcvRankLiteral
	rcvRankCommentLiteral
)

// rcvRparser is the clause state machine over the tokens of one value.
type rcvRparser struct {
	r     rcvRcvd
	state rcvRstate

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
func (p *rcvRparser) clauses(s string, depth int) {
	n := 0
	prevEnd := -1
	for i := 0; i < len(s) && n < rcvMaxTokens; {
		c := s[i]
		if rcvIsSpaceByte(c) {
			i++
			continue
		}
		n++
		switch c {
		case ';':
			p.state = rcvStNone
			i++
			prevEnd = i
			continue
		case '(':
			j, seen := rcvSkipCommentClass(s, i)
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
		for j < len(s) && rcvClass[s[j]]&(rcvClSpace|rcvClOpen|rcvClClose|rcvClSemi) == 0 {
			j++
		}
		p.word(s, i, j)
		i = j
		prevEnd = j
	}
}

// rcvSkipCommentClass is rcvSkipComment that also returns the union of the
// rcvClass classes of the bytes it passed over (all classes when it gave up
// on the nesting).
func rcvSkipCommentClass(s string, i int) (int, uint8) {
	depth := 0
	var seen uint8
	for j := i; j < len(s); j++ {
		k := rcvClass[s[j]]
		seen |= k
		switch {
		case k&(rcvClOpen|rcvClClose) == 0:
		case k == rcvClOpen:
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

// rcvSkipComment returns the index of the ')' closing the '(' at s[i], or
// len(s) when unbalanced. Nesting is bounded.
func rcvSkipComment(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '(':
			depth++
			if depth > 32 {
				return len(s)
			}
		case ')':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(s)
}

func rcvKeyword(w string) rcvRstate {
	switch len(w) {
	case 2:
		if rcvEqualFold(w, "by") {
			return rcvStBy
		}
		if rcvEqualFold(w, "id") {
			return rcvStID
		}
	case 3:
		if rcvEqualFold(w, "for") {
			return rcvStFor
		}
		if rcvEqualFold(w, "via") {
			return rcvStVia
		}
	case 4:
		if rcvEqualFold(w, "from") {
			return rcvStFrom
		}
		if rcvEqualFold(w, "with") {
			return rcvStWith
		}
	case 13:
		if rcvEqualFold(w, "envelope-from") {
			return rcvStEnvWord
		}
	case 15:
		if rcvEqualFold(w, "envelope-sender") {
			return rcvStEnvWord
		}
	}
	return rcvStNone
}

// word handles the word s[start:end].
func (p *rcvRparser) word(s string, start, end int) {
	w := s[start:end]
	h := &p.r.hop
	if kw := rcvKeyword(w); kw != rcvStNone {
		switch {
		case kw == rcvStFrom && p.fromSeen:
			p.state = rcvStEnvFrom
		case kw == rcvStFrom:
			p.fromSeen = true
			p.state = rcvStFrom
		default:
			p.state = kw
		}
		return
	}
	switch p.state {
	case rcvStFrom:
		p.fromWord(w, end)
	case rcvStBy:
		if h.By == "" {
			h.By = rcvCleanHost(w)
		}
		p.state = rcvStNone
	case rcvStWith:
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
		if p.withLen+1+len(w) > rcvMaxWithLen {
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
	case rcvStID:
		if h.ID == "" {
			h.ID = rcvTrim(w, &rcvSetIDTrim)
		}
		p.state = rcvStNone
	case rcvStFor:
		if h.For == "" {
			if a := rcvCleanAddr(w); a != "" {
				h.For = a
			}
		}
		p.state = rcvStNone
	case rcvStVia:
		if p.r.via == "" {
			p.r.via = w
		} else if len(p.r.via) < 64 {
			p.r.via += " " + w
		}
	case rcvStEnvFrom:
		if strings.IndexByte(w, '@') >= 0 && h.EnvFrom == "" {
			h.EnvFrom = rcvCleanAddr(w)
		}
		p.state = rcvStNone
	case rcvStEnvWord:
		if h.EnvFrom == "" {
			h.EnvFrom = rcvCleanAddr(w)
		}
		p.state = rcvStNone
	}
}

// fromWord handles one word of the from clause.
func (p *rcvRparser) fromWord(w string, end int) {
	if !p.fromNameSet {
		p.fromNameSet = true
		p.fromTokEnd = end
		name := w
		if k := strings.IndexByte(w, '['); k > 0 {
			// "host[1.2.3.4]"
			name = w[:k]
			if a, text, ok := rcvParseIPLiteralText(w[k:]); ok {
				p.addIP(a, text, rcvRankLiteral)
				p.outsideLit = true
			}
		}
		if k := strings.IndexByte(name, '/'); k > 0 {
			name = name[:k] // "Unknown/Local": host names have no '/'
		}
		if name != "" && name[0] == '[' {
			if a, text, ok := rcvParseIPLiteralText(name); ok {
				p.addIP(a, text, rcvRankLiteral)
				p.fromNameLit = true
				if n := len(text); len(name) >= n+2 && name[1:n+1] == text && name[n+1] == ']' && rcvCanonIP(a, text) == text {
					name = name[:n+2] // already "[" + a.String() + "]"
				} else {
					name = "[" + a.String() + "]"
				}
			}
		} else if a, text, ok := rcvParseBareIPText(name); ok {
			p.fromNameIP = a
			p.addIP(a, text, rcvRankBareName)
			name = rcvCanonIP(a, text)
		}
		p.r.fromName = strings.TrimSuffix(name, ",")
		return
	}
	switch {
	case p.claimStep == 0 && rcvEqualFold(w, "claiming"):
		p.claimStep = 1
	case p.claimStep == 1 && rcvEqualFold(w, "to"):
		p.claimStep = 2
	case p.claimStep == 2 && rcvEqualFold(w, "be"):
		p.claimStep = 3
	case p.claimStep == 3:
		p.helo = rcvTrim(w, &rcvSetQuotes)
		p.heloSet = true
		p.claimStep = 4
	case strings.IndexByte(w, '[') >= 0:
		if a, text, ok := rcvParseIPLiteralText(w[strings.IndexByte(w, '['):]); ok {
			p.addIP(a, text, rcvRankLiteral)
			p.outsideLit = true
		}
	}
}

// addIP records a candidate connecting address; text is how it is written.
func (p *rcvRparser) addIP(a netip.Addr, text string, rank int) {
	if rank > p.ipRank {
		p.ip = a
		p.ipText = text
		p.ipRank = rank
	}
}

// comment handles one parenthesised comment; adjacent reports that it
// follows the previous word without a space.
// seen holds the rcvClass classes of the bytes of c.
func (p *rcvRparser) comment(c string, seen uint8, adjacent bool, pos, depth int) {
	t := strings.TrimSpace(c)
	if t == "" {
		return
	}
	c0 := t[0] | 0x20 // picks the ASCII literals below that can match
	// Leading "(from host [ip])" (NAV gateway, sendmail Submit).
	if !p.fromSeen && depth == 0 && len(t) > 5 && c0 == 'f' && rcvHasPrefixFold(t, "from ") {
		p.clauses(t, depth+1)
		p.state = rcvStNone
		return
	}
	if env, ok := rcvEnvelopeComment(t); ok {
		if p.r.hop.EnvFrom == "" {
			p.r.hop.EnvFrom = env
		}
		return
	}
	if p.tlsComment(t, seen) {
		return
	}
	if len(t) > 5 && c0 == 'e' && rcvHasPrefixFold(t, "exim ") {
		p.exim = true
		return
	}
	if c0 == 'v' && rcvEqualFold(t, "via HTTP") || c0 == 's' && rcvHasPrefixFold(t, "SquirrelMail authenticated") ||
		c0 == 'n' && rcvHasPrefixFold(t, "NaSMail authenticated") {
		p.http = true
		return
	}
	if p.state == rcvStWith && p.r.hop.With != "" {
		p.withDone = true
	}
	if p.state != rcvStFrom {
		return
	}
	if adjacent && p.fromTokEnd == pos && !p.smap {
		p.smap = true
	}
	p.fromComment(t)
}

// fromComment analyses a comment of the from clause word by word.
func (p *rcvRparser) fromComment(t string) {
	var prev string
	nwords := 0
	sawIP := false
	var only string
	for i := 0; i < len(t); {
		c := t[i]
		if rcvClass[c]&(rcvClSpace|rcvClComma) != 0 {
			i++
			continue
		}
		j := i
		for j < len(t) && rcvClass[t[j]]&(rcvClSpace|rcvClComma) == 0 {
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
		case c0 == 'h' && (rcvEqualFold(w, "helo") || rcvEqualFold(w, "hello")) ||
			c0 == 'e' && rcvEqualFold(w, "ehlo") || c0 == 'l' && rcvEqualFold(w, "lhlo"):
			for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
				i++
			}
			k := i
			for k < len(t) && !rcvIsSpaceByte(t[k]) && t[k] != ',' && t[k] != ')' {
				k++
			}
			p.helo = t[i:k]
			p.heloSet = true
			i = k
			prev = ""
			continue
		case c0 == 'h' && rcvHasPrefixFold(w, "helo="):
			p.helo = w[5:]
			p.heloSet = true
			continue
		case c0 == 'i' && rcvHasPrefixFold(w, "ident="):
			p.r.ident = w[6:]
			continue
		case nwords == 1 && c0 == 'a' && rcvEqualFold(w, "account"):
			p.account = true
			// skip the account name
			for i < len(t) && rcvIsSpaceByte(t[i]) {
				i++
			}
			for i < len(t) && !rcvIsSpaceByte(t[i]) {
				i++
			}
			continue
		case c0 == 'v' && rcvEqualFold(w, "verified"):
			p.verified = true
			continue
		}
		if k := strings.IndexByte(w, '['); k >= 0 {
			name := w[:k]
			if a, text, ok := rcvParseIPLiteralText(w[k:]); ok {
				p.addIP(a, text, rcvRankCommentLiteral)
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
		if a, text, hasPort, ok := rcvParseCommentIP(w); ok {
			p.addIP(a, text, rcvRankBareComment)
			if !hasPort {
				p.bareComment = true
			}
			sawIP = true
			prev = ""
			continue
		}
		if c0 == 'm' && rcvEqualFold(w, "may") || c0 == '(' && rcvEqualFold(w, "(may") {
			prev = ""
			continue
		}
		prev = w
	}
	if nwords == 1 && !sawIP && !p.heloSet && strings.IndexByte(only, '.') > 0 &&
		strings.IndexByte(only, '@') < 0 && rcvIsHostname(only) {
		p.nameOnly = only
	}
}

// setRDNS records the reverse-DNS name written before an address literal,
// removing an "ident@" or "IDENT:" prefix.
func (p *rcvRparser) setRDNS(name string) {
	name = rcvTrim(name, &rcvSetAngles)
	if len(name) > 6 && rcvHasPrefixFold(name, "IDENT:") {
		name = name[6:]
	}
	if k := strings.LastIndexByte(name, '@'); k >= 0 {
		if p.r.ident == "" {
			p.r.ident = name[:k]
		}
		name = name[k+1:]
	}
	p.rdnsSet = true
	if rcvUnknownRDNS(name) {
		p.rdns = ""
		return
	}
	if _, ok := rcvParseBareIP(name); ok {
		p.rdns = ""
		return
	}
	p.rdns = strings.TrimSuffix(name, ".")
}

func rcvUnknownRDNS(name string) bool {
	if name == "" {
		return true
	}
	// Each name starts with u, s, m or n, and no other rune folds to one of
	// them: most names are rejected by their first byte.
	if c := name[0] | 0x20; c != 'u' && c != 's' && c != 'm' && c != 'n' {
		return false
	}
	return rcvEqualFoldAny(name, rcvUnknownNames[:])
}

// rcvUnknownNames stand in the reverse-name slot when there is none.
var rcvUnknownNames = [...]string{"unknown", "softdnserr", "unverified", "may", "no.name.available"}

// rcvEqualFoldAny reports whether s equals one of list, ignoring case.
func rcvEqualFoldAny(s string, list []string) bool {
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
// seen has the rcvClass classes of t's bytes (or more).
func (p *rcvRparser) tlsComment(t string, seen uint8) bool {
	c0 := t[0] | 0x20 // picks the ASCII prefixes below that can match
	switch {
	case c0 == 'u' && rcvHasPrefixFold(t, "using "):
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
	case seen&rcvClEq != 0 && strings.Contains(t, "version=") && (strings.Contains(t, "cipher=") || strings.Contains(t, "TLS")):
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
	case c0 == 't' && rcvHasPrefixFold(t, "tls_cipher "), c0 == 'c' && rcvHasPrefixFold(t, "cipher "):
		_, v, _ := strings.Cut(t, " ")
		p.tlsColon(strings.TrimSpace(v))
		return true
	case c0 == 't' && rcvHasPrefixFold(t, "TLS"), c0 == 's' && rcvHasPrefixFold(t, "SSL"):
		if k := strings.Index(t, "TLS:"); k >= 0 || rcvHasPrefixFold(t, "SSL:") {
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
	if seen&rcvClColon == 0 {
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
func (p *rcvRparser) tlsColon(v string) {
	ver, rest, ok := strings.Cut(v, ":")
	p.tlsVer = ver
	if ok {
		p.tlsCipher, _, _ = strings.Cut(rest, ":")
	}
}

func rcvEnvelopeComment(t string) (string, bool) {
	if t == "" || t[0]|0x20 != 'e' {
		return "", false
	}
	var rest string
	switch {
	case rcvHasPrefixFold(t, "envelope-from"):
		rest = t[13:]
	case rcvHasPrefixFold(t, "envelope-sender"):
		rest = t[15:]
	default:
		return "", false
	}
	rest = rcvTrimLeft(rest, &rcvSetEnvSep)
	if e := strings.IndexAny(rest, " \t\r\n,"); e >= 0 {
		rest = rest[:e]
	}
	return rcvCleanAddr(rest), true
}

// finish turns the collected evidence into the Hop fields.
func (p *rcvRparser) finish() {
	h := &p.r.hop
	if p.ipRank > rcvRankNone {
		h.FromIP = rcvCanonIP(p.ip, p.ipText)
	}
	name := p.r.fromName
	nameIsHost := name != "" && !p.fromNameLit && !p.fromNameIP.IsValid() && !rcvUnknownRDNS(name) &&
		strings.IndexByte(name, '@') < 0
	// rcvHasPrefixFold: no other rune upper-cases or folds to H, T or P.
	if rcvHasPrefixFold(h.With, "HTTP") || rcvEqualFold(p.r.via, "HTTP") {
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
		case nameIsHost && (p.bareComment || p.verified || (p.exim && p.ipRank == rcvRankCommentLiteral)):
			h.FromRDNS = name
		}
	}
	h.FromRDNS = strings.TrimSuffix(h.FromRDNS, ".")
	if len(h.With) > rcvMaxWithLen {
		h.With = h.With[:rcvMaxWithLen]
	}
	switch {
	case p.tlsVer != "":
		var buf [128]byte
		b, ok := rcvAppendTLSVersion(buf[:0], p.tlsVer)
		if !ok {
			b = append(b, rcvNormTLSVersion(p.tlsVer)...)
		}
		if p.tlsCipher != "" {
			b = append(append(b, ' '), p.tlsCipher...)
		}
		h.TLS = rcvInternTLS(b)
	case p.tlsCipher != "":
		h.TLS = p.tlsCipher
	case p.tlsYes || rcvWithImpliesTLS(h.With):
		h.TLS = "yes"
	}
}

// rcvNormTLSVersion turns TLS1_2, TLSv1_2, TLS-1.2, TLS1.2 into "TLSv1.2";
// other spellings are kept.
func rcvNormTLSVersion(v string) string {
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

// rcvAppendTLSVersion appends rcvNormTLSVersion(v) to dst for an ASCII v;
// ok is false (and nothing appended) for other text.
func rcvAppendTLSVersion(dst []byte, v string) ([]byte, bool) {
	if !rcvIsASCII(v) {
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

// rcvTLSCommon are frequent Hop.TLS values, kept as constants so that
// parsing them does not allocate.
var rcvTLSCommon = func() map[string]string {
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

// rcvInternTLS returns b as a string, without allocating for the common
// values.
func rcvInternTLS(b []byte) string {
	if s, ok := rcvTLSCommon[string(b)]; ok {
		return s
	}
	return string(b)
}

func rcvWithImpliesTLS(with string) bool {
	w, _, _ := strings.Cut(with, " ")
	return rcvEqualFoldAny(w, rcvTLSProtocols[:])
}

// rcvTLSProtocols are the "with" protocols that mean the hop used TLS.
var rcvTLSProtocols = [...]string{"ESMTPS", "ESMTPSA", "ESMTP-TLS", "SMTPS", "UTF8SMTPS", "UTF8SMTPSA", "LMTPS", "LMTPSA", "HTTPS", "LOCAL-ESMTPS"}

// rcvFlagKey says which flags a hop has; set returns them.
type rcvFlagKey struct {
	helo     uint8 // 0, 1 helo_placeholder, 2 helo_rdns_mismatch
	ip       uint8 // 0, 1 private_ip, 2 reserved_ip
	noTime   uint8 // 1: no_timestamp
	negative uint8 // 1: negative_delay (BuildHops)
	far      uint8 // 1: time_far_from_date (BuildHops)
}

// set returns the flags of k in their documented order. The slices are
// shared (see rcvFlagSets).
func (k rcvFlagKey) set() []string {
	return rcvFlagSets[k.helo][k.ip][k.noTime][k.negative][k.far]
}

// rcvFlagSets holds every combination of flags, indexed like rcvFlagKey,
// each in the order the flags are listed there. Their capacity is their
// length, so that an append never writes into a shared array; the empty
// set is nil.
var rcvFlagSets = func() (t [3][3][2][2][2][]string) {
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

// rcvIntrinsicFlags returns the flags that depend on one hop only; a is
// the connecting address (h.FromIP parsed), invalid when there is none.
func rcvIntrinsicFlags(h *Hop, a netip.Addr) rcvFlagKey {
	var k rcvFlagKey
	if h.FromHelo != "" && rcvIsPlaceholderHelo(h.FromHelo) {
		k.helo = 1
	} else if h.FromHelo != "" && h.FromRDNS != "" && !strings.EqualFold(h.FromHelo, h.FromRDNS) {
		a, errA := etldPlusOne(strings.ToLower(strings.TrimSuffix(h.FromHelo, ".")))
		b, errB := etldPlusOne(strings.ToLower(h.FromRDNS))
		if errA == nil && errB == nil && a != b {
			k.helo = 2
		}
	}
	if a.IsValid() {
		switch {
		case rcvIsPrivateIP(a):
			k.ip = 1
		case rcvIsReservedIP(a):
			k.ip = 2
		}
	}
	if h.Time.IsZero() {
		k.noTime = 1
	}
	return k
}

// rcvIsPlaceholderHelo reports a HELO that names no real host: localhost,
// localhost.localdomain, an IP address or literal, or a name without a dot.
func rcvIsPlaceholderHelo(helo string) bool {
	h := rcvTrim(helo, &rcvSetHeloTrim)
	if strings.EqualFold(h, "localhost") || strings.EqualFold(h, "localhost.localdomain") {
		return true
	}
	if _, ok := rcvParseBareIP(strings.TrimPrefix(h, "IPv6:")); ok {
		return true
	}
	return strings.IndexByte(strings.TrimSuffix(h, "."), '.') < 0
}

var (
	rcvCgnat        = netip.MustParsePrefix("100.64.0.0/10")
	rcvReservedNets = []netip.Prefix{
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

// rcvIsPrivateIP: RFC 1918 / ULA, loopback, link-local and CGNAT addresses,
// i.e. addresses of a local network rather than of an Internet host.
func rcvIsPrivateIP(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || rcvCgnat.Contains(a)
}

// rcvIsReservedIP: addresses that are not routable on the Internet for other
// reasons (documentation, benchmarking, multicast, unspecified, 240/4...).
func rcvIsReservedIP(a netip.Addr) bool {
	a = a.Unmap()
	if a.Is4() {
		// The IPv4 part of rcvReservedNets, multicast and unspecified.
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
	for _, p := range rcvReservedNets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// rcvIsRelayIP: addresses always trusted as relays of the receiving side.
func rcvIsRelayIP(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast()
}

// rcvParseIPLiteralText parses "[1.2.3.4]", "[IPv6:::1]", "[1.2.3.4]:25",
// "[1.2.3.4:25]", "[1.2.3.4.25]" (old Exim port notation) and similar. It
// also returns the part of w that was parsed as the address (see
// rcvParseBareIPText).
func rcvParseIPLiteralText(w string) (netip.Addr, string, bool) {
	if len(w) < 3 || w[0] != '[' {
		return netip.Addr{}, "", false
	}
	e := strings.IndexByte(w, ']')
	if e < 0 {
		return netip.Addr{}, "", false
	}
	return rcvParseBareIPText(w[1:e])
}

// rcvParseBareIP parses an address possibly written with an "IPv6:" prefix, a
// ":port" or ".port" suffix, a zone, or IPv4-mapped; the result is unmapped.
func rcvParseBareIP(s string) (netip.Addr, bool) {
	a, _, ok := rcvParseBareIPText(s)
	return a, ok
}

// rcvParseBareIPText is rcvParseBareIP that also returns the part of s that
// was parsed as the address (without prefix, zone or port), so that callers
// can use it instead of formatting the address when it is already in
// canonical form (rcvCanonIP).
func rcvParseBareIPText(s string) (netip.Addr, string, bool) {
	if len(s) < 2 || len(s) > 64 {
		return netip.Addr{}, "", false
	}
	if len(s) > 5 && rcvHasPrefixFold(s, "IPv6:") {
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
		if !rcvIPByte[s[i]] {
			return netip.Addr{}, "", false
		}
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), s, true
	}
	// 1.2.3.4:port
	if k := strings.LastIndexByte(s, ':'); k > 0 && strings.IndexByte(s[:k], ':') < 0 {
		if a, err := netip.ParseAddr(s[:k]); err == nil && a.Is4() && rcvAllDigits(s[k+1:]) {
			return a, s[:k], true
		}
	}
	// 1.2.3.4.port
	if strings.Count(s, ".") == 4 {
		k := strings.LastIndexByte(s, '.')
		if a, err := netip.ParseAddr(s[:k]); err == nil && rcvAllDigits(s[k+1:]) {
			return a, s[:k], true
		}
	}
	return netip.Addr{}, "", false
}

// rcvIPByte marks the bytes of a textual IPv4 or IPv6 address (no zone).
var rcvIPByte = func() (t [256]bool) {
	for _, c := range "0123456789abcdefABCDEF.:" {
		t[c] = true
	}
	return t
}()

// rcvCanonIP returns a.String(), using text (the source of a) instead of a
// new string when it is already written that way.
func rcvCanonIP(a netip.Addr, text string) string {
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

// rcvParseCommentIP parses a bare address in a from comment: "1.2.3.4",
// "ident@1.2.3.4", "1.2.3.4:port", "1.2.3.4," and reports a port; text is
// the address as written.
func rcvParseCommentIP(w string) (a netip.Addr, text string, hasPort, ok bool) {
	w = rcvTrimRight(w, &rcvSetCommaParen)
	if k := strings.LastIndexByte(w, '@'); k >= 0 {
		w = w[k+1:]
	}
	a, text, ok = rcvParseBareIPText(w)
	if !ok {
		return a, "", false, false
	}
	if a.Is4() && strings.IndexByte(w, ':') >= 0 {
		hasPort = true
	}
	return a, text, hasPort, true
}

// rcvCleanHost strips brackets, angle brackets and trailing punctuation from a
// by-host.
func rcvCleanHost(w string) string {
	w = rcvTrimRight(w, &rcvSetHostTrim)
	w = rcvTrim(w, &rcvSetAngles)
	if len(w) > 2 && w[0] == '[' {
		if a, text, ok := rcvParseIPLiteralText(w); ok {
			return rcvCanonIP(a, text)
		}
	}
	return w
}

// rcvCleanAddr strips angle brackets and punctuation from an address.
func rcvCleanAddr(w string) string {
	w = rcvTrimRight(w, &rcvSetCommaSemi)
	w = rcvTrimLeft(w, &rcvSetLess)
	if k := strings.IndexByte(w, '>'); k >= 0 {
		w = w[:k]
	}
	return w
}

func rcvIsHostname(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(rcvIsAlpha(c) || rcvIsDigit(c) || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// rcvByteSet is a set of ASCII bytes.
type rcvByteSet [2]uint64

func rcvMakeSet(chars string) (b rcvByteSet) {
	for i := 0; i < len(chars); i++ {
		b[chars[i]>>6] |= 1 << (chars[i] & 63)
	}
	return b
}

func (b *rcvByteSet) has(c byte) bool { return c < 128 && b[c>>6]&(1<<(c&63)) != 0 }

// The cutsets of the trims below.
var (
	rcvSetIDTrim     = rcvMakeSet("<>,;")
	rcvSetQuotes     = rcvMakeSet(`"',`)
	rcvSetAngles     = rcvMakeSet("<>")
	rcvSetLess       = rcvMakeSet("<")
	rcvSetEnvSep     = rcvMakeSet(" \t\r\n:=")
	rcvSetHeloTrim   = rcvMakeSet("[]?")
	rcvSetCommaParen = rcvMakeSet(",)")
	rcvSetHostTrim   = rcvMakeSet(",;:")
	rcvSetCommaSemi  = rcvMakeSet(",;")
)

// rcvTrimLeft, rcvTrimRight and rcvTrim are strings.TrimLeft, TrimRight
// and Trim for an ASCII cutset (given as a set), without building a set
// on each call.
func rcvTrimLeft(s string, cut *rcvByteSet) string {
	for len(s) > 0 && cut.has(s[0]) {
		s = s[1:]
	}
	return s
}

func rcvTrimRight(s string, cut *rcvByteSet) string {
	for len(s) > 0 && cut.has(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func rcvTrim(s string, cut *rcvByteSet) string { return rcvTrimRight(rcvTrimLeft(s, cut), cut) }

func rcvIsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// rcvHasPrefixFold reports whether s starts with the ASCII prefix, ignoring
// case. This is strings.EqualFold(s[:len(prefix)], prefix): a rune of more
// than one byte in s[:len(prefix)] leaves it fewer runes than prefix, and
// an invalid byte folds to nothing.
func rcvHasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if c, p := s[i], prefix[i]; c != p && (c|0x20 != p|0x20 || !rcvIsAlpha(p)) {
			return false
		}
	}
	return true
}

// rcvEqualFold is strings.EqualFold(s, lit) for an ASCII lit without 'k'
// or 's' (which the Kelvin sign and the long s fold to): only ASCII text of
// lit's length can match it.
func rcvEqualFold(s, lit string) bool {
	return len(s) == len(lit) && rcvHasPrefixFold(s, lit)
}

// Byte classes of rcvClass.
const (
	rcvClSpace = 1 << iota // ' ', \t, \r, \n, \v, \f
	rcvClOpen              // '('
	rcvClClose             // ')'
	rcvClSemi              // ';'
	rcvClComma             // ','
	rcvClEq                // '='
	rcvClColon             // ':'
)

var rcvClass = func() (t [256]uint8) {
	for _, c := range " \t\r\n\v\f" {
		t[c] = rcvClSpace
	}
	t['('], t[')'], t[';'], t[','] = rcvClOpen, rcvClClose, rcvClSemi, rcvClComma
	t['='], t[':'] = rcvClEq, rcvClColon
	return t
}()

func rcvIsSpaceByte(c byte) bool { return rcvClass[c]&rcvClSpace != 0 }
func rcvIsDigit(c byte) bool     { return c >= '0' && c <= '9' }
func rcvIsAlpha(c byte) bool     { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func rcvAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !rcvIsDigit(s[i]) {
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
func BuildHops(headers []HeaderField, date time.Time, trustedHosts []string, trustedNets []netip.Prefix) []Hop {
	n := 0
	for i := range headers {
		if rcvEqualFold(headers[i].Key, "Received") {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if n > MaxHops {
		n = MaxHops
	}
	hops := make([]Hop, n)
	var addrBuf [16]netip.Addr
	var flagBuf [16]rcvFlagKey
	addrs, flags := addrBuf[:0], flagBuf[:0]
	if n > len(addrBuf) {
		addrs, flags = make([]netip.Addr, 0, n), make([]rcvFlagKey, 0, n)
	}
	addrs, flags = addrs[:n], flags[:n]
	k := n - 1
	for i := range headers {
		if k < 0 {
			break
		}
		if rcvEqualFold(headers[i].Key, "Received") {
			r := rcvParseReceived(headers[i].Value)
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
	rcvMarkOrigin(hops, addrs, trustedHosts, trustedNets)
	return hops
}

// rcvMarkOrigin sets Trusted and Origin; see BuildHops. addrs[i] is the
// connecting address of hops[i] (FromIP parsed), invalid when there is none.
func rcvMarkOrigin(hops []Hop, addrs []netip.Addr, trustedHosts []string, trustedNets []netip.Prefix) {
	org := ""
	if len(trustedHosts) == 0 {
		for i := len(hops) - 1; i >= 0; i-- {
			by := strings.ToLower(strings.TrimSuffix(hops[i].By, "."))
			if by == "" || strings.IndexByte(by, '.') < 0 {
				continue
			}
			if _, ok := rcvParseBareIP(by); ok {
				continue
			}
			if d, err := etldPlusOne(by); err == nil {
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
			return rcvMatchHost(host, trustedHosts)
		}
		return org != "" && rcvMatchHost(host, []string{org})
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
			if rcvIsRelayIP(a) {
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

// rcvMatchHost reports whether host equals one of names or is a subdomain of
// one, case-insensitively.
func rcvMatchHost(host string, names []string) bool {
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

// OriginHop returns the hop marked Origin by BuildHops, or nil.
func OriginHop(hops []Hop) *Hop {
	for i := range hops {
		if hops[i].Origin {
			return &hops[i]
		}
	}
	return nil
}

// rcvZoneLocs caches fixed zones for offsets in 15-minute steps between
// -14:00 and +14:00 so that parsing a date does not allocate a Location.
var rcvZoneLocs = func() [113]*time.Location {
	var z [113]*time.Location
	for i := range z {
		off := (i - 56) * 15 * 60
		if off == 0 {
			z[i] = time.UTC
			continue
		}
		z[i] = time.FixedZone("", off)
	}
	return z
}()

func rcvZoneFor(off int) *time.Location {
	if off%(15*60) == 0 {
		if i := off/(15*60) + 56; i >= 0 && i < len(rcvZoneLocs) {
			return rcvZoneLocs[i]
		}
	}
	return time.FixedZone("", off)
}

// rcvZoneAbbrev maps the zone names seen in Received dates to UTC offsets in
// seconds. RFC 5322 §4.3 defines UT, GMT and the North American names;
// the others are common in the wild and unambiguous enough.
var rcvZoneAbbrev = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600,
	"BST": 3600, "CET": 3600, "MET": 3600, "WEST": 3600,
	"CEST": 2 * 3600, "MEST": 2 * 3600, "METDST": 2 * 3600, "EET": 2 * 3600,
	"EEST": 3 * 3600, "MSK": 3 * 3600,
	"JST": 9 * 3600, "KST": 9 * 3600, "HKT": 8 * 3600, "SGT": 8 * 3600,
	"AWST": 8 * 3600, "ACST": 9*3600 + 1800, "AEST": 10 * 3600, "AEDT": 11 * 3600,
	"NZST": 12 * 3600, "NZDT": 13 * 3600,
}

func rcvZoneByName(w string) (int, bool) {
	// POSIX TZ style "EST5EDT": the standard-time name leads.
	k := 0
	for k < len(w) && !rcvIsDigit(w[k]) {
		k++
	}
	if k < len(w) && k >= 3 && k <= 4 {
		w = w[:k]
	}
	if len(w) == 0 || len(w) > 6 {
		return 0, false
	}
	var b [6]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !rcvIsAlpha(c) {
			return 0, false
		}
		b[i] = c &^ 0x20
	}
	off, ok := rcvZoneAbbrev[string(b[:len(w)])]
	return off, ok
}

// rcvMonthNum returns 1..12 for an English month name or abbreviation, else 0.
func rcvMonthNum(w string) int {
	if len(w) < 3 || len(w) > 9 {
		return 0
	}
	for i := 0; i < len(w); i++ {
		if !rcvIsAlpha(w[i]) {
			return 0
		}
	}
	// w is ASCII letters: compare the lower-cased first three.
	switch uint32(w[0]|0x20)<<16 | uint32(w[1]|0x20)<<8 | uint32(w[2]|0x20) {
	case 'j'<<16 | 'a'<<8 | 'n':
		return 1
	case 'f'<<16 | 'e'<<8 | 'b':
		return 2
	case 'm'<<16 | 'a'<<8 | 'r':
		return 3
	case 'a'<<16 | 'p'<<8 | 'r':
		return 4
	case 'm'<<16 | 'a'<<8 | 'y':
		return 5
	case 'j'<<16 | 'u'<<8 | 'n':
		return 6
	case 'j'<<16 | 'u'<<8 | 'l':
		return 7
	case 'a'<<16 | 'u'<<8 | 'g':
		return 8
	case 's'<<16 | 'e'<<8 | 'p':
		return 9
	case 'o'<<16 | 'c'<<8 | 't':
		return 10
	case 'n'<<16 | 'o'<<8 | 'v':
		return 11
	case 'd'<<16 | 'e'<<8 | 'c':
		return 12
	}
	return 0
}

func rcvIsWeekday(w string) bool {
	if len(w) < 3 || len(w) > 9 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !rcvIsAlpha(w[i]) {
			return false
		}
	}
	switch uint32(w[0]|0x20)<<16 | uint32(w[1]|0x20)<<8 | uint32(w[2]|0x20) {
	case 'm'<<16 | 'o'<<8 | 'n', 't'<<16 | 'u'<<8 | 'e', 'w'<<16 | 'e'<<8 | 'd', 't'<<16 | 'h'<<8 | 'u',
		'f'<<16 | 'r'<<8 | 'i', 's'<<16 | 'a'<<8 | 't', 's'<<16 | 'u'<<8 | 'n':
		return true
	}
	return false
}

// rcvDateAcc accumulates date parts in any order.
type rcvDateAcc struct {
	year, month, day   int
	hour, min, sec, ns int
	haveTime, zoneSet  bool
	yearDigits         int
	off                int
	pm, am             bool
}

func (d *rcvDateAcc) complete(needTime bool) bool {
	return d.year >= 0 && d.month > 0 && d.day > 0 && (d.haveTime || !needTime)
}

// rcvParseDate parses a date leniently: RFC 5322 and obsolete forms, asctime,
// ISO 8601 ("2018-03-26 13:35:36.27 +0000 UTC"), US "4/20/2018 11:01 PM",
// missing seconds, 2- and 3-digit years, numeric and named zones (a comment
// zone such as "(JST)" is used only without a numeric one; a missing or
// unknown zone means UTC). Junk before the date is skipped; parsing stops at
// the first token that does not belong to a complete date. It returns the
// time, the number of bytes of s used, and whether a date was found. With
// needTime a time of day is required.
func rcvParseDate(s string, needTime bool) (time.Time, int, bool) {
	d := rcvDateAcc{year: -1}
	end, steps := d.fastPrefix(s)
	for i := end; i < len(s) && steps < 32; {
		c := s[i]
		if rcvClass[c]&(rcvClSpace|rcvClComma) != 0 {
			i++
			continue
		}
		steps++
		full := d.complete(true)
		if c == '(' {
			j := rcvSkipComment(s, i)
			inner := strings.TrimSpace(s[i+1 : j])
			if j < len(s) {
				j++
			}
			if off, ok := rcvZoneByName(inner); ok && d.haveTime {
				if !d.zoneSet {
					d.off, d.zoneSet = off, true
				}
				end = j
				i = j
				continue
			}
			if d.complete(needTime) {
				break
			}
			i = j
			continue
		}
		j := i
		for j < len(s) && rcvClass[s[j]]&(rcvClSpace|rcvClComma|rcvClOpen|rcvClSemi) == 0 {
			j++
		}
		if j == i {
			// ';' or stray delimiter
			if d.complete(needTime) {
				break
			}
			i++
			continue
		}
		if d.token(s[i:j], full) {
			end = j
		} else if d.complete(needTime) {
			break
		}
		i = j
	}
	if !d.complete(needTime) {
		return time.Time{}, 0, false
	}
	y := d.year
	switch {
	case d.yearDigits <= 2 && y < 50:
		y += 2000
	case d.yearDigits <= 2:
		y += 1900
	case d.yearDigits == 3:
		y += 1900
	}
	h := d.hour
	if d.pm && h < 12 {
		h += 12
	} else if d.am && h == 12 {
		h = 0
	}
	if y < 1900 || y > 9999 || d.month > 12 || d.day > 31 || h > 23 || d.min > 59 || d.sec > 60 {
		return time.Time{}, 0, false
	}
	sec := d.sec
	if sec == 60 {
		sec = 59
	}
	t := time.Date(y, time.Month(d.month), d.day, h, d.min, sec, d.ns, rcvZoneFor(d.off))
	if t.Day() != d.day {
		return time.Time{}, 0, false
	}
	return t, end, true
}

// fastPrefix feeds d the leading tokens of the usual date shape
// "[Mon,] 2 Jan 2006 15:04:05 -0700" exactly as the token loop of
// rcvParseDate would (same tokens, same effect on a fresh d), stopping
// before the first token that differs from that shape; the loop goes on
// from there. It returns the end of the last token taken (0 if none) and
// the number of tokens taken.
func (d *rcvDateAcc) fastPrefix(s string) (end, steps int) {
	// Each token is checked in place: its bytes, then that the token ends
	// there (rcvDateTokenEndsAt), as rcvDateTokenEnd would find.
	i := rcvSkipDateSpace(s, 0)
	if i+3 <= len(s) && rcvDateTokenEndsAt(s, i+3) && rcvIsAlpha(s[i]) && rcvIsAlpha(s[i+1]) && rcvIsAlpha(s[i+2]) &&
		rcvIsWeekday(s[i:i+3]) {
		end, steps = i+3, 1
		i = rcvSkipDateSpace(s, i+3)
	}
	// Day of the month: one or two digits, 1 to 31.
	var v int
	switch {
	case i+1 <= len(s) && rcvIsDigit(s[i]) && rcvDateTokenEndsAt(s, i+1):
		v, i = int(s[i]-'0'), i+1
	case i+2 <= len(s) && rcvIsDigit(s[i]) && rcvIsDigit(s[i+1]) && rcvDateTokenEndsAt(s, i+2):
		v, i = int(s[i]-'0')*10+int(s[i+1]-'0'), i+2
	default:
		return end, steps
	}
	if v < 1 || v > 31 {
		return end, steps
	}
	d.day = v
	end, steps = i, steps+1
	// Month: a name (three letters or more).
	i = rcvSkipDateSpace(s, i)
	j := rcvDateTokenEnd(s, i)
	m := rcvMonthNum(s[i:j])
	if m == 0 {
		return end, steps
	}
	d.month = m
	end, steps = j, steps+1
	// Four-digit year.
	i = rcvSkipDateSpace(s, j)
	if i+4 > len(s) || !rcvIsDigit(s[i]) || !rcvIsDigit(s[i+1]) || !rcvIsDigit(s[i+2]) || !rcvIsDigit(s[i+3]) ||
		!rcvDateTokenEndsAt(s, i+4) {
		return end, steps
	}
	d.year, d.yearDigits = rcvAtoiSmall(s[i:i+4]), 4
	end, steps = i+4, steps+1
	// hh:mm:ss
	i = rcvSkipDateSpace(s, i+4)
	if i+8 > len(s) || s[i+2] != ':' || s[i+5] != ':' || !rcvIsDigit(s[i]) || !rcvIsDigit(s[i+1]) ||
		!rcvIsDigit(s[i+3]) || !rcvIsDigit(s[i+4]) || !rcvIsDigit(s[i+6]) || !rcvIsDigit(s[i+7]) ||
		!rcvDateTokenEndsAt(s, i+8) {
		return end, steps
	}
	d.hour, d.min, d.sec = rcvAtoiSmall(s[i:i+2]), rcvAtoiSmall(s[i+3:i+5]), rcvAtoiSmall(s[i+6:i+8])
	d.haveTime = true
	end, steps = i+8, steps+1
	// +hhmm / -hhmm
	i = rcvSkipDateSpace(s, i+8)
	if i+5 > len(s) || (s[i] != '+' && s[i] != '-') || !rcvIsDigit(s[i+1]) || !rcvIsDigit(s[i+2]) ||
		!rcvIsDigit(s[i+3]) || !rcvIsDigit(s[i+4]) || !rcvDateTokenEndsAt(s, i+5) {
		return end, steps
	}
	off, ok := rcvParseOffset(s[i : i+5])
	if !ok {
		return end, steps
	}
	d.off, d.zoneSet = off, true
	return i + 5, steps + 1
}

// rcvDateTokenEndsAt reports whether a date token ends at i: at the end of
// s or before a space, ',', '(' or ';'.
func rcvDateTokenEndsAt(s string, i int) bool {
	return i == len(s) || rcvClass[s[i]]&(rcvClSpace|rcvClComma|rcvClOpen|rcvClSemi) != 0
}

// rcvSkipDateSpace returns the index of the first byte at or after i that
// is not a space or comma.
func rcvSkipDateSpace(s string, i int) int {
	for i < len(s) && rcvClass[s[i]]&(rcvClSpace|rcvClComma) != 0 {
		i++
	}
	return i
}

// rcvDateTokenEnd returns the end of the date token starting at i.
func rcvDateTokenEnd(s string, i int) int {
	for i < len(s) && rcvClass[s[i]]&(rcvClSpace|rcvClComma|rcvClOpen|rcvClSemi) == 0 {
		i++
	}
	return i
}

// token consumes one date token and reports whether it was part of the date.
func (d *rcvDateAcc) token(w string, full bool) bool {
	c := w[0]
	switch {
	case (c == '+' || c == '-') && len(w) >= 3 && rcvIsDigit(w[1]):
		if d.zoneSet || !d.haveTime {
			return false
		}
		off, ok := rcvParseOffset(w)
		if !ok {
			return false
		}
		d.off, d.zoneSet = off, true
		return true
	case rcvIsAlpha(c):
		if rcvEqualFold(w, "PM") || rcvEqualFold(w, "AM") {
			if !d.haveTime {
				return false
			}
			d.pm = w[0]|0x20 == 'p'
			d.am = !d.pm
			return true
		}
		if m := rcvMonthNum(w); m > 0 && d.month == 0 {
			d.month = m
			return true
		}
		if rcvIsWeekday(w) && !full {
			return true
		}
		if off, ok := rcvZoneByName(w); ok && d.haveTime {
			if !d.zoneSet {
				d.off, d.zoneSet = off, true
			}
			return true
		}
		return false
	case !rcvIsDigit(c):
		return false
	}
	if len(w) > 10 && w[4] == '-' && (w[10] == 'T' || w[10] == 't') {
		if d.month > 0 || d.day > 0 || d.haveTime {
			return false
		}
		return d.parseNumericDate(w)
	}
	// One pass for what the checks below need: a ':' (a clock), else a
	// '-', '/' or '.' (a numeric date, never at 0: w[0] is a digit), else
	// only digits (a number).
	colon, sep, digits := false, -1, true
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c == ':':
			colon = true
		case c == '-' || c == '/' || c == '.':
			if sep < 0 {
				sep = i
			}
			digits = false
		case !rcvIsDigit(c):
			digits = false
		}
		if colon {
			break
		}
	}
	if colon {
		if d.haveTime {
			return false
		}
		return d.parseClock(w)
	}
	if sep > 0 {
		if d.month > 0 || d.day > 0 {
			return false
		}
		return d.parseNumericDate(w)
	}
	if !digits || len(w) > 4 {
		return false
	}
	v := rcvAtoiSmall(w)
	switch {
	case len(w) >= 3 || v > 31:
		if d.year >= 0 {
			return false
		}
		d.year, d.yearDigits = v, len(w)
	case d.day == 0:
		if v == 0 {
			return false
		}
		d.day = v
	case d.month == 0 && d.year < 0 && v >= 1 && v <= 12:
		d.month = v // numeric month: "20 11 79 05:34:27"
	case d.year < 0:
		d.year, d.yearDigits = v, len(w)
	default:
		return false
	}
	return true
}

// parseClock parses "hh:mm[:ss[.frac]]" with an optional glued zone
// ("17:40:44-0500", "10:00:00Z").
func (d *rcvDateAcc) parseClock(w string) bool {
	i := 0
	var parts [3]int
	np := 0
	for np < 3 {
		j := i
		for j < len(w) && rcvIsDigit(w[j]) {
			j++
		}
		if j == i || j-i > 2 {
			return false
		}
		parts[np] = rcvAtoiSmall(w[i:j])
		np++
		i = j
		if i < len(w) && w[i] == ':' && np < 3 {
			i++
			continue
		}
		break
	}
	if np < 2 {
		return false
	}
	d.hour, d.min = parts[0], parts[1]
	if np == 3 {
		d.sec = parts[2]
	}
	if i < len(w) && w[i] == '.' {
		i++
		j := i
		for j < len(w) && rcvIsDigit(w[j]) {
			j++
		}
		frac := w[i:j]
		ns := 0
		for k := 0; k < 9; k++ {
			ns *= 10
			if k < len(frac) {
				ns += int(frac[k] - '0')
			}
		}
		d.ns = ns
		i = j
	}
	d.haveTime = true
	if i < len(w) {
		rest := w[i:]
		switch {
		case rest == "Z" || rest == "z":
			d.zoneSet = true
		case rest[0] == '+' || rest[0] == '-':
			if off, ok := rcvParseOffset(rest); ok {
				d.off, d.zoneSet = off, true
			}
		}
	}
	return true
}

// parseNumericDate parses "2018-03-26", "2018-4-20", "4/20/2018",
// "4-20-2018", "20.04.2018" and an ISO "2018-03-26T13:35:36Z".
func (d *rcvDateAcc) parseNumericDate(w string) bool {
	if k := strings.IndexAny(w, "Tt"); k > 0 {
		if !d.parseClock(w[k+1:]) {
			return false
		}
		w = w[:k]
	}
	sep := w[rcvIndexDateSep(w)]
	var parts [3]string
	n := 0
	for n < 3 {
		k := strings.IndexByte(w, sep)
		if k < 0 {
			parts[n] = w
			n++
			break
		}
		parts[n] = w[:k]
		n++
		w = w[k+1:]
		if n == 3 {
			return false // too many parts
		}
	}
	if n != 3 || !rcvAllDigits(parts[0]) || !rcvAllDigits(parts[1]) || !rcvAllDigits(parts[2]) ||
		len(parts[0]) > 4 || len(parts[1]) > 2 || len(parts[2]) > 4 {
		return false
	}
	a, b, c := rcvAtoiSmall(parts[0]), rcvAtoiSmall(parts[1]), rcvAtoiSmall(parts[2])
	switch {
	case len(parts[0]) == 4: // y-m-d
		d.year, d.yearDigits, d.month, d.day = a, 4, b, c
	case sep == '.' || a > 12: // d.m.y
		d.day, d.month, d.year, d.yearDigits = a, b, c, len(parts[2])
	default: // US m/d/y
		d.month, d.day, d.year, d.yearDigits = a, b, c, len(parts[2])
	}
	return d.month >= 1 && d.month <= 12 && d.day >= 1
}

// rcvIndexDateSep is strings.IndexAny(w, "-/.").
func rcvIndexDateSep(w string) int {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c == '-' || c == '/' || c == '.' {
			return i
		}
	}
	return -1
}

// rcvParseOffset parses "+0900", "-0000", "+09:00", "+9".
func rcvParseOffset(w string) (int, bool) {
	sign := 1
	if w[0] == '-' {
		sign = -1
	}
	w = w[1:]
	var hh, mm int
	switch {
	case len(w) == 4 && rcvAllDigits(w):
		hh, mm = rcvAtoiSmall(w[:2]), rcvAtoiSmall(w[2:])
	case len(w) == 5 && w[2] == ':' && rcvAllDigits(w[:2]) && rcvAllDigits(w[3:]):
		hh, mm = rcvAtoiSmall(w[:2]), rcvAtoiSmall(w[3:])
	case (len(w) == 1 || len(w) == 2) && rcvAllDigits(w):
		hh = rcvAtoiSmall(w)
	default:
		return 0, false
	}
	if hh > 14 || mm > 59 {
		return 0, false
	}
	return sign * (hh*3600 + mm*60), true
}

func rcvAtoiSmall(s string) int {
	v := 0
	for i := 0; i < len(s) && i < 9; i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}
