package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// detailData is everything the panes show for one message, loaded by a
// command and delivered in a detailMsg.
type detailData struct {
	ID        string
	Report    *analysis.Report
	Label     string
	LabelHist []store.LabelEvent
	Notes     []store.Note
	Body      string
	Links     []string
	BodyErr   error
}

// Detail holds the detail panes of the selected message. Pane content is
// built into lines when data or width change (not in View), each pane keeps
// its own scroll offset, and the URL pane has its own cursor.
type Detail struct {
	c *Common

	data    *detailData
	loading string // ID being loaded, "" when idle
	err     error

	pane      int
	rawHeader bool
	urlCursor int
	offset    [numPanes]int
	lines     [numPanes][]string
	urlStart  []int // first line of each URL in the URL pane
	width     int
	height    int
}

func newDetail(c *Common) Detail { return Detail{c: c} }

// ID returns the message shown (or being loaded).
func (d *Detail) ID() string {
	if d.loading != "" {
		return d.loading
	}
	if d.data != nil {
		return d.data.ID
	}
	return ""
}

// SetLoading marks id as being loaded; the old content stays until the data
// arrives unless it belongs to another message.
func (d *Detail) SetLoading(id string) {
	d.loading = id
	if d.data != nil && d.data.ID != id {
		d.data = nil
		d.offset = [numPanes]int{}
		d.urlCursor = 0
		d.rebuild()
	}
}

// SetData installs loaded data.
func (d *Detail) SetData(data *detailData, err error) {
	same := d.data != nil && data != nil && d.data.ID == data.ID
	d.loading = ""
	d.data, d.err = data, err
	if !same {
		d.offset = [numPanes]int{}
		d.urlCursor = 0
	}
	d.rebuild()
}

// SetSize sets the pane area size (including the tab line) and rebuilds.
func (d *Detail) SetSize(w, h int) {
	if w == d.width && h == d.height {
		return
	}
	d.width, d.height = w, h
	d.rebuild()
}

// SetPane switches the visible pane.
func (d *Detail) SetPane(p int) { d.pane = (p%numPanes + numPanes) % numPanes }

// Pane returns the visible pane.
func (d *Detail) Pane() int { return d.pane }

// ToggleRaw switches the Headers pane between decoded and raw values.
func (d *Detail) ToggleRaw() {
	d.rawHeader = !d.rawHeader
	d.rebuild()
}

func (d *Detail) bodyHeight() int { return max(d.height-1, 1) }

// Scroll moves the visible pane by delta lines; in the URL pane it moves the
// URL cursor instead.
func (d *Detail) Scroll(delta int) {
	if d.pane == PaneURLs && d.data != nil && d.data.Report != nil && len(d.data.Report.URLs) > 0 {
		n := len(d.data.Report.URLs)
		d.urlCursor = min(max(d.urlCursor+delta, 0), n-1)
		start := d.urlStart[d.urlCursor]
		end := len(d.lines[PaneURLs])
		if d.urlCursor+1 < n {
			end = d.urlStart[d.urlCursor+1]
		}
		h := d.bodyHeight()
		if start < d.offset[PaneURLs] {
			d.offset[PaneURLs] = start
		} else if end > d.offset[PaneURLs]+h {
			d.offset[PaneURLs] = min(start, end-h)
		}
		return
	}
	maxOff := max(len(d.lines[d.pane])-d.bodyHeight(), 0)
	d.offset[d.pane] = min(max(d.offset[d.pane]+delta, 0), maxOff)
}

// SelectedURL returns the URL under the URL pane's cursor.
func (d *Detail) SelectedURL() (analysis.URL, bool) {
	if d.data == nil || d.data.Report == nil || d.urlCursor >= len(d.data.Report.URLs) {
		return analysis.URL{}, false
	}
	return d.data.Report.URLs[d.urlCursor], true
}

// HasNotes reports whether the message has at least one note.
func (d *Detail) HasNotes() bool { return d.data != nil && len(d.data.Notes) > 0 }

