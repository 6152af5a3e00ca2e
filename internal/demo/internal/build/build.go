// Package build generates the demo mailbox embedded by package demo.
//
// Every message is written by hand (fictional but realistic content) in
// its own file, messages/NN-name.msg (format: specfile.go), embedded in
// the package; the Go code only parses those files and assembles the
// bytes: charset encodings (ISO-2022-JP, Shift_JIS), RFC 2047 encoded
// words, RFC 2231 parameters, base64 and quoted-printable bodies, fake
// DKIM signatures and the mbox envelope.
// Output is fully deterministic: fixed dates, no randomness, no map
// iteration, so Build always returns the same bytes for the same source.
package build

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
)

// Entry describes one demo message for documentation and tests.
type Entry struct {
	Subject  string // plain-text summary of the subject (not the encoded header)
	Category string // intended label: phish, malware, bec, simulation, benign, borderline
	Signals  string // what the message is meant to trigger, for humans
}

// message is one demo message before serialisation.
type message struct {
	Entry
	envFrom   string    // address on the mbox "From " line
	delivered time.Time // time on the mbox "From " line
	header    []string  // complete header fields in order; folds use "\n\t" or "\n "
	body      string    // raw body bytes (already transfer-encoded), LF line ends
}

// Build returns the demo mailbox in mboxrd format (LF line endings, "From "
// separator lines, body lines matching ^>*From  quoted with one more '>').
// It panics if a message cannot be encoded, which only a programming error
// in this package can cause.
func Build() []byte {
	var buf bytes.Buffer
	for _, m := range messages() {
		m.writeTo(&buf)
	}
	return buf.Bytes()
}

// Catalog lists the demo messages in mailbox order.
func Catalog() []Entry {
	ms := messages()
	out := make([]Entry, len(ms))
	for i, m := range ms {
		out[i] = m.Entry
	}
	return out
}

func (m message) writeTo(buf *bytes.Buffer) {
	fmt.Fprintf(buf, "From %s %s\n", m.envFrom, m.delivered.UTC().Format("Mon Jan _2 15:04:05 2006"))
	for _, h := range m.header {
		buf.WriteString(h)
		buf.WriteByte('\n')
	}
	buf.WriteByte('\n')
	body := m.body
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	for line := range strings.Lines(body) {
		if strings.HasPrefix(strings.TrimLeft(line, ">"), "From ") {
			buf.WriteByte('>')
		}
		buf.WriteString(line)
	}
	buf.WriteByte('\n') // blank line before the next separator
}

// --- dates -----------------------------------------------------------------

var (
	jst = time.FixedZone("JST", 9*3600)
	cet = time.FixedZone("CET", 3600)
	est = time.FixedZone("EST", -5*3600)
	edt = time.FixedZone("EDT", -4*3600)
	gmt = time.FixedZone("GMT", 0)
)

// date formats t as an RFC 5322 date-time.
func date(t time.Time) string { return t.Format("Mon, 02 Jan 2006 15:04:05 -0700") }

// dateZ formats t the way Postfix stamps Received lines, with the zone name.
func dateZ(t time.Time) string { return date(t) + " (" + t.Format("MST") + ")" }

// --- header helpers --------------------------------------------------------

// qid returns a deterministic Postfix-style queue ID derived from seed.
func qid(seed string) string {
	const alpha = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"
	sum := sha256.Sum256([]byte(seed))
	var b strings.Builder
	b.WriteByte("456"[sum[0]%3])
	for _, c := range sum[1:11] {
		b.WriteByte(alpha[int(c)%len(alpha)])
	}
	return b.String()
}

// hexid returns n deterministic hex digits derived from seed.
func hexid(seed string, n int) string {
	sum := sha512.Sum512([]byte(seed))
	return fmt.Sprintf("%x", sum[:])[:n]
}

// received formats a Received field; empty parts are left out.
func received(from, by, with, id, rcpt string, t time.Time) string {
	s := "Received: from " + from + "\n\tby " + by
	if with != "" {
		s += " with " + with
	}
	if id != "" {
		s += " id " + id
	}
	if rcpt != "" {
		s += "\n\tfor <" + rcpt + ">"
	}
	return s + "; " + dateZ(t)
}

// hop describes how a message reached mx.example.com: the envelope sender
// (Return-Path), the recipient, and the connecting client.
type hop struct {
	rp, rcpt       string // envelope sender and recipient
	helo, rdns, ip string // client as seen by mx.example.com; rdns may be empty
	tls            bool
	t              time.Time // arrival at mx.example.com
}

