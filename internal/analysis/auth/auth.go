// Package auth reads the authentication evidence of a message: the
// receiving side's Authentication-Results (and ARC) verdicts, DKIM
// signing domains, and their alignment with the From domain.
package auth

import (
	"slices"
	"strconv"
	"strings"

	"github.com/emersion/go-msgauth/authres"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/report"
)

const (
	// maxHeaders bounds the authentication headers examined per message.
	maxHeaders = 64
	// maxResults bounds the results kept from one header.
	maxResults = 32
	// maxValue bounds the bytes of one header value that are parsed.
	maxValue = 16 << 10
)

// Parse summarises the authentication evidence in a message's header
// fields (all of them, in order).
//
// Authentication-Results (RFC 8601) headers are parsed with
// go-msgauth/authres; when it rejects a header (common with real-world
// junk: comments containing ';', missing values, odd versions) a lenient
// parser extracts the "method=result" pairs and "ptype.prop=value"
// properties instead. Nothing is reported as an error: whatever could be
// parsed is returned.
//
// Only results stamped by the receiving side are trusted. With trustedHosts,
// the first header (in header order) whose authserv-id equals a trusted host
// or is a subdomain of one is trusted; without, the topmost header is. The
// trusted header and the headers directly below it that carry the same
// authserv-id (one per milter is common) make up Results, and Trusted is
// true. When trustedHosts is set and no header matches, Results holds the
// topmost header's results with Trusted false: shown to the analyst, never
// to be credited.
//
// Result domains: spf → smtp.mailfrom domain (or smtp.helo), dkim →
// header.d (or the domain of header.i), dmarc → header.from. ARC holds the
// results of the newest ARC-Authentication-Results (highest i=),
// informational only; ARCFirst those of i=1, the first hop's view, and
// ARCSets the number of distinct instances. DKIMDomains lists the d= tag
// of every DKIM-Signature, lower-cased and deduplicated. Identity is the
// authenticated sender domain (see identify).
//
// SPFAligned reports whether the SPF domain shares the organisational
// domain (eTLD+1) of fromDomain; DKIMAligned whether a passing DKIM result's
// domain does (false when DKIM results exist but none passes aligned). Both
// are nil when fromDomain or the needed result is unknown. Alignment uses
// the trusted results only.
func Parse(headers []report.HeaderField, fromDomain string, trustedHosts []string) report.Auth {
	var a report.Auth
	type arRef struct {
		id  string
		res []report.AuthResult
	}
	var ars []arRef
	arcInst := -1
	var arcSeen []int // distinct ARC instances, bounded by maxHeaders
	seen := 0
	for i := range headers {
		k := headers[i].Key
		switch {
		case strings.EqualFold(k, "Authentication-Results"):
			if seen++; seen > maxHeaders {
				continue
			}
			id, res := parseAR(bound(headers[i].Value))
			ars = append(ars, arRef{id: id, res: res})
		case strings.EqualFold(k, "ARC-Authentication-Results"):
			if seen++; seen > maxHeaders {
				continue
			}
			inst, rest := stripInstance(bound(headers[i].Value))
			if inst > arcInst || (arcInst < 0 && a.ARC == nil) {
				_, res := parseAR(rest)
				arcInst = inst
				a.ARC = res
			}
			if inst >= 1 && !slices.Contains(arcSeen, inst) {
				arcSeen = append(arcSeen, inst)
			}
			if inst == 1 && a.ARCFirst == nil {
				a.ARCFirstID, a.ARCFirst = parseAR(rest)
			}
		case strings.EqualFold(k, "DKIM-Signature"):
			if seen++; seen > maxHeaders {
				continue
			}
			if d := dKIMTag(bound(headers[i].Value), "d"); d != "" {
				d = strings.ToLower(d)
				dup := false
				for _, x := range a.DKIMDomains {
					if x == d {
						dup = true
						break
					}
				}
				if !dup {
					a.DKIMDomains = append(a.DKIMDomains, d)
				}
			}
		}
	}
	if len(ars) > 0 {
		start := -1
		if len(trustedHosts) == 0 {
			start = 0
		} else {
			for i, ar := range ars {
				if ar.id != "" && domain.MatchHost(ar.id, trustedHosts) {
					start = i
					break
				}
			}
		}
		if start >= 0 {
			a.Trusted = true
			a.AuthServID = ars[start].id
			for i := start; i < len(ars) && strings.EqualFold(ars[i].id, ars[start].id); i++ {
				a.Results = append(a.Results, ars[i].res...)
			}
		} else {
			a.AuthServID = ars[0].id
			a.Results = ars[0].res
		}
	}
	a.ARCSets = len(arcSeen)
	if a.Trusted {
		a.SPFAligned, a.DKIMAligned = alignment(a.Results, fromDomain)
		identify(&a, fromDomain)
	}
	return a
}