// LastNote returns the most recent note.
func (d *Detail) LastNote() (store.Note, bool) {
	if !d.HasNotes() {
		return store.Note{}, false
	}
	return d.data.Notes[len(d.data.Notes)-1], true
}

// SetNotes replaces the notes of the shown message.
func (d *Detail) SetNotes(id string, notes []store.Note) {
	if d.data == nil || d.data.ID != id {
		return
	}
	d.data.Notes = notes
	d.rebuild()
}

// SetLabel updates the shown label and history.
func (d *Detail) SetLabel(id, label string, hist []store.LabelEvent) {
	if d.data == nil || d.data.ID != id {
		return
	}
	d.data.Label = label
	if hist != nil {
		d.data.LabelHist = hist
	}
	d.rebuild()
}

func (d *Detail) rebuild() {
	w := max(d.width, 20)
	for p := range d.lines {
		d.lines[p] = nil
	}
	d.urlStart = nil
	if d.data == nil {
		return
	}
	b := &lineBuilder{w: w, st: &d.c.Styles}
	d.summary(b)
	d.lines[PaneSummary] = b.take()
	d.headers(b)
	d.lines[PaneHeaders] = b.take()
	d.hops(b)
	d.lines[PaneHops] = b.take()
	d.urls(b)
	d.lines[PaneURLs] = b.take()
	d.body(b)
	d.lines[PaneBody] = b.take()
	d.notes(b)
	d.lines[PaneNotes] = b.take()
	for p := range d.offset {
		d.offset[p] = min(d.offset[p], max(len(d.lines[p])-d.bodyHeight(), 0))
	}
}

// lineBuilder accumulates wrapped, sanitised lines.
type lineBuilder struct {
	w     int
	st    *Styles
	lines []string
}

func (b *lineBuilder) take() []string {
	l := b.lines
	b.lines = nil
	return l
}

// raw appends an already safe, styled line (truncated to the width).
func (b *lineBuilder) raw(s string) {
	if ansi.StringWidth(s) > b.w {
		s = ansi.Truncate(s, b.w, "…")
	}
	b.lines = append(b.lines, s)
}

func (b *lineBuilder) blank() { b.lines = append(b.lines, "") }

func (b *lineBuilder) heading(s string) { b.raw(b.st.Heading.Render(s)) }

// text appends untrusted multi-line text, sanitised and wrapped, each line
// prefixed by indent (the first by first).
func (b *lineBuilder) text(first, indent, s string) {
	s = textsafe.CleanMultiline(s)
	iw := ansi.StringWidth(indent)
	avail := max(b.w-iw, 8)
	pfx := first
	for _, para := range strings.Split(s, "\n") {
		wrapped := ansi.Wrap(para, avail, " -/.,;")
		for _, line := range strings.Split(wrapped, "\n") {
			b.raw(pfx + line)
			pfx = indent
		}
	}
}

// field appends "Key:  value" with the value wrapped under itself.
func (b *lineBuilder) field(key string, keyW int, value string) {
	k := pad(key+":", keyW)
	b.text(b.st.Bold.Render(k), strings.Repeat(" ", keyW), value)
}

func addr(a analysis.Address) string {
	if a.Name == "" {
		return a.Address
	}
	return a.Name + " <" + a.Address + ">"
}

func addrs(as []analysis.Address) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = addr(a)
	}
	return strings.Join(s, ", ")
}

func (c *Common) timestamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(c.loc).Format("2006-01-02 15:04:05 -0700")
}

func actorName(a store.Actor) string {
	s := a.Name
	if s == "" {
		s = "?"
	}
	if a.Source != "" {
		s += " (" + a.Source + ")"
	}
	return s
}

