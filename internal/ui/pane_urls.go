package ui

import (
	"fmt"

	"github.com/triage-tools/triage/internal/analysis/urls"
)

// defanged returns u made non-clickable by urls.Defang, still
// untrusted (Defang keeps control characters).
func defanged(u untrusted) untrusted { return untrusted(urls.Defang(u.Raw())) }

// urls builds the URL pane without the cursor (drawn in View) and records
// where each URL starts. URLs are shown defanged, computed from the URL
// itself.
func (d *Detail) urls(b *lineBuilder) {
	r := d.data.Report
	if r == nil {
		return
	}
	st := &d.c.Styles
	if len(r.URLs) == 0 {
		b.raw("no URLs")
		return
	}
	b.raw(st.Dim.Render(fmt.Sprintf("%d URLs · defanged · y copies defanged, Y raw (asks first) · never opened", len(r.URLs))))
	hosts := knownHosts(r)
	for i, u := range r.URLs {
		d.urlStart = append(d.urlStart, len(b.lines))
		b.text(fmt.Sprintf("  %2d. ", i+1), "      ", defanged(u.Live))
		info := "found in " + u.Source.String() + " · host " + defanged(u.Host).String()
		if u.Domain != "" {
			info += " · domain " + defanged(u.Domain).String()
		}
		b.wrap(st.Dim.Render("      "), "      ", info)
		if u.AnchorText != "" {
			b.text("      anchor: ", "              ", untrusted(defangText(u.AnchorText.Raw(), hosts)))
		}
		if u.Unwrapped != "" {
			b.text("      unwraps to: ", "              ", defanged(u.Unwrapped))
		}
		if len(u.Flags) > 0 {
			b.wrap(st.Highlight.Render("      flags: "), "             ", joinSafe(u.Flags, ", "))
		}
		if n := u.Net; n != nil {
			b.wrap("      network: ", "               ", netLine(n))
		}
	}
}

// netLine is "ip · ASn org · cc (source, as of date)", sanitised.
func netLine(n *netView) string {
	s := n.IP.String()
	if n.ASN != 0 {
		s += fmt.Sprintf(" · AS%d %s", n.ASN, n.ASOrg)
	}
	if n.Country != "" {
		s += " · " + n.Country.String()
	}
	if n.Source != "" {
		s += " (" + n.Source.String()
		if !n.AsOf.IsZero() {
			s += ", as of " + n.AsOf.Format("2006-01-02")
		}
		s += ")"
	}
	return s
}
