package analysis

import (
	"encoding/base64"
	"encoding/binary"
	"slices"
	"strings"
	"testing"
)

// crafted64Zip is the zip of issue 12 failure 1: a member "invoice.exe",
// a zip64 end of central directory locator whose offset is just under
// 2^63, and an end of central directory that points to it.
func crafted64Zip() []byte {
	b := []byte("PK\x03\x04")
	b = append(b, make([]byte, 14)...)
	b = binary.LittleEndian.AppendUint32(b, 4)
	b = binary.LittleEndian.AppendUint32(b, 4)
	b = binary.LittleEndian.AppendUint16(b, uint16(len("invoice.exe")))
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = append(b, "invoice.exeMZ\x90\x00"...)
	b = append(b, "PK\x06\x07"...)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint64(b, 1<<63-16)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = append(b, "PK\x05\x06"...)
	b = append(b, make([]byte, 12)...)
	b = binary.LittleEndian.AppendUint32(b, 0xffffffff)
	return binary.LittleEndian.AppendUint16(b, 0)
}

// TestZip64OffsetKeepsEvidence is the regression test of issue 12
// failure 1: the crafted zip comes first; the credential link and the
// .exe after it must still be found and scored (the message scored 5).
func TestZip64OffsetKeepsEvidence(t *testing.T) {
	const link = "http://paypal.com.account-verify.example.net/signin?user=bob@corp.test"
	msg := "From: PayPal Security <security@paypal-alerts.example.net>\r\n" +
		"To: bob@corp.test\r\nSubject: Your PayPal account will be suspended\r\n" +
		"Message-ID: <1@localhost.localdomain>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: application/zip; name=\"docs.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(crafted64Zip()) + "\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Urgent: your account will be suspended within 24 hours. Verify your password now:\r\n" + link + "\r\n" +
		"--b\r\nContent-Type: application/octet-stream; name=\"invoice.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte("MZ\x90\x00\x03\x00\x00\x00")) + "\r\n--b--\r\n"
	rep := Analyze([]byte(msg), nil)
	for _, w := range rep.Warnings {
		if strings.Contains(w, "internal error") {
			t.Errorf("warning %q", w)
		}
	}
	var names []string
	for _, a := range rep.Attachments {
		names = append(names, a.Name)
	}
	if !slices.Equal(names, []string{"docs.zip", "invoice.exe"}) {
		t.Errorf("attachments %q", names)
	}
	if !slices.ContainsFunc(rep.URLs, func(u URL) bool { return u.Raw == link }) {
		t.Errorf("credential link lost: %+v", rep.URLs)
	}
	fired := map[string]bool{}
	for _, f := range rep.Findings {
		fired[f.Rule] = true
	}
	for _, id := range []string{"attach.executable", "attach.archive_executable", "content.credential_request"} {
		if !fired[id] {
			t.Errorf("%s did not fire: %v", id, rep.Findings)
		}
	}
	if rep.Score != 100 {
		t.Errorf("score %d, want 100: %v", rep.Score, rep.Findings)
	}
}
