package enrich

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/domain"
)

// Bounds of AbuseContact.
const (
	maxAbuseDepth    = 4   // entity nesting levels searched below the network
	maxAbuseEntities = 64  // entities inspected in all
	maxEmailLen      = 254 // RFC 5321 path limit
)

// ErrNoAbuseContact is returned (wrapped) by AbuseContact when the
// registry's answer names no abuse entity with an email address.
var ErrNoAbuseContact = errors.New("enrich: no abuse contact in the RDAP answer")

// AbuseInfo is the abuse contact of an IP network from RDAP.
type AbuseInfo struct {
	// Email is a validated plain address (local@domain, printable ASCII,
	// no display name): safe inside a header field.
	Email string `json:"email"`
	// Network is the RDAP network's handle or name (untrusted text, at
	// most 100 bytes; sanitise before display).
	Network string `json:"network,omitempty"`
	Provenance
}

// rdapEntity is the part of an RDAP entity we read (RFC 9083 section 5.1):
// registries nest the abuse contact in the registrant's entities (ARIN) or
// list it beside the network (RIPE, APNIC).
type rdapEntity struct {
	Roles    []string          `json:"roles"`
	VCard    []json.RawMessage `json:"vcardArray"`
	Entities []rdapEntity      `json:"entities"`
}

// rdapIPNetwork is the part of an RDAP IP network object we read.
type rdapIPNetwork struct {
	Handle   string       `json:"handle"`
	Name     string       `json:"name"`
	Entities []rdapEntity `json:"entities"`
}

// AbuseContact asks RDAP ({RDAPBase}/ip/{ip}, following the bootstrap
// redirect) for the abuse contact of the network holding ip: the email of
// the first entity with the role "abuse", searched breadth first at most
// 4 levels deep and 64 entities wide. The answer is untrusted: it is read
// up to 1 MiB within the query timeout, and an address is returned only
// when it is a plain, printable-ASCII local@domain with a valid DNS domain
// (no display name, no spaces, no controls, so it cannot inject a header
// line). Errors: ErrOffline and ErrBudget as for every look-up, an error
// for a non-public ip, a failed request, a non-200 status, an oversized or
// non-JSON answer, ErrNoAbuseContact (wrapped) when no abuse entity has an
// email, and an error naming the rejected value when the only abuse
// emails are not valid addresses. Answers are not cached.
func (o *Online) AbuseContact(ctx context.Context, ip netip.Addr) (AbuseInfo, error) {
	if o == nil {
		return AbuseInfo{}, ErrOffline
	}
	ip = ip.Unmap()
	if !publicIP(ip) {
		return AbuseInfo{}, fmt.Errorf("enrich: rdap: %v is not a public address", ip)
	}
	body, src, err := o.rdapFetch(ctx, "/ip/"+ip.String())
	if err != nil {
		return AbuseInfo{}, err
	}
	var doc rdapIPNetwork
	if err := json.Unmarshal(body, &doc); err != nil {
		return AbuseInfo{}, fmt.Errorf("enrich: rdap %s: not an RDAP JSON answer: %w", src, err)
	}
	email, err := abuseEmail(doc.Entities)
	if err != nil {
		return AbuseInfo{}, fmt.Errorf("enrich: rdap %s: %w", src, err)
	}
	return AbuseInfo{Email: email, Network: clip(cmp.Or(doc.Handle, doc.Name), 100),
		Provenance: Provenance{Source: "rdap " + src, AsOf: o.opt.Now().UTC()}}, nil
}

// rdapFetch GETs path below the RDAP base and returns the body (at most
// maxRDAPBytes) and the final URL after redirects.
func (o *Online) rdapFetch(ctx context.Context, path string) ([]byte, string, error) {
	ctx, release, err := o.begin(ctx)
	if err != nil {
		return nil, "", err
	}
	defer release()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.rdap+path, nil)
	if err != nil {
		return nil, "", fmt.Errorf("enrich: rdap: %w", err)
	}
	req.Header.Set("Accept", "application/rdap+json, application/json")
	resp, err := o.http.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("enrich: rdap: %w", err)
	}
	defer resp.Body.Close()
	src := resp.Request.URL.Redacted()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, "", fmt.Errorf("enrich: rdap %s: status %d", src, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRDAPBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("enrich: rdap %s: %w", src, err)
	}
	if len(body) > maxRDAPBytes {
		return nil, "", fmt.Errorf("enrich: rdap %s: answer larger than %d bytes", src, maxRDAPBytes)
	}
	return body, src, nil
}

// abuseEmail searches the entity tree breadth first for abuse entities and
// returns the first valid email among them.
func abuseEmail(top []rdapEntity) (string, error) {
	level, seen := top, 0
	var rejected string
	for depth := 0; depth <= maxAbuseDepth && len(level) > 0; depth++ {
		var next []rdapEntity
		for _, e := range level {
			if seen++; seen > maxAbuseEntities {
				break
			}
			if containsFold(e.Roles, "abuse") {
				for _, v := range vcardValues(e.VCard, "email") {
					if a, ok := plainEmail(v); ok {
						return a, nil
					}
					if rejected == "" {
						rejected = v
					}
				}
			}
			next = append(next, e.Entities...)
		}
		level = next
	}
	if rejected != "" {
		return "", fmt.Errorf("abuse contact %s is not a plain email address", strconv.QuoteToASCII(clip(rejected, 100)))
	}
	return "", ErrNoAbuseContact
}

// plainEmail validates s as a bare address: printable ASCII without
// spaces, one '@', a valid DNS host name (letter-digit-hyphen labels), parsed by net/mail to itself. It
// returns the address with the domain lower-cased.
func plainEmail(s string) (string, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "mailto:")
	if s == "" || len(s) > maxEmailLen {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`<>()[],;:"\`, c) >= 0 {
			return "", false
		}
	}
	local, dom, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.Contains(dom, "@") {
		return "", false
	}
	dom = strings.ToLower(strings.TrimSuffix(dom, "."))
	if !domain.ValidDNSName(dom) || strings.Contains(dom, "_") {
		return "", false
	}
	for l := range strings.SplitSeq(dom, ".") {
		if len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return "", false
		}
	}
	a, err := mail.ParseAddress(local + "@" + dom)
	if err != nil || a.Name != "" || a.Address != local+"@"+dom {
		return "", false
	}
	return a.Address, true
}

// vcardValues returns the text values of the named property of a jCard
// ["vcard", [[name, params, type, value…], …]] (RFC 7095), at most 8.
func vcardValues(v []json.RawMessage, name string) []string {
	if len(v) < 2 {
		return nil
	}
	var props [][]json.RawMessage
	if json.Unmarshal(v[1], &props) != nil {
		return nil
	}
	var out []string
	for _, p := range props {
		var n string
		if len(p) < 4 || json.Unmarshal(p[0], &n) != nil || !strings.EqualFold(n, name) {
			continue
		}
		for _, raw := range p[3:] {
			var s string
			if json.Unmarshal(bytes.TrimSpace(raw), &s) == nil && len(out) < 8 {
				out = append(out, s)
			}
		}
	}
	return out
}

// clip cuts s to at most n bytes at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