func (d *Detail) summary(b *lineBuilder) {
	r := d.data.Report
	if r == nil {
		b.raw("no report")
		return
	}
	st := &d.c.Styles
	label := d.data.Label
	if label == "" {
		label = "unlabeled"
	}
	b.raw(st.score(r.Score).Render(fmt.Sprintf("Score %d  %s", r.Score, scoreBar(r.Score, 10))) + "   label: " + st.Label.Render(label))
	b.blank()
	fs := slices.Clone(r.Findings)
	slices.SortStableFunc(fs, func(a, b analysis.Finding) int { return b.Points - a.Points })
	b.heading(fmt.Sprintf("Findings (%d)", len(fs)))
	if len(fs) == 0 {
		b.raw("  none")
	}
	for _, f := range fs {
		b.raw(st.score(f.Points*3).Render(fmt.Sprintf("%+4d", f.Points)) + " " + st.Bold.Render(textsafe.Clean(f.Rule)))
		b.text("     ", "     ", f.Summary)
		if f.Evidence != "" {
			b.text(st.Dim.Render("     evidence: "), "               ", f.Evidence)
		}
	}
	b.blank()
	s := r.Summary
	b.heading("Message")
	const kw = 13
	b.field("From", kw, addr(s.From))
	if s.Sender != nil {
		b.field("Sender", kw, addr(*s.Sender))
	}
	if len(s.ReplyTo) > 0 {
		b.field("Reply-To", kw, addrs(s.ReplyTo))
	}
	if s.ReturnPath != "" {
		b.field("Return-Path", kw, s.ReturnPath)
	}
	b.field("To", kw, addrs(s.To))
	if len(s.Cc) > 0 {
		b.field("Cc", kw, addrs(s.Cc))
	}
	b.field("Subject", kw, s.Subject)
	b.field("Date", kw, d.c.timestamp(s.Date))
	b.field("Message-ID", kw, s.MessageID)
	b.field("Size", kw, humanSize(int64(r.Size)))
	b.blank()
	b.heading("Authentication")
	a := r.Auth
	if len(a.Results) == 0 && len(a.ARC) == 0 {
		b.raw("  no Authentication-Results")
	}
	if a.AuthServID != "" {
		trust := "untrusted"
		if a.Trusted {
			trust = "trusted"
		}
		b.text("  ", "  ", "by "+a.AuthServID+" ("+trust+")")
	}
	for _, res := range a.Results {
		b.text("  ", "      ", authLine(res))
	}
	for _, res := range a.ARC {
		b.text("  arc ", "      ", authLine(res))
	}
	if len(a.DKIMDomains) > 0 {
		b.text("  ", "      ", "dkim-signature d= "+strings.Join(a.DKIMDomains, ", "))
	}
	if a.SPFAligned != nil {
		b.raw("  spf aligned: " + strconv.FormatBool(*a.SPFAligned))
	}
	if a.DKIMAligned != nil {
		b.raw("  dkim aligned: " + strconv.FormatBool(*a.DKIMAligned))
	}
	if len(d.data.LabelHist) > 0 {
		b.blank()
		b.heading("Label history")
		for _, e := range d.data.LabelHist {
			from, to := e.Previous, e.Label
			if from == "" {
				from = "-"
			}
			if to == "" {
				to = "-"
			}
			b.text("  ", "    ", fmt.Sprintf("%s  %s → %s  by %s", d.c.timestamp(e.Time), from, to, actorName(e.Actor)))
		}
	}
	if len(r.Warnings) > 0 {
		b.blank()
		b.heading("Parse warnings")
		for _, w := range r.Warnings {
			b.text("  ", "    ", w)
		}
	}
}

func authLine(r analysis.AuthResult) string {
	s := r.Method + "=" + r.Result
	if r.Domain != "" {
		s += " (" + r.Domain + ")"
	}
	if r.Reason != "" {
		s += " " + r.Reason
	}
	return s
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return strconv.FormatInt(n, 10) + " B"
}

// evidenceMatch reports whether a header field is pointed at by a finding.
func evidenceMatch(h analysis.HeaderField, ev []string) bool {
	for _, e := range ev {
		if strings.EqualFold(h.Key, e) {
			return true
		}
		if len(e) >= 4 && (strings.Contains(h.Value, e) || strings.Contains(h.Decoded, e)) {
			return true
		}
		if k, _, ok := strings.Cut(e, ":"); ok && strings.EqualFold(strings.TrimSpace(k), h.Key) {
			return true
		}
	}
	return false
}

