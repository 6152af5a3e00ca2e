// Package attach describes attachments: the type sniffed from the content
// against the declared one, zip members (bounded), and risk flags from
// names and types.
package attach

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/triage-tools/triage/internal/analysis/charset"
	"github.com/triage-tools/triage/internal/analysis/report"
)

// Attachment flags set by Describe.
const (
	FlagExecutable      = "executable"
	FlagScript          = "script"
	FlagHTML            = "html"
	FlagDiskImage       = "disk_image"
	FlagShortcut        = "shortcut"
	FlagOneNote         = "onenote"
	FlagMacroCapable    = "macro_capable"
	FlagDoubleExtension = "double_extension"
	FlagRLOInName       = "rlo_in_name"
	FlagTypeMismatch    = "type_mismatch"
	FlagArchive         = "archive"
	FlagEncryptedZip    = "encrypted_archive"
	// FlagArchiveContains prefixes a name flag found on an archive member,
	// e.g. "archive_contains_executable".
	FlagArchiveContains = "archive_contains_"
	// flagEntriesTruncated is internal: Parse turns it into a warning.
	flagEntriesTruncated = "zip_entries_truncated"
)

// MaxEntries bounds Attachment.Entries.
const MaxEntries = 200

// Sniffed types produced by our own magic checks (besides the ones of
// net/http.DetectContentType).
const (
	typePE      = "application/x-msdownload"
	typeELF     = "application/x-elf"
	typeZip     = "application/zip"
	typeRar     = "application/vnd.rar"
	type7z      = "application/x-7z-compressed"
	typeGzip    = "application/gzip"
	typeISO     = "application/x-iso9660-image"
	typeOneNote = "application/onenote"
	typeOLE     = "application/x-ole-storage"
	typePDF     = "application/pdf"
	typeRTF     = "application/rtf"
	typeLNK     = "application/x-ms-shortcut"
	typeVHDX    = "application/x-vhdx"
	typeDocx    = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	typeXlsx    = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	typePptx    = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	typeJar     = "application/java-archive"
	typeApk     = "application/vnd.android.package-archive"
)

var oneNoteGUID = []byte{0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D, 0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96, 0xD3}

// Describe describes one decoded non-body part: name, declared and
// sniffed type, size, SHA-256, zip members and risk flags. data is the
// decoded content (already bounded by the caller) and is not retained;
// cs is the declared charset used for Text of text/HTML parts, which is
// bounded by maxText bytes.
func Describe(name, declared string, data []byte, maxText int, cs string) report.Attachment {
	sum := sha256.Sum256(data)
	a := report.Attachment{
		Name:         name,
		DeclaredType: declared,
		Size:         int64(len(data)),
		SHA256:       hex.EncodeToString(sum[:]),
	}
	var z zipInfo
	a.SniffedType, z = sniff(data)
	var flags flagSet
	nf := nameFlags(name)
	flags.add(nf...)
	switch a.SniffedType {
	case typePE, typeELF:
		flags.add(FlagExecutable)
	case typeISO, typeVHDX:
		flags.add(FlagDiskImage)
	case typeLNK:
		flags.add(FlagShortcut)
	case typeOneNote:
		flags.add(FlagOneNote)
	case typeOLE:
		flags.add(FlagMacroCapable)
	case typeJar, typeApk:
		flags.add(FlagExecutable)
	case typeZip, typeRar, type7z, typeGzip:
		flags.add(FlagArchive)
	}
	if strings.HasPrefix(a.SniffedType, "text/html") || declared == "text/html" {
		flags.add(FlagHTML)
	}
	if z.macros {
		flags.add(FlagMacroCapable)
	}
	if a.SniffedType == typeZip {
		a.Entries = z.names
		if z.encrypted {
			flags.add(FlagEncryptedZip)
		}
		if z.truncated {
			flags.add(flagEntriesTruncated)
		}
		for _, e := range z.names {
			for _, f := range nameFlags(e) {
				flags.add(FlagArchiveContains + f)
			}
		}
	}
	if typeMismatch(declared, a.SniffedType, name) {
		flags.add(FlagTypeMismatch)
	}
	a.Flags = flags.list()
	if isTextual(declared, a.SniffedType) {
		t := data
		if len(t) > maxText {
			t = t[:maxText]
		}
		a.Text, _ = charset.Decode(t, cs)
		a.Text = charset.TruncUTF8(a.Text, maxText)
	}
	return a
}

