package campaign

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/domain"
	"github.com/triage-tools/triage/internal/analysis/near"
	"github.com/triage-tools/triage/internal/analysis/received"
)

// Bounds on a signature, so that one hostile message cannot make its
// record, or the number of buckets it joins, large.
const (
	maxList   = 8   // links, hosts, domains, attachments each
	maxString = 256 // bytes of any one string
)

// Sig is what clustering keeps of one message: the evidence its campaign
// keys are derived from, and what a campaign's shared indicators are
// counted from. Every list is distinct and bounded by maxList.
type Sig struct {
	Skeleton string // normalised subject (analysis/near.Skeleton)
	SimHash  uint64 // SimHash of the visible body; 0 when too short
	// Dup is the exact-duplicate key: a hash of the sender address, the
	// skeleton and the whole visible body (0 when the body is unknown).
	Dup          uint64
	Sender       string // From address, lower-case
	SenderDomain string // its registered domain
	LinkDomains  []string
	LinkHosts    []string
	Links        []string // registered domain + path template ("evil.com/login/*")
	OriginIP     string
	HELO         string
	AttachSHA256 []string
	AttachNames  []string
}

// SigOf derives the signature of a report. The skeleton and SimHash come
// from r.Near, which only a fresh analysis fills in: for a report read
// back from a store or an import the skeleton is computed here and the
// SimHash is missing.
func SigOf(r *analysis.Report) Sig {
	s := Sig{
		Skeleton: clip(r.Near.Skeleton),
		SimHash:  r.Near.SimHash,
		Sender:   clip(strings.ToLower(r.Summary.From.Address)),
	}
	if s.Skeleton == "" && r.Summary.Subject != "" {
		var names []string
		for _, l := range [][]analysis.Address{r.Summary.To, r.Summary.Cc} {
			for _, a := range l {
				if len(names) < 2*near.MaxNames {
					names = append(names, a.Address, a.Name)
				}
			}
		}
		s.Skeleton = clip(near.Skeleton(r.Summary.Subject, names))
	}
	if r.Near.Body != 0 {
		var hex [16]byte
		s.Dup = keyHash3('d', s.Sender, s.Skeleton, strconv.AppendUint(hex[:0], r.Near.Body, 16))
	}
	if h := domain.OfAddress(s.Sender); h != "" {
		s.SenderDomain = clip(domain.RegisteredOrSelf(h))
	}
	var linkBuf [128]byte
	link := linkBuf[:0] // domain + path template, compared before it is copied
	for i := range r.URLs {
		u := &r.URLs[i]
		if u.Host == "" {
			continue
		}
		s.LinkHosts = addList(s.LinkHosts, u.Host)
		d := u.Domain
		if d == "" {
			d = u.Host
		}
		s.LinkDomains = addList(s.LinkDomains, d)
		if len(s.Links) < maxList {
			link = appendPathTemplate(append(link[:0], d...), u)
			s.Links = addList(s.Links, link)
		}
	}
	if h := received.OriginHop(r.Hops); h != nil {
		s.OriginIP = clip(h.FromIP)
		if !domain.IsPlaceholderHELO(h.FromHelo) {
			s.HELO = clip(strings.ToLower(h.FromHelo))
		}
	}
	for i := range r.Attachments {
		a := &r.Attachments[i]
		s.AttachSHA256 = addList(s.AttachSHA256, a.SHA256)
		s.AttachNames = addList(s.AttachNames, a.Name)
	}
	return s
}

// appendPathTemplate appends the path of a URL with its variable
// segments (any holding a digit, or longer than 24 bytes) replaced by "*",
// at most four segments, without query or fragment.
func appendPathTemplate(dst []byte, u *analysis.URL) []byte {
	raw := u.URL
	if u.Unwrapped != "" {
		raw = u.Unwrapped
	}
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return append(dst, '/')
	}
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return append(dst, '/')
	}
	p := rest[i:]
	if j := strings.IndexAny(p, "?#"); j >= 0 {
		p = p[:j]
	}
	p = strings.Trim(p, "/")
	start := len(dst)
	for n := 0; ; n++ {
		seg, more := p, false
		if k := strings.IndexByte(p, '/'); k >= 0 {
			seg, p, more = p[:k], p[k+1:], true
		}
		if n == 4 {
			dst = append(dst, "/…"...)
			break
		}
		if seg != "" {
			dst = appendSegment(append(dst, '/'), seg)
		}
		if !more {
			break
		}
	}
	if len(dst) == start {
		dst = append(dst, '/')
	}
	return dst
}

