package brands

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/fold"
	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/unicode/norm"
)

// Lookalike kinds returned by Lookalike.
const (
	// LookalikeTLDSwap: same label as an official domain under another
	// public suffix (kagoya.jp for kagoya.com).
	LookalikeTLDSwap = "tld_swap"
	// LookalikeConfusable: the label reads like an official one once
	// homoglyphs are mapped (rnicrosoft, paypa1, аpple with a Cyrillic а).
	LookalikeConfusable = "confusable"
	// LookalikeEditDistance: one or two typos away from an official label
	// (arnazon, paypall).
	LookalikeEditDistance = "edit_distance"
	// LookalikeEmbeddedBrand: an official label appears inside an
	// unrelated host name (amazon-co-jp.security-check.top).
	LookalikeEmbeddedBrand = "embedded_brand"
)

// lookRef is one official domain of a brand, keyed by its label.
type lookRef struct {
	brand    *Brand
	official string // registered domain, e.g. "amazon.co.jp"
	label    string // part before the public suffix, e.g. "amazon"
}

// lookalikeIndex is precomputed at registry build time.
type lookalikeIndex struct {
	byLabel map[string][]lookRef // official domains per label
	bySkel  map[string][]lookRef // skeleton of label → refs
	byLen   map[int][]lookRef    // labels eligible for edit distance, by length
	embed   *fold.Matcher        // labels eligible for embedded_brand
	embedSk *fold.Matcher        // the same labels as skeletons
	embRefs []lookRef            // pattern id → ref (both matchers)
}

// lookStoplist are official labels that are common words or names: they
// are never used for tld_swap, edit-distance or embedded matches, only for
// exact ownership.
var lookStoplist = map[string]bool{
	"line": true, "live": true, "mail": true, "post": true, "office": true, "visa": true,
	"zoom": true, "sakura": true, "nomura": true, "matsui": true, "daiwa": true, "aeon": true,
	"me": true, "mac": true, "bank": true, "card": true, "japan": true, "online": true,
	"steam": true, "target": true, "orange": true, "square": true,
	"booking": true, "uber": true, "nta": true, "gmo": true, "jal": true, "ana": true,
	"citi": true, "chase": true, "ing": true, "ups": true, "dhl": true, "nhk": true,
	"epos": true, "saison": true, "orico": true, "aplus": true, "jaccs": true,
	"resona": true, "monex": true, "tepco": true, "kepco": true,
}

// lookalikeAllow are registered domains of hosting and CDN infrastructure
// that contain brand labels but are not lookalikes (they are judged by the
// URL rules instead).
var lookalikeAllow = map[string]bool{
	"amazonaws.com": true, "amazon-adsystem.com": true, "cloudfront.net": true,
	"googleusercontent.com": true, "googleapis.com": true, "appspot.com": true,
	"azurewebsites.net": true, "windows.net": true, "azureedge.net": true,
	"microsoftonline-p.com": true, "office.net": true, "outlook.office365.com": true,
}

func buildLookalikeIndex(r *Registry) lookalikeIndex {
	ix := lookalikeIndex{
		byLabel: make(map[string][]lookRef),
		bySkel:  make(map[string][]lookRef),
		byLen:   make(map[int][]lookRef),
	}
	var pats, skPats [][]byte
	seenEmbed := make(map[string]bool)
	for _, b := range r.brands {
		for _, d := range b.Domains {
			suffix, _ := publicsuffix.PublicSuffix(d)
			if len(suffix) >= len(d) {
				continue
			}
			label := d[:len(d)-len(suffix)-1]
			ref := lookRef{brand: b, official: d, label: label}
			ix.byLabel[label] = append(ix.byLabel[label], ref)
			if lookStoplist[label] || strings.Contains(label, ".") {
				continue
			}
			if sk := skeleton(label); len(sk) >= 4 {
				ix.bySkel[sk] = append(ix.bySkel[sk], ref)
			}
			if n := len(label); n >= 6 {
				ix.byLen[n] = append(ix.byLen[n], ref)
			}
			if len(label) >= 4 && !seenEmbed[label] {
				seenEmbed[label] = true
				pats = append(pats, []byte(label))
				skPats = append(skPats, []byte(skeletonHost(label)))
				ix.embRefs = append(ix.embRefs, ref)
			}
		}
	}
	ix.embed = fold.NewMatcher(pats)
	ix.embedSk = fold.NewMatcher(skPats)
	return ix
}