func isTextual(declared, sniffed string) bool {
	return strings.HasPrefix(declared, "text/") || strings.HasPrefix(sniffed, "text/") ||
		declared == "image/svg+xml" || declared == "application/xhtml+xml"
}

// flagSet is an ordered set of flags.
type flagSet struct{ l []string }

func (s *flagSet) add(fs ...string) {
outer:
	for _, f := range fs {
		for _, x := range s.l {
			if x == f {
				continue outer
			}
		}
		s.l = append(s.l, f)
	}
}

func (s *flagSet) list() []string { return s.l }

var (
	extExecutable = setOf("exe", "scr", "com", "pif", "bat", "cmd", "dll", "msi", "msp", "cpl", "ps1", "vbs", "vbe",
		"js", "jse", "wsf", "wsh", "hta", "jar", "apk", "app", "reg", "sys", "ocx", "gadget", "appx", "msix", "appref-ms", "xll")
	extScript    = setOf("js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "bat", "cmd", "hta", "sh", "vba", "scpt", "applescript", "py", "pl")
	extHTML      = setOf("htm", "html", "shtml", "xhtml", "svg", "mht", "mhtml", "shtm")
	extDiskImage = setOf("iso", "img", "vhd", "vhdx")
	extShortcut  = setOf("lnk", "url")
	extOneNote   = setOf("one", "onepkg")
	extMacro     = setOf("docm", "xlsm", "pptm", "dotm", "xlam", "xltm", "potm", "ppam", "ppsm", "sldm", "doc", "xls", "ppt", "dot", "xlt", "pot", "xlsb")
	extArchive   = setOf("zip", "rar", "7z", "gz", "tgz", "tar", "bz2", "xz", "cab", "arj", "lz", "lzh", "ace", "z", "zst", "uue", "r00")
	// extDocument are extensions a lure pretends to have before the real one.
	extDocument = setOf("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "rtf", "jpg", "jpeg", "png", "gif",
		"bmp", "tif", "tiff", "csv", "odt", "ods", "mp3", "mp4", "wav", "avi", "mov", "htm", "html", "zip", "rar", "xml", "eml", "msg")
	// extCompressor are single-file compression suffixes: "report.xml.gz"
	// is how a compressed file is named (DMARC aggregate reports), not a
	// disguise; what such a file holds is sniffed on its own.
	extCompressor = setOf("gz", "gzip", "bz2", "xz", "zst", "z", "lz", "lzma")
	// extDangerous are final extensions that make a double extension a lure.
	extDangerous = func() map[string]bool {
		m := map[string]bool{}
		for _, s := range []map[string]bool{extExecutable, extScript, extHTML, extDiskImage, extShortcut, extOneNote, extArchive} {
			for k := range s {
				m[k] = true
			}
		}
		return m
	}()
)

// extFlags are the flags a final extension sets on its own, in the order
// they are listed.
var extFlags = []struct {
	set  map[string]bool
	flag string
}{
	{extExecutable, FlagExecutable},
	{extScript, FlagScript},
	{extHTML, FlagHTML},
	{extDiskImage, FlagDiskImage},
	{extShortcut, FlagShortcut},
	{extOneNote, FlagOneNote},
	{extMacro, FlagMacroCapable},
	{extArchive, FlagArchive},
}

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// bidiControls are characters that reorder displayed text.
func isBidiControl(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}

// nameFlags returns the flags a file name alone earns. Trailing dots and
// spaces are ignored (Windows drops them), so "a.exe " is an executable.
func nameFlags(name string) []string {
	if name == "" {
		return nil
	}
	var out []string
	if strings.ContainsFunc(name, isBidiControl) {
		out = append(out, FlagRLOInName)
		name = strings.Map(func(r rune) rune {
			if isBidiControl(r) {
				return -1
			}
			return r
		}, name)
	}
	if i := strings.LastIndexAny(name, "/\\"); i >= 0 {
		name = name[i+1:]
	}
	n := strings.ToLower(strings.TrimRight(name, " .\t\u00a0"))
	dot := strings.LastIndexByte(n, '.')
	if dot < 0 {
		return out
	}
	ext := strings.TrimSpace(n[dot+1:])
	for _, e := range extFlags {
		if e.set[ext] {
			out = append(out, e.flag)
		}
	}
	base := n[:dot]
	padded := strings.HasSuffix(base, "  ") || strings.HasSuffix(base, "\u00a0")
	base = strings.TrimRight(base, " \t\u00a0_")
	if d2 := strings.LastIndexByte(base, '.'); d2 >= 0 && extDangerous[ext] && !extCompressor[ext] {
		prev := strings.TrimSpace(base[d2+1:])
		if extDocument[prev] && prev != ext {
			out = append(out, FlagDoubleExtension)
		}
	} else if padded && extDangerous[ext] {
		out = append(out, FlagDoubleExtension)
	}
	return out
}

// zipInfo is what sniffing learned from a zip central directory.
type zipInfo struct {
	names     []string
	encrypted bool
	truncated bool
	macros    bool
}

// sniff returns the content type of data from magic numbers, then
// net/http.DetectContentType. Zip archives are listed (bounded) to tell
// OOXML, JAR and APK from plain zip.
func sniff(data []byte) (string, zipInfo) {
	var z zipInfo
	switch {
	case len(data) == 0:
		return "", z
	case bytes.HasPrefix(data, []byte("MZ")):
		return typePE, z
	case bytes.HasPrefix(data, []byte("\x7fELF")):
		return typeELF, z
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		z = listZip(data)
		return zipKind(&z), z
	case bytes.HasPrefix(data, []byte("Rar!\x1a\x07")):
		return typeRar, z
	case bytes.HasPrefix(data, []byte("7z\xbc\xaf\x27\x1c")):
		return type7z, z
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}):
		return typeGzip, z
	case bytes.HasPrefix(data, oneNoteGUID):
		return typeOneNote, z
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return typeOLE, z
	case bytes.HasPrefix(data, []byte{0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00}):
		return typeLNK, z
	case bytes.HasPrefix(data, []byte("{\\rtf")):
		return typeRTF, z
	case bytes.HasPrefix(data, []byte("vhdxfile")):
		return typeVHDX, z
	case isISO(data):
		return typeISO, z
	}
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	if bytes.Contains(head, []byte("%PDF-")) {
		return typePDF, z
	}
	if len(head) > 512 {
		head = head[:512]
	}
	t := http.DetectContentType(head)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return t, z
}

