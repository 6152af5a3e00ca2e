package mailbox

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/devdata"
)

// sharedDir returns the shared development corpus (../shared/corpus
// beside the repository), skipping the test with one line when absent.
func sharedDir(t testing.TB) string { return devdata.Dir(t, "corpus") }

// readAll opens path and returns every message, checking that ReadRaw
// reproduces each one's bytes.
func readAll(t *testing.T, path string, opts Options) (Kind, []*Message) {
	t.Helper()
	r, err := OpenWith(path, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	defer r.Close()
	msgs := drain(t, r)
	for i, m := range msgs {
		raw, err := ReadRaw(m.Loc)
		if err != nil {
			t.Errorf("%s #%d: ReadRaw(%+v): %v", path, i, m.Loc, err)
			continue
		}
		if !bytes.Equal(raw, m.Raw) {
			t.Errorf("%s #%d: ReadRaw differs from Next:\n got %q\nwant %q", path, i, trunc(raw), trunc(m.Raw))
		}
	}
	return r.Kind(), msgs
}

// drain reads every message of r; it fails t on a read error or after a
// million messages (a runaway reader).
func drain(t *testing.T, r Reader) []*Message {
	t.Helper()
	var msgs []*Message
	for m, err := range All(r) {
		if err != nil {
			t.Fatalf("Next #%d: %v", len(msgs), err)
		}
		msgs = append(msgs, m)
		if len(msgs) > 1_000_000 {
			t.Fatal("runaway reader")
		}
	}
	return msgs
}

func trunc(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}

var wordDecoder = mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
	return nil, errors.New("unsupported charset")
}}

// subject extracts the unfolded, trimmed, RFC 2047-decoded Subject of a
// raw message ("" when absent).
func subject(raw []byte) string {
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	hdr := raw
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		hdr = raw[:i+1]
	}
	lines := strings.Split(string(hdr), "\n")
	for i, l := range lines {
		if len(l) < 8 || !strings.EqualFold(l[:8], "subject:") {
			continue
		}
		v := l[8:]
		for _, c := range lines[i+1:] {
			if c == "" || (c[0] != ' ' && c[0] != '\t') {
				break
			}
			v += c
		}
		v = strings.TrimSpace(v)
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			v = d
		}
		return v
	}
	return ""
}