// Lookalike reports whether domain (a host name or registered
// domain) imitates an official domain of a brand in reg, and how: kind is
// one of the Lookalike* constants and official the imitated registered
// domain. It returns nil, "", "" when domain is owned by a brand, is an
// IP address, has no registered domain, or resembles nothing. Punycode
// labels are decoded first. A nil reg means Default.
//
// Checks, in order: tld_swap (exact label under another suffix),
// confusable (skeletons equal after mapping rn→m, vv→w, 0→o, 1/i→l,
// Cyrillic/Greek homoglyphs, accents, hyphens), edit_distance
// (Damerau–Levenshtein ≤ 1 against official labels of ≥ 6 bytes, ≤ 2 for
// ≥ 9 bytes; five-byte labels such as "apple" only match through the other
// checks because too many English words are one edit away), embedded_brand
// (an official label of ≥ 4 bytes inside the host's labels; labels of at
// most five bytes must stand between '-', '.', digits or the ends). Labels
// that are common words (line, sakura, visa …) are only matched exactly.
func Lookalike(dom string, reg *Registry) (brand *Brand, kind string, official string) {
	if reg == nil {
		reg = Default()
	}
	if !domain.MemoOn() {
		return domainLookalike(dom, reg)
	}
	if v, ok := reg.lookMemo.Load(dom); ok {
		a := v.(lookAnswer)
		return a.brand, a.kind, a.official
	}
	brand, kind, official = domainLookalike(dom, reg)
	if reg.lookN.Load() < maxLookMemo {
		reg.lookN.Add(1)
		reg.lookMemo.Store(dom, lookAnswer{brand, kind, official})
	}
	return brand, kind, official
}

func domainLookalike(dom string, reg *Registry) (brand *Brand, kind string, official string) {
	host := domain.Canon(dom)
	if host == "" || len(host) > 253 || domain.IsIPLiteral(host) {
		return nil, "", ""
	}
	if strings.Contains(host, "xn--") {
		if u, err := idna.Punycode.ToUnicode(host); err == nil {
			host = strings.ToLower(u)
		}
	}
	reg1 := domain.Registered(host)
	if reg1 == "" || reg1 == host && !strings.Contains(host, ".") {
		return nil, "", ""
	}
	if reg.byDomain[reg1] != nil || lookalikeAllow[reg1] {
		return nil, "", ""
	}
	suffix, _ := publicsuffix.PublicSuffix(reg1)
	if len(suffix) >= len(reg1) {
		return nil, "", ""
	}
	label := reg1[:len(reg1)-len(suffix)-1]
	ix := &reg.look

	// tld_swap
	if refs := ix.byLabel[label]; len(refs) > 0 && len(label) >= 4 && !lookStoplist[label] {
		ref := pickRef(refs, suffix)
		return ref.brand, LookalikeTLDSwap, ref.official
	}
	// confusable
	if sk := skeleton(label); sk != "" {
		if refs := ix.bySkel[sk]; len(refs) > 0 {
			ref := pickRef(refs, suffix)
			return ref.brand, LookalikeConfusable, ref.official
		}
	}
	// edit_distance
	if utf8.RuneCountInString(label) == len(label) {
		for n := len(label) - 2; n <= len(label)+2; n++ {
			for _, ref := range ix.byLen[n] {
				maxd := 1
				if n >= 9 {
					maxd = 2
				}
				if absInt(n-len(label)) > maxd {
					continue
				}
				if damerauLevenshtein(label, ref.label, maxd) <= maxd {
					return ref.brand, LookalikeEditDistance, ref.official
				}
			}
		}
	}
	// embedded_brand: over every label left of the public suffix, raw and
	// as a skeleton.
	hostSuffix, _ := publicsuffix.PublicSuffix(host)
	if len(hostSuffix) >= len(host) {
		return nil, "", ""
	}
	rest := host[:len(host)-len(hostSuffix)-1]
	if ref, ok := ix.embedded(ix.embed, rest); ok {
		return ref.brand, LookalikeEmbeddedBrand, ref.official
	}
	if ref, ok := ix.embedded(ix.embedSk, skeletonHost(rest)); ok {
		return ref.brand, LookalikeEmbeddedBrand, ref.official
	}
	return nil, "", ""
}