// identify sets a.Identity from the trusted results: the From domain when
// DMARC passed for it, or a DKIM signature aligned with it passed, or SPF
// passed for an aligned domain. A DMARC fail for it proves nothing.
//
// When the message came through a forwarder (ARC sets present), the first
// hop's results (ARC-Authentication-Results i=1) are read too: if that hop
// saw DMARC fail, or SPF fail/softfail with neither DMARC nor an aligned
// DKIM signature passing, the trusted pass was earned at the forwarder and
// is not the sender's: Identity stays nil and ARCFirstFail is set. ARC is
// only ever used to withdraw credit (an ARC set is as easy to forge as any
// header), never to grant it.
func identify(a *report.Auth, fromDomain string) {
	fromOrg := orgDomain(fromDomain)
	if fromOrg == "" {
		return
	}
	var methods []string
	for _, r := range a.Results {
		if r.Method == "dmarc" && (r.Domain == "" || orgDomain(r.Domain) == fromOrg) {
			if r.Result == "fail" {
				return
			}
			if r.Result == "pass" && !slices.Contains(methods, "dmarc") {
				methods = append(methods, "dmarc")
			}
		}
	}
	if a.DKIMAligned != nil && *a.DKIMAligned {
		methods = append(methods, "dkim")
	}
	if a.SPFAligned != nil && *a.SPFAligned {
		for _, r := range a.Results {
			if r.Method == "spf" {
				if r.Result == "pass" {
					methods = append(methods, "spf")
				}
				break
			}
		}
	}
	if len(methods) == 0 {
		return
	}
	if a.ARCSets > 0 && len(a.ARCFirst) > 0 && firstHopFails(a.ARCFirst, fromOrg) {
		a.ARCFirstFail = true
		return
	}
	// A receiver that seals what it received (i=1 stamped by the trusted
	// authserv-id itself) is no forwarder.
	viaARC := a.ARCSets > 1 || (a.ARCSets == 1 && !strings.EqualFold(a.ARCFirstID, a.AuthServID))
	a.Identity = &report.Identity{Domain: strings.ToLower(strings.TrimSuffix(fromDomain, ".")), Methods: methods, ViaARC: viaARC}
}

// firstHopFails reports whether the first ARC hop's results deny the
// sender: DMARC fail, or SPF fail/softfail without a DMARC pass or an
// aligned DKIM pass.
func firstHopFails(res []report.AuthResult, fromOrg string) bool {
	spfFail, saved := false, false
	for _, r := range res {
		switch r.Method {
		case "dmarc":
			switch r.Result {
			case "fail":
				return true
			case "pass":
				saved = true
			}
		case "spf":
			spfFail = spfFail || r.Result == "fail" || r.Result == "softfail"
		case "dkim":
			if r.Result == "pass" && r.Domain != "" && orgDomain(r.Domain) == fromOrg {
				saved = true
			}
		}
	}
	return spfFail && !saved
}

func bound(v string) string {
	if len(v) > maxValue {
		return v[:maxValue]
	}
	return v
}

// alignment computes SPF and DKIM alignment with fromDomain.
func alignment(res []report.AuthResult, fromDomain string) (spf, dkim *bool) {
	fromOrg := orgDomain(fromDomain)
	if fromOrg == "" {
		return nil, nil
	}
	sawDKIM := false
	for _, r := range res {
		switch r.Method {
		case "spf":
			if spf == nil && r.Domain != "" {
				v := orgDomain(r.Domain) == fromOrg
				spf = &v
			}
		case "dkim":
			sawDKIM = true
			if r.Result == "pass" && r.Domain != "" && orgDomain(r.Domain) == fromOrg {
				v := true
				dkim = &v
			}
		}
	}
	if dkim == nil && sawDKIM {
		v := false
		dkim = &v
	}
	return spf, dkim
}

