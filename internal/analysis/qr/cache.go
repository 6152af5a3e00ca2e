package qr

import (
	"crypto/sha256"
	"sync"
)

// The same image comes back in mail again and again: a campaign sends
// one picture to every recipient, a newsletter its logo in every issue.
// Decoding is most of the cost of an image (a few milliseconds for a
// logo), so the outcome of each decode is kept, by the SHA-256 of the
// image's bytes and its kind, in a small process-wide cache. The outcome
// is a pure function of those bytes (the pixel caps are checked before,
// from the header, and the text is cut to MaxText after), so a report
// is the same whether it came from the cache or not.

// cacheEntries bounds each of the cache's two generations.
const cacheEntries = 512

// outcome is what decoding one image gave: the QR code's text ("" for
// none), or err, the decoder's complaint about an unreadable image.
type outcome struct {
	text string
	err  string
}

type cacheKey struct {
	sum  [sha256.Size]byte
	kind string
}

// outcomeCache holds two generations of outcomes: when the current one is
// full it becomes the old one and the older is dropped, so the cache
// stays bounded and keeps what is in use.
type outcomeCache struct {
	mu       sync.Mutex
	cur, old map[cacheKey]outcome
	off      bool // benchmarks of the decoder itself turn it off
}

var decodeCache = &outcomeCache{}

func keyOf(im Image) cacheKey { return cacheKey{sum: sha256.Sum256(im.Data), kind: im.Kind} }

func (c *outcomeCache) get(k cacheKey) (outcome, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.off {
		return outcome{}, false
	}
	if o, ok := c.cur[k]; ok {
		return o, true
	}
	o, ok := c.old[k]
	if ok {
		c.putLocked(k, o)
	}
	return o, ok
}

func (c *outcomeCache) put(k cacheKey, o outcome) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.off {
		c.putLocked(k, o)
	}
}

func (c *outcomeCache) putLocked(k cacheKey, o outcome) {
	if len(c.cur) >= cacheEntries {
		c.old, c.cur = c.cur, nil
	}
	if c.cur == nil {
		c.cur = make(map[cacheKey]outcome, cacheEntries)
	}
	c.cur[k] = o
}

// setEnabled turns the cache on or off (off empties it), and returns the
// previous setting.
func (c *outcomeCache) setEnabled(on bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	was := !c.off
	c.off = !on
	if !on {
		c.cur, c.old = nil, nil
	}
	return was
}
