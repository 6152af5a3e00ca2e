package analysis

import (
	"fmt"
	"strings"

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
//
// The reporter is the outermost wrapper's sender unless it is one of the
// report mailbox's own addresses (an automatic forward), then the next
// wrapper's.
func original(raw []byte, p *message.Parsed, lim Limits, reportAddrs []string) ([]byte, *message.Parsed, *unwrap.Result) {
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
	for _, r := range res.Chain {
		if !isReportAddress(reportAddrs, r.From.Address) {
			res.Wrapper.Reporter = r
			break
		}
	}
	return res.Original, res.Parsed, res
}

// isReportAddress reports whether addr is one of the report mailbox's
// addresses.
func isReportAddress(list []string, addr string) bool {
	for _, a := range list {
		if addr != "" && strings.EqualFold(strings.TrimSpace(a), addr) {
			return true
		}
	}
	return false
}

// reportAddress reports whether addr is one of the configured report
// mailbox addresses.
func (a *analyzer) reportAddress(addr string) bool {
	return len(a.cfg.ReportAddresses) > 0 && isReportAddress(a.cfg.ReportAddresses, addr)
}

// inlineGuard checks the report rep of an original rebuilt from an inline
// forward (or from headers only) against the message as delivered: quoted
// text is what anyone can type, and a phish can pose as a forward. When
// the delivered message's own evidence scores higher, it is triaged
// instead, with a warning, so that unwrapping never hides evidence.
func (an *Analyzer) inlineGuard(wrap *unwrap.Result, rep *Report) *Report {
	q := wrap.Quoting
	if q == nil {
		return rep
	}
	var outer *unwrap.Result
	if q.Wrapper.Depth > 0 {
		outer = &unwrap.Result{Wrapper: q.Wrapper}
	}
	as := an.analyze(q.Raw, q.Parsed, outer)
	if as.RawScore <= rep.RawScore {
		return rep
	}
	as.Warnings = append(as.Warnings, fmt.Sprintf("unwrap: an inline forward was found, but the message as delivered scores higher (%d) than the quoted original (%d): triaged as delivered", as.RawScore, rep.RawScore))
	return as
}

// guardScore is the raw score from which a message counts as suspect for
// the attached-original guard: the cut of `triage eval` at ≤ 1% false
// positives on the development corpus.
const guardScore = 21

// attachedGuard checks the report rep of an original found attached to a
// wrapper (raw, parsed as p) against the wrapper as delivered. A real
// report of a phish carries a suspect original and is kept; but anyone can
// attach a harmless .eml to a phish, and triaging the attachment would
// hide the carrier's own evidence. So when the original scores below
// guardScore and the message as delivered, on its own text (not the
// encapsulated message's), scores at or above it and higher, the
// delivered message is triaged instead, with a warning.
func (an *Analyzer) attachedGuard(raw []byte, p *message.Parsed, rep *Report) *Report {
	if rep.RawScore >= guardScore {
		return rep
	}
	// The carrier's own evidence: its text without the encapsulated
	// message's, which a real report carries too.
	own := *p
	own.TextParts = ownParts(p.TextParts)
	own.HTMLParts = ownParts(p.HTMLParts)
	as := an.analyze(raw, &own, nil)
	if as.RawScore < guardScore || as.RawScore <= rep.RawScore {
		return rep
	}
	as.Warnings = append(as.Warnings, fmt.Sprintf("unwrap: an attached message was found, but it scores low (%d) and the message as delivered scores %d: triaged as delivered, so that an attachment cannot hide its carrier's evidence", rep.RawScore, as.RawScore))
	return as
}

// ownParts returns the parts that are not inside an encapsulated message.
func ownParts(parts []message.Part) []message.Part {
	var own []message.Part
	for _, pt := range parts {
		if !pt.Nested {
			own = append(own, pt)
		}
	}
	return own
}
