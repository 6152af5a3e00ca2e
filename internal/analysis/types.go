package analysis

import (
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// The report types are defined in package report, which the sub-packages
// share; these aliases keep them at their historical names for the
// packages that consume reports (store, enrich, ui, cmd).
type (
	Report      = report.Report
	Summary     = report.Summary
	Address     = report.Address
	HeaderField = report.HeaderField
	Hop         = report.Hop
	NetInfo     = report.NetInfo
	Auth        = report.Auth
	AuthResult  = report.AuthResult
	Identity    = report.Identity
	URL         = report.URL
	Attachment  = report.Attachment
	Finding     = report.Finding
	Near        = report.Near
	// Limits bound the work done on one message (see message.Limits).
	Limits = message.Limits
)

// SystemName is the analyst's words for a Report.System kind.
func SystemName(kind string) string { return report.SystemName(kind) }

// DefaultLimits are generous for real mail and small enough that a hostile
// message cannot exhaust memory.
func DefaultLimits() Limits { return message.DefaultLimits() }
