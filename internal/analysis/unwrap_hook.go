package analysis

import (
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/analysis/unwrap"
)

// Report wrappers (see package unwrap).
type (
	Wrapper  = report.Wrapper
	Reporter = report.Reporter
)

// original returns the message to triage: the original inside a report
// wrapper, parsed, with the unwrapping, or raw and p themselves (and nil)
// for any other message.
func original(raw []byte, p *message.Parsed, lim Limits) ([]byte, *message.Parsed, *unwrap.Result) {
	if !unwrap.Candidate(p) {
		return raw, p, nil
	}
	res := unwrap.Unwrap(raw, p, lim)
	if res == nil {
		return raw, p, nil
	}
	if res.Wrapper.Depth == 0 {
		// Not a wrapper; only the warnings (a broken .msg) are kept.
		p.Warnings = append(p.Warnings, res.Warnings...)
		return raw, p, nil
	}
	return res.Original, res.Parsed, res
}
