package detail

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/urls"
	"github.com/triage-tools/triage/internal/ui/kit"
)

// summary builds the Summary pane: score, findings by points, the decoded
// message fields, authentication results, label history and parse
// warnings.
func (d *Detail) summary(b *kit.LineBuilder) {
	r := d.data.Report
	if r == nil {
		b.Raw("no report")
		return
	}
	st := &d.c.Styles
	label := d.data.Label.String()
	if label == "" {
		label = "unlabeled"
	}
	b.Raw(st.Score(r.Score).Render(fmt.Sprintf("Score %d  %s", r.Score, kit.ScoreBar(r.Score, 10))) + "   label: " + st.Label.Render(label))
	if c := d.data.Campaign; c.ID != "" {
		n := fmt.Sprintf("%d messages", c.Size)
		if c.Size == 1 {
			n = "1 message, alone so far"
		}
		b.Wrap("", "  ", fmt.Sprintf("campaign %s · %s · J shows it", c.ID, n))
	}
	d.modelPart(b)
	b.Blank()
	d.reporters(b)
	fs := slices.Clone(r.Findings)
	slices.SortStableFunc(fs, func(a, b kit.FindingView) int { return b.Points - a.Points })
	b.Heading(fmt.Sprintf("Findings (%d)", len(fs)))
	if len(fs) == 0 {
		b.Raw("  none")
	}
	hosts := kit.KnownHosts(r)
	var cited []int // URL indexes cited as evidence, in order of first citation
	for _, f := range fs {
		b.Raw(st.Score(f.Points*3).Render(fmt.Sprintf("%+4d", f.Points)) + " " + st.Bold.Render(f.Rule.String()))
		sum, refs := citeURLs(r, kit.DefangText(f.Summary.Raw(), hosts))
		for _, i := range refs {
			if !slices.Contains(cited, i) {
				cited = append(cited, i)
			}
		}
		b.Text("     ", "     ", untrusted(sum))
		if f.Evidence == "" {
			continue
		}
		if i := citedURL(r, f.Evidence); i >= 0 {
			if !slices.Contains(cited, i) {
				cited = append(cited, i)
			}
			b.Raw(st.Dim.Render("     evidence: ") + fmt.Sprintf("URL #%d", i+1))
			continue
		}
		b.Text(st.Dim.Render("     evidence: "), "               ", untrusted(kit.DefangText(f.Evidence.Raw(), hosts)))
	}
	if len(cited) > 0 {
		b.Blank()
		b.Heading("URLs cited above (defanged; all URLs in pane 4)")
		for _, i := range cited {
			b.Text(fmt.Sprintf("  URL #%d ", i+1), "    ", kit.Defanged(r.URLs[i].Live))
		}
	}
	b.Blank()
	d.messageFields(b, r)
	b.Blank()
	d.authentication(b, &r.Auth)
	if len(d.data.LabelHist) > 0 {
		b.Blank()
		b.Heading("Label history")
		for _, e := range d.data.LabelHist {
			from, to := e.Previous.String(), e.Label.String()
			if from == "" {
				from = "-"
			}
			if to == "" {
				to = "-"
			}
			b.Wrap("  ", "    ", fmt.Sprintf("%s  %s → %s  by %s", d.c.Timestamp(e.Time), from, to, actorName(e.Actor)))
		}
	}
	if len(r.Warnings) > 0 {
		b.Blank()
		b.Heading("Parse warnings")
		for _, w := range r.Warnings {
			b.Text("  ", "    ", w)
		}
	}
}

// messageFields appends the decoded From, To, Subject… block.
func (d *Detail) messageFields(b *kit.LineBuilder, r *kit.ReportView) {
	b.Heading("Message")
	const kw = 13
	field := func(k, safe string) { b.Wrap(b.St.Bold.Render(kit.Pad(k+":", kw)), "             ", safe) }
	field("From", addr(r.From))
	if r.Sender != nil {
		field("Sender", addr(*r.Sender))
	}
	if len(r.ReplyTo) > 0 {
		field("Reply-To", addrs(r.ReplyTo))
	}
	if r.ReturnPath != "" {
		b.Field("Return-Path", kw, r.ReturnPath)
	}
	field("To", addrs(r.To))
	if len(r.Cc) > 0 {
		field("Cc", addrs(r.Cc))
	}
	b.Field("Subject", kw, r.Subject)
	if r.System != "" {
		field("System mail", r.System)
	}
	field("Date", d.c.Timestamp(r.Date))
	b.Field("Message-ID", kw, r.MessageID)
	field("Size", humanSize(int64(r.Size)))
	field("Triage ID", d.data.ID)
	for _, l := range d.data.Locators {
		field("Found in", l)
	}
	b.Raw(b.St.Dim.Render("             y copies Message-ID, ID and locators · v shows the raw source"))
}

