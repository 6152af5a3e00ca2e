// Package infra is data about sending infrastructure that links in
// legitimate mail go through: the click-tracking and redirect domains of
// mailing services (ESPs), the CDNs and short-link domains of brands, and
// shared platforms whose subdomains (tenants) anyone can create.
//
// The embedded infra.json holds the default entries, each with the public
// vendor documentation that names its domains; a user file in the same
// format extends it (Load, Merge). A Set is read-only and safe for
// concurrent use.
package infra

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/jsonlist"
)

// Kinds of entries.
const (
	// KindESP: a mailing service's click-tracking, redirect, image or
	// list-management domain. A link through it is the sender's mailing
	// service, not an unrelated site.
	KindESP = "esp"
	// KindBrandAsset: a brand's own CDN, media or short-link domain that is
	// not its main domain (twimg.com, lnkd.in, paypalobjects.com).
	KindBrandAsset = "brand_asset"
	// KindSharedPlatform: a platform where anyone can publish under a
	// subdomain or path (x.sharepoint.com, x.github.io, forms.gle/...): the
	// tenant is not the platform's owner.
	KindSharedPlatform = "shared_platform"
)

// ErrInvalid is wrapped by every error Load returns for a malformed file.
var ErrInvalid = errors.New("invalid infrastructure data")

// Entry is one vendor, brand or platform and its domains.
type Entry struct {
	Kind string `json:"kind"`
	// Name is the vendor (ESP), the brand (its name in the brand registry
	// when it has one) or the platform.
	Name string `json:"name"`
	// Domains are host names, lower-case; each matches itself and its
	// subdomains.
	Domains []string `json:"domains"`
	// Paths, for a shared platform, restrict the match to URL paths with
	// one of these prefixes (docs.google.com/forms). Empty: any path.
	Paths []string `json:"paths,omitempty"`
	// Source is the public documentation (URL and title) naming the
	// domains. Required.
	Source string `json:"source"`
}

// Set is a read-only index of entries by domain.
type Set struct {
	entries []*Entry
	byKind  map[string]map[string][]*Entry // kind → domain → entries
}

//go:embed infra.json
var defaultJSON []byte

// Default returns the embedded set (infra.json), parsed once and shared.
// It panics only if the embedded file is invalid, which the tests rule out.
func Default() *Set { return defaultSet() }

var defaultSet = jsonlist.Embedded("infra: embedded infra.json: ", defaultJSON, Load)

// Limits on a user file.
const (
	maxEntries  = 10000
	maxDomains  = 100000
	maxFileSize = 16 << 20
)

// Load reads a JSON array of entries (the format of infra.json). Kinds must
// be one of the Kind constants, names and sources non-empty, domains host
// names without a wildcard or scheme, path prefixes starting with "/".
// Every error wraps ErrInvalid.
func Load(r io.Reader) (*Set, error) {
	list, err := jsonlist.Decode[Entry](r, jsonlist.Limits{Bytes: maxFileSize, Items: maxEntries, Strict: true}, "entries", ErrInvalid)
	if err != nil {
		return nil, err
	}
	n := 0
	for i, e := range list {
		if err := e.validate(); err != nil {
			return nil, fmt.Errorf("%w: entry %d: %w", ErrInvalid, i, err)
		}
		n += len(e.Domains)
		if n > maxDomains {
			return nil, fmt.Errorf("%w: more than %d domains", ErrInvalid, maxDomains)
		}
	}
	return build(list), nil
}

func (e *Entry) validate() error {
	if e == nil {
		return errors.New("null entry")
	}
	switch e.Kind {
	case KindESP, KindBrandAsset, KindSharedPlatform:
	default:
		return fmt.Errorf("unknown kind %q", e.Kind)
	}
	if strings.TrimSpace(e.Name) == "" {
		return errors.New("no name")
	}
	if strings.TrimSpace(e.Source) == "" {
		return fmt.Errorf("%s: no source", e.Name)
	}
	if len(e.Domains) == 0 {
		return fmt.Errorf("%s: no domains", e.Name)
	}
	for j, d := range e.Domains {
		c := domain.Canon(d)
		if c == "" || strings.ContainsAny(c, "*/:@ ") || !strings.Contains(c, ".") {
			return fmt.Errorf("%s: bad domain %q", e.Name, d)
		}
		e.Domains[j] = c
	}
	if len(e.Paths) > 0 && e.Kind != KindSharedPlatform {
		return fmt.Errorf("%s: paths are for shared platforms only", e.Name)
	}
	for _, p := range e.Paths {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("%s: path %q does not start with /", e.Name, p)
		}
	}
	return nil
}