// pickRef prefers the official domain under the same public suffix as
// the lookalike (arnazon.co.jp imitates amazon.co.jp), else the first.
func pickRef(refs []lookRef, suffix string) lookRef {
	for _, r := range refs {
		if len(r.official) == len(r.label)+1+len(suffix) && strings.HasSuffix(r.official, suffix) {
			return r
		}
	}
	return refs[0]
}

// embedded finds an official label inside s (host labels, dots kept).
func (ix *lookalikeIndex) embedded(m *fold.Matcher, s string) (lookRef, bool) {
	var found lookRef
	ok := false
	b := s
	m.Scan(b, func(id, start, end int) bool {
		ref := ix.embRefs[id]
		if end-start <= 5 && (!tokenEdge(b, start-1) || !tokenEdge(b, end)) {
			return true
		}
		if start == 0 && end == len(b) {
			return true // the whole label: handled by the exact checks
		}
		found, ok = ref, true
		return false
	})
	return found, ok
}

// tokenEdge reports whether b[i] is outside b or a separator (not a
// letter).
func tokenEdge(b string, i int) bool {
	if i < 0 || i >= len(b) {
		return true
	}
	return !fold.IsLetter(b[i]) && b[i] < utf8.RuneSelf
}

// skeleton maps a single domain label to a canonical form in which
// visually confusable spellings coincide. Hyphens are dropped.
func skeleton(label string) string {
	var sb strings.Builder
	sb.Grow(len(label))
	writeSkeleton(&sb, label, false)
	return sb.String()
}

// skeletonHost is skeleton over several labels, keeping dots and hyphens
// (they delimit embedded labels).
func skeletonHost(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	writeSkeleton(&sb, s, true)
	return sb.String()
}

// digraphs are the letter pairs that look like one letter: rn → m,
// vv → w, cl → d (indexed by the first letter).
var digraphs = [256]struct{ next, as byte }{'r': {'n', 'm'}, 'v': {'v', 'w'}, 'c': {'l', 'd'}}

func writeSkeleton(sb *strings.Builder, s string, keepSep bool) {
	if !charset.IsASCII(s) {
		s = stripMarks(s)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			i += n
			if l := fold.LatinLookalike(r); l != 0 {
				c = fold.LowerByte(l)
			} else {
				sb.WriteRune(unicode.ToLower(r))
				continue
			}
		} else {
			i++
		}
		c = fold.LowerByte(c)
		switch c {
		case '-', '_':
			if keepSep {
				sb.WriteByte(c)
			}
			continue
		case 'r', 'v', 'c':
			if d := digraphs[c]; i < len(s) && fold.LowerByte(s[i]) == d.next {
				sb.WriteByte(d.as)
				i++
				continue
			}
		case '0':
			c = 'o'
		case '1', 'i', '!', '|':
			c = 'l'
		case '3':
			c = 'e'
		case '5', '$':
			c = 's'
		case '4', '@':
			c = 'a'
		case '7':
			c = 't'
		case '8':
			c = 'b'
		case '9':
			c = 'g'
		}
		sb.WriteByte(c)
	}
}

// stripMarks decomposes s (NFKD) and drops combining marks, so "ápple"
// becomes "apple".
func stripMarks(s string) string {
	d := norm.NFKD.String(s)
	var sb strings.Builder
	sb.Grow(len(d))
	for _, r := range d {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// damerauLevenshtein returns the optimal-string-alignment distance
// between a and b (ASCII), or max+1 as soon as it must exceed max.
func damerauLevenshtein(a, b string, max int) int {
	if absInt(len(a)-len(b)) > max {
		return max + 1
	}
	if len(a) > 64 || len(b) > 64 {
		return max + 1
	}
	var rows [3][65]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
