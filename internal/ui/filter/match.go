package filter

import (
	"slices"
	"strings"

	"github.com/triage-tools/triage/store"
)

// Bloom is a 256-bit set of the byte bigrams of a string: a row whose
// set does not cover a text term's set cannot contain the term.
type Bloom [4]uint64

// BigramBloom returns the bigram set of s.
func BigramBloom(s string) Bloom {
	var b Bloom
	for i := 0; i+1 < len(s); i++ {
		h := (uint(s[i])*31 + uint(s[i+1])) & 255
		b[h>>6] |= 1 << (h & 63)
	}
	return b
}

// covers reports whether every bigram of q may occur in the row.
func (b *Bloom) covers(q *Bloom) bool {
	return b[0]&q[0] == q[0] && b[1]&q[1] == q[1] && b[2]&q[2] == q[2] && b[3]&q[3] == q[3]
}

// Match reports whether row r matches f. hay is the row's lower-cased
// search text (sender, subject, domains, URL hosts and rule IDs), bl its
// bigram set (BigramBloom) and sender the lower-cased sender the from:
// term searches. Match only reads f, so it may run on several goroutines.
func (f *Spec) Match(r *store.Row, hay string, bl *Bloom, sender string) bool {
	return f.root.match(r, hay, bl, sender)
}

// match reports whether row r matches node n (nil matches everything).
func (n *fnode) match(r *store.Row, hay string, bl *Bloom, sender string) bool {
	if n == nil {
		return true
	}
	switch n.kind {
	case fAnd:
		for _, k := range n.kids {
			if !k.match(r, hay, bl, sender) {
				return false
			}
		}
		return true
	case fOr:
		for _, k := range n.kids {
			if k.match(r, hay, bl, sender) {
				return true
			}
		}
		return false
	case fNot:
		return !n.kids[0].match(r, hay, bl, sender)
	case fText:
		return bl.covers(&n.bl) && containsAt(hay, n.s, n.rare)
	case fScore:
		return compareScore(r.Score, n.op, n.n)
	case fReported:
		return compareScore(r.Reported, n.op, n.n)
	case fLabel:
		return slices.Contains(n.labels, r.Label)
	case fRule:
		return slices.ContainsFunc(r.Rules, func(rule string) bool { return hasPrefixFold(rule, n.s) })
	case fFrom:
		return strings.Contains(sender, n.s)
	case fDomain:
		return slices.ContainsFunc(r.Domains, func(d string) bool {
			return strings.EqualFold(d, n.s) || len(d) > len(n.s) && d[len(d)-len(n.s)-1] == '.' && hasSuffixFold(d, n.s)
		})
	case fURL:
		return slices.ContainsFunc(r.Hosts, func(h string) bool { return strings.Contains(strings.ToLower(h), n.s) })
	case fCampaign:
		return r.Campaign.ID != "" && strings.HasPrefix(r.Campaign.ID, n.s)
	case fSize:
		return compareScore(r.Campaign.Size, n.op, n.n)
	}
	return false
}

func compareScore(s int, op string, n int) bool {
	switch op {
	case "<":
		return s < n
	case "<=":
		return s <= n
	case ">":
		return s > n
	case "=":
		return s == n
	}
	return s >= n
}

func hasPrefixFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }

func hasSuffixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[len(s)-len(p):], p)
}

// containsAt reports whether t occurs in h, scanning h for t's byte at
// index rare (the rarest in the corpus) with IndexByte and verifying around
// each hit. It is much faster than strings.Contains when t starts with a
// byte that is common in the haystack.
func containsAt(h, t string, rare int) bool {
	if len(t) == 0 {
		return true
	}
	c := t[rare]
	for pos := rare; pos < len(h); {
		j := strings.IndexByte(h[pos:], c)
		if j < 0 {
			return false
		}
		start := pos + j - rare
		if start+len(t) > len(h) {
			return false
		}
		if h[start:start+len(t)] == t {
			return true
		}
		pos += j + 1
	}
	return false
}
