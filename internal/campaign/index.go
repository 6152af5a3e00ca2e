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

	"github.com/triage-tools/triage/internal/analysis/near"
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

type simEntry struct {
	sim uint64
	cid string
}

// Index assigns messages to campaigns. It is not safe for concurrent
// use: the store calls it inside its write transaction.
type Index struct {
	seq    map[string]uint64 // campaign → creation order (older = smaller)
	parent map[string]string // merged campaign → the one it was merged into
	keys   map[string]string // exact key → campaign
	bands  map[uint64][]simEntry
	next   uint64
	// compared counts fingerprint comparisons (tests bound it).
	compared int
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{
		seq:    map[string]uint64{},
		parent: map[string]string{},
		keys:   map[string]string{},
		bands:  map[uint64][]simEntry{},
	}
}

// Restore re-creates a known campaign with its creation order, and its
// merge target when it was merged ("" otherwise).
func (ix *Index) Restore(cid string, seq uint64, into string) {
	ix.seq[cid] = seq
	if into != "" {
		ix.parent[cid] = into
	}
	ix.next = max(ix.next, seq+1)
}

// Seq returns the creation order of campaign cid.
func (ix *Index) Seq(cid string) (uint64, bool) {
	s, ok := ix.seq[cid]
	return s, ok
}

// Resolve returns the campaign that cid was (transitively) merged into,
// or cid itself.
func (ix *Index) Resolve(cid string) string {
	root := cid
	for n := 0; n < 64; n++ {
		p, ok := ix.parent[root]
		if !ok {
			break
		}
		root = p
	}
	for cid != root { // path compression
		p := ix.parent[cid]
		ix.parent[cid] = root
		cid = p
	}
	return root
}

// Adopt makes cid a known campaign (created now, unless it exists) and
// returns the campaign it resolves to and whether it was created: an
// imported message keeps the campaign ID its export gave it.
func (ix *Index) Adopt(cid string) (string, bool) {
	if _, ok := ix.seq[cid]; ok {
		return ix.Resolve(cid), false
	}
	ix.seq[cid] = ix.next
	ix.next++
	return cid, true
}

// Join registers the keys of a message already assigned to campaign cid
// (when an index is rebuilt from the store), without merging anything.
func (ix *Index) Join(cid string, s *Sig) {
	cid = ix.Resolve(cid)
	for _, k := range exactKeys(s) {
		if _, ok := ix.keys[k]; !ok {
			ix.keys[k] = cid
		}
	}
	ix.addBands(s.SimHash, cid)
}

// Add assigns the message id (a "sha256:…" ID) with signature s to a
// campaign and returns it, with the merges its evidence caused and
// whether the campaign is new (then its creation order is Seq(cid)).
// Cost is bounded by the number of keys (at most 3+2·maxList) and
// 4·BandCap fingerprint comparisons.
func (ix *Index) Add(id string, s *Sig) (cid string, merges []Merge, created bool) {
	var found []string
	see := func(c string) {
		c = ix.Resolve(c)
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
			for _, e := range ix.bands[bandKey(s.SimHash, b)] {
				ix.compared++
				if near.Distance(e.sim, s.SimHash) <= MaxDistance {
					see(e.cid)
				}
			}
		}
	}
	if len(found) == 0 {
		cid = ix.newID(id)
		ix.seq[cid] = ix.next
		ix.next++
		created = true
	} else {
		cid = found[0]
		for _, c := range found[1:] {
			if ix.seq[c] < ix.seq[cid] {
				cid = c
			}
		}
		for _, c := range found {
			if c != cid {
				ix.parent[c] = cid
				merges = append(merges, Merge{From: c, Into: cid})
			}
		}
	}
	for _, k := range keys {
		if _, ok := ix.keys[k]; !ok {
			ix.keys[k] = cid
		}
	}
	ix.addBands(s.SimHash, cid)
	return cid, merges, created
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
		if _, taken := ix.seq[c]; !taken {
			return c
		}
	}
}

func (ix *Index) addBands(sim uint64, cid string) {
	if sim == 0 {
		return
	}
	for b := range uint64(4) {
		k := bandKey(sim, b)
		l := ix.bands[k]
		if len(l) >= BandCap {
			continue
		}
		dup := false
		for _, e := range l {
			if e.sim == sim {
				dup = true
				break
			}
		}
		if !dup {
			ix.bands[k] = append(l, simEntry{sim, cid})
		}
	}
}

func bandKey(sim, band uint64) uint64 {
	return band<<16 | (sim>>(16*band))&0xffff
}

// exactKeys are the keys that put two messages in one campaign when they
// are equal: the subject skeleton, each attachment's SHA-256, and each
// link template together with the sender's domain (links into the
// sender's own domain are left out: a mailing list's footer links every
// post to every other). The origin network and HELO are not keys: one
// list server or provider relays unrelated mail; they are indicators
// only.
func exactKeys(s *Sig) []string {
	var keys []string
	if len(s.Skeleton) >= minSkeleton && strings.Trim(s.Skeleton, "# @") != "" {
		keys = append(keys, "s\x00"+s.Skeleton)
	}
	for _, a := range s.AttachSHA256 {
		keys = append(keys, "a\x00"+a)
	}
	if s.SenderDomain != "" {
		for _, l := range s.Links {
			if strings.HasPrefix(l, s.SenderDomain+"/") || strings.HasSuffix(l, "/") || listFooter(l) {
				continue
			}
			keys = append(keys, "l\x00"+s.SenderDomain+"\x00"+l)
		}
	}
	return keys
}

// listFooter reports whether a link template is mailing-list machinery
// (Mailman's listinfo, unsubscribe pages): every post of a list carries
// it, whatever it says.
func listFooter(l string) bool {
	return strings.Contains(l, "/listinfo") || strings.Contains(l, "/mailman/") || strings.Contains(l, "/unsubscribe")
}