// orgDomain is domain.Registered for the domain of an authentication result,
// which may be given as an address ("smtp.mailfrom=user@example.org");
// "" for a name without a dot.
func orgDomain(d string) string {
	d = strings.Trim(strings.TrimSpace(d), "<>")
	if strings.IndexByte(d, '@') >= 0 {
		d = domain.OfAddress(d)
	}
	if strings.IndexByte(strings.Trim(d, "."), '.') < 0 {
		return ""
	}
	return domain.Registered(d)
}

// stripInstance removes the leading "i=N;" of an ARC header.
func stripInstance(v string) (int, string) {
	t := strings.TrimSpace(v)
	if len(t) > 2 && (t[0] == 'i' || t[0] == 'I') {
		rest := strings.TrimLeft(t[1:], " \t")
		if len(rest) > 0 && rest[0] == '=' {
			num, after, _ := strings.Cut(rest[1:], ";")
			n, err := strconv.Atoi(strings.TrimSpace(num))
			if err == nil {
				return n, after
			}
			return 0, after
		}
	}
	return 0, v
}

// parseAR parses one Authentication-Results value into its authserv-id
// and results, with authres first and the lenient parser as fallback.
func parseAR(v string) (string, []report.AuthResult) {
	if needsLenient(v) {
		return lenient(v)
	}
	id, results, err := authres.Parse(v)
	if err == nil && len(results) <= maxResults {
		var out []report.AuthResult
		for _, r := range results {
			if ar, ok := fromLib(r); ok {
				out = append(out, ar)
			}
		}
		return strings.ToLower(id), out
	}
	return lenient(v)
}

// needsLenient reports comments or quoting that authres does not
// understand (it splits on every ';' and keeps comments as parameters).
func needsLenient(v string) bool {
	return strings.IndexByte(v, '(') >= 0 || strings.IndexByte(v, '"') >= 0
}

func fromLib(r authres.Result) (report.AuthResult, bool) {
	switch r := r.(type) {
	case *authres.SPFResult:
		d := domainOf(r.From)
		if d == "" {
			d = domainOf(r.Helo)
		}
		return report.AuthResult{Method: "spf", Result: string(r.Value), Domain: d, Reason: r.Reason}, true
	case *authres.DKIMResult:
		d := strings.ToLower(r.Domain)
		if d == "" {
			d = domainOf(r.Identifier)
		}
		return report.AuthResult{Method: "dkim", Result: string(r.Value), Domain: d, Reason: r.Reason}, true
	case *authres.DMARCResult:
		return report.AuthResult{Method: "dmarc", Result: string(r.Value), Domain: domainOf(r.From), Reason: r.Reason}, true
	case *authres.ARCResult:
		return report.AuthResult{Method: "arc", Result: string(r.Value)}, true
	case *authres.AuthResult:
		return report.AuthResult{Method: "auth", Result: string(r.Value), Domain: domainOf(r.Auth), Reason: r.Reason}, true
	case *authres.IPRevResult:
		return report.AuthResult{Method: "iprev", Result: string(r.Value), Reason: r.Reason}, true
	case *authres.DomainKeysResult:
		return report.AuthResult{Method: "domainkeys", Result: string(r.Value), Domain: strings.ToLower(r.Domain), Reason: r.Reason}, true
	case *authres.SenderIDResult:
		return report.AuthResult{Method: "sender-id", Result: string(r.Value), Reason: r.Reason}, true
	case *authres.GenericResult:
		out := report.AuthResult{Method: strings.ToLower(r.Method), Result: string(r.Value), Reason: r.Params["reason"]}
		out.Domain = domainFromProps(out.Method, func(k string) string { return r.Params[k] })
		return out, true
	}
	return report.AuthResult{}, false
}

// domainOf returns the lower-cased domain of an address or name.
func domainOf(s string) string {
	s = strings.Trim(strings.TrimSpace(s), "<>\"")
	if k := strings.LastIndexByte(s, '@'); k >= 0 {
		s = s[k+1:]
	}
	return strings.ToLower(strings.TrimSuffix(s, "."))
}

// domainFromProps picks the domain property that matters for method.
func domainFromProps(method string, get func(string) string) string {
	var keys []string
	switch method {
	case "spf":
		keys = []string{"smtp.mailfrom", "smtp.helo"}
	case "dkim", "domainkeys":
		keys = []string{"header.d", "header.i"}
	case "dmarc", "compauth", "bimi":
		keys = []string{"header.from", "header.d"}
	default:
		keys = []string{"header.from", "header.d", "smtp.mailfrom"}
	}
	for _, k := range keys {
		if v := get(k); v != "" {
			return domainOf(v)
		}
	}
	return ""
}

