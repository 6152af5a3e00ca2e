package qr

import (
	"fmt"
	"slices"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/qr/qrtest"
)

// TestCacheSameOutcome checks that a cached outcome gives what decoding
// gives: the code under each image's own name, the truncation warning of
// the caller's limits, and the decoder's complaint for a broken image.
func TestCacheSameOutcome(t *testing.T) {
	code := qrtest.Encode(t, message.MediaPNG, qrtest.Image(t, lure, 200))
	broken := qrtest.PNGHeader(64, 64)
	ims := []Image{{Name: "a.png", Kind: message.MediaPNG, Data: code}, {Name: "broken.png", Kind: message.MediaPNG, Data: broken},
		{Name: "b.png", Kind: message.MediaPNG, Data: code}}
	lims := []Limits{DefaultLimits(), {MaxText: 10}}
	type result struct {
		codes []Code
		warns []string
	}
	var want []result
	was := decodeCache.setEnabled(false)
	for _, l := range lims {
		c, w := Scan(ims, l)
		want = append(want, result{c, w})
	}
	decodeCache.setEnabled(true)
	defer decodeCache.setEnabled(was)
	if len(want[0].codes) != 2 || want[0].codes[1].Image != "b.png" || len(want[0].warns) != 1 || len(want[1].warns) != 3 {
		t.Fatalf("uncached scan gave %+v", want)
	}
	for round := range 2 { // cold, then warm
		for i, l := range lims {
			c, w := Scan(ims, l)
			if !slices.Equal(c, want[i].codes) || !slices.Equal(w, want[i].warns) {
				t.Errorf("round %d, limits %d: %+v %q, uncached %+v %q", round, i, c, w, want[i].codes, want[i].warns)
			}
		}
	}
	if o, ok := decodeCache.get(keyOf(ims[0])); !ok || o.text != lure {
		t.Errorf("cache holds %+v, %v for the QR image", o, ok)
	}
	if o, ok := decodeCache.get(keyOf(ims[1])); !ok || o.err == "" {
		t.Errorf("cache holds %+v, %v for the broken image", o, ok)
	}
	if _, ok := decodeCache.get(keyOf(Image{Kind: message.MediaGIF, Data: code})); ok {
		t.Errorf("the cache answers for the same bytes under another kind")
	}
}

// TestCacheBounded checks that the cache keeps at most two generations.
func TestCacheBounded(t *testing.T) {
	c := &outcomeCache{}
	for i := range 5 * cacheEntries {
		c.put(keyOf(Image{Data: fmt.Appendf(nil, "%d", i)}), outcome{text: "x"})
	}
	if n := len(c.cur) + len(c.old); n > 2*cacheEntries {
		t.Fatalf("cache holds %d outcomes", n)
	}
	if _, ok := c.get(keyOf(Image{Data: fmt.Appendf(nil, "%d", 5*cacheEntries-1)})); !ok {
		t.Fatalf("the latest outcome is gone")
	}
}

// BenchmarkDecodeCached is BenchmarkDecode's 1000 px image seen again:
// what a campaign's second copy costs.
func BenchmarkDecodeCached(b *testing.B) {
	ims := []Image{{Name: "q.png", Kind: message.MediaPNG, Data: qrtest.Encode(b, message.MediaPNG, qrtest.Image(b, lure, 1000))}}
	for b.Loop() {
		if c, _ := Scan(ims, DefaultLimits()); len(c) != 1 {
			b.Fatal("no code")
		}
	}
}
