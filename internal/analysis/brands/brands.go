// Package brands is the brand registry (names, aliases, domains and
// networks of organisations that phishing impersonates), the search of
// brand names in text, and lookalike domains of the brands.
package brands

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/fold"
	"github.com/triage-tools/triage/internal/analysis/jsonlist"
	"golang.org/x/net/publicsuffix"
)

// Brand categories.
const (
	CategoryHosting    = "hosting"
	CategoryBank       = "bank"
	CategoryCard       = "card"
	CategoryCarrier    = "carrier" // parcel and postal services
	CategoryTelecom    = "telecom"
	CategoryRetail     = "retail"
	CategoryTech       = "tech"
	CategoryGovernment = "government"
	CategorySecurities = "securities"
	CategoryUtility    = "utility"
	CategoryTransport  = "transport"
	CategorySocial     = "social"
	CategoryPayment    = "payment"
	CategoryCrypto     = "crypto"
	CategoryInsurance  = "insurance" // health plans and insurers
)

var brandCategories = map[string]bool{
	CategoryHosting: true, CategoryBank: true, CategoryCard: true, CategoryCarrier: true,
	CategoryTelecom: true, CategoryRetail: true, CategoryTech: true, CategoryGovernment: true,
	CategorySecurities: true, CategoryUtility: true, CategoryTransport: true, CategorySocial: true,
	CategoryPayment: true, CategoryCrypto: true, CategoryInsurance: true,
}

// ErrInvalid is wrapped by every error Load returns for a malformed
// brand file.
var ErrInvalid = errors.New("invalid brand registry")

// Brand is one organisation phishers impersonate.
type Brand struct {
	// Name is the display name and the identity used by Merge (compared
	// case-insensitively).
	Name     string `json:"name"`
	Category string `json:"category"`
	// Aliases are the names a message may use to claim the brand. An empty
	// list means the name itself.
	Aliases []Alias `json:"aliases,omitempty"`
	// Domains are the brand's registered domains (eTLD+1), lower-case.
	Domains []string `json:"domains,omitempty"`
	// ASNs are the networks the brand sends mail from, when known.
	ASNs []uint32 `json:"asns,omitempty"`
	// Generic marks a product name used by many operators (e.g. the
	// "Active! mail" webmail): a claim is a lure signal, but a sender
	// outside Domains is not a mismatch.
	Generic bool `json:"generic,omitempty"`
}

// Alias is one name of a brand as it is matched in text. In JSON an alias
// is either a plain string or an object with the fields below.
//
// Matching is done on folded text (see fold.Normalize; additionally spaces
// between CJK characters and Cyrillic/Greek homoglyphs inside Latin words
// are folded). ASCII letters match case-insensitively unless CaseSensitive.
// When Word is true the alias only matches when the characters just before
// and after it are not ASCII letters or digits; when Word is nil it
// defaults to true for ASCII-only aliases of at most five bytes ("au",
// "UPS", "Chase"), false otherwise.
type Alias struct {
	Text          string `json:"text"`
	CaseSensitive bool   `json:"case_sensitive,omitempty"`
	Word          *bool  `json:"word,omitempty"`
}

// UnmarshalJSON accepts a string or an object.
func (a *Alias) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		a.Word, a.CaseSensitive = nil, false
		return json.Unmarshal(b, &a.Text)
	}
	type plain Alias
	return json.Unmarshal(b, (*plain)(a))
}

// MarshalJSON writes a plain string when no option is set.
func (a Alias) MarshalJSON() ([]byte, error) {
	if !a.CaseSensitive && a.Word == nil {
		return json.Marshal(a.Text)
	}
	type plain Alias
	return json.Marshal(plain(a))
}

