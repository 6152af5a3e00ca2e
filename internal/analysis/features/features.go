// Package features reduces a message to the bounded set of hashed
// features the learned model reads (docs/learning.md): tokens of the
// subject and visible body (CJK as character bigrams), link registered
// domains and path shapes, sender domain, authenticated identity, origin
// network, attachment types and fired rule IDs.
//
// It has no notion of message structure on purpose: nothing says whether a
// body was HTML, so a model cannot learn "HTML means phish".
package features

import (
	"net/netip"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Version identifies the extraction: bump it whenever a change can change
// the features of some message. Stored feature sets of another version are
// not used for training.
// Bump codeVersion in package analysis with it, so that stored reports
// (and their features) are made again.
const Version = "f1"

// Bits is the number of hash bits: features fall into 1<<Bits buckets.
const Bits = 18

// Buckets is the number of hash buckets.
const Buckets = 1 << Bits

// Bounds on the work and the size of one message's feature set.
const (
	MaxFeatures = 1024 // distinct features kept per message
	MaxTokens   = 4096 // tokens read from subject and body together
	maxTokenLen = 40   // bytes; longer runs are cut
	// MaxBodyBytes is how much of the body is read (the analysis gives at
	// most 16 KiB).
	MaxBodyBytes = 64 << 10
	maxList      = 64 // links, attachments, rules read each
)

// Kind prefixes, also the words used in explanations.
const (
	KindSubject    = "subject"
	KindBody       = "body"
	KindLinkDomain = "link domain"
	KindLinkPath   = "link path"
	KindSender     = "sender domain"
	KindIdentity   = "identity"
	KindOrigin     = "origin net"
	KindAttachment = "attachment"
	KindRule       = "rule"
)

// Input is what the analysis knows about a message, already decoded.
// Subject and Body are folded text (case and width folded); Body is the
// visible text of the body, HTML reduced to what a reader sees.
type Input struct {
	Subject, Body  string
	LinkDomains    []string
	LinkPaths      []string // the path of each link (no query)
	SenderDomain   string
	Identity       string // authenticated domain, "" when none
	OriginIP       string
	AttachmentType []string // sniffed (else declared) MIME type, with the file extension after a space
	Rules          []string
}

// Set is a message's features: the sorted, distinct bucket numbers and,
// when extracted in this process, what each one is (Name); decoded from
// the store, a Set has no names.
type Set struct {
	Hashes []uint32
	text   string    // the values, one after the other
	refs   []nameRef // per Hashes[i], nil when s has no names
}

// nameRef is where a feature's value is in Set.text and its kind (an
// index into kindNames); end == off for a feature without a name. The
// Set holds no pointer per feature: the collector has nothing to scan.
type nameRef struct {
	off, end uint32
	kind     uint8
}

// Kinds in the order Extract adds them.
var kindNames = [...]string{KindRule, KindSender, KindIdentity, KindOrigin, KindLinkDomain,
	KindLinkPath, KindAttachment, KindSubject, KindBody}

const (
	kRule uint8 = iota
	kSender
	kIdentity
	kOrigin
	kLinkDomain
	kLinkPath
	kAttachment
	kSubject
	kBody
)

// FromHashes is a Set of sorted, distinct hashes without names.
func FromHashes(hs []uint32) Set { return Set{Hashes: hs} }

// Len is the number of features.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.Hashes)
}

// Name returns the name of bucket h in s ("link domain duckdns.org"), ""
// when s has no names or no such feature.
func (s *Set) Name(h uint32) string {
	if s == nil || s.refs == nil {
		return ""
	}
	if i, ok := slices.BinarySearch(s.Hashes, h); ok && s.refs[i].end > s.refs[i].off {
		r := s.refs[i]
		v, k := s.text[r.off:r.end], r.kind
		if isToken(k) {
			v = strings.ToLower(v)
		}
		return kindNames[k] + " " + v
	}
	return ""
}

// Hash is the bucket of a feature name.
func Hash(name string) uint32 { return fold(fnvString(fnvOffset, name)) }

const (
	fnvOffset = uint32(2166136261)
	fnvPrime  = uint32(16777619)
)

func fnvString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime
	}
	return h
}

func fold(h uint32) uint32 { return (h ^ h>>Bits) & (Buckets - 1) }

