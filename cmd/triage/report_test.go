package main

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// readMail reads and parses the message file at path.
func readMail(t *testing.T, path string) *mail.Message {
	t.Helper()
	b := testutil.ReadFile(t, path)
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func TestReportARF(t *testing.T) {
	dir := t.TempDir()
	db, id := seedStore(t, dir)
	out := filepath.Join(dir, "arf.eml")
	if _, _, err := triage(t, "", "report", "--db", db, "--to", "abuse@isp.example", "--from", "soc@corp.example", "-o", out, id); err != nil {
		t.Fatal(err)
	}
	msg := readMail(t, out)
	if msg.Header.Get("To") != "abuse@isp.example" || !strings.Contains(msg.Header.Get("Subject"), "121.50.46.57") {
		t.Errorf("header %v", msg.Header)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/report" || params["report-type"] != "feedback-report" {
		t.Fatalf("content type %q %v %v", mt, params, err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p)
		types = append(types, p.Header.Get("Content-Type"))
		parts = append(parts, string(body))
	}
	if len(types) != 3 || !strings.HasPrefix(types[0], "text/plain") || types[1] != "message/feedback-report" || types[2] != "message/rfc822" {
		t.Fatalf("parts %q", types)
	}
	testutil.TextHas(t, "feedback report", parts[1], "Feedback-Type: fraud\r\n", "Version: 1\r\n", "Source-IP: 121.50.46.57\r\n", "Reported-URI: http://34-227-30-224.cprapid.com/")
	if strings.Contains(parts[0], "http://") {
		t.Errorf("human-readable part not defanged:\n%s", parts[0])
	}
	raw, _ := os.ReadFile(seedFixture)
	norm := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	if norm(parts[2]) != norm(string(raw)) {
		t.Errorf("attached original differs from the fixture")
	}

	// Refusals: no contact, a message without a reportable label.
	if _, _, err := triage(t, "", "report", "--db", db, "--from", "soc@corp.example", "-o", out, id); exitCode(err) != 2 {
		t.Errorf("no contact: %v", err)
	}
	if _, _, err := triage(t, "", "label", "--db", db, id, "benign"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := triage(t, "", "report", "--db", db, "--to", "a@b.example", "--from", "c@d.example", "-o", out, id); exitCode(err) != 2 {
		t.Errorf("benign message reported: %v", err)
	}
}