// wordBounded reports the effective Word setting.
func (a Alias) wordBounded() bool {
	if a.Word != nil {
		return *a.Word
	}
	if len(a.Text) > 5 {
		return false
	}
	for i := 0; i < len(a.Text); i++ {
		if a.Text[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Owns reports whether domain (a host name or registered domain, any case,
// trailing dot allowed) is one of the brand's domains or a subdomain of
// one. Owns does not look at freemail: see OfficialSender.
func (b *Brand) Owns(dom string) bool {
	if b == nil {
		return false
	}
	d := domain.Canon(dom)
	if d == "" {
		return false
	}
	for _, o := range b.Domains {
		if d == o || (len(d) > len(o) && d[len(d)-len(o)-1] == '.' && strings.HasSuffix(d, o)) {
			return true
		}
	}
	return false
}

// Match is one brand claimed in a text.
type Match struct {
	Brand *Brand `json:"-"`
	// Alias is the alias that matched, as written in the registry.
	Alias string `json:"alias"`
}

// Registry is a read-only set of brands with the indexes used to find
// claims and lookalike domains. It is safe for concurrent use.
type Registry struct {
	brands   []*Brand
	byName   map[string]*Brand
	byDomain map[string]*Brand

	aliases []aliasPat
	pats    [][]byte      // the aliases folded, until the matcher is built
	mOnce   sync.Once     // builds m on first use (matcher)
	m       *fold.Matcher // nil when there is no alias

	look lookalikeIndex

	// lookMemo caches Lookalike answers by input domain (the same
	// sender and link domains recur across a mailbox). Bounded by lookN.
	lookMemo sync.Map // string → lookAnswer
	lookN    atomic.Int64
}

type lookAnswer struct {
	brand          *Brand
	kind, official string
}

// maxLookMemo bounds the Lookalike cache of one registry.
const maxLookMemo = 100_000

type aliasPat struct {
	brand *Brand
	text  string // as written
	exact []byte // folded, case preserved; compared when caseSensitive
	cs    bool
	word  bool
}

//go:embed brands.json
var defaultBrandsJSON []byte

// Default returns the embedded registry (brands.json). It is parsed
// once; the result is shared and must not be modified. It panics only if
// the embedded file is invalid, which the tests rule out.
func Default() *Registry { return defaultRegistry() }

var defaultRegistry = jsonlist.Embedded("analysis: embedded brands.json: ", defaultBrandsJSON, Load)

// Limits on a user brand file.
const (
	maxBrands        = 10000
	maxAliasesTotal  = 100000
	maxAliasBytes    = 128
	maxDomainsTotal  = 100000
	maxBrandFileSize = 16 << 20
)

// Load reads a JSON array of brands (the format of the embedded
// brands.json) and builds a registry. Domains are lower-cased and must be
// registered domains (eTLD+1); names must be unique (case-insensitively);
// the category must be one of the Category constants. Every error wraps
// ErrInvalid.
func Load(r io.Reader) (*Registry, error) {
	list, err := jsonlist.Decode[Brand](r, jsonlist.Limits{Bytes: maxBrandFileSize, Items: maxBrands}, "brands", ErrInvalid)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(list))
	nal, ndom := 0, 0
	for i, b := range list {
		if b == nil || strings.TrimSpace(b.Name) == "" {
			return nil, fmt.Errorf("%w: brand %d has no name", ErrInvalid, i)
		}
		key := strings.ToLower(b.Name)
		if seen[key] {
			return nil, fmt.Errorf("%w: duplicate brand %q", ErrInvalid, b.Name)
		}
		seen[key] = true
		if !brandCategories[b.Category] {
			return nil, fmt.Errorf("%w: brand %q: unknown category %q", ErrInvalid, b.Name, b.Category)
		}
		if len(b.Aliases) == 0 {
			b.Aliases = []Alias{{Text: b.Name}}
		}
		for _, a := range b.Aliases {
			if strings.TrimSpace(a.Text) == "" || len(a.Text) > maxAliasBytes {
				return nil, fmt.Errorf("%w: brand %q: bad alias %q", ErrInvalid, b.Name, a.Text)
			}
		}
		for j, d := range b.Domains {
			d = domain.Canon(d)
			if e, err := publicsuffix.EffectiveTLDPlusOne(d); err != nil || e != d {
				return nil, fmt.Errorf("%w: brand %q: %q is not a registered domain", ErrInvalid, b.Name, b.Domains[j])
			}
			b.Domains[j] = d
		}
		nal += len(b.Aliases)
		ndom += len(b.Domains)
		if nal > maxAliasesTotal || ndom > maxDomainsTotal {
			return nil, fmt.Errorf("%w: too many aliases or domains", ErrInvalid)
		}
	}
	return buildBrands(list), nil
}

// buildBrands indexes list; the brands are owned by the new registry.
func buildBrands(list []*Brand) *Registry {
	r := &Registry{
		brands:   list,
		byName:   make(map[string]*Brand, len(list)),
		byDomain: make(map[string]*Brand),
	}
	var pats [][]byte
	for _, b := range list {
		r.byName[strings.ToLower(b.Name)] = b
		for _, d := range b.Domains {
			if _, dup := r.byDomain[d]; !dup {
				r.byDomain[d] = b
			}
		}
		for _, a := range b.Aliases {
			folded := fold.Append(nil, a.Text, fold.Squeeze|fold.Confusable)
			if len(folded) == 0 {
				continue
			}
			r.aliases = append(r.aliases, aliasPat{
				brand: b, text: a.Text, exact: folded, cs: a.CaseSensitive, word: a.wordBounded(),
			})
			pats = append(pats, folded)
		}
	}
	r.pats = pats
	r.look = buildLookalikeIndex(r)
	return r
}

// matcher returns the alias matcher, built on first use: a process that
// only re-opens a store (a scan of an unchanged mailbox) never looks for a
// brand, and building it is most of loading the registry.
func (r *Registry) matcher() *fold.Matcher {
	r.mOnce.Do(func() {
		if len(r.pats) > 0 {
			r.m = fold.NewMatcher(r.pats)
		}
		r.pats = nil
	})
	return r.m
}

// Brands returns the brands in registry order. The slice and the brands
// are shared: do not modify them.
func (r *Registry) Brands() []*Brand {
	if r == nil {
		return nil
	}
	return r.brands
}

// Lookup returns the brand with this name (case-insensitive) or nil.
func (r *Registry) Lookup(name string) *Brand {
	if r == nil {
		return nil
	}
	return r.byName[strings.ToLower(name)]
}

// Merge returns a new registry with the brands of r followed by those of
// other; a brand of other whose name equals one of r's (case-insensitive)
// replaces it in place. Neither input is modified. A nil side yields the
// other side.
func (r *Registry) Merge(other *Registry) *Registry {
	if other == nil || len(other.brands) == 0 {
		return r
	}
	if r == nil || len(r.brands) == 0 {
		return other
	}
	list := make([]*Brand, 0, len(r.brands)+len(other.brands))
	index := make(map[string]int, len(r.brands))
	for _, b := range r.brands {
		index[strings.ToLower(b.Name)] = len(list)
		list = append(list, b)
	}
	for _, b := range other.brands {
		k := strings.ToLower(b.Name)
		if i, ok := index[k]; ok {
			list[i] = b
			continue
		}
		index[k] = len(list)
		list = append(list, b)
	}
	return buildBrands(list)
}

// ByDomain returns the brand that owns domain (a host name or registered
// domain; its registered domain is looked up), or nil. When several brands
// list the domain, the first in registry order is returned.
func (r *Registry) ByDomain(dom string) *Brand {
	if r == nil {
		return nil
	}
	d := domain.Registered(dom)
	if d == "" {
		return nil
	}
	return r.byDomain[d]
}

// OfficialSender reports whether domain is a plausible sending domain for
// b: b owns it and it is not a freemail domain (an @icloud.com or
// @gmail.com sender does not speak for Apple or Google).
func (r *Registry) OfficialSender(b *Brand, dom string) bool {
	return b.Owns(dom) && !domain.IsFreemail(domain.Registered(dom))
}

// Limits of Find.
const (
	// maxFindBytes is how much of a text Find reads; callers should pass
	// at most the first 64 KiB of a body anyway.
	maxFindBytes = 1 << 20
	// maxBrandMatches bounds the result of Find.
	maxBrandMatches = 32
)

// Find returns the brands claimed in text (a display name, subject or
// body), each once, in order of first appearance. Text is folded first (see
// Alias), so hidden characters and full-width forms do not defeat it. When
// an alias match lies inside a longer match of another brand ("楽天" inside
// "楽天カード"), only the longer one counts. Only the first 1 MiB of text is
// read and at most 32 brands are returned.
func (r *Registry) Find(text string) []Match {
	if r == nil || r.matcher() == nil || text == "" {
		return nil
	}
	if len(text) > maxFindBytes {
		text = text[:maxFindBytes]
	}
	buf, release := fold.ForMatch(text, fold.MatchMode)
	defer release()
	return r.FindFolded(buf)
}

// FindFolded is Find over text already folded with fold.MatchMode.
func (r *Registry) FindFolded(buf string) []Match {
	if r == nil || r.matcher() == nil || buf == "" {
		return nil
	}
	type hit struct {
		pat        int
		start, end int
	}
	var store [16]hit
	hits := store[:0]
	r.m.Scan(buf, func(id, start, end int) bool {
		p := &r.aliases[id]
		if p.cs && buf[start:end] != string(p.exact) {
			return true
		}
		if p.word && (wordBefore(buf, start) || wordAfter(buf, end)) {
			return true
		}
		// Drop earlier hits of other brands inside this one; skip this one
		// if it lies inside an earlier hit of another brand.
		keep := hits[:0]
		inside := false
		for _, h := range hits {
			hb := r.aliases[h.pat].brand
			if hb != p.brand {
				if h.start >= start && h.end <= end && h.end-h.start < end-start {
					continue
				}
				if start >= h.start && end <= h.end && end-start < h.end-h.start {
					inside = true
				}
			}
			keep = append(keep, h)
		}
		hits = keep
		if inside {
			return true
		}
		for _, h := range hits {
			if r.aliases[h.pat].brand == p.brand {
				return true
			}
		}
		hits = append(hits, hit{id, start, end})
		return len(hits) < maxBrandMatches
	})
	if len(hits) == 0 {
		return nil
	}
	out := make([]Match, len(hits))
	for i, h := range hits {
		p := &r.aliases[h.pat]
		out[i] = Match{Brand: p.brand, Alias: p.text}
	}
	return out
}

// wordBefore and wordAfter report whether buf continues a word just before
// start or just after end: an ASCII letter or digit, or a letter of an
// alphabet that separates words with spaces (Latin, Greek, Cyrillic), so
// the alias "au" does not match inside the German "außen". Japanese and Chinese text has no spaces between words:
// "auからのお知らせ" still names the brand.
func wordBefore(buf string, start int) bool {
	if start <= 0 {
		return false
	}
	if c := buf[start-1]; c < utf8.RuneSelf {
		return fold.IsAlnum(c)
	}
	r, _ := utf8.DecodeLastRuneInString(buf[:start])
	return spacedLetter(r)
}

func wordAfter(buf string, end int) bool {
	if end >= len(buf) {
		return false
	}
	if c := buf[end]; c < utf8.RuneSelf {
		return fold.IsAlnum(c)
	}
	r, _ := utf8.DecodeRuneInString(buf[end:])
	return spacedLetter(r)
}

func spacedLetter(r rune) bool {
	return unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic)
}