func (d *Detail) headers(b *lineBuilder) {
	r := d.data.Report
	if r == nil {
		return
	}
	st := &d.c.Styles
	mode := "decoded"
	if d.rawHeader {
		mode = "raw"
	}
	b.raw(st.Dim.Render(fmt.Sprintf("%d header fields · %s values (r toggles) · ▶ = cited by a finding", len(r.Headers), mode)))
	var ev []string
	for _, f := range r.Findings {
		if f.Evidence != "" {
			ev = append(ev, f.Evidence)
		}
	}
	for _, h := range r.Headers {
		v := h.Value
		if !d.rawHeader && h.Decoded != "" {
			v = h.Decoded
		}
		key := textsafe.Clean(h.Key) + ":"
		mark := "  "
		if evidenceMatch(h, ev) {
			mark = "▶ "
			key = st.Highlight.Render(key)
		} else {
			key = st.Key.Render(key)
		}
		b.text(mark+key+" ", "      ", v)
	}
}

func (d *Detail) hops(b *lineBuilder) {
	r := d.data.Report
	if r == nil {
		return
	}
	st := &d.c.Styles
	if len(r.Hops) == 0 {
		b.raw("no Received headers")
		return
	}
	b.raw(st.Dim.Render(fmt.Sprintf("%d hops, oldest first · * = origin hop", len(r.Hops))))
	headers := []string{"#", "from ([ip] helo rdns)", "by", "proto/tls", "time", "delay", "flags"}
	// Network columns come from the report (enriched at analysis time,
	// with provenance) or, failing that, from a live database look-up.
	var source string
	for _, h := range r.Hops {
		if h.Net != nil && source == "" {
			source = h.Net.Source
			if !h.Net.AsOf.IsZero() {
				source += ", as of " + h.Net.AsOf.Format("2006-01-02")
			}
		}
	}
	enrich := d.c.enrich != nil || source != ""
	if enrich {
		headers = append(headers[:2], append([]string{"network", "cc"}, headers[2:]...)...)
	}
	var rows [][]string
	for _, h := range r.Hops {
		idx := strconv.Itoa(h.Index)
		if h.Origin {
			idx = "*" + idx
		}
		var from []string
		if h.FromIP != "" {
			from = append(from, "["+h.FromIP+"]")
		}
		for _, s := range []string{h.FromHelo, h.FromRDNS} {
			if s != "" && !slices.Contains(from, s) {
				from = append(from, s)
			}
		}
		proto := h.With
		if h.TLS != "" {
			proto += "/" + h.TLS
		}
		delay := ""
		if h.Delay != nil {
			delay = fmtDelay(*h.Delay)
		}
		tm := "-"
		if !h.Time.IsZero() {
			tm = h.Time.In(d.c.loc).Format("01-02 15:04:05")
		}
		flags := strings.Join(h.Flags, ",")
		if h.Trusted {
			flags = strings.TrimPrefix(flags+",trusted", ",")
		}
		row := []string{idx, strings.Join(from, " "), h.By, proto, tm, delay, flags}
		if enrich {
			var net, cc string
			switch {
			case h.Net != nil:
				if h.Net.ASN != 0 {
					net = fmt.Sprintf("AS%d %s", h.Net.ASN, h.Net.ASOrg)
				} else {
					net = h.Net.ASOrg
				}
				cc = h.Net.Country
			case d.c.enrich != nil && h.FromIP != "":
				net, cc = d.c.enrich(h.FromIP)
			}
			row = append(row[:2], append([]string{net, cc}, row[2:]...)...)
		}
		for i := range row {
			row[i] = textsafe.Clean(row[i])
		}
		rows = append(rows, row)
	}
	widths := make([]int, len(headers))
	for i, h := range headers {
		widths[i] = ansi.StringWidth(h)
	}
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	// Shrink the widest text columns until the table fits.
	total := func() int {
		t := len(widths) - 1
		for _, w := range widths {
			t += w
		}
		return t
	}
	for total() > b.w {
		wi := 0
		for i := range widths {
			if widths[i] > widths[wi] {
				wi = i
			}
		}
		if widths[wi] <= 4 {
			break
		}
		widths[wi]--
	}
	line := func(cells []string) string {
		parts := make([]string, len(cells))
		for i, c := range cells {
			parts[i] = pad(c, widths[i])
		}
		return strings.TrimRight(strings.Join(parts, " "), " ")
	}
	b.raw(st.Heading.Render(line(headers)))
	for i, row := range rows {
		l := line(row)
		if r.Hops[i].Origin {
			l = st.Highlight.Render(l)
		}
		b.raw(l)
	}
	switch {
	case source != "":
		b.raw(st.Dim.Render("network data: " + textsafe.Clean(source)))
	case !enrich:
		b.raw(st.Dim.Render("no IP database: put GeoLite2, DB-IP Lite or IPinfo Lite .mmdb files in ~/.local/share/triage or use --asn-db/--country-db (README, IP context)"))
	}
	b.blank()
	b.heading("Received headers (raw)")
	for _, h := range r.Hops {
		b.text(fmt.Sprintf("%2d ", h.Index), "   ", h.Raw)
	}
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

// urls builds the URL pane without the cursor (drawn in View) and records
// where each URL starts.
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
	for i, u := range r.URLs {
		d.urlStart = append(d.urlStart, len(b.lines))
		shown := u.Defanged
		if shown == "" {
			shown = defang(u.URL)
		}
		b.text(fmt.Sprintf("  %2d. ", i+1), "      ", shown)
		info := "found in " + u.Source + " · host " + u.Host
		if u.Domain != "" {
			info += " · domain " + u.Domain
		}
		b.text(st.Dim.Render("      "), "      ", info)
		if u.AnchorText != "" {
			b.text("      anchor: ", "              ", u.AnchorText)
		}
		if u.Unwrapped != "" {
			b.text("      unwraps to: ", "              ", defang(u.Unwrapped))
		}
		if len(u.Flags) > 0 {
			b.text(st.Highlight.Render("      flags: "), "             ", strings.Join(u.Flags, ", "))
		}
		if n := u.Net; n != nil {
			net := n.IP
			if n.ASN != 0 {
				net += fmt.Sprintf(" · AS%d %s", n.ASN, n.ASOrg)
			}
			if n.Country != "" {
				net += " · " + n.Country
			}
			if n.Source != "" {
				net += " (" + n.Source
				if !n.AsOf.IsZero() {
					net += ", as of " + n.AsOf.Format("2006-01-02")
				}
				net += ")"
			}
			b.text("      network: ", "               ", net)
		}
	}
}

