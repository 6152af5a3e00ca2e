package analysis

import (
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/pdf"
	"github.com/triage-tools/triage/internal/analysis/qr"
	"github.com/triage-tools/triage/internal/analysis/urls"
)

// maxSourceName bounds the part name carried in a URL source.
const maxSourceName = 100

// linkOnlyPDF is a PDF attachment that is only a link (pdf.Doc.LinkOnly).
type linkOnlyPDF struct{ name, link string }

// media reads the QR codes of the message's images (image parts and
// data: URIs in the HTML) and the links and first-page text of its PDF
// parts, and returns that text for URL extraction under the sources
// "qr:<part>" and "pdf:<name>". A message without image or PDF parts and
// without "base64," in its HTML does no work here.
func (a *analyzer) media() []urls.Found {
	var images []qr.Image
	var found []urls.Found
	for i := range a.p.Media {
		m := &a.p.Media[i]
		if m.Kind == message.MediaPDF {
			doc, warns := pdf.Extract(m.Name, m.Data, pdf.DefaultLimits())
			a.rep.Warnings = append(a.rep.Warnings, warns...)
			src := "pdf:" + capName(m.Name)
			for _, l := range doc.Links {
				found = append(found, urls.Found{Text: l, Source: src, Link: true})
			}
			if doc.Text != "" {
				found = append(found, urls.Found{Text: doc.Text, Source: src})
			}
			if doc.LinkOnly() {
				a.linkOnly = append(a.linkOnly, linkOnlyPDF{name: m.Name, link: firstWebLink(doc.Links)})
			}
			continue
		}
		images = append(images, qr.Image{Name: m.Name, Kind: m.Kind, Data: m.Data})
	}
	lim := qr.DefaultLimits()
	for i := range a.p.HTMLParts {
		images = append(images, qr.DataURIs(a.p.HTMLParts[i].Text, lim.MaxBytes)...)
	}
	if len(images) == 0 {
		return found
	}
	codes, warns := qr.Scan(images, lim)
	a.rep.Warnings = append(a.rep.Warnings, warns...)
	for _, c := range codes {
		found = append(found, urls.Found{Text: c.Text, Source: "qr:" + capName(c.Image), Link: true})
	}
	return found
}

func capName(s string) string {
	if len(s) <= maxSourceName {
		return s
	}
	return urls.CapRunes(s, maxSourceName)
}

func firstWebLink(links []string) string {
	for _, l := range links {
		if len(l) > 7 {
			return l
		}
	}
	return ""
}