func isISO(data []byte) bool {
	for _, off := range []int{0x8001, 0x8801, 0x9001} {
		if len(data) >= off+5 && string(data[off:off+5]) == "CD001" {
			return true
		}
	}
	return false
}

func zipKind(z *zipInfo) string {
	var ct, word, xl, ppt, manifest, android, dex bool
	for _, n := range z.names {
		switch {
		case n == "[Content_Types].xml":
			ct = true
		case strings.HasPrefix(n, "word/"):
			word = true
			if n == "word/vbaProject.bin" {
				z.macros = true
			}
		case strings.HasPrefix(n, "xl/"):
			xl = true
			if n == "xl/vbaProject.bin" {
				z.macros = true
			}
		case strings.HasPrefix(n, "ppt/"):
			ppt = true
			if n == "ppt/vbaProject.bin" {
				z.macros = true
			}
		case n == "META-INF/MANIFEST.MF":
			manifest = true
		case n == "AndroidManifest.xml":
			android = true
		case n == "classes.dex":
			dex = true
		}
	}
	kind := typeZip
	switch {
	case ct && word:
		kind = typeDocx
	case ct && xl:
		kind = typeXlsx
	case ct && ppt:
		kind = typePptx
	case android && dex:
		kind = typeApk
	case manifest:
		kind = typeJar
	}
	if kind != typeZip {
		z.names = nil // document members are noise for an analyst
	}
	return kind
}

