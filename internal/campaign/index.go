// Package campaign groups reports into campaigns: waves of the same
// template sent to many recipients. Clustering is incremental and bounded
// (see docs/campaigns.md): each message yields a bounded set of exact
// keys and four SimHash band keys; a message joins the campaigns its keys
// lead to, and when they lead to several, those merge into the oldest.
// The store persists the assignments (store/campaigns.go); an Index is
// rebuilt from them when a store opens.
package campaign

import (
	"encoding/hex"
	"strings"
)

// IDPrefix starts every campaign ID, so that it never collides with a
// message ID prefix.
const IDPrefix = "c:"

// Clustering parameters.
const (
	// MaxDistance is the largest SimHash Hamming distance of two bodies
	// that are near-duplicates. With four 16-bit bands, two fingerprints
	// within it share at least one band exactly.
	MaxDistance = 3
	// BandCap bounds the fingerprints kept per band bucket: a new
	// message is compared with at most 4×BandCap fingerprints, however
	// many messages share a band.
	BandCap = 16
	// minSkeleton is the shortest subject skeleton used as a key: ""
	// or "#" says nothing about a campaign.
	minSkeleton = 6
)

// Merge records that campaign From was merged into campaign Into.
type Merge struct {
	From, Into string
}

// Index assigns messages to campaigns. It is not safe for concurrent
// use: the store calls it inside its write transaction. What grows with
// the messages holds no pointers (campaigns are int32 indexes, keys 64-bit
// hashes, band buckets chains of blocks in a few large arrays), so a large
// index costs the garbage collector little to scan.
type Index struct {
	ids    []string         // campaign index → ID
	seqs   []uint64         // campaign index → creation order (older = smaller)
	parent []int32          // campaign index → the one it was merged into, or itself
	byID   map[string]int32 // ID → campaign index
	keys   map[uint64]int32 // hash of an exact key → campaign index
	bands  bandTable
	next   uint64
	// compared counts fingerprint comparisons (tests bound it).
	compared int
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{
		byID: map[string]int32{},
		keys: map[uint64]int32{},
	}
}

// campaign returns the index of campaign cid, creating it with creation
// order seq when it is unknown.
func (ix *Index) campaign(cid string, seq uint64) (int32, bool) {
	if i, ok := ix.byID[cid]; ok {
		return i, false
	}
	i := int32(len(ix.ids))
	ix.ids = append(ix.ids, cid)
	ix.seqs = append(ix.seqs, seq)
	ix.parent = append(ix.parent, i)
	ix.byID[cid] = i
	ix.next = max(ix.next, seq+1)
	return i, true
}

// Restore re-creates a known campaign with its creation order, and its
// merge target when it was merged ("" otherwise).
func (ix *Index) Restore(cid string, seq uint64, into string) {
	i, created := ix.campaign(cid, seq)
	if !created {
		ix.seqs[i] = seq
		ix.next = max(ix.next, seq+1)
	}
	if into != "" {
		j, _ := ix.campaign(into, ix.next)
		ix.parent[i] = j
	}
}

// Seq returns the creation order of campaign cid.
func (ix *Index) Seq(cid string) (uint64, bool) {
	i, ok := ix.byID[cid]
	if !ok {
		return 0, false
	}
	return ix.seqs[i], true
}

// Resolve returns the campaign that cid was (transitively) merged into,
// or cid itself.
func (ix *Index) Resolve(cid string) string {
	i, ok := ix.byID[cid]
	if !ok {
		return cid
	}
	return ix.ids[ix.root(i)]
}

// root follows merges from campaign i, compressing the path.
func (ix *Index) root(i int32) int32 {
	r := i
	for n := 0; ix.parent[r] != r && n < 1<<20; n++ {
		r = ix.parent[r]
	}
	for i != r {
		i, ix.parent[i] = ix.parent[i], r
	}
	return r
}

// Adopt makes cid a known campaign (created now, unless it exists) and
// returns the campaign it resolves to and whether it was created: an
// imported message keeps the campaign ID its export gave it.
func (ix *Index) Adopt(cid string) (string, bool) {
	i, created := ix.campaign(cid, ix.next)
	return ix.ids[ix.root(i)], created
}

// Join registers the keys of a message already assigned to campaign cid
// (when an index is rebuilt from the store), without merging anything.
func (ix *Index) Join(cid string, s *Sig) {
	i, _ := ix.campaign(cid, ix.next)
	c := ix.root(i)
	for _, k := range exactKeys(s) {
		if _, ok := ix.keys[k]; !ok {
			ix.keys[k] = c
		}
	}
	ix.addBands(s.SimHash, c)
}

