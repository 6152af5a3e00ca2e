package analysis

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/analysis/qr/qrtest"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/testutil"
)

// linkPDF is a one-page PDF with a "View document" text and one link
// annotation to link, its annotation inside a compressed object stream.
func linkPDF(link string) []byte {
	z := func(s string) string {
		var b bytes.Buffer
		w := zlib.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.String()
	}
	content := z("BT /F1 12 Tf 72 720 Td (View document) Tj ET")
	annots := z(fmt.Sprintf("6 0 << /Type /Annot /Subtype /Link /A << /S /URI /URI (%s) >> >>", link))
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [6 0 R] >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(content), content),
		fmt.Sprintf("<< /Type /ObjStm /N 1 /First 4 /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(annots), annots),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	for i, o := range objs {
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	b.WriteString("trailer\n<< /Root 1 0 R >>\n%%EOF\n")
	return b.Bytes()
}

type mimePart struct {
	header string // lines without the final CRLF CRLF
	data   []byte
}

// mailWith builds a multipart/related message from sender with a short
// HTML body and the given base64 parts.
func mailWith(from, authResults, html string, parts ...mimePart) []byte {
	var b strings.Builder
	b.WriteString("Authentication-Results: mx.corp.test; " + authResults + "\r\n")
	b.WriteString("From: IT Service Desk <" + from + ">\r\nTo: bob@corp.test\r\nSubject: Mailbox re-authentication\r\n")
	b.WriteString("Message-ID: <q1@" + from[strings.IndexByte(from, '@')+1:] + ">\r\nDate: Mon, 2 Dec 2024 10:00:00 +0000\r\n")
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=BB\r\n\r\n")
	b.WriteString("--BB\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n")
	for _, p := range parts {
		b.WriteString("--BB\r\n" + p.header + "\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		b.WriteString(testutil.Base64Lines(p.data))
	}
	b.WriteString("--BB--\r\n")
	return []byte(b.String())
}

const unauth = "spf=softfail smtp.mailfrom=corp-helpdesk.example; dmarc=fail header.from=corp-helpdesk.example"

func urlBySource(rep *Report, src string) *URL {
	for i := range rep.URLs {
		if rep.URLs[i].Source == src {
			return &rep.URLs[i]
		}
	}
	return nil
}

func scored(rep *Report, id string) bool {
	return slices.ContainsFunc(rep.Findings, func(f Finding) bool { return f.Rule == id && f.Points > 0 })
}

func TestQRAndPDFLinks(t *testing.T) {
	const lure = "http://34-227-30-224.cprapid.com/owa/auth/login?u=bob@corp.test"
	cases := []struct {
		name, src string
		msg       []byte
		rules     []string
	}{
		{
			"png attachment", "qr:scan.png",
			mailWith("helpdesk@corp-helpdesk.example", unauth, "<p>Please scan the attached code to re-authenticate.</p>",
				mimePart{"Content-Type: image/png; name=scan.png\r\nContent-Disposition: attachment; filename=scan.png", qrtest.Picture(t, message.MediaPNG, lure)}),
			[]string{"url.qr_code", "url.ip_encoded_host", "url.recipient_in_query", "url.http_credential"},
		},
		{
			"inline jpeg", "qr:cid:code1@corp",
			mailWith("helpdesk@corp-helpdesk.example", unauth, `<p>Scan to keep your mailbox:</p><img src="cid:code1@corp">`,
				mimePart{"Content-Type: image/jpeg\r\nContent-ID: <code1@corp>\r\nContent-Disposition: inline", qrtest.Picture(t, message.MediaJPEG, lure)}),
			[]string{"url.qr_code", "url.ip_encoded_host", "url.recipient_in_query"},
		},
		{
			"data URI", "qr:data URI 1",
			mailWith("helpdesk@corp-helpdesk.example", unauth, `<p>Scan:</p><img src="data:image/png;base64,`+
				base64.StdEncoding.EncodeToString(qrtest.Picture(t, message.MediaPNG, lure))+`">`),
			[]string{"url.qr_code", "url.ip_encoded_host"},
		},
		{
			"pdf link", "pdf:Invoice 2291.pdf",
			mailWith("helpdesk@corp-helpdesk.example", unauth, "<p>Your invoice is attached.</p>",
				mimePart{"Content-Type: application/pdf; name=\"Invoice 2291.pdf\"", linkPDF(lure)}),
			[]string{"attach.pdf_link_only", "url.ip_encoded_host", "url.recipient_in_query"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := Analyze(c.msg, nil)
			u := urlBySource(rep, c.src)
			if u == nil {
				t.Fatalf("no URL with source %q: %+v; warnings %q", c.src, rep.URLs, rep.Warnings)
			}
			if u.Host != "34-227-30-224.cprapid.com" || !strings.Contains(u.URL, "/owa/auth/login") {
				t.Errorf("URL %+v", u)
			}
			for _, id := range c.rules {
				if !scored(rep, id) {
					t.Errorf("%s did not fire: %v", id, rep.Findings)
				}
			}
			if len(rep.Warnings) != 0 {
				t.Errorf("warnings %q", rep.Warnings)
			}
		})
	}
}

// A QR code to the authenticated sender's own login page is what a real
// service sends (e.g. a sign-in code on a TV): no url.qr_code.
func TestQRCodeOwnDomain(t *testing.T) {
	msg := mailWith("it@corp-helpdesk.example",
		"spf=pass smtp.mailfrom=corp-helpdesk.example; dkim=pass header.d=corp-helpdesk.example; dmarc=pass header.from=corp-helpdesk.example",
		"<p>Scan to sign in on your phone.</p>",
		mimePart{"Content-Type: image/png; name=signin.png", qrtest.Picture(t, message.MediaPNG, "https://sso.corp-helpdesk.example/login")})
	an := New(&Config{TrustedHosts: []string{"mx.corp.test"}})
	rep := an.Analyze(msg)
	if urlBySource(rep, "qr:signin.png") == nil {
		t.Fatalf("QR URL not found: %+v", rep.URLs)
	}
	if rep.Auth.Identity == nil {
		t.Fatalf("not authenticated: %+v", rep.Auth)
	}
	if scored(rep, "url.qr_code") {
		t.Errorf("url.qr_code fired on the sender's own domain: %v", rep.Findings)
	}
}

// Hostile images and PDFs give a warning each, quickly, and the rest of
// the message is still analysed.
func TestHostileMedia(t *testing.T) {
	bomb := qrtest.PNGHeader(30000, 30000) // a decompression bomb
	good := qrtest.Picture(t, message.MediaPNG, "https://example.com/")
	corrupt := append(bytes.Clone(good[:200]), bytes.Repeat([]byte{0xAA}, 500)...)
	declared := []byte("%PDF-1.4\n1 0 obj\n<< /Length 1073741824 /Filter /FlateDecode >>\nstream\nxx\nendstream\nendobj\n")
	msg := mailWith("helpdesk@corp-helpdesk.example", unauth, "<p>see http://visible.example/</p>",
		mimePart{"Content-Type: image/png; name=bomb.png", bomb},
		mimePart{"Content-Type: image/png; name=corrupt.png", corrupt},
		mimePart{"Content-Type: application/pdf; name=big.pdf", declared})
	start := time.Now()
	rep := Analyze(msg, nil)
	if d := time.Since(start); d > testutil.TimeBound {
		t.Errorf("took %v, want under %v", d, testutil.TimeBound)
	}
	w := strings.Join(rep.Warnings, "\n")
	for _, want := range []string{"qr: bomb.png: 30000×30000 pixels", "qr: corrupt.png: unreadable png", "pdf: big.pdf: stream declares 1073741824 bytes"} {
		if !strings.Contains(w, want) {
			t.Errorf("no warning %q in %q", want, rep.Warnings)
		}
	}
	if urlBySource(rep, report.SourceHTMLText) == nil && urlBySource(rep, report.SourceText) == nil {
		t.Errorf("body URL lost: %+v", rep.URLs)
	}
}

// A message without image or PDF parts keeps no media: it pays nothing.
func TestNoMediaKept(t *testing.T) {
	msg := mailWith("a@b.example", unauth, "<p>hello</p>", mimePart{"Content-Type: application/zip; name=a.zip", []byte("PK\x03\x04junk")})
	if p := message.Parse(msg, DefaultLimits()); p.Media != nil {
		t.Fatalf("Media = %+v", p.Media)
	}
}

func BenchmarkAnalyzeQR(b *testing.B) {
	msg := mailWith("helpdesk@corp-helpdesk.example", unauth, "<p>scan</p>",
		mimePart{"Content-Type: image/png; name=scan.png", qrtest.Picture(b, message.MediaPNG, "http://x.example/login")})
	an := New(nil)
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		an.Analyze(msg)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/image")
}