// listZip reads member names from the zip central directory without
// extracting anything, at most MaxEntries of them. Damaged archives give
// what could be read. A leading stub (self-extractor, polyglot) is allowed.
func listZip(data []byte) zipInfo {
	var z zipInfo
	// End of central directory: 22 bytes + comment ≤ 65535.
	lo := len(data) - 22 - 65535
	if lo < 0 {
		lo = 0
	}
	eocd := bytes.LastIndex(data[lo:], []byte("PK\x05\x06"))
	if eocd < 0 {
		return listLocal(data)
	}
	eocd += lo
	if eocd+22 > len(data) {
		return listLocal(data)
	}
	cdSize := int64(binary.LittleEndian.Uint32(data[eocd+12:]))
	cdOff := int64(binary.LittleEndian.Uint32(data[eocd+16:]))
	// Offsets and sizes are hostile: every bound check below subtracts
	// from len(data) instead of adding to the offset, which could overflow
	// (an offset just under 2^63 plus 56 is negative).
	if cdOff == 0xffffffff || cdSize == 0xffffffff {
		// zip64: locator right before the EOCD
		if loc := eocd - 20; loc >= 0 && string(data[loc:loc+4]) == "PK\x06\x07" {
			off := int64(binary.LittleEndian.Uint64(data[loc+8:]))
			if off >= 0 && off <= int64(len(data))-56 && string(data[off:off+4]) == "PK\x06\x06" {
				cdSize = int64(binary.LittleEndian.Uint64(data[off+40:]))
				cdOff = int64(binary.LittleEndian.Uint64(data[off+48:]))
			}
		}
	}
	// Prepended data shifts every offset: trust the EOCD position instead.
	if cdOff < 0 || cdOff > int64(len(data))-4 || string(data[cdOff:cdOff+4]) != "PK\x01\x02" {
		if cdSize < 0 || cdSize > int64(eocd) {
			return listLocal(data)
		}
		cdOff = int64(eocd) - cdSize
	}
	if cdOff < 0 || cdOff > int64(len(data)) {
		return listLocal(data)
	}
	p := int(cdOff)
	for {
		nlen, elen, _, ok := z.entry(data, p, centralHeader)
		if !ok {
			break
		}
		clen := int(binary.LittleEndian.Uint16(data[p+32:]))
		p += centralHeader.size + nlen + elen + clen
	}
	if len(z.names) == 0 {
		return listLocal(data)
	}
	return z
}

// listLocal walks local file headers when there is no usable central
// directory (truncated archive). Entries with a data descriptor end the
// walk since their size is unknown.
func listLocal(data []byte) zipInfo {
	var z zipInfo
	p := 0
	for {
		nlen, elen, flags, ok := z.entry(data, p, localHeader)
		if !ok {
			break
		}
		csize := int(binary.LittleEndian.Uint32(data[p+18:]))
		if flags&8 != 0 || csize < 0 {
			break
		}
		next := p + localHeader.size + nlen + elen + csize
		if next <= p || next > len(data) {
			break
		}
		p = next
	}
	return z
}

// zipHeader is where a zip file header (central directory or local) keeps
// the fields listZip and listLocal read.
type zipHeader struct {
	sig                      string
	size                     int // fixed part, before the name
	flags, nameLen, extraLen int // offsets of the little-endian uint16 fields
}

var (
	centralHeader = zipHeader{sig: "PK\x01\x02", size: 46, flags: 8, nameLen: 28, extraLen: 30}
	localHeader   = zipHeader{sig: "PK\x03\x04", size: 30, flags: 6, nameLen: 26, extraLen: 28}
)

// entry reads the header of kind h at p and records its member name. It
// reports false, recording nothing, when there is no such header at p or
// its name runs past the data, and when MaxEntries are already recorded
// (setting truncated).
func (z *zipInfo) entry(data []byte, p int, h zipHeader) (nlen, elen int, flags uint16, ok bool) {
	if p+h.size > len(data) || string(data[p:p+4]) != h.sig {
		return 0, 0, 0, false
	}
	if len(z.names) >= MaxEntries {
		z.truncated = true
		return 0, 0, 0, false
	}
	flags = binary.LittleEndian.Uint16(data[p+h.flags:])
	nlen = int(binary.LittleEndian.Uint16(data[p+h.nameLen:]))
	elen = int(binary.LittleEndian.Uint16(data[p+h.extraLen:]))
	if p+h.size+nlen > len(data) {
		return 0, 0, 0, false
	}
	if flags&1 != 0 {
		z.encrypted = true
	}
	z.names = append(z.names, zipName(data[p+h.size:p+h.size+nlen], flags))
	return nlen, elen, flags, true
}

