package analysis

import (
	"testing"

	"github.com/triage-tools/triage/internal/analysis/message"
)

// TestMediaCostsNothing checks that media() does no work (no allocation)
// for a message without image or PDF parts, whose HTML inlines no image:
// most mail pays nothing for the QR and PDF readers.
func TestMediaCostsNothing(t *testing.T) {
	msg := mailWith("a@b.example", unauth, `<p>hello <a href="https://x.example/">link</a></p>`,
		mimePart{"Content-Type: application/zip; name=a.zip", []byte("PK\x03\x04junk")})
	p := message.Parse(msg, DefaultLimits())
	if len(p.HTMLParts) == 0 {
		t.Fatal("no HTML part parsed")
	}
	a := &analyzer{p: p, rep: &Report{}}
	if n := testing.AllocsPerRun(100, func() {
		if found := a.media(); found != nil {
			t.Fatalf("media() = %+v", found)
		}
	}); n != 0 {
		t.Errorf("media() allocates %v times for a message without media", n)
	}
}
