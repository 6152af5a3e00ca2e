package campaign

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"

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
		s.Dup = keyHash('d', s.Sender+"\x00"+s.Skeleton, strconv.FormatUint(r.Near.Body, 16))
	}
	if h := domain.OfAddress(s.Sender); h != "" {
		s.SenderDomain = clip(domain.RegisteredOrSelf(h))
	}
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
		s.Links = addList(s.Links, d+pathTemplate(u))
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

// pathTemplate is the path of a URL with its variable segments (any
// holding a digit, or longer than 24 bytes) replaced by "*", at most four
// segments, without query or fragment.
func pathTemplate(u *analysis.URL) string {
	raw := u.URL
	if u.Unwrapped != "" {
		raw = u.Unwrapped
	}
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "/"
	}
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return "/"
	}
	p := rest[i:]
	if j := strings.IndexAny(p, "?#"); j >= 0 {
		p = p[:j]
	}
	var b strings.Builder
	for n, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		if n == 4 {
			b.WriteString("/…")
			break
		}
		if seg == "" {
			continue
		}
		b.WriteByte('/')
		if len(seg) > 24 || strings.ContainsAny(seg, "0123456789") {
			b.WriteByte('*')
		} else {
			b.WriteString(strings.ToLower(seg))
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

func clip(s string) string {
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

func addList(l []string, v string) []string {
	v = clip(v)
	if v == "" || len(l) >= maxList || slices.Contains(l, v) {
		return l
	}
	return append(l, v)
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

// DecodeSig reads a signature written by Sig.Append. The strings are
// copied out of b.
func DecodeSig(b []byte) (Sig, error) {
	var s Sig
	if len(b) < 9 || (b[0] != 1 && b[0] != sigFormat) {
		return s, ErrBadSig
	}
	s.SimHash = binary.BigEndian.Uint64(b[1:9])
	d := dec{b: b[9:]}
	if b[0] == 2 {
		if len(d.b) < 8 {
			return Sig{}, ErrBadSig
		}
		s.Dup = binary.BigEndian.Uint64(d.b[:8])
		d.b = d.b[8:]
	}
	for _, p := range []*string{&s.Skeleton, &s.Sender, &s.SenderDomain, &s.OriginIP, &s.HELO} {
		*p = d.str()
	}
	for _, p := range []*[]string{&s.LinkDomains, &s.LinkHosts, &s.Links, &s.AttachSHA256, &s.AttachNames} {
		n := d.uvarint()
		if n > maxList {
			return s, ErrBadSig
		}
		for range n {
			*p = append(*p, d.str())
		}
	}
	if d.bad {
		return Sig{}, ErrBadSig
	}
	return s, nil
}

type dec struct {
	b   []byte
	bad bool
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
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
