package detail

import (
	"fmt"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// Report mailboxes: the message shown is the original found inside report
// wrappers (forwards to a "report phishing" mailbox, ARF reports). The
// summary pane lists who reported it; the headers and hops panes show the
// original's, and W switches them to the (outermost) wrapper's.

// maxReportersShown bounds the reporters the summary pane lists.
const maxReportersShown = 50

// ReporterView is one report of the shown message, every text untrusted.
type ReporterView struct {
	From kit.AddrView
	Date time.Time
	Note untrusted
	Kind string
}

// NewReporterViews wraps reporter records for display.
func NewReporterViews(recs []store.ReporterRecord) []ReporterView {
	out := make([]ReporterView, 0, len(recs))
	for _, r := range recs {
		out = append(out, ReporterView{From: kit.NewAddrView(r.From), Date: r.Date, Note: untrusted(r.Note), Kind: r.Kind})
	}
	return out
}

// ReporterOf is the view of the one reporter a report carries (a store
// without reporter records).
func ReporterOf(w *analysis.Wrapper) []ReporterView {
	if w == nil {
		return nil
	}
	return NewReporterViews([]store.ReporterRecord{{Reporter: w.Reporter, Kind: w.Kind}})
}

// reporters adds the "Reported" section to the summary pane.
func (d *Detail) reporters(b *kit.LineBuilder) {
	rs := d.data.Reporters
	if len(rs) == 0 {
		return
	}
	st := &d.c.Styles
	head := fmt.Sprintf("Reported ×%d", len(rs))
	if d.data.Wrapper != nil {
		head += " · W in the headers/hops panes shows the report wrapper's"
	}
	b.Heading(head)
	if d.data.Incomplete {
		b.Wrap("  ", "  ", st.Dim.Render("rebuilt from a forward's quoted text: the original's hops and authentication are missing"))
	}
	for i, r := range rs {
		if i == maxReportersShown {
			b.Raw(st.Dim.Render(fmt.Sprintf("  … and %d more", len(rs)-i)))
			break
		}
		when := "date unknown"
		if !r.Date.IsZero() {
			when = d.c.Timestamp(r.Date)
		}
		from := r.From.Address
		if r.From.Name != "" {
			from = untrusted(r.From.Name.Raw() + " <" + r.From.Address.Raw() + ">")
		}
		b.Text("  "+when+"  ", "    ", from)
		if note := strings.TrimSpace(r.Note.Raw()); note != "" {
			b.Text(st.Dim.Render("    note: "), "          ", untrusted(note))
		}
	}
	b.Blank()
}

// paneReport is the report whose headers and hops are shown: the
// wrapper's while W is on, else the original's.
func (d *Detail) paneReport() *kit.ReportView {
	if d.showWrapper && d.data.Wrapper != nil {
		return d.data.Wrapper
	}
	return d.data.Report
}

// wrapperNote says, above the headers and hops, whose they are.
func (d *Detail) wrapperNote(b *kit.LineBuilder) {
	switch {
	case d.data.Wrapper == nil:
	case d.showWrapper:
		b.Raw(d.c.Styles.Bold.Render("the report wrapper's (who reported it) · W: the original's"))
	default:
		b.Raw(d.c.Styles.Dim.Render("the reported original's · W: the report wrapper's"))
	}
}

// HasWrapper reports whether the shown message came from a report wrapper
// whose headers can be shown.
func (d *Detail) HasWrapper() bool { return d.data != nil && d.data.Wrapper != nil }

// ToggleWrapper switches the headers and hops panes between the original
// and the report wrapper.
func (d *Detail) ToggleWrapper() {
	d.showWrapper = !d.showWrapper
	d.Rebuild()
}
