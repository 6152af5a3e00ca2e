package analysis

import (
	"mime"
	"strings"

	"github.com/triage-tools/triage/internal/analysis/report"
)

// systemKind recognises machine-generated mail from its structure (never
// from its sender or subject alone):
//   - RFC 3464 delivery status notifications and RFC 8098 disposition
//     notifications: multipart/report with report-type delivery-status or
//     disposition-notification, or a message/(global-)delivery-status or
//     message/disposition-notification part;
//   - RFC 8460 SMTP TLS reports: report-type tlsrpt or an
//     application/tlsrpt+gzip / +json part;
//   - RFC 7489 §7.2.1.1 DMARC aggregate reports: an xml, gzip or zip
//     attachment named receiver!policy-domain!begin!end[!id].ext;
//   - RFC 3834 automatic responses: Auto-Submitted other than "no", or the
//     X-Autoreply / X-Autorespond headers of common responders.
//
// The kind only describes the mail; it grants no credit (see the system
// rules in rules_content.go).
func (a *analyzer) systemKind() string {
	var ct, autoSubmitted string
	autoHeader := false
	for i := range a.p.Headers {
		h := &a.p.Headers[i]
		switch {
		case ct == "" && strings.EqualFold(h.Key, "Content-Type"):
			ct = h.Value
		case autoSubmitted == "" && strings.EqualFold(h.Key, "Auto-Submitted"):
			autoSubmitted = h.Value
		case strings.EqualFold(h.Key, "X-Autoreply") || strings.EqualFold(h.Key, "X-Autorespond"):
			autoHeader = autoHeader || strings.TrimSpace(h.Value) != ""
		}
	}
	if len(ct) > 1024 {
		ct = ct[:1024]
	}
	if len(ct) >= 16 && strings.EqualFold(ct[:16], "multipart/report") {
		if _, params, err := mime.ParseMediaType(ct); err == nil {
			switch strings.ToLower(params["report-type"]) {
			case "delivery-status", "global-delivery-status":
				return report.SystemDSN
			case "disposition-notification":
				return report.SystemMDN
			case "tlsrpt":
				return report.SystemTLSReport
			}
		}
	}
	for i := range a.rep.Attachments {
		at := &a.rep.Attachments[i]
		switch at.DeclaredType {
		case "message/delivery-status", "message/global-delivery-status":
			return report.SystemDSN
		case "message/disposition-notification":
			return report.SystemMDN
		case "application/tlsrpt+gzip", "application/tlsrpt+json":
			return report.SystemTLSReport
		}
		if isDMARCReportName(at.Name) {
			return report.SystemDMARCReport
		}
	}
	if v := strings.ToLower(strings.TrimSpace(autoSubmitted)); (v != "" && !strings.HasPrefix(v, "no")) || autoHeader {
		return report.SystemAutoReply
	}
	return ""
}

// isDMARCReportName reports an RFC 7489 aggregate report file name:
// receiver "!" policy-domain "!" begin "!" end ["!" unique-id] "." ext,
// with begin and end decimal timestamps and ext xml, xml.gz, gz or zip.
func isDMARCReportName(name string) bool {
	if len(name) > 512 || strings.Count(name, "!") < 3 {
		return false
	}
	low := strings.ToLower(name)
	var base string
	for _, ext := range []string{".xml.gz", ".xml", ".gz", ".zip"} {
		if b, ok := strings.CutSuffix(low, ext); ok {
			base = b
			break
		}
	}
	f := strings.Split(base, "!")
	if len(f) < 4 || len(f) > 5 || f[0] == "" || !strings.Contains(f[1], ".") {
		return false
	}
	return isDigits(f[2]) && isDigits(f[3])
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
