package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/testutil"
)

// build writes a PDF of the given objects ("N 0 obj" bodies in order,
// numbered from 1) with a cross-reference table, as a writer would.
func build(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

func deflate(s string) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func stream(dict, body string, compress bool) string {
	if compress {
		body = deflate(body)
		dict += " /Filter /FlateDecode"
	}
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(body), body)
}

// LinkPDF is a one-page PDF whose only content is a "View document"
// button linking to link (the annotation written plainly, or inside a
// compressed object stream).
func LinkPDF(link string, objStm bool) []byte {
	content := stream("", "BT /F1 12 Tf 72 720 Td (View document) Tj ET", true)
	annot := fmt.Sprintf("<< /Type /Annot /Subtype /Link /Rect [72 700 200 730] /A << /S /URI /URI (%s) >> >>", link)
	if objStm {
		annot = stream("/Type /ObjStm /N 1 /First 4", "6 0 "+annot, true)
	}
	return build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [6 0 R] >>",
		content,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		annot,
	)
}

func TestLinks(t *testing.T) {
	const link = "http://34-227-30-224.cprapid.com/owa/?u=admin"
	for _, objStm := range []bool{false, true} {
		doc, warns := Extract("invoice.pdf", LinkPDF(link, objStm), DefaultLimits())
		if len(warns) != 0 {
			t.Errorf("objStm=%v: warnings %q", objStm, warns)
		}
		if len(doc.Links) != 1 || doc.Links[0] != link {
			t.Errorf("objStm=%v: links %q", objStm, doc.Links)
		}
		if doc.Pages != 1 || strings.TrimSpace(doc.Text) != "View document" || !doc.LinkOnly() {
			t.Errorf("objStm=%v: pages %d text %q link-only %v", objStm, doc.Pages, doc.Text, doc.LinkOnly())
		}
	}
}

func TestTextAndStrings(t *testing.T) {
	text := "BT (Please sign in at https://evil.example/login) Tj T* [(to keep ) -20 (your \\(mail\\) box)] TJ ET\n" +
		"BT <68747470733a2f2f782e6578616d706c652f> Tj ET % (not shown)"
	pdf := build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Annots [<< /Subtype /Link /A << /S /URI /URI <687474703A2F2F612E6578616D706C652F> >> >>] >>",
		"<< /Type/Page /Parent 2 0 R >>",
		stream("", text, false),
		stream("/Type /XObject /Subtype /Image /Width 1 /Height 1", "(http://image.example/) Tj", false),
	)
	doc, warns := Extract("t.pdf", pdf, DefaultLimits())
	if len(warns) != 0 {
		t.Errorf("warnings %q", warns)
	}
	want := "Please sign in at https://evil.example/login to keep your (mail) box\nhttps://x.example/\n"
	if doc.Text != want {
		t.Errorf("text %q, want %q", doc.Text, want)
	}
	if doc.Pages != 2 || len(doc.Links) != 1 || doc.Links[0] != "http://a.example/" || doc.LinkOnly() {
		t.Errorf("pages %d links %q link-only %v", doc.Pages, doc.Links, doc.LinkOnly())
	}
}

func TestReadString(t *testing.T) {
	read := func(in string) string {
		got, _ := readString([]byte(in), 100)
		return string(got)
	}
	testutil.Cases(t, "readString", read, map[string]string{
		`(a\(b\)c)`:        "a(b)c",
		`(nested (paren))`: "nested (paren)",
		`(oct\101\60x)`:    "octA0x",
		"(line\\\ncont)":   "linecont",
		`<41 42 4>`:        "AB@",
		`(unterminated`:    "unterminated",
	})
}

func TestHostile(t *testing.T) {
	// A stream that claims 1 GB; a zlib bomb (16 MiB of zeros, over the 4 MiB cap); junk.
	declared := build("<< /Length 1073741824 /Filter /FlateDecode >>\nstream\n" + deflate("BT (hi) Tj ET") + "\nendstream")
	var bomb bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&bomb, zlib.BestCompression)
	zw.Write(bytes.Repeat([]byte{0}, 16<<20))
	zw.Close()
	bombPDF := build(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", bomb.Len(), bomb.String()))
	manyObjs := build(strings.Repeat("1 0 obj ", 30000))
	cases := []struct {
		name string
		data []byte
		warn string
	}{
		{"declared.pdf", declared, "declares 1073741824 bytes"},
		{"bomb.pdf", bombPDF, "decompresses to more than 4 MiB"},
		{"objects.pdf", manyObjs, "more than 20000 objects"},
		{"encrypted.pdf", build("<< /Encrypt 9 0 R >>"), "encrypted"},
		{"truncated.pdf", LinkPDF("http://x.example/", true)[:300], ""},
		{"nested.pdf", []byte("%PDF-1.5\n" + strings.Repeat("<< /Type /ObjStm >>\nstream\n", 200000)), ""},
		{"junk.pdf", append([]byte("%PDF-1.4\nstream\n"), bytes.Repeat([]byte("(<<(/URI"), 100000)...), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, warns := Extract(c.name, c.data, DefaultLimits())
			if d := time.Since(start); d > testutil.TimeBound {
				t.Errorf("took %v, want under %v", d, testutil.TimeBound)
			}
			if c.warn == "" {
				return
			}
			if len(warns) == 0 || !strings.Contains(strings.Join(warns, "\n"), c.warn) || !strings.HasPrefix(warns[0], "pdf: "+c.name+": ") {
				t.Errorf("warnings %q, want one containing %q", warns, c.warn)
			}
		})
	}
}

func FuzzExtract(f *testing.F) {
	f.Add(LinkPDF("http://x.example/", false))
	f.Add(LinkPDF("http://x.example/", true))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := DefaultLimits()
		doc, _ := Extract("f.pdf", data, lim)
		if len(doc.Links) > lim.MaxLinks || len(doc.Text) > lim.MaxTextBytes+2*textStreams {
			t.Fatalf("bounds: %d links, %d text bytes", len(doc.Links), len(doc.Text))
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	data := LinkPDF("http://x.example/login", true)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Extract("b.pdf", data, DefaultLimits())
	}
}
