package urls

import (
	"os"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/devdata"

	"github.com/triage-tools/triage/internal/analysis/message"
)

// TestURLsSeedFixture runs Parse and ExtractURLs on the shared seed message.
func TestURLsSeedFixture(t *testing.T) {
	raw, err := os.ReadFile(devdata.Dir(t, "fixtures", "seed", "kagoya-activemail.eml"))
	if err != nil {
		t.Fatal(err)
	}
	p := message.Parse(raw, message.DefaultLimits())
	us, warns := Extract(p, []string{"admin@example.com"}, 500)
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warns)
	}
	urlCheckActiveMail(t, us)
	for _, pt := range p.HTMLParts {
		text, links := HTMLToText(pt.Text)
		if len(links) != 1 || !strings.Contains(text, "https://secure.kagoya.jp/activemail/login [1]") {
			t.Errorf("HTMLToText: %q %q", text, links)
		}
	}
}

// TestURLsCorpusParsedNoPanic extracts URLs from every parsed corpus
// message and renders its HTML parts.
func TestURLsCorpusParsedNoPanic(t *testing.T) {
	dir := urlCorpusWalkDir(t)
	n, urls := 0, 0
	eachCorpusMessage(t, dir, func(_ string, p *message.Parsed) {
		us, _ := Extract(p, []string{"phishing@pot"}, message.DefaultLimits().MaxURLs)
		urls += len(us)
		for _, pt := range p.HTMLParts {
			HTMLToText(pt.Text)
		}
		n++
	})
	t.Logf("%d messages, %d URLs", n, urls)
}

// BenchmarkExtractURLsCorpus measures ExtractURLs over the parsed corpus
// messages (bytes = decoded text + HTML + attachment text).
func BenchmarkExtractURLsCorpus(b *testing.B) {
	dir := urlCorpusDir(b)
	var msgs []*message.Parsed
	size := 0
	eachCorpusMessage(b, dir, func(_ string, p *message.Parsed) {
		for _, pt := range p.TextParts {
			size += len(pt.Text)
		}
		for _, pt := range p.HTMLParts {
			size += len(pt.Text)
		}
		for _, a := range p.Attachments {
			size += len(a.Text)
		}
		msgs = append(msgs, p)
	})
	rec := []string{"phishing@pot"}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range msgs {
			Extract(p, rec, 500)
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msg/s")
}