// Add assigns the message id (a "sha256:…" ID) with signature s to a
// campaign and returns it, with the merges its evidence caused and
// whether the campaign is new (then its creation order is Seq(cid)).
// Cost is bounded by the number of keys (at most 2+2·maxList) and
// 4·BandCap fingerprint comparisons.
func (ix *Index) Add(id string, s *Sig) (cid string, merges []Merge, created bool) {
	var found []int32
	see := func(c int32) {
		c = ix.root(c)
		for _, f := range found {
			if f == c {
				return
			}
		}
		found = append(found, c)
	}
	keys := exactKeys(s)
	for _, k := range keys {
		if c, ok := ix.keys[k]; ok {
			see(c)
		}
	}
	if s.SimHash != 0 {
		for b := range uint64(4) {
			ix.compared += ix.bands.match(bandKey(s.SimHash, b), s.SimHash, see)
		}
	}
	var c int32
	if len(found) == 0 {
		c, _ = ix.campaign(ix.newID(id), ix.next)
		created = true
	} else {
		c = found[0]
		for _, f := range found[1:] {
			if ix.seqs[f] < ix.seqs[c] {
				c = f
			}
		}
		for _, f := range found {
			if f != c {
				ix.parent[f] = c
				merges = append(merges, Merge{From: ix.ids[f], Into: ix.ids[c]})
			}
		}
	}
	for _, k := range keys {
		if _, ok := ix.keys[k]; !ok {
			ix.keys[k] = c
		}
	}
	ix.addBands(s.SimHash, c)
	return ix.ids[c], merges, created
}

// newID derives a campaign ID from the founding message's ID: "c:" and
// the first 10 hex digits, longer when that is taken.
func (ix *Index) newID(id string) string {
	h := strings.TrimPrefix(id, "sha256:")
	if len(h) < 10 {
		h = hex.EncodeToString([]byte(id))
	}
	for n := 10; ; n += 2 {
		if n > len(h) {
			h += hex.EncodeToString([]byte{byte(ix.next), byte(ix.next >> 8), byte(ix.next >> 16), byte(ix.next >> 24)})
		}
		c := IDPrefix + h[:n]
		if _, taken := ix.byID[c]; !taken {
			return c
		}
	}
}

func (ix *Index) addBands(sim uint64, c int32) {
	if sim == 0 {
		return
	}
	for b := range uint64(4) {
		ix.bands.add(bandKey(sim, b), sim, c)
	}
}

// bandKey is the bucket of band b (0–3) of a fingerprint: the band's
// number and its 16 bits, so fewer than 1<<18 buckets in all.
func bandKey(sim, band uint64) uint64 {
	return band<<16 | (sim>>(16*band))&0xffff
}

// exactKeys are the keys that put two messages in one campaign when they
// are equal: the exact-duplicate key (same sender, skeleton and body,
// however short), the subject skeleton, each attachment's SHA-256, and each
// link template together with the sender's domain (links into the
// sender's own domain are left out: a mailing list's footer links every
// post to every other). The origin network and HELO are not keys: one
// list server or provider relays unrelated mail; they are indicators
// only.
func exactKeys(s *Sig) []uint64 {
	var keys []uint64
	if s.Dup != 0 {
		keys = append(keys, s.Dup)
	}
	if len(s.Skeleton) >= minSkeleton && strings.Trim(s.Skeleton, "# @") != "" {
		keys = append(keys, keyHash('s', s.Skeleton, ""))
	}
	for _, a := range s.AttachSHA256 {
		keys = append(keys, keyHash('a', a, ""))
	}
	if s.SenderDomain != "" {
		for _, l := range s.Links {
			if inDomain(l, s.SenderDomain) || strings.HasSuffix(l, "/") || listFooter(l) {
				continue
			}
			keys = append(keys, keyHash('l', s.SenderDomain, l))
		}
	}
	return keys
}

// keyHash is the 64-bit FNV-1a hash of a key's kind and parts (a zero
// byte between them). The index keeps hashes, not strings: two different
// keys collide with probability about n²/2⁶⁵.
func keyHash(kind byte, a, b string) uint64 {
	h := fnvString(fnvByte(fnvOffset, kind), a)
	return fnvString(fnvByte(h, 0), b)
}

// keyHash3 is keyHash(kind, a+"\x00"+b, string(c)), without building
// the strings.
func keyHash3(kind byte, a, b string, c []byte) uint64 {
	h := fnvString(fnvByte(fnvOffset, kind), a)
	h = fnvString(fnvByte(h, 0), b)
	h = fnvByte(h, 0)
	for _, x := range c {
		h = fnvByte(h, x)
	}
	return h
}

const fnvOffset = 14695981039346656037

func fnvByte(h uint64, c byte) uint64 { return (h ^ uint64(c)) * 1099511628211 }

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = fnvByte(h, s[i])
	}
	return h
}

// inDomain reports whether the link template l is under domain d.
func inDomain(l, d string) bool {
	return len(l) > len(d) && l[len(d)] == '/' && strings.HasPrefix(l, d)
}

// listFooter reports whether a link template is mailing-list machinery
// (Mailman's listinfo, unsubscribe pages): every post of a list carries
// it, whatever it says.
func listFooter(l string) bool {
	return strings.Contains(l, "/listinfo") || strings.Contains(l, "/mailman/") || strings.Contains(l, "/unsubscribe")
}
