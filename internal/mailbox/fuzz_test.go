package mailbox

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzMboxSplit feeds arbitrary bytes to the stream reader. Invariants: no
// panic, no error other than ErrNotMailbox at open, total yielded bytes ≤
// input size, mbox locators inside the input, and each message equal to
// the unquoted bytes its locator delimits (what ReadRaw returns).
func FuzzMboxSplit(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		f.Add(b, uint16(0))
		f.Add(bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")), uint16(64))
		f.Add(bytes.ReplaceAll(b, []byte("\n"), []byte("\r")), uint16(100))
	}
	f.Add([]byte("From x\nFrom a@b 1:00\nA: b\n\nFrom "), uint16(3))
	f.Fuzz(func(t *testing.T, data []byte, max uint16) {
		if isGzip(data) {
			return // decompressed sizes are not bounded by the input
		}
		r, err := OpenReaderWith("fuzz", bytes.NewReader(data), Options{MaxMessageSize: int(max)})
		if err != nil {
			return
		}
		defer r.Close()
		// The stream the locators refer to (CR-only input is converted).
		stream := data
		head := data[:min(len(data), sniffLen)]
		if isCROnly(head) {
			stream = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
		}
		total, n := 0, 0
		for m, err := range All(r) {
			if n++; n > len(data)+1 {
				t.Fatalf("more messages (%d) than input bytes", n)
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			total += len(m.Raw)
			if max > 0 && len(m.Raw) > int(max) {
				t.Fatalf("message of %d bytes exceeds limit %d", len(m.Raw), max)
			}
			if r.Kind() != KindMbox {
				continue
			}
			l := m.Loc
			if l.Offset <= 0 || l.Length < 0 || l.Offset+l.Length > int64(len(data)) || m.SepOffset >= l.Offset {
				t.Fatalf("locator %+v outside input of %d bytes", l, len(data))
			}
			if !bytes.HasPrefix(stream[m.SepOffset:], fromSp) {
				t.Fatalf("separator offset %d does not point at From", m.SepOffset)
			}
			want := unquote(bytes.Clone(stream[l.Offset : l.Offset+l.Length]))
			if !bytes.Equal(want, m.Raw) {
				t.Fatalf("raw %q != located bytes %q", m.Raw, want)
			}
		}
		if total > len(data) {
			t.Fatalf("yielded %d bytes from %d", total, len(data))
		}
	})
}