func build(list []*Entry) *Set {
	s := &Set{entries: list, byKind: map[string]map[string][]*Entry{}}
	for _, e := range list {
		m := s.byKind[e.Kind]
		if m == nil {
			m = map[string][]*Entry{}
			s.byKind[e.Kind] = m
		}
		for _, d := range e.Domains {
			m[d] = append(m[d], e)
		}
	}
	return s
}

// Entries returns the entries in file order; shared, do not modify.
func (s *Set) Entries() []*Entry {
	if s == nil {
		return nil
	}
	return s.entries
}

// Merge returns a set with the entries of s followed by those of other
// (both are kept: a user entry adds domains, it does not remove any).
// A nil side yields the other.
func (s *Set) Merge(other *Set) *Set {
	if other == nil || len(other.entries) == 0 {
		return s
	}
	if s == nil || len(s.entries) == 0 {
		return other
	}
	list := make([]*Entry, 0, len(s.entries)+len(other.entries))
	list = append(list, s.entries...)
	list = append(list, other.entries...)
	return build(list)
}

// find returns the entries of kind listing host or a parent domain of it,
// with the matched domain; the longest match wins.
func (s *Set) find(kind, host string) ([]*Entry, string) {
	if s == nil {
		return nil, ""
	}
	m := s.byKind[kind]
	if m == nil {
		return nil, ""
	}
	h := domain.Canon(host)
	for h != "" {
		if es, ok := m[h]; ok {
			return es, h
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return nil, ""
}

// ESP reports whether host is (under) a mailing service's domain, and
// which service.
func (s *Set) ESP(host string) (vendor string, ok bool) {
	es, _ := s.find(KindESP, host)
	if len(es) == 0 {
		return "", false
	}
	return es[0].Name, true
}

// BrandAsset reports whether host is (under) a brand's CDN, media or
// short-link domain, and which brand.
func (s *Set) BrandAsset(host string) (brand string, ok bool) {
	es, _ := s.find(KindBrandAsset, host)
	if len(es) == 0 {
		return "", false
	}
	return es[0].Name, true
}

// SharedPlatform reports whether host is on a shared platform whose
// entries apply to any path, the platform, and the tenant label: the label
// just left of the platform's domain ("contoso" for
// contoso.sharepoint.com), "" for the platform's own host.
func (s *Set) SharedPlatform(host string) (platform, tenant string, ok bool) {
	return s.SharedPlatformURL(host, "")
}

// SharedPlatformURL is SharedPlatform for a URL's host and path: an entry
// with path prefixes matches only when path has one of them.
func (s *Set) SharedPlatformURL(host, path string) (platform, tenant string, ok bool) {
	es, matched := s.find(KindSharedPlatform, host)
	for _, e := range es {
		if len(e.Paths) > 0 && !hasPathPrefix(path, e.Paths) {
			continue
		}
		h := domain.Canon(host)
		if len(h) > len(matched) {
			rest := h[:len(h)-len(matched)-1]
			tenant = rest[strings.LastIndexByte(rest, '.')+1:]
		}
		return e.Name, tenant, true
	}
	return "", "", false
}

func hasPathPrefix(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if path == p || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/") {
			return true
		}
	}
	return false
}

// Known reports whether host is an ESP or brand-asset domain: a host whose
// brand-like labels are the infrastructure's own, not a lookalike.
func (s *Set) Known(host string) bool {
	if _, ok := s.ESP(host); ok {
		return true
	}
	_, ok := s.BrandAsset(host)
	return ok
}

// ESP looks host up in the default set.
func ESP(host string) (string, bool) { return Default().ESP(host) }

// BrandAsset looks host up in the default set.
func BrandAsset(host string) (string, bool) { return Default().BrandAsset(host) }

// SharedPlatform looks host up in the default set.
func SharedPlatform(host string) (string, string, bool) { return Default().SharedPlatform(host) }
