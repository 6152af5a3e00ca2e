package attach

import (
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis/attach/attachtest"
	"github.com/triage-tools/triage/internal/testutil"
)

// testMaxText bounds attachment text as message.DefaultLimits does.
const testMaxText = 2 << 20

func TestNameFlags(t *testing.T) {
	testutil.Lists(t, "nameFlags", nameFlags, map[string][]string{
		"invoice.pdf":                           nil,
		"invoice.pdf.exe":                       {FlagExecutable, FlagDoubleExtension},
		"scan.pdf .html":                        {FlagHTML, FlagDoubleExtension},
		"scan.pdf                         .exe": {FlagExecutable, FlagDoubleExtension},
		"report.2024.pdf":                       nil,
		"setup.EXE ":                            {FlagExecutable},
		"run.js":                                {FlagExecutable, FlagScript},
		"a.ps1":                                 {FlagExecutable, FlagScript},
		"page.svg":                              {FlagHTML},
		"disk.iso":                              {FlagDiskImage},
		"doc.lnk":                               {FlagShortcut},
		"notes.one":                             {FlagOneNote},
		"budget.xlsm":                           {FlagMacroCapable},
		"old.doc":                               {FlagMacroCapable},
		"files.zip":                             {FlagArchive},
		// A compressed single file (DMARC aggregate reports) is not a lure.
		"google.com!example.org!1700000000!1700086399.xml.gz": {FlagArchive},
		"report.csv.gz":        {FlagArchive},
		"invoice.pdf.zip":      {FlagArchive, FlagDoubleExtension},
		"invoice\u202Efdp.exe": {FlagRLOInName, FlagExecutable},
		"":                     nil,
	})
}

func TestSniffAndAttachment(t *testing.T) {
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
		{"x.zip", "application/zip", attachtest.Zip(t, false, "invoice.pdf.exe", "readme.txt"), typeZip,
			[]string{FlagArchive, FlagArchiveContains + FlagExecutable, FlagArchiveContains + FlagDoubleExtension}, []string{FlagEncryptedZip}, []string{"invoice.pdf.exe", "readme.txt"}},
		{"x.zip", "application/zip", attachtest.Zip(t, true, "a.js"), typeZip, []string{FlagEncryptedZip, FlagArchiveContains + FlagScript}, nil, []string{"a.js"}},
		{"d.docx", "application/octet-stream", attachtest.Zip(t, false, "[Content_Types].xml", "word/document.xml"), typeDocx, nil, []string{FlagArchive, FlagMacroCapable}, nil},
		{"d.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", attachtest.Zip(t, false, "[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"), typeDocx, []string{FlagMacroCapable}, []string{FlagTypeMismatch}, nil},
		{"x.jar", "application/java-archive", attachtest.Zip(t, false, "META-INF/MANIFEST.MF", "a.class"), typeJar, []string{FlagExecutable}, nil, nil},
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
		a := Describe(tt.name, tt.declared, tt.data, testMaxText, "")
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
	z := attachtest.Zip(t, false, names...)
	a := Describe("big.zip", "application/zip", z, testMaxText, "")
	if len(a.Entries) != MaxEntries {
		t.Errorf("entries = %d", len(a.Entries))
	}
	// A truncated archive (no central directory) is listed from local headers.
	a = Describe("cut.zip", "application/zip", z[:len(z)/2], testMaxText, "")
	if len(a.Entries) == 0 || a.SniffedType != typeZip {
		t.Errorf("truncated zip: %d entries, %s", len(a.Entries), a.SniffedType)
	}
	// A stub before the archive (self-extractor) still lists.
	a = Describe("sfx.zip", "application/zip", append([]byte("PK\x03\x04"+strings.Repeat("\x00", 40)), attachtest.Zip(t, false, "a.exe")...), testMaxText, "")
	_ = a
}
