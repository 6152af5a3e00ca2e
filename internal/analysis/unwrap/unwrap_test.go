package unwrap

import (
	"bytes"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/unwrap/unwraptest"
	"github.com/triage-tools/triage/internal/testutil"
)

var lim = message.DefaultLimits()

func seed(t testing.TB) []byte {
	t.Helper()
	return testutil.ReadFile(t, "../testdata/seed/activemail.eml")
}

func unwrapRaw(raw []byte) *Result { return Unwrap(raw, message.Parse(raw, lim), lim) }

var rep = unwraptest.Reporter{Name: "Taro", Addr: "taro@corp.example", Note: "please check"}

func TestForwardSubject(t *testing.T) {
	testutil.Cases(t, "forwardSubject", forwardSubject, map[string]bool{
		"Fwd: hello": true, "FW: x": true, "[EXT] FW: x": false, "転送: 重要": true, "TR : y": true,
		"WG: z": true, "Re: x": false, "Invoice: due": false, "": false, "F": false, "Fwd：全角": true,
	})
}

func TestLooksLikeMessage(t *testing.T) {
	looks := func(s string) bool { return looksLikeMessage([]byte(s)) }
	testutil.Cases(t, "looksLikeMessage", looks, map[string]bool{
		"From: a@b\r\nSubject: x\r\n\r\nbody":    true,
		"Received: from x\n\tby y\nDate: z\n\nb": true,
		"Subject: x\nDate: y\n\nno from":         false,
		"%PDF-1.4\nFrom: a\nSubject: b\n\n":      false,
		"From: a\nthis is prose, not a header\n": false,
		"":                                       false,
	})
}

// TestBounceNotUnwrapped: a delivery status notification returns a message
// as message/rfc822, but nobody reported it.
func TestBounceNotUnwrapped(t *testing.T) {
	raw := []byte("From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n" +
		"--b\r\nContent-Type: message/rfc822\r\n\r\n" + string(seed(t)) + "\r\n--b--\r\n")
	if res := unwrapRaw(raw); res != nil {
		t.Errorf("bounce unwrapped: %+v", res.Wrapper)
	}
}

// TestDeriveRoundTrip: Derive re-finds the original along the stored path
// and refuses another path.
func TestDeriveRoundTrip(t *testing.T) {
	raw := unwraptest.Nest(unwraptest.OctetEML(seed(t), rep), rep, 2)
	res := unwrapRaw(raw)
	if res == nil || res.Wrapper.Path != "attached:2/attached:2/eml:2" {
		t.Fatalf("res = %+v", res)
	}
	got, err := Derive(raw, res.Wrapper.Path, lim)
	if err != nil || string(got) != string(seed(t)) {
		t.Fatalf("Derive: %v (%d bytes)", err, len(got))
	}
	if _, err := Derive(raw, "attached:2/eml:2", lim); err == nil || !strings.Contains(err.Error(), "unwrap path changed") {
		t.Errorf("Derive with another path: %v", err)
	}
	// A prefix of the path gives that layer (a caller kept an outer one).
	if mid, err := Derive(raw, "attached:2", lim); err != nil || !strings.Contains(string(mid), "phish.eml") {
		t.Errorf("Derive of a prefix: %v", err)
	}
	if _, err := Derive(seed(t), "attached:2", lim); err == nil || !strings.Contains(err.Error(), "no report wrapper") {
		t.Error("Derive of a plain message succeeded")
	}
}

// TestMultipleOriginals: two attached messages: the first is triaged, with
// a warning.
func TestMultipleOriginals(t *testing.T) {
	s := seed(t)
	raw := []byte("From: taro@corp.example\r\nSubject: two phish\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n" +
		"--zz\r\nContent-Type: message/rfc822\r\n\r\n" + string(s) + "\r\n--zz\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@y\r\nSubject: other\r\n\r\nhi\r\n--zz--\r\n")
	res := unwrapRaw(raw)
	if res == nil || string(res.Original) != string(s) || !strings.Contains(strings.Join(res.Warnings, "\n"), "holds 2 attached messages") {
		t.Fatalf("res = %+v", res)
	}
}

