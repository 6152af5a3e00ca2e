package ui

import (
	"strings"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/urls"
)

// maxBodyRender bounds the text the Body pane keeps, in bytes.
const maxBodyRender = 256 << 10

// defaultRenderBody parses raw with analysis.Parse and returns the first
// non-empty text/plain part, or else the first text/html part rendered by
// urls.HTMLToText (links written as "text [n]"). Nothing is ever
// fetched.
func defaultRenderBody(raw []byte) (string, []string) {
	p := message.Parse(raw, analysis.DefaultLimits())
	if p == nil {
		return "", nil
	}
	for _, part := range p.TextParts {
		if strings.TrimSpace(part.Text) != "" {
			return bound(part.Text), nil
		}
	}
	for _, part := range p.HTMLParts {
		text, links := urls.HTMLToText(part.Text)
		return bound(text), links
	}
	return "", nil
}

func bound(s string) string {
	if len(s) > maxBodyRender {
		return s[:maxBodyRender] + "\n[… truncated]"
	}
	return s
}
