package message

import (
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/attach"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// TestPartIsolation checks that a panic while describing one part costs
// only that part: the parts after it are still decoded, and a warning
// names the failed part.
func TestPartIsolation(t *testing.T) {
	msg := "From: a@b.test\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: application/zip; name=\"bad.zip\"\r\n\r\nPK\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nafter http://after.example/\r\n" +
		"--b\r\nContent-Type: application/octet-stream; name=\"x.exe\"\r\n\r\nMZ\r\n--b--\r\n"
	describe := func(name, declared string, data []byte, maxText int, cs string) report.Attachment {
		if name == "bad.zip" {
			var s []byte
			_ = s[len(data)] // a bug in the describer
		}
		return attach.Describe(name, declared, data, maxText, cs)
	}
	p := parse([]byte(msg), DefaultLimits(), describe)
	if len(p.TextParts) != 1 || !strings.Contains(p.TextParts[0].Text, "after.example") {
		t.Errorf("text after the failed part lost: %+v", p.TextParts)
	}
	if len(p.Attachments) != 1 || p.Attachments[0].Name != "x.exe" {
		t.Errorf("attachments %+v", p.Attachments)
	}
	if !slices.ContainsFunc(p.Warnings, func(w string) bool {
		return strings.HasPrefix(w, `parse: internal error in MIME part 2 ("application/zip"): runtime error: index out of range`)
	}) {
		t.Errorf("warnings %q", p.Warnings)
	}
}
