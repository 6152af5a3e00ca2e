package analysis

import (
	"archive/zip"
	"bytes"
	"slices"
	"strings"
	"testing"
)

func makeZip(t *testing.T, encrypted bool, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		fh := &zip.FileHeader{Name: n, Method: zip.Store}
		if encrypted {
			fh.Flags |= 1
		}
		w, err := zw.CreateHeader(fh)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("content of " + n))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestNameFlags(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"invoice.pdf", nil},
		{"invoice.pdf.exe", []string{FlagExecutable, FlagDoubleExtension}},
		{"scan.pdf .html", []string{FlagHTML, FlagDoubleExtension}},
		{"scan.pdf                         .exe", []string{FlagExecutable, FlagDoubleExtension}},
		{"report.2024.pdf", nil},
		{"setup.EXE ", []string{FlagExecutable}},
		{"run.js", []string{FlagExecutable, FlagScript}},
		{"a.ps1", []string{FlagExecutable, FlagScript}},
		{"page.svg", []string{FlagHTML}},
		{"disk.iso", []string{FlagDiskImage}},
		{"doc.lnk", []string{FlagShortcut}},
		{"notes.one", []string{FlagOneNote}},
		{"budget.xlsm", []string{FlagMacroCapable}},
		{"old.doc", []string{FlagMacroCapable}},
		{"files.zip", []string{FlagArchive}},
		{"invoice\u202Efdp.exe", []string{FlagRLOInName, FlagExecutable}},
		{"", nil},
	}
	for _, tt := range tests {
		got := nameFlags(tt.name)
		if !slices.Equal(got, tt.want) {
			t.Errorf("nameFlags(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSniffAndAttachment(t *testing.T) {
	lim := DefaultLimits()
	iso := make([]byte, 0x8010)
	copy(iso[0x8001:], "CD001")
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)
	tests := []struct {
		name, declared string
		data           []byte
		sniffed        string
		flags          []string // must be present
		absent         []string
		entries        []string
	}{
		{"a.pdf", "application/pdf", []byte("MZ\x90\x00 this program"), typePE, []string{FlagExecutable, FlagTypeMismatch}, nil, nil},
		{"a.pdf", "application/pdf", []byte("%PDF-1.7\n..."), typePDF, nil, []string{FlagTypeMismatch}, nil},
		{"a.bin", "application/octet-stream", []byte("\x7fELF\x02\x01"), typeELF, []string{FlagExecutable}, []string{FlagTypeMismatch}, nil},
		{"x.zip", "application/zip", makeZip(t, false, "invoice.pdf.exe", "readme.txt"), typeZip,
			[]string{FlagArchive, FlagArchiveContains + FlagExecutable, FlagArchiveContains + FlagDoubleExtension}, []string{FlagEncryptedZip}, []string{"invoice.pdf.exe", "readme.txt"}},
		{"x.zip", "application/zip", makeZip(t, true, "a.js"), typeZip, []string{FlagEncryptedZip, FlagArchiveContains + FlagScript}, nil, []string{"a.js"}},
		{"d.docx", "application/octet-stream", makeZip(t, false, "[Content_Types].xml", "word/document.xml"), typeDocx, nil, []string{FlagArchive, FlagMacroCapable}, nil},
		{"d.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", makeZip(t, false, "[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"), typeDocx, []string{FlagMacroCapable}, []string{FlagTypeMismatch}, nil},
		{"x.jar", "application/java-archive", makeZip(t, false, "META-INF/MANIFEST.MF", "a.class"), typeJar, []string{FlagExecutable}, nil, nil},
		{"x.img", "application/octet-stream", iso, typeISO, []string{FlagDiskImage}, nil, nil},
		{"x", "application/octet-stream", append(append([]byte{}, oneNoteGUID...), 0, 0), typeOneNote, []string{FlagOneNote}, nil, nil},
		{"x.doc", "application/msword", ole, typeOLE, []string{FlagMacroCapable}, []string{FlagTypeMismatch}, nil},
		{"x", "application/octet-stream", []byte{0x4C, 0, 0, 0, 1, 0x14, 2, 0, 0, 0}, typeLNK, []string{FlagShortcut}, nil, nil},
		{"x.rtf", "application/rtf", []byte("{\\rtf1\\ansi"), typeRTF, nil, nil, nil},
		{"x.rar", "application/x-rar-compressed", []byte("Rar!\x1a\x07\x01\x00"), typeRar, []string{FlagArchive}, []string{FlagTypeMismatch}, nil},
		{"x.7z", "application/x-7z-compressed", []byte("7z\xbc\xaf\x27\x1c\x00\x04"), type7z, []string{FlagArchive}, nil, nil},
		{"x.gz", "application/gzip", []byte{0x1f, 0x8b, 8, 0}, typeGzip, []string{FlagArchive}, nil, nil},
		{"inv.htm", "application/octet-stream", []byte("<html><body><form action=x>"), "text/html", []string{FlagHTML}, nil, nil},
		{"photo.jpg", "image/jpeg", []byte("<!DOCTYPE html><html>"), "text/html", []string{FlagHTML, FlagTypeMismatch}, nil, nil},
	}
	for _, tt := range tests {
		a := newAttachment(tt.name, tt.declared, tt.data, lim, "")
		if a.SniffedType != tt.sniffed {
			t.Errorf("%s %s: sniffed %q, want %q", tt.name, tt.declared, a.SniffedType, tt.sniffed)
		}
		for _, f := range tt.flags {
			if !slices.Contains(a.Flags, f) {
				t.Errorf("%s (%s): flags %v lack %s", tt.name, tt.sniffed, a.Flags, f)
			}
		}
		for _, f := range tt.absent {
			if slices.Contains(a.Flags, f) {
				t.Errorf("%s (%s): flags %v have %s", tt.name, tt.sniffed, a.Flags, f)
			}
		}
		if tt.entries != nil && !slices.Equal(a.Entries, tt.entries) {
			t.Errorf("%s: entries %v, want %v", tt.name, a.Entries, tt.entries)
		}
		if a.Size != int64(len(tt.data)) || len(a.SHA256) != 64 {
			t.Errorf("%s: size %d sha %q", tt.name, a.Size, a.SHA256)
		}
	}
}

func TestZipEntriesBounded(t *testing.T) {
	names := make([]string, 250)
	for i := range names {
		names[i] = strings.Repeat("x", i%7+1) + ".txt"
	}
	z := makeZip(t, false, names...)
	a := newAttachment("big.zip", "application/zip", z, DefaultLimits(), "")
	if len(a.Entries) != maxZipEntries {
		t.Errorf("entries = %d", len(a.Entries))
	}
	// A truncated archive (no central directory) is listed from local headers.
	a = newAttachment("cut.zip", "application/zip", z[:len(z)/2], DefaultLimits(), "")
	if len(a.Entries) == 0 || a.SniffedType != typeZip {
		t.Errorf("truncated zip: %d entries, %s", len(a.Entries), a.SniffedType)
	}
	// A stub before the archive (self-extractor) still lists.
	a = newAttachment("sfx.zip", "application/zip", append([]byte("PK\x03\x04"+strings.Repeat("\x00", 40)), makeZip(t, false, "a.exe")...), DefaultLimits(), "")
	_ = a
}

func TestParseAttachments(t *testing.T) {
	z := makeZip(t, false, "factura.pdf.exe")
	msg := "From: a@b.test\r\nTo: c@d.test\r\nSubject: x\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n" +
		"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee attached\r\n" +
		"--XX\r\nContent-Type: application/zip; name=\"=?UTF-8?B?6KuL5rGC5pu4?=.zip\"\r\nContent-Transfer-Encoding: base64\r\n" +
		"Content-Disposition: attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.zip\r\n\r\n" +
		string(encodeB64Lines(z)) +
		"--XX\r\nContent-Type: text/html; charset=utf-8\r\nContent-Disposition: attachment; filename=\"scan.pdf .html\"\r\n\r\n" +
		"<a href=\"http://evil.test/\">open</a>\r\n" +
		"--XX\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\ninline text\r\n" +
		"--XX--\r\n"
	p := Parse([]byte(msg), DefaultLimits())
	if len(p.TextParts) != 2 || p.TextParts[1].Text != "inline text" {
		t.Errorf("TextParts = %+v", p.TextParts)
	}
	if len(p.Attachments) != 2 {
		t.Fatalf("Attachments = %+v", p.Attachments)
	}
	a := p.Attachments[0]
	if a.Name != "請求書.zip" || a.DeclaredType != "application/zip" || a.SniffedType != typeZip || a.Size != int64(len(z)) ||
		!slices.Contains(a.Flags, FlagArchiveContains+FlagExecutable) || !slices.Equal(a.Entries, []string{"factura.pdf.exe"}) {
		t.Errorf("zip attachment = %+v", a)
	}
	h := p.Attachments[1]
	if h.Name != "scan.pdf .html" || !slices.Contains(h.Flags, FlagDoubleExtension) || !slices.Contains(h.Flags, FlagHTML) ||
		!strings.Contains(h.Text, "http://evil.test/") {
		t.Errorf("html attachment = %+v", h)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings %q", p.Warnings)
	}
}

func TestParseLimits(t *testing.T) {
	// deep nesting
	var b strings.Builder
	b.WriteString("Subject: deep\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n")
	for i := 0; i < 30; i++ {
		b.WriteString("--b" + itoa(i) + "\r\nContent-Type: multipart/mixed; boundary=b" + itoa(i+1) + "\r\n\r\n")
	}
	b.WriteString("--b30\r\nContent-Type: text/plain\r\n\r\nbottom\r\n")
	p := Parse([]byte(b.String()), DefaultLimits())
	if !hasWarning(p, "limit: MIME nesting") || len(p.TextParts) != 0 {
		t.Errorf("depth: %q %+v", p.Warnings, p.TextParts)
	}
	// many parts
	b.Reset()
	b.WriteString("Content-Type: multipart/mixed; boundary=z\r\n\r\n")
	for i := 0; i < 20; i++ {
		b.WriteString("--z\r\nContent-Type: text/plain\r\n\r\npart " + itoa(i) + "\r\n")
	}
	b.WriteString("--z--\r\n")
	lim := DefaultLimits()
	lim.MaxParts = 5
	p = Parse([]byte(b.String()), lim)
	if !hasWarning(p, "limit: more than 5 MIME parts") || len(p.TextParts) != 4 {
		t.Errorf("parts: %q %d", p.Warnings, len(p.TextParts))
	}
	// body and part size
	lim = DefaultLimits()
	lim.MaxBodyBytes = 10
	lim.MaxPartBytes = 100
	p = Parse([]byte("Subject: x\r\n\r\n"+strings.Repeat("あ", 50)), lim)
	if len(p.TextParts) != 1 || p.TextParts[0].Text != "あああ" || !hasWarning(p, "limit: part truncated") || !hasWarning(p, "limit: text truncated") {
		t.Errorf("size: %+v %q", p.TextParts, p.Warnings)
	}
	// header block
	lim = DefaultLimits()
	lim.MaxHeaderBytes = 100
	p = Parse([]byte("Subject: first\r\n"+strings.Repeat("X-Filler: 0123456789\r\n", 20)+"\r\nbody"), lim)
	if !hasWarning(p, "limit: header block truncated") || p.Summary.Subject != "first" || len(p.Headers) >= 20 || len(p.TextParts) != 1 || p.TextParts[0].Text != "body" {
		t.Errorf("header: %d headers %q %+v", len(p.Headers), p.Warnings, p.TextParts)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestNestedMessageScratch checks that a base64 message/rfc822 part whose
// own parts are base64 is decoded intact, and that the parts after it are
// unaffected by buffer reuse.
func TestNestedMessageScratch(t *testing.T) {
	inner := "Subject: inner\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n" +
		"--in\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n" + string(encodeB64Lines([]byte(strings.Repeat("inner text ", 50)))) +
		"--in\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n" + string(encodeB64Lines([]byte("second inner"))) +
		"--in--\r\n"
	msg := "Subject: outer\r\nContent-Type: multipart/mixed; boundary=out\r\n\r\n" +
		"--out\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n" + string(encodeB64Lines([]byte(inner))) +
		"--out\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n" + string(encodeB64Lines([]byte("outer text"))) +
		"--out--\r\n"
	raw := []byte(msg)
	orig := append([]byte(nil), raw...)
	p := Parse(raw, DefaultLimits())
	var texts []string
	for _, tp := range p.TextParts {
		texts = append(texts, strings.TrimSpace(tp.Text))
	}
	want := []string{strings.TrimSpace(strings.Repeat("inner text ", 50)), "second inner", "outer text"}
	if !slices.Equal(texts, want) {
		t.Errorf("texts = %q", texts)
	}
	if len(p.Attachments) != 1 || p.Attachments[0].DeclaredType != "message/rfc822" {
		t.Errorf("attachments = %+v", p.Attachments)
	}
	if !bytes.Equal(raw, orig) {
		t.Error("Parse modified its input")
	}
}
