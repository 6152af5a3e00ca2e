package detail

import (
	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/iocs"
)

// MessageIndicators returns the indicators of one message as defanged
// text (iocs.Text), the same ones `triage iocs` would export for it,
// with the default brand and infrastructure data; "" when there are none.
// It runs in the detail load command, off the UI goroutine.
func MessageIndicators(id, label string, rep *analysis.Report) string {
	c := iocs.New(nil, nil)
	c.Add(iocs.Message{ID: id, Label: label, Time: rep.Summary.Date, Report: rep})
	return iocs.Text(c.Indicators())
}