// appendSegment appends one path segment of a template: "*" when it is
// variable, else the segment in lower case.
func appendSegment(dst []byte, seg string) []byte {
	if len(seg) > 24 || strings.ContainsAny(seg, "0123456789") {
		return append(dst, '*')
	}
	for i := 0; i < len(seg); i++ {
		if seg[i] >= utf8.RuneSelf {
			return append(dst, strings.ToLower(seg)...)
		}
	}
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// clip cuts s to maxString bytes, not inside a UTF-8 sequence.
func clip[T ~string | ~[]byte](s T) T {
	if len(s) <= maxString {
		return s
	}
	s = s[:maxString]
	for len(s) > 0 && s[len(s)-1]&0xc0 == 0x80 {
		s = s[:len(s)-1] // do not end inside a UTF-8 sequence
	}
	if len(s) > 0 && s[len(s)-1] >= 0xc0 {
		s = s[:len(s)-1]
	}
	return s
}

// addList adds v, clipped, to l unless it is empty, already there, or l
// is full. A []byte v is copied only when it is added.
func addList[T ~string | ~[]byte](l []string, v T) []string {
	v = clip(v)
	if len(v) == 0 || len(l) >= maxList || slices.ContainsFunc(l, func(x string) bool { return x == string(v) }) {
		return l
	}
	if l == nil {
		l = make([]string, 0, 2)
	}
	return append(l, string(v))
}

// originNet is the origin IP's /24 (IPv4) or /48 (IPv6), "" when none.
func originNet(ip string) string {
	a, err := netip.ParseAddr(strings.Trim(ip, "[]"))
	if err != nil {
		return ""
	}
	bits := 24
	if !a.Unmap().Is4() {
		bits = 48
	}
	p, err := a.Unmap().Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}

// Signature formats: 2 added Dup after SimHash; 1 is still read.
const sigFormat = 2

// Append appends the compact binary form of s to dst (DecodeSig reads it).
func (s *Sig) Append(dst []byte) []byte {
	n := 1 + 8 + 8
	for _, v := range []string{s.Skeleton, s.Sender, s.SenderDomain, s.OriginIP, s.HELO} {
		n += binary.MaxVarintLen64 + len(v)
	}
	for _, l := range [][]string{s.LinkDomains, s.LinkHosts, s.Links, s.AttachSHA256, s.AttachNames} {
		n += binary.MaxVarintLen64
		for _, v := range l {
			n += binary.MaxVarintLen64 + len(v)
		}
	}
	dst = slices.Grow(dst, n)
	dst = append(dst, sigFormat)
	dst = binary.BigEndian.AppendUint64(dst, s.SimHash)
	dst = binary.BigEndian.AppendUint64(dst, s.Dup)
	for _, v := range []string{s.Skeleton, s.Sender, s.SenderDomain, s.OriginIP, s.HELO} {
		dst = appendStr(dst, v)
	}
	for _, l := range [][]string{s.LinkDomains, s.LinkHosts, s.Links, s.AttachSHA256, s.AttachNames} {
		dst = binary.AppendUvarint(dst, uint64(len(l)))
		for _, v := range l {
			dst = appendStr(dst, v)
		}
	}
	return dst
}

func appendStr(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// ErrBadSig is returned by DecodeSig for a record it cannot read.
var ErrBadSig = errors.New("campaign: malformed signature record")

// DecodeSig reads a signature written by Sig.Append. Its strings share
// one copy of the record, made once, so that reading a signature costs a
// few allocations whatever the number of its strings.
func DecodeSig(b []byte) (Sig, error) {
	var s Sig
	if len(b) < 9 || (b[0] != 1 && b[0] != sigFormat) {
		return s, ErrBadSig
	}
	s.SimHash = binary.BigEndian.Uint64(b[1:9])
	rest := b[9:]
	if b[0] == 2 {
		if len(rest) < 8 {
			return Sig{}, ErrBadSig
		}
		s.Dup = binary.BigEndian.Uint64(rest[:8])
		rest = rest[8:]
	}
	d := dec{b: rest, text: string(rest)}
	for _, p := range []*string{&s.Skeleton, &s.Sender, &s.SenderDomain, &s.OriginIP, &s.HELO} {
		*p = d.str()
	}
	for _, p := range []*[]string{&s.LinkDomains, &s.LinkHosts, &s.Links, &s.AttachSHA256, &s.AttachNames} {
		n := d.uvarint()
		if n > maxList {
			return s, ErrBadSig
		}
		if n > 0 {
			*p = make([]string, n)
			for i := range *p {
				(*p)[i] = d.str()
			}
		}
	}
	if d.bad {
		return Sig{}, ErrBadSig
	}
	return s, nil
}

// dec reads a record b; text is a copy of all of it, which the strings
// read are cut from.
type dec struct {
	b    []byte
	text string
	bad  bool
}

func (d *dec) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) str() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) || n > 4*maxString {
		d.bad = true
		d.b = nil
		return ""
	}
	at := len(d.text) - len(d.b)
	d.b = d.b[n:]
	return d.text[at : at+int(n)]
}