// builder collects distinct named features up to MaxFeatures. Builders
// are pooled: Extract runs for every message analysed.
type builder struct {
	slot  [tableSize]uint32 // open addressing: hash+1, 0 when empty
	order []uint32
	kinds []uint8
	vals  []string // token values may point into the caller's text
	keys  []uint64 // Extract's sort keys
	tmp   []uint64 // radixSort's scratch
	text  []byte   // Extract's copy of the values
}

// tableSize is the builder's hash table size: a power of two, at least
// twice MaxFeatures.
const tableSize = 4 * MaxFeatures

var builders = sync.Pool{New: func() any { return new(builder) }}

// kindPrefix is the FNV state after "kind " for each kind.
var kindPrefix = func() (p [len(kindNames)]uint32) {
	for i, k := range kindNames {
		p[i] = fnvString(fnvString(fnvOffset, k), " ")
	}
	return p
}()

// fnvLowerASCII is fnvString over s with A–Z folded to a–z.
func fnvLowerASCII(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint32(c)
		h *= fnvPrime
	}
	return h
}

// add adds feature "kind v"; token kinds are lower-cased (the name keeps
// v as given and is lower-cased when shown). It reports whether b has room
// for more features.
func (b *builder) add(kind uint8, v string) bool {
	if kind == kSubject || kind == kBody {
		if hasNonASCII(v) {
			v = strings.ToLower(v) // allocates only when it changes something
		}
		if v == "" || len(b.order) >= MaxFeatures {
			return len(b.order) < MaxFeatures
		}
		return b.insert(fold(fnvLowerASCII(kindPrefix[kind], v)), kind, v)
	}
	if v == "" || len(b.order) >= MaxFeatures {
		return len(b.order) < MaxFeatures
	}
	return b.insert(fold(fnvString(kindPrefix[kind], v)), kind, v)
}

// insert adds bucket h named "kind v" unless b has it, and reports
// whether b has room for more.
func (b *builder) insert(h uint32, kind uint8, v string) bool {
	if len(b.order) >= MaxFeatures {
		return false
	}
	i := (h * 2654435761) & (tableSize - 1)
	for b.slot[i] != 0 {
		if b.slot[i] == h+1 {
			return true
		}
		i = (i + 1) & (tableSize - 1)
	}
	b.slot[i] = h + 1
	b.order = append(b.order, h)
	b.kinds = append(b.kinds, kind)
	b.vals = append(b.vals, v)
	return len(b.order) < MaxFeatures
}