// inbound returns the trace fields every external message gets at
// example.com, top first: Return-Path, Delivered-To, the mx.example.com →
// mail.example.com hop, the Authentication-Results stamped by mx.example.com
// and the hop from the client to mx.example.com. Both example.com hosts
// stamp their local time (JST).
func (h hop) inbound(seed string, auth ...string) []string {
	with := "ESMTP"
	if h.tls {
		with = "ESMTPS"
	}
	client := h.helo + " (" + h.rdns + " [" + h.ip + "])"
	if h.rdns == "" {
		client = h.helo + " ([" + h.ip + "])"
	}
	if h.tls {
		client += "\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)\n\t(No client certificate requested)"
	}
	return []string{
		"Return-Path: <" + h.rp + ">",
		"Delivered-To: " + h.rcpt,
		received("mx.example.com (mx.example.com [192.0.2.25])",
			"mail.example.com (Postfix)", "ESMTPS", qid(seed+"/2"), h.rcpt, h.t.Add(2*time.Second).In(jst)),
		ar(auth...),
		received(client, "mx.example.com (Postfix)", with, qid(seed+"/1"), h.rcpt, h.t.In(jst)),
	}
}

// ar formats an Authentication-Results field stamped by mx.example.com.
func ar(results ...string) string {
	if len(results) == 0 {
		return "Authentication-Results: mx.example.com; none"
	}
	return "Authentication-Results: mx.example.com;\n\t" + strings.Join(results, ";\n\t")
}

// dkim returns a syntactically realistic but fake DKIM-Signature field.
func dkim(d, sel, h string, t time.Time, seed string) string {
	bh := sha256.Sum256([]byte("body/" + seed))
	s1 := sha512.Sum512([]byte("sig1/" + seed))
	s2 := sha512.Sum512([]byte("sig2/" + seed))
	s3 := sha512.Sum512([]byte("sig3/" + seed))
	s4 := sha512.Sum512([]byte("sig4/" + seed))
	sig := base64.StdEncoding.EncodeToString(append(append(append(s1[:], s2[:]...), s3[:]...), s4[:]...))
	var b strings.Builder
	fmt.Fprintf(&b, "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s;\n\ts=%s; t=%d;\n\th=%s;\n\tbh=%s;\n\tb=",
		d, sel, t.Unix(), h, base64.StdEncoding.EncodeToString(bh[:]))
	for len(sig) > 72 {
		b.WriteString(sig[:72])
		b.WriteString("\n\t ")
		sig = sig[72:]
	}
	b.WriteString(sig)
	return b.String()
}

// dkimB returns the header.b= prefix matching dkim(..., seed).
func dkimB(seed string) string {
	s1 := sha512.Sum512([]byte("sig1/" + seed))
	return base64.StdEncoding.EncodeToString(s1[:])[:8]
}

// --- charsets and transfer encodings ----------------------------------------

func mustEncode(e encoding.Encoding, s string) []byte {
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(fmt.Sprintf("demo build: cannot encode %q: %v", s, err))
	}
	return b
}

// jis encodes s as ISO-2022-JP.
func jis(s string) string { return string(mustEncode(japanese.ISO2022JP, s)) }

// sjis encodes s as Shift_JIS.
func sjis(s string) string { return string(mustEncode(japanese.ShiftJIS, s)) }

// words encodes s as RFC 2047 B encoded words in charset cs, each word
// holding whole characters (for ISO-2022-JP every word returns to ASCII),
// folded with "\n ".
func words(cs string, enc func(string) string, s string) string {
	var out []string
	flush := func(chunk string) {
		out = append(out, "=?"+cs+"?B?"+base64.StdEncoding.EncodeToString([]byte(enc(chunk)))+"?=")
	}
	start := 0
	for i, r := range s {
		next := i + utf8.RuneLen(r)
		if len(enc(s[start:next])) > 42 && i > start {
			flush(s[start:i])
			start = i
		}
	}
	if start < len(s) {
		flush(s[start:])
	}
	return strings.Join(out, "\n ")
}

func u8(s string) string     { return words("UTF-8", func(s string) string { return s }, s) }
func ewJIS(s string) string  { return words("ISO-2022-JP", jis, s) }
func ewSJIS(s string) string { return words("Shift_JIS", sjis, s) }

