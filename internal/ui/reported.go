package ui

import (
	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/received"
	"github.com/triage-tools/triage/internal/ui/detail"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/store"
)

// reporterSource is implemented by stores that record who reported a
// message (*store.Store does).
type reporterSource interface {
	Reporters(id string) ([]store.ReporterRecord, error)
}

// wrapperSource is implemented by raw sources that can read the report
// wrapper a message was found in (the workbench's does).
type wrapperSource interface {
	WrapperRaw(id string) ([]byte, error)
}

// loadReported fills the reporters and the wrapper's headers and hops of
// a message found inside report wrappers (nothing for other messages).
// Runs in loadDetail's command, off the UI goroutine.
func loadReported(d *detail.Data, st kit.Store, raw kit.RawSource, id string, rep *analysis.Report) {
	if rep == nil || rep.Wrapper == nil {
		return
	}
	d.Incomplete = rep.Wrapper.Incomplete
	if rs, ok := st.(reporterSource); ok {
		if recs, err := rs.Reporters(id); err == nil && len(recs) > 0 {
			d.Reporters = detail.NewReporterViews(recs)
		}
	}
	if d.Reporters == nil {
		d.Reporters = detail.ReporterOf(rep.Wrapper)
	}
	ws, ok := raw.(wrapperSource)
	if !ok {
		return
	}
	b, err := ws.WrapperRaw(id)
	if err != nil {
		return
	}
	p := message.Parse(b, analysis.DefaultLimits())
	w := &analysis.Report{ID: rep.Wrapper.ID, Summary: p.Summary, Headers: p.Headers,
		Hops: received.BuildHops(p.Headers, p.Summary.Date, nil, nil)}
	d.Wrapper = kit.NewReportView(w)
}