// reset empties b for reuse (clearing only the slots it used).
func (b *builder) reset() {
	for _, h := range b.order {
		i := (h * 2654435761) & (tableSize - 1)
		for b.slot[i] != 0 {
			b.slot[i] = 0
			i = (i + 1) & (tableSize - 1)
		}
	}
	clear(b.vals)
	b.order, b.kinds, b.vals = b.order[:0], b.kinds[:0], b.vals[:0]
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// Extract computes the feature set of in, with names. The set holds at
// most MaxFeatures features; the rule, sender, identity, origin, link and
// attachment features come first, so that a long body cannot push them
// out. Cost is bounded by MaxTokens and MaxBodyBytes whatever the size of
// the text; the set keeps one copy of the values it names.
func Extract(in *Input) Set {
	b := builders.Get().(*builder)
	defer func() {
		b.reset()
		builders.Put(b)
	}()
	for _, r := range in.Rules[:min(len(in.Rules), maxList)] {
		b.add(kRule, r)
	}
	b.add(kSender, in.SenderDomain)
	id := in.Identity
	if id == "" {
		id = "none"
	}
	b.add(kIdentity, id)
	b.add(kOrigin, originNet(in.OriginIP))
	for _, d := range in.LinkDomains[:min(len(in.LinkDomains), maxList)] {
		b.add(kLinkDomain, d)
	}
	for _, p := range in.LinkPaths[:min(len(in.LinkPaths), maxList)] {
		b.add(kLinkPath, PathShape(p))
	}
	for _, t := range in.AttachmentType[:min(len(in.AttachmentType), maxList)] {
		b.add(kAttachment, t)
	}
	budget := tokens(in.Subject, kindPrefix[kSubject], MaxTokens, b.tokenFunc(kSubject))
	body := in.Body
	if len(body) > MaxBodyBytes {
		body = cutUTF8(body, MaxBodyBytes)
	}
	if budget > 0 && len(b.order) < MaxFeatures {
		tokens(body, kindPrefix[kBody], budget, b.tokenFunc(kBody))
	}
	return b.set()
}

// set returns the features of b, sorted. The text may be a pooled
// buffer: the values are copied into one string that the names share.
func (b *builder) set() Set {
	n := len(b.order)
	keys := b.keys[:0] // hash ‖ index: sorted without a comparison func
	for i, h := range b.order {
		keys = append(keys, uint64(h)<<32|uint64(i))
	}
	if n >= 128 {
		b.tmp = slices.Grow(b.tmp[:0], n)[:n]
		radixSort(keys, b.tmp)
	} else {
		slices.Sort(keys)
	}
	b.keys = keys
	s := Set{Hashes: make([]uint32, n), refs: make([]nameRef, n)}
	text := b.text[:0]
	for i, k := range keys {
		j := uint32(k)
		s.Hashes[i] = uint32(k >> 32)
		s.refs[i] = nameRef{off: uint32(len(text)), end: uint32(len(text) + len(b.vals[j])), kind: b.kinds[j]}
		text = append(text, b.vals[j]...)
	}
	b.text = text
	s.text = string(text)
	return s
}

// radixSort sorts keys (bucket<<32 | index) by bucket, in two passes of
// Bits/2 bits, through tmp (as long as keys): faster than a comparison
// sort from about a hundred keys on.
func radixSort(keys, tmp []uint64) {
	const digit = Bits / 2
	const mask = 1<<digit - 1
	var lo, hi [1 << digit]uint32
	for _, k := range keys {
		h := uint32(k >> 32)
		lo[h&mask]++
		hi[h>>digit&mask]++
	}
	sl, sh := uint32(0), uint32(0)
	for i := range lo {
		a, b := lo[i], hi[i]
		lo[i], hi[i] = sl, sh
		sl, sh = sl+a, sh+b
	}
	for _, k := range keys {
		d := uint32(k>>32) & mask
		tmp[lo[d]] = k
		lo[d]++
	}
	for _, k := range tmp {
		d := uint32(k>>(32+digit)) & mask
		keys[hi[d]] = k
		hi[d]++
	}
}

func isToken(kind uint8) bool { return kind == kSubject || kind == kBody }

// tokenFunc returns the tokens callback adding tokens of kind.
func (b *builder) tokenFunc(kind uint8) func(t string, h uint32, hashed bool) bool {
	return func(t string, h uint32, hashed bool) bool {
		if hashed {
			return b.insert(fold(h), kind, t)
		}
		return b.add(kind, t)
	}
}

// originNet is the /24 of an IPv4 address or the /48 of an IPv6 one.
func originNet(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	bits := 48
	if a.Is4() || a.Is4In6() {
		a, bits = a.Unmap(), 24
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}

// PathShape describes a URL path by its shape: each segment becomes "9"
// (digits), "h" (a token of 16 or more characters mixing letters and
// digits, or any segment over 32 bytes) or "a" (a word), and the last
// segment keeps its extension: "/wp-admin/js/x.php" → "/a/a/a.php". At
// most 8 segments are described; more are "/…".
func PathShape(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	p = strings.Trim(p, "/")
	if p == "" {
		return "/"
	}
	var sb strings.Builder
	for n := 0; p != ""; n++ {
		if n == 8 {
			sb.WriteString("/…")
			break
		}
		seg, rest, _ := strings.Cut(p, "/")
		p = rest
		ext := ""
		if rest == "" {
			if i := strings.LastIndexByte(seg, '.'); i > 0 && len(seg)-i <= 6 {
				ext = strings.ToLower(seg[i:])
				seg = seg[:i]
			}
		}
		sb.WriteByte('/')
		sb.WriteString(segShape(seg))
		sb.WriteString(ext)
	}
	return sb.String()
}

func segShape(s string) string {
	if s == "" {
		return ""
	}
	digits, letters := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		}
	}
	switch {
	case digits == len(s):
		return "9"
	case len(s) > 32 || len(s) >= 16 && digits > 0 && letters > 0:
		return "h"
	}
	return "a"
}

