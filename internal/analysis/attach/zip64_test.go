package attach

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"slices"
	"testing"
)

// localMember returns a stored local file header and data for name.
func localMember(name, data string) []byte {
	b := []byte("PK\x03\x04")
	b = append(b, make([]byte, 14)...) // version, flags, method, time, date, crc
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = binary.LittleEndian.AppendUint16(b, uint16(len(name)))
	b = binary.LittleEndian.AppendUint16(b, 0)
	return append(append(b, name...), data...)
}

// zip64Tail returns prefix followed by a zip64 end of central directory
// locator pointing at loc64 and an end of central directory whose offset
// says "see zip64".
func zip64Tail(prefix []byte, loc64 uint64) []byte {
	b := append([]byte(nil), prefix...)
	b = append(b, "PK\x06\x07"...)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint64(b, loc64)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = append(b, "PK\x05\x06"...)
	b = append(b, make([]byte, 8)...)                   // disks and entry counts
	b = binary.LittleEndian.AppendUint32(b, 0)          // central directory size
	b = binary.LittleEndian.AppendUint32(b, 0xffffffff) // offset: in the zip64 record
	return binary.LittleEndian.AppendUint16(b, 0)       // comment length
}

// zip64Record returns a zip64 end of central directory record giving
// cdSize and cdOff.
func zip64Record(cdSize, cdOff uint64) []byte {
	b := []byte("PK\x06\x06")
	b = binary.LittleEndian.AppendUint64(b, 44)
	b = append(b, make([]byte, 4+4+4+8+8)...) // versions, disks, entry counts
	b = binary.LittleEndian.AppendUint64(b, cdSize)
	return binary.LittleEndian.AppendUint64(b, cdOff)
}

// CraftedZip64 returns the zip of issue 12 failure 1, a member
// "invoice.exe" and no central directory: the zip64 locator offset just
// under 2^63 (variant 0), or a zip64 record (at the offset the locator
// gives) whose central directory offset (1) or size and offset (2) are.
func CraftedZip64(variant int) []byte {
	const near = 1<<63 - 16
	m := localMember("invoice.exe", "MZ\x90\x00")
	switch variant {
	case 1:
		return zip64Tail(append(m, zip64Record(0, near)...), uint64(len(m)))
	case 2:
		return zip64Tail(append(m, zip64Record(near, near)...), uint64(len(m)))
	}
	return zip64Tail(m, near)
}

func TestListZipHugeOffsets(t *testing.T) {
	for v := range 3 {
		data := CraftedZip64(v)
		z := listZip(data) // panicked with "slice bounds out of range" (v 0, 1)
		if len(z.names) != 1 || z.names[0] != "invoice.exe" {
			t.Errorf("variant %d: names %q, want the local member", v, z.names)
		}
		a := Describe("x.zip", "application/zip", data, 1<<20, "")
		if a.SniffedType != "application/zip" || !slices.Contains(a.Flags, FlagArchiveContains+FlagExecutable) {
			t.Errorf("variant %d: %+v", v, a)
		}
	}
}

// FuzzZipWalk runs the zip walker (central directory and local headers)
// on arbitrary bytes: it must never panic, list at most MaxEntries names
// and stop in time linear in the input.
func FuzzZipWalk(f *testing.F) {
	for v := range 3 {
		f.Add(CraftedZip64(v))
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range []string{"invoice.pdf.exe", "word/document.xml", "[Content_Types].xml"} {
		w, _ := zw.Create(n)
		w.Write([]byte("data"))
	}
	zw.Close()
	f.Add(buf.Bytes())
	f.Add(append([]byte("MZ stub"), buf.Bytes()...))
	f.Add(buf.Bytes()[:buf.Len()/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		z := listZip(data)
		if len(z.names) > MaxEntries {
			t.Fatalf("%d names, max %d", len(z.names), MaxEntries)
		}
		kind := zipKind(&z)
		if kind == "" {
			t.Fatal("no kind")
		}
		_ = Describe("a.zip", "application/zip", data, 4096, "")
	})
}