// b64 base64-encodes b in 76-column lines ending in LF.
func b64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76])
		out.WriteByte('\n')
		s = s[76:]
	}
	out.WriteString(s)
	out.WriteByte('\n')
	return out.String()
}

// qp quoted-printable-encodes s (UTF-8 text) with LF line ends.
func qp(s string) string {
	var buf bytes.Buffer
	w := quotedprintable.NewWriter(&buf)
	if _, err := w.Write([]byte(s)); err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	return strings.ReplaceAll(buf.String(), "\r\n", "\n")
}

// part is one MIME body part: header lines and an encoded body.
func mimePart(body string, header ...string) string {
	return strings.Join(header, "\n") + "\n\n" + body
}

// multipart joins parts with boundary, adding a preamble.
func multipart(boundary string, parts ...string) string {
	var b strings.Builder
	b.WriteString("This is a multi-part message in MIME format.\n")
	for _, p := range parts {
		b.WriteString("\n--" + boundary + "\n")
		b.WriteString(strings.TrimRight(p, "\n"))
		b.WriteByte('\n')
	}
	b.WriteString("\n--" + boundary + "--\n")
	return b.String()
}

// --- inert attachment payloads -----------------------------------------------

// exeStub returns the first bytes of a PE file: enough to be sniffed as a
// Windows executable, not runnable.
func exeStub() []byte {
	b := make([]byte, 256)
	copy(b, "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8")
	b[0x3c] = 0x80
	copy(b[0x40:], "\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$")
	copy(b[0x80:], "PE\x00\x00\x4c\x01\x03\x00")
	copy(b[0xa0:], "triage demo: inert stub, not a program")
	return b
}

// pdfDoc returns a tiny one-page PDF.
func pdfDoc(text string) []byte {
	return []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" +
		"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
		"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj\n" +
		"4 0 obj << /Length " + fmt.Sprint(len(text)+24) + " >> stream\nBT /F1 12 Tf 72 770 Td (" + text + ") Tj ET\nendstream endobj\n" +
		"trailer << /Root 1 0 R >>\n%%EOF\n")
}

// isoImage returns an ISO 9660 image header: 16 empty system sectors and a
// primary volume descriptor carrying the "CD001" magic at offset 0x8001.
func isoImage() []byte {
	b := make([]byte, 17*2048)
	pvd := b[16*2048:]
	copy(pvd, "\x01CD001\x01\x00")
	copy(pvd[40:], "ARRIVAL_NOTICE                  ")
	return b
}

// oneNote returns the header of a OneNote section file (its file-format GUID).
func oneNote() []byte {
	b := make([]byte, 1024)
	copy(b, "\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d\xae\xb1\x53\x78\xd0\x29\x96\xd3")
	return b
}

// zipOf returns a stored (uncompressed, hence stable across Go versions) zip
// archive holding one file.
func zipOf(name string, content []byte, mod time.Time) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: mod})
	if err != nil {
		panic(err)
	}
	if _, err := w.Write(content); err != nil {
		panic(err)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// itoa formats an int64 in decimal.
func itoa(n int64) string { return fmt.Sprint(n) }

// fakeB64 returns n deterministic base64 characters derived from seed, for
// signatures and tokens that only need to look real.
func fakeB64(seed string, n int) string {
	var s string
	for i := 0; len(s) < n; i++ {
		sum := sha512.Sum512([]byte(fmt.Sprint(seed, "/", i)))
		s += base64.StdEncoding.EncodeToString(sum[:])[:84]
	}
	return s[:n]
}

// spf formats the SPF result mx.example.com gives for the envelope sender
// and client IP of h (result: pass, fail, softfail, neutral or none).
func (h hop) spf(result string) string {
	var why string
	switch result {
	case "pass":
		why = "domain of " + h.rp + " designates " + h.ip + " as permitted sender"
	case "fail":
		why = "domain of " + h.rp + " does not designate " + h.ip + " as permitted sender"
	case "softfail":
		why = "domain of transitioning " + h.rp + " does not designate " + h.ip + " as permitted sender"
	case "neutral":
		why = h.ip + " is neither permitted nor denied by domain of " + h.rp
	default:
		why = "domain of " + h.rp + " has no SPF policy"
	}
	return "spf=" + result + " (mx.example.com: " + why + ") smtp.mailfrom=" + h.rp
}