// defang makes a URL non-clickable: http→hxxp and dots in the host → [.].
func defang(u string) string {
	s := u
	if rest, ok := strings.CutPrefix(s, "http"); ok {
		s = "hxxp" + rest
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return strings.ReplaceAll(s, ".", "[.]")
	}
	host, path, _ := strings.Cut(rest, "/")
	out := scheme + "://" + strings.ReplaceAll(host, ".", "[.]")
	if path != "" || strings.Contains(rest, "/") {
		out += "/" + path
	}
	return out
}

func (d *Detail) body(b *lineBuilder) {
	st := &d.c.Styles
	if d.data.BodyErr != nil {
		b.raw(st.Error.Render("body: " + textsafe.Clean(d.data.BodyErr.Error())))
	}
	if strings.TrimSpace(d.data.Body) == "" {
		b.raw(st.Dim.Render("(no text body)"))
	} else {
		b.text("", "", d.data.Body)
	}
	if len(d.data.Links) > 0 {
		b.blank()
		b.heading("Links")
		for i, l := range d.data.Links {
			b.text(fmt.Sprintf("[%d] ", i+1), "    ", defang(l))
		}
	}
	if r := d.data.Report; r != nil && len(r.Attachments) > 0 {
		b.blank()
		b.heading(fmt.Sprintf("Attachments (%d)", len(r.Attachments)))
		for _, a := range r.Attachments {
			typ := a.DeclaredType
			if a.SniffedType != "" && a.SniffedType != a.DeclaredType {
				typ += " (sniffed " + a.SniffedType + ")"
			}
			b.text("  ", "    ", a.Name)
			b.text("    ", "    ", typ+" · "+humanSize(a.Size))
			b.text(st.Dim.Render("    sha256 "), "           ", a.SHA256)
			if len(a.Flags) > 0 {
				b.text(st.Highlight.Render("    flags: "), "           ", strings.Join(a.Flags, ", "))
			}
			for _, e := range a.Entries {
				b.text("    - ", "      ", e)
			}
		}
	}
}