// zipName decodes a member name: UTF-8 when flagged or valid, else CP437
// would be right but Shift_JIS/GBK are what real archives from East Asia
// carry, so detection is used.
func zipName(b []byte, flags uint16) string {
	if flags&0x800 != 0 || utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	s, _ := charset.Detect(b)
	return s
}

// typeFamily groups media types whose confusion is harmless.
func typeFamily(t string) string {
	switch {
	case t == "" || t == "application/octet-stream" || t == "text/plain" || t == "application/unknown" ||
		t == "binary/octet-stream" || t == "application/x-download" || t == "application/force-download":
		return ""
	case t == typePE || t == typeELF || t == "application/x-msdos-program" || t == "application/x-dosexec" ||
		t == "application/x-executable" || t == "application/exe" || t == "application/x-exe" || t == "application/x-ms-dos-executable":
		return "exe"
	case t == typePDF || t == "application/x-pdf":
		return "pdf"
	case strings.HasPrefix(t, "image/svg"):
		return "html"
	case strings.HasPrefix(t, "image/"):
		return "image"
	case t == "text/html" || t == "application/xhtml+xml":
		return "html"
	case strings.HasPrefix(t, "audio/") || strings.HasPrefix(t, "video/"):
		return "media"
	case t == typeZip || t == "application/x-zip-compressed" || t == "application/x-zip" || t == typeRar ||
		t == "application/x-rar-compressed" || t == "application/x-rar" || t == type7z || t == typeGzip ||
		t == "application/x-gzip" || t == "application/x-compressed" || t == "application/x-tar":
		return "archive"
	case strings.Contains(t, "officedocument") || strings.Contains(t, "ms-word") || strings.Contains(t, "msword") ||
		strings.Contains(t, "ms-excel") || strings.Contains(t, "ms-powerpoint") || t == typeOLE ||
		strings.Contains(t, "opendocument") || t == typeRTF || t == "text/rtf" || strings.Contains(t, "macroenabled"):
		return "office"
	case t == typeISO || t == "application/x-iso-image" || t == typeVHDX:
		return "disk"
	case t == typeLNK:
		return "shortcut"
	case t == typeOneNote || t == "application/msonenote":
		return "onenote"
	case t == typeJar || t == "application/x-java-archive" || t == typeApk:
		return "exe"
	}
	return ""
}

// extFamily maps a file extension to a type family ("" when unknown).
func extFamily(name string) string {
	n := strings.ToLower(strings.TrimRight(name, " ."))
	dot := strings.LastIndexByte(n, '.')
	if dot < 0 {
		return ""
	}
	switch n[dot+1:] {
	case "pdf":
		return "pdf"
	case "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp":
		return "image"
	case "doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "pptm", "rtf", "odt", "ods":
		return "office"
	case "txt", "csv":
		return "text"
	}
	return ""
}

// typeMismatch reports a declared type (or a document-like extension)
// whose family differs from the sniffed content's, ignoring generic types.
// Zip-based office documents declared as zip (and vice versa) do not count.
func typeMismatch(declared, sniffed, name string) bool {
	sf := typeFamily(sniffed)
	if sf == "" {
		return false
	}
	compatible := func(a, b string) bool {
		return a == "" || a == b || (a == "archive" && b == "office") || (a == "office" && b == "archive") ||
			(a == "archive" && b == "exe" && (sniffed == typeJar || sniffed == typeApk))
	}
	if !compatible(typeFamily(declared), sf) {
		return true
	}
	ef := extFamily(name)
	if ef == "text" {
		return sf == "exe" || sf == "html" || sf == "archive" || sf == "onenote" || sf == "shortcut"
	}
	return !compatible(ef, sf)
}
