package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/devdata"
)

// TestCorpusQRAndPDF counts, over the shared corpus, the messages whose
// QR codes or PDF attachments carry URLs, and those of them where such a
// URL appears nowhere else in the message (missed before QR codes and PDF
// links were read). It logs the counts (go test -v) and checks that no
// image or PDF makes the analysis fail.
func TestCorpusQRAndPDF(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	root := devdata.Dir(t, "corpus")
	an := New(nil)
	var msgs, images, pdfs, withQR, withPDF, missed int
	var spent time.Duration
	check := func(name string, raw []byte) {
		msgs++
		p := message.Parse(raw, DefaultLimits())
		for _, m := range p.Media {
			if m.Kind == message.MediaPDF {
				pdfs++
			} else {
				images++
			}
		}
		start := time.Now()
		rep := an.Analyze(raw)
		spent += time.Since(start)
		other := map[string]bool{}
		for _, u := range rep.URLs {
			if !strings.HasPrefix(u.Source, "qr:") && !strings.HasPrefix(u.Source, "pdf:") {
				other[u.URL] = true
			}
		}
		qr, pdf, miss := false, false, false
		for _, u := range rep.URLs {
			switch {
			case strings.HasPrefix(u.Source, "qr:"):
				qr = true
			case strings.HasPrefix(u.Source, "pdf:"):
				pdf = true
			default:
				continue
			}
			if !other[u.URL] {
				miss = true
			}
		}
		if qr {
			withQR++
			t.Logf("QR: %s", name)
		}
		if pdf {
			withPDF++
			t.Logf("PDF link: %s", name)
		}
		if miss {
			missed++
		}
		for _, w := range rep.Warnings {
			if strings.Contains(w, "internal error") {
				t.Errorf("%s: %s", name, w)
			}
		}
	}
	eachCorpusMessage(t, root, check)
	t.Logf("%d messages: %d image and %d PDF parts read; %d messages with QR-code URLs, %d with PDF URLs; %d with a URL found nowhere else (missed before); analysis %v in all",
		msgs, images, pdfs, withQR, withPDF, missed, spent.Round(time.Millisecond))
}