func (d *Detail) notes(b *lineBuilder) {
	st := &d.c.Styles
	if len(d.data.Notes) == 0 {
		b.raw(st.Dim.Render("no notes · n adds one"))
		return
	}
	b.raw(st.Dim.Render(fmt.Sprintf("%d notes · n adds one, e edits the last", len(d.data.Notes))))
	for _, n := range d.data.Notes {
		b.blank()
		edited := ""
		if len(n.History) > 0 {
			edited = fmt.Sprintf(" · edited %d×", len(n.History))
		}
		b.raw(st.Bold.Render(textsafe.Clean(actorName(n.Author))) + st.Dim.Render(" · "+d.c.timestamp(n.Time)+edited))
		b.text("  ", "  ", n.Text)
		for i := len(n.History) - 1; i >= 0; i-- {
			v := n.History[i]
			b.raw(st.Dim.Render("  earlier: " + textsafe.Clean(actorName(v.Author)) + " · " + d.c.timestamp(v.Time)))
			b.text(st.Dim.Render("  │ "), st.Dim.Render("  │ "), v.Text)
		}
	}
}

// tabs renders the pane switcher line.
func (d *Detail) tabs(width int) string {
	st := &d.c.Styles
	var parts []string
	for i, n := range paneNames {
		t := " " + strconv.Itoa(i+1) + " " + n + " "
		if i == d.pane {
			parts = append(parts, st.TabActive.Render("["+strings.TrimSpace(t)+"]"))
		} else {
			parts = append(parts, st.Tab.Render(t))
		}
	}
	line := strings.Join(parts, "")
	if ansi.StringWidth(line) > width {
		line = ansi.Truncate(line, width, "…")
	}
	return line
}

// View renders the tab line and the visible part of the current pane in a
// width×height box.
func (d Detail) View(width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	st := &d.c.Styles
	out := make([]string, 0, height)
	out = append(out, d.tabs(width))
	var lines []string
	switch {
	case d.err != nil:
		lines = []string{st.Error.Render(ansi.Truncate("error: "+textsafe.Clean(d.err.Error()), width, "…"))}
	case d.data == nil && d.loading != "":
		lines = []string{st.Dim.Render("loading…")}
	case d.data == nil:
		lines = []string{st.Dim.Render("no message selected")}
	default:
		lines = d.lines[d.pane]
	}
	off := min(d.offset[d.pane], max(len(lines)-1, 0))
	if d.err != nil || d.data == nil {
		off = 0
	}
	for k := 0; len(out) < height; k++ {
		i := off + k
		if i >= len(lines) {
			out = append(out, "")
			continue
		}
		l := lines[i]
		if d.pane == PaneURLs && d.data != nil && d.urlCursor < len(d.urlStart) && d.data.Report != nil {
			start := d.urlStart[d.urlCursor]
			end := len(lines)
			if d.urlCursor+1 < len(d.urlStart) {
				end = d.urlStart[d.urlCursor+1]
			}
			if i == start {
				l = st.Selected.Render(pad("▸"+strings.TrimPrefix(ansi.Strip(l), " "), width))
			} else if i > start && i < end {
				l = "▏" + strings.TrimPrefix(l, " ")
			}
		}
		out = append(out, l)
	}
	if more := len(lines) - off - (height - 1); more > 0 && height > 2 {
		out[height-1] = st.Dim.Render(pad(fmt.Sprintf("  ↓ %d more lines", more), width))
	}
	return strings.Join(out, "\n")
}
