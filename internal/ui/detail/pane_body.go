package detail

import (
	"fmt"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/urls"
	"github.com/triage-tools/triage/internal/ui/kit"
)

// maxBodyRender bounds the text the Body pane keeps, in bytes.
const maxBodyRender = 256 << 10

// DefaultRenderBody returns the first non-empty text/plain part of p, or
// else the first text/html part rendered by urls.HTMLToText (links
// written as "text [n]"). Nothing is ever fetched.
func DefaultRenderBody(p *message.Parsed) (string, []string) {
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
func (d *Detail) body(b *kit.LineBuilder) {
	st := &d.c.Styles
	if d.data.BodyErr != nil {
		b.Raw(st.Error.Render("body: " + untrusted(d.data.BodyErr.Error()).String()))
	}
	if strings.TrimSpace(d.data.Body.Raw()) == "" {
		b.Raw(st.Dim.Render("(no text body)"))
	} else {
		b.Text("", "", d.data.Body)
	}
	if len(d.data.Links) > 0 {
		b.Blank()
		b.Heading("Links")
		for i, l := range d.data.Links {
			b.Text(fmt.Sprintf("[%d] ", i+1), "    ", kit.Defanged(l))
		}
	}
	if r := d.data.Report; r != nil && len(r.Attachments) > 0 {
		b.Blank()
		b.Heading(fmt.Sprintf("Attachments (%d)", len(r.Attachments)))
		for _, a := range r.Attachments {
			d.attachment(b, &a)
		}
	}
}

func (d *Detail) attachment(b *kit.LineBuilder, a *kit.AttachView) {
	st := &d.c.Styles
	typ := a.DeclaredType.String()
	if a.SniffedType != "" && a.SniffedType != a.DeclaredType {
		typ += " (sniffed " + a.SniffedType.String() + ")"
	}
	b.Text("  ", "    ", a.Name)
	b.Wrap("    ", "    ", typ+" · "+humanSize(a.Size))
	b.Text(st.Dim.Render("    sha256 "), "           ", a.SHA256)
	if len(a.Flags) > 0 {
		b.Wrap(st.Highlight.Render("    flags: "), "           ", joinSafe(a.Flags, ", "))
	}
	for _, e := range a.Entries {
		b.Text("    - ", "      ", e)
	}
}
