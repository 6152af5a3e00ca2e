package detail

import (
	"fmt"

	"github.com/triage-tools/triage/internal/ui/kit"
)

// urls builds the URL pane without the cursor (drawn in View) and records
// where each URL starts. URLs are shown defanged, computed from the URL
// itself.
func (d *Detail) urls(b *kit.LineBuilder) {
	r := d.data.Report
	if r == nil || !d.listHead(b, len(r.URLs), "no URLs", "%d URLs · defanged · y copies defanged, Y raw (asks first) · never opened") {
		return
	}
	st := &d.c.Styles
	hosts := kit.KnownHosts(r)
	for i, u := range r.URLs {
		d.urlStart = append(d.urlStart, b.Len())
		b.Text(fmt.Sprintf("  %2d. ", i+1), "      ", kit.Defanged(u.Live))
		info := "found in " + u.Source.String() + " · host " + kit.Defanged(u.Host).String()
		if u.Domain != "" {
			info += " · domain " + kit.Defanged(u.Domain).String()
		}
		b.Wrap(st.Dim.Render("      "), "      ", info)
		if u.AnchorText != "" {
			b.Text("      anchor: ", "              ", untrusted(kit.DefangText(u.AnchorText.Raw(), hosts)))
		}
		if u.Unwrapped != "" {
			b.Text("      unwraps to: ", "              ", kit.Defanged(u.Unwrapped))
		}
		if len(u.Flags) > 0 {
			b.Wrap(st.Highlight.Render("      flags: "), "             ", joinSafe(u.Flags, ", "))
		}
		if n := u.Net; n != nil {
			b.Wrap("      network: ", "               ", netLine(n))
		}
	}
}

// netLine is "ip · ASn org · cc (source, as of date)", sanitised.
func netLine(n *kit.NetView) string {
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