// TestInlineWithoutBlock: a forward subject without a quoted header block
// (the user's own text) is not unwrapped.
func TestInlineWithoutBlock(t *testing.T) {
	for _, body := range []string{
		"I forwarded it already.\r\nFrom: me\r\n",                                        // From without Date/Subject nearby
		"---------- Forwarded message ---------\r\n\r\n\r\n\r\nno header block here\r\n", // marker, no block
	} {
		raw := []byte("From: taro@corp.example\r\nSubject: Fwd: hi\r\n\r\n" + body)
		if res := unwrapRaw(raw); res != nil {
			t.Errorf("%q unwrapped: %+v", body, res.Wrapper)
		}
	}
}

func BenchmarkUnwrapPlain(b *testing.B) {
	raw := seed(b)
	p := message.Parse(raw, lim)
	for b.Loop() {
		if Unwrap(raw, p, lim) != nil {
			b.Fatal("unwrapped")
		}
	}
}

// TestUnnamedOctetEML: an .eml attached under another name as
// application/octet-stream is recognised by sniffing; other octet-stream
// attachments are not originals.
func TestUnnamedOctetEML(t *testing.T) {
	raw := strings.ReplaceAll(string(unwraptest.OctetEML(seed(t), rep)), "phish.eml", "data.bin")
	res := unwrapRaw([]byte(raw))
	if res == nil || res.Wrapper.Kind != "eml" || string(res.Original) != string(seed(t)) {
		t.Fatalf("res = %+v", res)
	}
	csv := strings.Repeat("name,value,comment\r\nfoo,1,bar\r\n", 2000)
	raw = strings.ReplaceAll(string(unwraptest.OctetEML([]byte(csv), rep)), "phish.eml", "data.bin")
	if res := unwrapRaw([]byte(raw)); res != nil {
		t.Errorf("a CSV file unwrapped: %+v", res.Wrapper)
	}
}

// TestReplyNotInline: an Outlook reply quotes the earlier message in the
// same "From:/Sent:" block as a forward; with an attachment (a candidate)
// and a reply subject it is still no report.
func TestReplyNotInline(t *testing.T) {
	body := "Thanks, see attached.\r\n\r\nFrom: Bob <bob@example.org>\r\nSent: Monday, March 2, 2026 10:00 AM\r\nTo: me@example.com\r\nSubject: data\r\n\r\nCan you send the data?\r\n"
	raw := "From: me@example.com\r\nTo: bob@example.org\r\nSubject: RE: data\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\n" + body + "--b\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n\r\n" +
		strings.Repeat("some plain data line\r\n", 10) + "--b--\r\n"
	if res := unwrapRaw([]byte(raw)); res != nil {
		t.Errorf("a reply unwrapped: %+v", res.Wrapper)
	}
	if res := unwrapRaw([]byte(strings.Replace(raw, "Subject: RE: data", "Subject: FW: data", 1))); res == nil || res.Wrapper.Kind != "inline" {
		t.Errorf("the same text as a forward: %+v", res)
	}
}

// TestMSGAttachments: the attachments of a .msg file (one of them over the
// mini stream cutoff) are rebuilt as MIME attachments with their names.
func TestMSGAttachments(t *testing.T) {
	big := bytes.Repeat([]byte("PK\x03\x04 zip-ish data "), 400)
	m := unwraptest.MSG(seed(t), unwraptest.MSGOptions{Attachments: []unwraptest.MSGAttachment{
		{Name: "請求書.html", Data: []byte("<a href=\"http://evil.example/login\">login</a>")},
		{Name: "invoice.zip", Data: big},
	}})
	res := unwrapRaw(unwraptest.AttachedMSG(m, rep))
	if res == nil || res.Wrapper.Kind != "msg" {
		t.Fatalf("res = %+v", res)
	}
	var names []string
	for _, a := range res.Parsed.Attachments {
		names = append(names, a.Name)
		if a.Name == "invoice.zip" && a.Size != int64(len(big)) {
			t.Errorf("invoice.zip: %d bytes, want %d", a.Size, len(big))
		}
	}
	if strings.Join(names, ",") != "請求書.html,invoice.zip" {
		t.Errorf("attachments = %q", names)
	}
}
