package detail

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/triage-tools/triage/internal/ui/kit"
)

// hops builds the Hops pane: a table of the Received chain, oldest first,
// with network columns when the report or an IP database has them, and
// the raw Received headers below.
func (d *Detail) hops(b *kit.LineBuilder) {
	r := d.paneReport()
	if r != nil {
		d.wrapperNote(b)
	}
	if r == nil || !d.listHead(b, len(r.Hops), "no Received headers", "%d hops, oldest first · * = origin hop · times in each header's own zone") {
		return
	}
	st := &d.c.Styles
	// Network columns come from the report (enriched at analysis time,
	// with provenance) or, failing that, from a live database look-up.
	source := netSource(r.Hops)
	enrich := d.c.Enrich != nil || source != ""
	header := []string{"#", "from ([ip] helo rdns)", "by", "proto/tls", "time", "delay", "flags"}
	if enrich {
		header = slices.Insert(header, 2, "network", "cc")
	}
	rows := make([][]string, len(r.Hops))
	for i := range r.Hops {
		rows[i] = d.hopRow(&r.Hops[i], enrich)
	}
	if !b.Table(header, rows, func(i int) bool { return r.Hops[i].Origin }) {
		// Too wide for a table: one block per hop, every cell wrapped.
		for i, row := range rows {
			hopBlock(b, header, row, r.Hops[i].Origin)
		}
	}
	switch {
	case source != "":
		b.Wrap(st.Dim.Render("network data: "), "  ", source)
	case !enrich:
		b.Wrap("", "  ", st.Dim.Render("no IP database: put GeoLite2, DB-IP Lite or IPinfo Lite .mmdb files in ~/.local/share/triage or use --asn-db/--country-db (README, IP context)"))
	}
	b.Blank()
	b.Heading("Received headers (raw)")
	for _, h := range r.Hops {
		b.Text(fmt.Sprintf("%2d ", h.Index), "   ", h.Raw)
	}
}

// netSource describes where the first hop with network data got it (e.g.
// "GeoLite2-ASN, as of 2026-11-20"), sanitised; "" when no hop has any.
func netSource(hops []kit.HopView) string {
	for _, h := range hops {
		if h.Net != nil {
			s := h.Net.Source.String()
			if !h.Net.AsOf.IsZero() {
				s += ", as of " + h.Net.AsOf.Format("2006-01-02")
			}
			if s != "" {
				return s
			}
		}
	}
	return ""
}

// hopRow returns the sanitised table cells of one hop.
func (d *Detail) hopRow(h *kit.HopView, enrich bool) []string {
	idx := strconv.Itoa(h.Index)
	if h.Origin {
		idx = "*" + idx
	}
	var from []string
	if h.FromIP != "" {
		from = append(from, "["+h.FromIP.String()+"]")
	}
	for _, u := range []untrusted{h.FromHelo, h.FromRDNS} {
		if s := u.String(); s != "" && !slices.Contains(from, s) {
			from = append(from, s)
		}
	}
	proto := h.With.String()
	if h.TLS != "" {
		proto += "/" + h.TLS.String()
	}
	delay := ""
	if h.Delay != nil {
		delay = fmtDelay(*h.Delay)
	}
	tm := "-"
	if !h.Time.IsZero() {
		// The header's own zone: what the relay wrote, comparable with
		// the raw Received line below.
		tm = h.Time.Format("2006-01-02 15:04:05 -0700")
	}
	flags := joinSafe(h.Flags, ",")
	if h.Trusted {
		flags = strings.TrimPrefix(flags+",trusted", ",")
	}
	row := []string{idx, strings.Join(from, " "), h.By.String(), proto, tm, delay, flags}
	if !enrich {
		return row
	}
	var net, cc string
	switch {
	case h.Net != nil:
		net = h.Net.ASOrg.String()
		if h.Net.ASN != 0 {
			net = fmt.Sprintf("AS%d %s", h.Net.ASN, net)
		}
		cc = h.Net.Country.String()
	case d.c.Enrich != nil && h.FromIP != "":
		n, c := d.c.Enrich(h.FromIP.Raw())
		net, cc = untrusted(n).String(), untrusted(c).String()
	}
	return slices.Insert(row, 2, net, cc)
}

func fmtDelay(s float64) string {
	switch {
	case s < 0:
		return fmt.Sprintf("%.0fs!", s)
	case s < 120:
		return fmt.Sprintf("%.0fs", s)
	case s < 7200:
		return fmt.Sprintf("%.0fm", s/60)
	case s < 172800:
		return fmt.Sprintf("%.0fh", s/3600)
	}
	return fmt.Sprintf("%.0fd", s/86400)
}

// hopBlock appends one hop as "#  from …" and then "name: value" lines
// for its other non-empty cells, each wrapped (never cut).
func hopBlock(b *kit.LineBuilder, header, row []string, origin bool) {
	first := kit.Pad(row[0], 3) + " "
	if origin {
		first = b.St.Highlight.Render(kit.Pad(row[0], 3)) + " "
	}
	b.Wrap(first+b.St.Bold.Render(kit.Pad("from:", 12)), strings.Repeat(" ", 16), row[1])
	for i := 2; i < len(row); i++ {
		if row[i] == "" {
			continue
		}
		b.Wrap(b.St.Dim.Render(kit.Pad("    "+header[i]+":", 16)), strings.Repeat(" ", 16), row[i])
	}
}
