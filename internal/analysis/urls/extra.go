package urls

import (
	"strings"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// Found is text found outside the body parts, in a QR code or a PDF, whose
// URLs join the message's list under Source ("qr:<part>", "pdf:<name>").
// With Link set, Text is one link target (a PDF /URI action): it is added
// as it is when the text scan finds no URL in it.
type Found struct {
	Text   string
	Source string
	Link   bool
}

// ExtractWith is Extract with the URLs of extra appended, after the body's,
// under the same bounds, de-duplication and checks.
func ExtractWith(p *message.Parsed, recipients []string, max int, extra []Found) ([]report.URL, []string) {
	if len(extra) == 0 {
		return Extract(p, recipients, max)
	}
	if p == nil {
		p = &message.Parsed{}
	}
	if max <= 0 {
		max = message.DefaultLimits().MaxURLs
	}
	e := newURLExtractor(recipients, max)
	e.scanParsed(p)
	for _, f := range extra {
		n := len(e.out)
		e.scanText(f.Text, f.Source, false)
		if f.Link && len(e.out) == n && !e.full {
			e.add(f.Text, f.Source, "", "", false)
		}
	}
	return e.finish()
}

// CredentialPath reports whether the path or query of the normalised URL
// u names a login, account or verification page (the words of
// FlagHTTPCredentialPath, whatever the scheme).
func CredentialPath(u string) bool {
	i := strings.Index(u, "://")
	if i < 0 {
		return false
	}
	rest := u[i+3:]
	j := strings.IndexAny(rest, "/?#")
	if j < 0 {
		return false
	}
	return urlCredentialPath(rest[j:])
}
