package urls

import (
	"fmt"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// urlBenchBodies returns a realistic plain-text and HTML body (~20 KB each)
// of a newsletter-style message with about 40 links.
func urlBenchBodies() (text, htm string) {
	var t, h strings.Builder
	h.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>News</title><style>td{font:12px sans-serif}</style></head><body><table width="100%">`)
	para := "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. いつもご利用いただきありがとうございます。"
	for i := range 40 {
		u := fmt.Sprintf("https://news%d.example.com/articles/2024/%d/story-title-here?utm_source=newsletter&utm_medium=email&id=%d", i%7, i, i*7919)
		fmt.Fprintf(&t, "%s\n%s\nRead more: %s\n\n", para, para, u)
		fmt.Fprintf(&h, `<tr><td style="padding:8px"><p>%s %s</p><p><a href="%s" style="color:#06c">Read the full story &raquo;</a></p><img src="https://img.example.com/%d.png" width="600" alt="photo"></td></tr>`+"\n",
			para, para, strings.ReplaceAll(u, "&", "&amp;"), i)
	}
	h.WriteString(`</table><p>Unsubscribe: https://list.example.com/u?e=admin%40example.com</p></body></html>`)
	return t.String(), h.String()
}

func urlBenchExtract(b *testing.B, p *message.Parsed, size int) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	rec := []string{"admin@example.com"}
	for b.Loop() {
		Extract(p, rec, 500)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}

func BenchmarkExtractURLs(b *testing.B) {
	text, htm := urlBenchBodies()
	b.Run("text", func(b *testing.B) { urlBenchExtract(b, urlTextMsg(text), len(text)) })
	b.Run("html", func(b *testing.B) { urlBenchExtract(b, urlHTMLMsg(htm), len(htm)) })
	noURL := strings.Repeat("Nothing to see here, just prose without any links at all. 本文のみ。\n", 300)
	b.Run("text-no-urls", func(b *testing.B) { urlBenchExtract(b, urlTextMsg(noURL), len(noURL)) })
	b.Run("both", func(b *testing.B) {
		p := urlTextMsg(text)
		p.HTMLParts = []message.Part{{Text: htm}}
		urlBenchExtract(b, p, len(text)+len(htm))
	})
}

func BenchmarkHTMLToText(b *testing.B) {
	_, htm := urlBenchBodies()
	b.SetBytes(int64(len(htm)))
	b.ReportAllocs()
	for b.Loop() {
		HTMLToText(htm)
	}
}

// BenchmarkNormalizeCorpus normalises and flags every distinct URL found in
// the text and HTML parts of the corpus messages, with an empty cache.
func BenchmarkNormalizeCorpus(b *testing.B) {
	dir := urlCorpusDir(b)
	seen := map[string]bool{}
	var raws []string
	eachCorpusMessage(b, dir, func(_ string, p *message.Parsed) {
		e := newURLExtractor(nil, 500)
		for _, pt := range p.TextParts {
			e.scanText(pt.Text, report.SourceText, false)
		}
		for _, pt := range p.HTMLParts {
			e.scanHTML(pt.Text, false)
		}
		for r := range e.cache {
			if !seen[r] {
				seen[r] = true
				raws = append(raws, r)
			}
		}
	})
	rec := []string{"admin@example.com", "phishing@pot"}
	b.ReportAllocs()
	for b.Loop() {
		e := newURLExtractor(rec, 500)
		for _, r := range raws {
			e.normalize(r)
		}
	}
	b.ReportMetric(float64(b.N*len(raws))/b.Elapsed().Seconds(), "url/s")
}