// tokens calls fn with up to budget tokens of text, until fn returns
// false, and returns the budget left: runs of letters and digits of 2–40
// bytes (longer runs cut), lower-cased, pure numbers dropped, and runs of
// CJK characters as overlapping character bigrams (a lone CJK character
// as itself). When hashed is true, h is
// fnvLowerASCII(seed, t) and t is its own lower case (ASCII letters
// aside): ASCII runs and CJK characters, which have no case
// (TestCJKHasNoCase), are hashed as they are read.
func tokens(text string, seed uint32, budget int, fn func(t string, h uint32, hashed bool) bool) int {
	i := 0
	for i < len(text) && budget > 0 {
		if c := text[i]; c < utf8.RuneSelf && !isAlnumASCII(c) {
			i++ // fast path: ASCII space and punctuation
			continue
		}
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case r < utf8.RuneSelf: // an ASCII letter or digit: a word starts
			var more bool
			if i, budget, more = word(text, i, seed, budget, fn); !more {
				return budget
			}
		case isCJK(r):
			j := i
			prev := -1 // start of the previous CJK character
			for j < len(text) && budget > 0 {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if !isCJK(r2) {
					break
				}
				if prev >= 0 {
					budget--
					if !fn(text[prev:j+n2], fnvString(seed, text[prev:j+n2]), true) {
						return budget
					}
				}
				prev = j
				j += n2
			}
			if prev == i && budget > 0 { // a single character
				budget--
				if !fn(text[i:j], fnvString(seed, text[i:j]), true) {
					return budget
				}
			}
			i = j
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			var more bool
			if i, budget, more = word(text, i, seed, budget, fn); !more {
				return budget
			}
		default:
			i += n
		}
	}
	return budget
}

// word reads the run of letters and digits at text[i:] for tokens,
// calls fn with it when it is a token, and returns where the run ends
// and the budget left; more is false when fn returned false.
func word(text string, i int, seed uint32, budget int, fn func(t string, h uint32, hashed bool) bool) (end, left int, more bool) {
	j := i
	alpha, ascii, h := false, true, seed
	for j < len(text) {
		if c := text[j]; c < utf8.RuneSelf {
			if !isAlnumASCII(c) {
				break
			}
			alpha = alpha || c > '9'
			if j-i < maxTokenLen {
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				h = (h ^ uint32(c)) * fnvPrime
			}
			j++
			continue
		}
		r2, n2 := utf8.DecodeRuneInString(text[j:])
		if isCJK(r2) || !(unicode.IsLetter(r2) || unicode.IsDigit(r2)) {
			break
		}
		ascii = false
		alpha = alpha || !unicode.IsDigit(r2)
		j += n2
	}
	t := text[i:j]
	if len(t) > maxTokenLen {
		t = cutUTF8(t, maxTokenLen)
	}
	if alpha && len(t) >= 2 {
		budget--
		if !fn(t, h, ascii) {
			return j, budget, false
		}
	}
	return j, budget, true
}

// Rank orders feature names for explanations: rules, then sender,
// identity, origin, links and attachments, then subject and body tokens.
func Rank(name string) int {
	for i, k := range kindNames {
		if strings.HasPrefix(name, k+" ") {
			return i
		}
	}
	return len(kindNames)
}

func cutUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isAlnumASCII(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isCJK(r rune) bool {
	switch {
	case r < 0x1100 || r >= 0x1200 && r < 0x2E80:
		return false // Latin, Greek, Cyrillic, Arabic, Indic…: no table look-up
	case r >= 0x3041 && r <= 0x3096 || r >= 0x30A1 && r <= 0x30FA || r >= 0x4E00 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7A3:
		return true // the common kana, Han and Hangul blocks: no table look-up
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// WithNames returns s with the names that o knows for its buckets (o is
// typically the same message's features extracted again); buckets o does
// not name stay unnamed. s's hashes are kept as they are.
func (s Set) WithNames(o *Set) Set {
	if o == nil || o.refs == nil || s.refs != nil {
		return s
	}
	out := Set{Hashes: s.Hashes, text: o.text, refs: make([]nameRef, len(s.Hashes))}
	for i, h := range s.Hashes {
		if j, ok := slices.BinarySearch(o.Hashes, h); ok {
			out.refs[i] = o.refs[j]
		}
	}
	return out
}