// authentication appends the receiver's authentication verdicts.
func (d *Detail) authentication(b *kit.LineBuilder, a *kit.AuthView) {
	b.Heading("Authentication")
	b.Wrap("  ", "  ", a.Identity.String())
	if len(a.Results) == 0 && len(a.ARC) == 0 {
		b.Raw("  no Authentication-Results")
	}
	if a.AuthServID != "" {
		trust := "untrusted"
		if a.Trusted {
			trust = "trusted"
		}
		b.Wrap("  ", "  ", "by "+a.AuthServID.String()+" ("+trust+")")
	}
	for _, res := range a.Results {
		b.Wrap("  ", "      ", authLine(res))
	}
	for _, res := range a.ARC {
		b.Wrap("  arc ", "      ", authLine(res))
	}
	if len(a.ARCFirst) > 0 {
		b.Wrap("  ", "      ", "first hop (ARC i=1) by "+a.ARCFirstID.String()+":")
		for _, res := range a.ARCFirst {
			b.Wrap("    ", "      ", authLine(res))
		}
	}
	if len(a.DKIMDomains) > 0 {
		b.Wrap("  ", "      ", "dkim-signature d= "+joinSafe(a.DKIMDomains, ", "))
	}
	if a.SPFAligned != nil {
		b.Raw("  spf aligned: " + strconv.FormatBool(*a.SPFAligned))
	}
	if a.DKIMAligned != nil {
		b.Raw("  dkim aligned: " + strconv.FormatBool(*a.DKIMAligned))
	}
}

// authLine is "method=result (domain) reason", sanitised.
func authLine(r kit.AuthResultView) string {
	s := r.Method.String() + "=" + r.Result.String()
	if r.Domain != "" {
		s += " (" + r.Domain.String() + ")"
	}
	if r.Reason != "" {
		s += " " + r.Reason.String()
	}
	return s
}

// citedURL returns the index of the first URL of r that evidence is (live
// or defanged), or -1.
func citedURL(r *kit.ReportView, evidence untrusted) int {
	ev := urls.Defang(evidence.Raw())
	for i, u := range r.URLs {
		if urls.Defang(u.Live.Raw()) == ev {
			return i
		}
	}
	return -1
}

// citeURLs replaces each URL of r (defanged) that appears in s, already
// defanged, by "URL #n", longest first, and returns the indexes replaced.
func citeURLs(r *kit.ReportView, s string) (string, []int) {
	idx := make([]int, 0, len(r.URLs))
	for i := range r.URLs {
		idx = append(idx, i)
	}
	slices.SortStableFunc(idx, func(a, b int) int { return len(r.URLs[b].Live) - len(r.URLs[a].Live) })
	var refs []int
	seen := map[string]bool{}
	for _, i := range idx {
		u := urls.Defang(r.URLs[i].Live.Raw())
		if u == "" || seen[u] || !strings.Contains(s, u) {
			continue
		}
		seen[u] = true
		first := citedURL(r, untrusted(u)) // the same URL found twice: cite the first
		s = strings.ReplaceAll(s, u, fmt.Sprintf("URL #%d", first+1))
		refs = append(refs, first)
	}
	return s, refs
}

// modelPart shows the learned model's part apart from the rules': the
// learned points, the combined score and the features behind them (their
// names come from the message: untrusted).
func (d *Detail) modelPart(b *kit.LineBuilder) {
	if d.data.Model == nil {
		return
	}
	m, comb := &d.data.Model.Model, d.data.Model.Combined
	st := &d.c.Styles
	if !m.Trained {
		b.Text(st.Dim.Render("Model  "), "       ", untrusted(m.Note))
		return
	}
	b.Raw(st.Score(comb).Render(fmt.Sprintf("Combined %d", comb)) +
		st.Dim.Render(fmt.Sprintf("  = rules %d %+d learned (0–100; model p=%.2f)", d.data.Report.Score, m.Points, m.Probability)))
	if m.Note != "" { // e.g. an authenticated sender's positive points held at 0
		b.Text(st.Dim.Render("  "), "  ", untrusted(m.Note))
	}
	for _, e := range m.Evidence {
		b.Text(st.Dim.Render(fmt.Sprintf("  %+5.1f ", e.Weight)), "        ", untrusted(e.String()))
	}
}