// lenient parses what it can of a broken Authentication-Results value:
// the authserv-id, then for every ';'-separated part outside comments and
// quotes a leading "method=result" and any "ptype.prop=value" or
// "reason=value" properties.
func lenient(v string) (string, []report.AuthResult) {
	parts := split(v)
	if len(parts) == 0 {
		return "", nil
	}
	id := ""
	first := strings.TrimSpace(stripComments(parts[0]))
	if f := strings.Fields(first); len(f) > 0 {
		if strings.IndexByte(f[0], '=') < 0 {
			id = strings.ToLower(f[0])
		} else {
			// no authserv-id: the first part is already a result
			parts = append([]string{""}, parts...)
			parts[1] = first
		}
	}
	var out []report.AuthResult
	for _, part := range parts[1:] {
		if len(out) >= maxResults {
			break
		}
		fs := fields(stripComments(part))
		if len(fs) == 0 {
			continue
		}
		// A part may hold several results when ';' was forgotten:
		// "spf=pass smtp.mailfrom=x dkim=pass header.d=y".
		var cur *report.AuthResult
		props := map[string]string{}
		flush := func() {
			if cur == nil {
				return
			}
			if r, ok := props["reason"]; ok {
				cur.Reason = r
			}
			cur.Domain = domainFromProps(cur.Method, func(k string) string { return props[k] })
			out = append(out, *cur)
			cur = nil
			props = map[string]string{}
		}
		for _, f := range fs {
			k, val, ok := strings.Cut(f, "=")
			if !ok {
				continue
			}
			k = strings.ToLower(strings.TrimSpace(k))
			val = strings.Trim(strings.TrimSpace(val), "\"")
			if k == "" {
				continue
			}
			if (cur == nil && strings.IndexByte(k, '.') < 0 && k != "reason") || knownMethod(k) {
				// method=result
				if cur != nil && len(out) >= maxResults {
					break
				}
				flush()
				m := k
				if s := strings.IndexByte(m, '/'); s > 0 {
					m = m[:s] // method/version
				}
				cur = &report.AuthResult{Method: m, Result: strings.ToLower(val)}
				continue
			}
			if cur != nil {
				props[k] = val
			}
		}
		flush()
	}
	return id, out
}

// split splits on ';' outside comments and quoted strings.
func split(v string) []string {
	var parts []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\' && (quoted || depth > 0):
			i++
		case c == '"' && depth == 0:
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		case c == ';' && depth == 0:
			parts = append(parts, v[start:i])
			start = i + 1
		}
	}
	return append(parts, v[start:])
}

// stripComments removes RFC 5322 comments (nested, with quoted pairs).
func stripComments(s string) string {
	if strings.IndexByte(s, '(') < 0 {
		return s
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && depth > 0:
			i++
		case c == '(':
			depth++
			if depth == 1 {
				b.WriteByte(' ')
			}
		case c == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// dKIMTag returns the value of tag name in a DKIM-Signature value
// (tag=value pairs separated by ';', folding whitespace ignored).
func dKIMTag(v, name string) string {
	for len(v) > 0 {
		var part string
		part, v, _ = strings.Cut(v, ";")
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.Join(strings.Fields(val), "")
		}
	}
	return ""
}

// knownMethod reports registered (and common vendor) method names, so
// that a second "method=result" in a part missing its ';' starts a new
// result while "action=none" or "p=none" stay properties.
func knownMethod(k string) bool {
	if s := strings.IndexByte(k, '/'); s > 0 {
		k = k[:s]
	}
	switch k {
	case "spf", "dkim", "dmarc", "arc", "iprev", "auth", "compauth", "bimi", "domainkeys",
		"sender-id", "dkim-atps", "dkim-adsp", "dnswl", "smime", "vbr", "rrvs", "x-tls":
		return true
	}
	return false
}

// fields splits s on white space outside quoted strings.
func fields(s string) []string {
	var out []string
	start, quoted := -1, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
			if start < 0 {
				start = i
			}
		case !quoted && (c == ' ' || c == '\t' || c == '\r' || c == '\n'):
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}
