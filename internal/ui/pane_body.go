package ui

import (
	"fmt"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/urls"
)

// maxBodyRender bounds the text the Body pane keeps, in bytes.
const maxBodyRender = 256 << 10

// defaultRenderBody returns the first non-empty text/plain part of p, or
// else the first text/html part rendered by urls.HTMLToText (links
// written as "text [n]"). Nothing is ever fetched.
func defaultRenderBody(p *message.Parsed) (string, []string) {
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

// body builds the Body pane: the rendered text, its links (defanged) and
// the attachments.
func (d *Detail) body(b *lineBuilder) {
	st := &d.c.Styles
	if d.data.BodyErr != nil {
		b.raw(st.Error.Render("body: " + untrusted(d.data.BodyErr.Error()).String()))
	}
	if strings.TrimSpace(d.data.Body.Raw()) == "" {
		b.raw(st.Dim.Render("(no text body)"))
	} else {
		b.text("", "", d.data.Body)
	}
	if len(d.data.Links) > 0 {
		b.blank()
		b.heading("Links")
		for i, l := range d.data.Links {
			b.text(fmt.Sprintf("[%d] ", i+1), "    ", defanged(l))
		}
	}
	if r := d.data.Report; r != nil && len(r.Attachments) > 0 {
		b.blank()
		b.heading(fmt.Sprintf("Attachments (%d)", len(r.Attachments)))
		for _, a := range r.Attachments {
			d.attachment(b, &a)
		}
	}
}

func (d *Detail) attachment(b *lineBuilder, a *attachView) {
	st := &d.c.Styles
	typ := a.DeclaredType.String()
	if a.SniffedType != "" && a.SniffedType != a.DeclaredType {
		typ += " (sniffed " + a.SniffedType.String() + ")"
	}
	b.text("  ", "    ", a.Name)
	b.wrap("    ", "    ", typ+" · "+humanSize(a.Size))
	b.text(st.Dim.Render("    sha256 "), "           ", a.SHA256)
	if len(a.Flags) > 0 {
		b.wrap(st.Highlight.Render("    flags: "), "           ", joinSafe(a.Flags, ", "))
	}
	for _, e := range a.Entries {
		b.text("    - ", "      ", e)
	}
}
