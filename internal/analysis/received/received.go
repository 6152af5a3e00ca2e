// Package received parses Received header fields into hops (a lenient
// tokenizer for the from, by, with, id and for clauses, their comments,
// IP literals and TLS notes) and builds the hop chain of a message: order,
// delays, trusted relays and the origin hop.
package received

import (
	"net/netip"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis/date"
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
		} else {
			p.clausesAroundDate(rest)
		}
	} else {
		p.clausesAroundDate(s)
	}
	p.finish()
	if r.hop.FromIP != "" {
		r.ip = p.ip
	}
	r.flags = intrinsicFlags(&r.hop, r.ip)
	r.hop.Flags = r.flags.set()
	return p.r
}

// clausesAroundDate parses the clauses of s before and after the date
// findTrailingDate finds in it (a date without its ';', or one that does not
// follow it directly), or all of s when it holds none.
func (p *rparser) clausesAroundDate(s string) {
	start, end, t, ok := findTrailingDate(s)
	if !ok {
		p.clauses(s, 0)
		return
	}
	p.r.hop.Time = t
	p.clauses(s[:start], 0)
	p.state = stNone
	p.clauses(s[end:], 0)
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
		for j < len(s) && date.Class(s[j])&(date.ClSpace|date.ClOpen|date.ClClose) == 0 {
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
		for j < len(s) && date.Class(s[j])&(date.ClSpace|date.ClOpen|date.ClClose|date.ClSemi) == 0 {
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
		k := date.Class(s[j])
		seen |= k
		switch {
		case k&(date.ClOpen|date.ClClose) == 0:
		case k == date.ClOpen:
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

// clauseWord is a clause word of a Received header (RFC 5321 4.4, plus the
// envelope words some MTAs write) and the state it starts.
type clauseWord struct {
	word string
	st   rstate
}

// keywords lists the clause words by length, so that most words are ruled
// out by their length alone.
var keywords = [...][]clauseWord{
	2:  {{"by", stBy}, {"id", stID}},
	3:  {{"for", stFor}, {"via", stVia}},
	4:  {{"from", stFrom}, {"with", stWith}},
	13: {{"envelope-from", stEnvWord}},
	15: {{"envelope-sender", stEnvWord}},
}

// keyword returns the state clause word w starts (matched
// case-insensitively), or stNone.
func keyword(w string) rstate {
	if len(w) >= len(keywords) {
		return stNone
	}
	for _, k := range keywords[len(w)] {
		if equalFold(w, k.word) {
			return k.st
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
		if date.Class(c)&(date.ClSpace|date.ClComma) != 0 {
			i++
			continue
		}
		j := i
		for j < len(t) && date.Class(t[j])&(date.ClSpace|date.ClComma) == 0 {
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
