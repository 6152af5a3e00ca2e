package mailbox

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/testutil"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	return testutil.ReadFile(t, filepath.Join("testdata", name))
}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func subjects(msgs []*Message) []string {
	var s []string
	for _, m := range msgs {
		s = append(s, subject(m.Raw))
	}
	return s
}

func allWarnings(msgs []*Message) []string {
	var w []string
	for _, m := range msgs {
		w = append(w, m.Warnings...)
	}
	return w
}

// TestMboxVariants reads every mbox fixture (and generated CRLF, CR-only and
// gzip versions) and checks kind, subjects, contents and warnings.
func TestMboxVariants(t *testing.T) {
	dir := t.TempDir()
	mboxo := fixture(t, "mboxo.mbox")
	gen := map[string][]byte{
		"crlf.mbox":     bytes.ReplaceAll(mboxo, []byte("\n"), []byte("\r\n")),
		"cr.mbox":       bytes.ReplaceAll(mboxo, []byte("\n"), []byte("\r")),
		"mboxo.mbox.gz": gz(t, mboxo),
		"noext":         gz(t, mboxo), // gzip found by magic bytes
		"bom.mbox":      append([]byte("\xef\xbb\xbf"), mboxo...),
	}
	for name, b := range gen {
		testutil.WriteFile(t, filepath.Join(dir, name), b)
	}
	mboxoSubjects := []string{"first", "second", "third"}
	for _, tc := range []struct {
		path     string
		subjects []string
		contains []string // substrings of the concatenated raw messages
		absent   []string
		warnings []string // substrings expected among the warnings
	}{
		{path: "testdata/mboxo.mbox", subjects: mboxoSubjects,
			contains: []string{"\nFrom the top", "\n>From here, twice", "\nFrom Russia with love\nYear: 1963\n", "end of the file.\n"},
			absent:   []string{"From a@example.org", "\n>From the top"}},
		{path: "testdata/leading-blank.mbox", subjects: mboxoSubjects},
		{path: "testdata/empty.mbox"},
		{path: "testdata/mboxrd.mbox", subjects: []string{"rd one", "rd two"},
			contains: []string{"\n>From the archive\n", "\n>From: not a header\n", "\nFrom escaped line\n"}},
		{path: "testdata/mboxcl2.mbox", subjects: []string{"cl one", "cl two"},
			contains: []string{"From evil@example.org Mon Jan  5 10:00:00 2026\nX-Fake: looks like headers\n\nstill message one\n"}},
		{path: "testdata/mboxcl2-lying.mbox", subjects: []string{"lie one", "lie two", "lie three"},
			warnings: []string{"content-length 5 does not end", "content-length 99999 does not end", "content-length 2 does not end"}},
		{path: "testdata/single.eml", subjects: []string{"single message"},
			contains: []string{"\n>From stays quoted"}},
		{path: filepath.Join(dir, "crlf.mbox"), subjects: mboxoSubjects,
			contains: []string{"\r\nFrom the top", "end of the file.\r\n"}},
		{path: filepath.Join(dir, "cr.mbox"), subjects: mboxoSubjects,
			contains: []string{"\nFrom the top"}, absent: []string{"\r"}, warnings: []string{warnCROnly}},
		{path: filepath.Join(dir, "mboxo.mbox.gz"), subjects: mboxoSubjects},
		{path: filepath.Join(dir, "noext"), subjects: mboxoSubjects},
		{path: filepath.Join(dir, "bom.mbox"), subjects: mboxoSubjects},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			kind, msgs := readAll(t, tc.path, Options{})
			wantKind := KindMbox
			if strings.HasSuffix(tc.path, ".eml") {
				wantKind = KindEML
			}
			if kind != wantKind {
				t.Errorf("kind = %v, want %v", kind, wantKind)
			}
			if got := subjects(msgs); !slices.Equal(got, tc.subjects) {
				t.Errorf("subjects = %q, want %q", got, tc.subjects)
			}
			var all []byte
			for _, m := range msgs {
				all = append(all, m.Raw...)
				all = append(all, 0)
			}
			for _, s := range tc.contains {
				if !bytes.Contains(all, []byte(s)) {
					t.Errorf("raw messages lack %q", s)
				}
			}
			for _, s := range tc.absent {
				if bytes.Contains(all, []byte(s)) {
					t.Errorf("raw messages contain %q", s)
				}
			}
			warns := strings.Join(allWarnings(msgs), "\n")
			for _, w := range tc.warnings {
				if !strings.Contains(warns, w) {
					t.Errorf("warnings %q lack %q", warns, w)
				}
			}
			if tc.warnings == nil && warns != "" {
				t.Errorf("unexpected warnings %q", warns)
			}
		})
	}
}

// TestMboxExactBytes pins the raw bytes and locators of a small mbox.
func TestMboxExactBytes(t *testing.T) {
	in := "From a@b Mon Jan  5 10:00:00 2026\nSubject: one\n\nbody\n>From x\n\n" +
		"From c@d Mon Jan  5 10:00:00 2026\nSubject: two\n\nno blank line follows\n" +
		"From e@f Mon Jan  5 10:00:00 2026\nSubject: three\n\nlast"
	r, err := OpenReader("mem", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		raw      string
		sep, off int64
		length   int64
	}{
		{"Subject: one\n\nbody\nFrom x\n", 0, 34, 27},
		{"Subject: two\n\nno blank line follows\n", 62, 96, 36},
		{"Subject: three\n\nlast", 132, 166, 20},
	}
	for i, w := range want {
		m, err := r.Next()
		if err != nil {
			t.Fatalf("#%d: %v", i, err)
		}
		if string(m.Raw) != w.raw {
			t.Errorf("#%d raw = %q, want %q", i, m.Raw, w.raw)
		}
		if m.SepOffset != w.sep || m.Loc.Offset != w.off || m.Loc.Length != w.length {
			t.Errorf("#%d loc = %+v, want sep %d off %d len %d", i, m.Loc, w.sep, w.off, w.length)
		}
		if got := in[m.SepOffset : m.SepOffset+5]; got != "From " {
			t.Errorf("#%d separator offset points at %q", i, got)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after last: %v, want io.EOF", err)
	}
}

// TestTruncation checks that an oversized message is cut with a warning,
// the next message is still found, and ReadRaw agrees.
func TestTruncation(t *testing.T) {
	big := strings.Repeat("0123456789abcdef\n", 4000) // 68 KB
	in := "From a@b Mon Jan  5 10:00:00 2026\nSubject: big\n\n" + big +
		"\nFrom c@d Mon Jan  5 10:00:00 2026\nSubject: small\n\nsmall\n"
	dir := t.TempDir()
	path := filepath.Join(dir, "big.mbox")
	testutil.WriteFile(t, path, []byte(in))
	eml := filepath.Join(dir, "emls", "big.eml")
	testutil.WriteFile(t, eml, []byte("Subject: big eml\n\n"+big))
	_, msgs := readAll(t, path, Options{MaxMessageSize: 10000})
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	if len(msgs[0].Raw) != 10000 || !strings.Contains(strings.Join(msgs[0].Warnings, ""), "truncated") {
		t.Errorf("first: len %d warnings %q", len(msgs[0].Raw), msgs[0].Warnings)
	}
	if subject(msgs[1].Raw) != "small" || msgs[1].Warnings != nil {
		t.Errorf("second: %q %q", msgs[1].Raw, msgs[1].Warnings)
	}
	_, msgs = readAll(t, filepath.Dir(eml), Options{MaxMessageSize: 10000})
	if len(msgs) != 1 || len(msgs[0].Raw) != 10000 || msgs[0].Loc.Length != 10000 {
		t.Fatalf("eml dir: %d messages", len(msgs))
	}
	// Streaming from a reader that is not a file.
	r, err := OpenReaderWith("-", strings.NewReader(in), Options{MaxMessageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(drain(t, r)); n != 2 {
		t.Errorf("stream: %d messages", n)
	}
}

func makeMaildir(t *testing.T) string {
	root := t.TempDir()
	m := func(subj string) []byte { return []byte("Subject: " + subj + "\n\nbody\n") }
	testutil.WriteFile(t, filepath.Join(root, "cur", "1000.A.host:2,SR"), m("inbox seen"))
	testutil.WriteFile(t, filepath.Join(root, "new", "1001.B.host"), m("inbox new"))
	testutil.WriteFile(t, filepath.Join(root, "tmp", "1002.C.host"), m("in delivery"))
	testutil.WriteFile(t, filepath.Join(root, "cur", ".hidden"), m("hidden"))
	testutil.WriteFile(t, filepath.Join(root, ".Work.Projects", "cur", "1003.D.host;2,FSa"), m("sub folder"))
	testutil.WriteFile(t, filepath.Join(root, ".Work.Projects", "tmp", "1004.E.host"), m("sub tmp"))
	testutil.WriteFile(t, filepath.Join(root, ".Work", "new", "1005.F.host:2,"), m("work"))
	testutil.WriteFile(t, filepath.Join(root, "dovecot-uidlist"), []byte("3 V1 N1\n"))
	return root
}

// TestMaildir checks cur/new (not tmp/), flags, Maildir++ folders and
// ReadRaw after a flag change renamed the file.
func TestMaildir(t *testing.T) {
	root := makeMaildir(t)
	kind, msgs := readAll(t, root, Options{})
	if kind != KindMaildir {
		t.Fatalf("kind = %v", kind)
	}
	var got []string
	for _, m := range msgs {
		got = append(got, m.Loc.Folder+"|"+m.Loc.Flags+"|"+subject(m.Raw)+"|"+m.Loc.File)
	}
	want := []string{
		"||inbox new|new/1001.B.host",
		"|RS|inbox seen|cur/1000.A.host:2,SR",
		"Work||work|.Work/new/1005.F.host:2,",
		"Work.Projects|FS|sub folder|.Work.Projects/cur/1003.D.host;2,FSa",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// The MUA marks the message replied: the file is renamed.
	loc := msgs[1].Loc
	if err := os.Rename(filepath.Join(root, loc.File), filepath.Join(root, "cur", "1000.A.host:2,RST")); err != nil {
		t.Fatal(err)
	}
	raw, err := ReadRaw(loc)
	if err != nil || !bytes.Equal(raw, msgs[1].Raw) {
		t.Errorf("ReadRaw after rename: %q, %v", raw, err)
	}
	// A maildir sub-folder opened on its own is a maildir too.
	if kind, msgs := readAll(t, filepath.Join(root, ".Work.Projects"), Options{}); kind != KindMaildir || len(msgs) != 1 {
		t.Errorf("sub-folder: kind %v, %d messages", kind, len(msgs))
	}
}

// TestEMLDir checks the recursive folder of message files.
func TestEMLDir(t *testing.T) {
	root := t.TempDir()
	m := func(subj string) []byte { return []byte("Subject: " + subj + "\n\nbody\n") }
	testutil.WriteFile(t, filepath.Join(root, "b.eml"), m("b"))
	testutil.WriteFile(t, filepath.Join(root, "a.eml"), m("a"))
	testutil.WriteFile(t, filepath.Join(root, "sub", "deeper", "c.eml"), m("c"))
	testutil.WriteFile(t, filepath.Join(root, "sub", "d"), append([]byte("From x@y Mon Jan  5 10:00:00 2026\n"), m("d with envelope")...))
	testutil.WriteFile(t, filepath.Join(root, "sub", "e.eml.gz"), gz(t, m("e gz")))
	testutil.WriteFile(t, filepath.Join(root, "sub", "index.csv"), []byte("file,label\nb.eml,phish\n"))
	testutil.WriteFile(t, filepath.Join(root, "sub", "blob.bin"), fixture(t, "junk.bin"))
	testutil.WriteFile(t, filepath.Join(root, ".git", "x.eml"), m("hidden"))
	kind, msgs := readAll(t, root, Options{})
	if kind != KindEMLDir {
		t.Fatalf("kind = %v", kind)
	}
	var got []string
	for _, m := range msgs {
		got = append(got, dirPlace(t, root, m.Loc)+"|"+subject(m.Raw))
	}
	// sub/d starts with an envelope line: it is an mbox of one message.
	want := []string{"a.eml|a", "b.eml|b", "sub/d@34|d with envelope", "sub/e.eml.gz|e gz", "sub/deeper/c.eml|c"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if !bytes.HasPrefix(msgs[2].Raw, []byte("Subject:")) {
		t.Errorf("envelope line kept: %q", msgs[2].Raw)
	}
	// The same identity as when the file is read alone as a message.
	if l, err := loadFile(filepath.Join(root, "sub", "d"), DefaultMaxMessageSize, false); err != nil || !bytes.Equal(l.raw, msgs[2].Raw) {
		t.Errorf("sub/d alone: %q, %v; in the folder: %q", l.raw, err, msgs[2].Raw)
	}
}

// dirPlace names where a message of the folder root was found: the file
// (relative to root) for a message file, file@offset for an mbox message.
func dirPlace(t *testing.T, root string, loc Locator) string {
	t.Helper()
	if loc.File != "" {
		if loc.Path != root {
			t.Errorf("locator %+v: path is not the folder %s", loc, root)
		}
		return loc.File
	}
	rel, err := filepath.Rel(root, loc.Path)
	if err != nil || !loc.IsMbox() {
		t.Errorf("locator %+v: neither a file of %s nor an mbox message (%v)", loc, root, err)
	}
	return fmt.Sprintf("%s@%d", filepath.ToSlash(rel), loc.Offset)
}

// TestEMLDirWithMboxes: a folder mixing .eml files and mbox files, nested,
// plain and compressed, reads every mbox as a mailbox (issue 14 item 6),
// each message with the identity and locator it has when its mbox is
// opened alone; a broken mbox is skipped and the folder goes on.
func TestEMLDirWithMboxes(t *testing.T) {
	root := t.TempDir()
	testutil.WriteFile(t, filepath.Join(root, "a.eml"), fixture(t, "single.eml"))
	testutil.WriteFile(t, filepath.Join(root, "inbox.mbox"), fixture(t, "mboxo.mbox"))
	testutil.WriteFile(t, filepath.Join(root, "2026", "jan", "archive.mbox.gz"), gz(t, fixture(t, "mboxrd.mbox")))
	testutil.WriteFile(t, filepath.Join(root, "2026", "Sent"), fixture(t, "mboxcl2.mbox")) // Thunderbird: no extension
	testutil.WriteFile(t, filepath.Join(root, "2026", "empty.mbox"), nil)
	testutil.WriteFile(t, filepath.Join(root, "2026", "z.eml"), []byte("Subject: z\n\nlast\n"))
	kind, msgs := readAll(t, root, Options{})
	if kind != KindEMLDir {
		t.Fatalf("kind = %v", kind)
	}
	var places []string
	for _, m := range msgs {
		places = append(places, dirPlace(t, root, m.Loc))
	}
	// Every message of each mbox, as read alone, in the folder's order.
	var want []*Message
	var wantPlaces []string
	add := func(rel string, all bool) {
		path := filepath.Join(root, filepath.FromSlash(rel))
		r, err := OpenWith(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for {
			m, err := r.Next()
			if err != nil {
				break
			}
			want = append(want, m)
			if m.Loc.File == "" {
				wantPlaces = append(wantPlaces, fmt.Sprintf("%s@%d", rel, m.Loc.Offset))
			} else {
				wantPlaces = append(wantPlaces, rel)
			}
			if !all {
				break
			}
		}
	}
	add("a.eml", true)
	add("inbox.mbox", true)
	add("2026/Sent", true)
	wantPlaces = append(wantPlaces, "2026/z.eml") // files first, then sub-folders
	want = append(want, &Message{Raw: []byte("Subject: z\n\nlast\n")})
	add("2026/jan/archive.mbox.gz", true)
	wantPlaces[0] = "a.eml"
	if !slices.Equal(places, wantPlaces) {
		t.Fatalf("places:\n got  %q\n want %q", places, wantPlaces)
	}
	for i, m := range want {
		if !bytes.Equal(msgs[i].Raw, m.Raw) || msgs[i].ID() != m.ID() {
			t.Errorf("%s: raw differs from the mbox read alone", places[i])
		}
	}
	if len(msgs) != 9 {
		t.Errorf("%d messages, want every message of every mbox", len(msgs))
	}

	// A truncated compressed mbox: what could be read is kept, the rest of
	// the file is skipped with a report, and the folder goes on.
	bad := t.TempDir()
	var big bytes.Buffer
	for i := range 200 {
		sum := sha256.Sum256([]byte{byte(i)})
		fmt.Fprintf(&big, "From x@y Mon Jan  5 10:00:00 2026\nSubject: %d\n\n%x\n\n", i, sum)
	}
	broken := gz(t, big.Bytes())
	testutil.WriteFile(t, filepath.Join(bad, "a-broken.mbox.gz"), broken[:len(broken)*6/10])
	testutil.WriteFile(t, filepath.Join(bad, "b.eml"), []byte("Subject: b\n\nafter\n"))
	var skipped []string
	_, msgs = readAll(t, bad, Options{OnSkip: func(p string, err error) { skipped = append(skipped, p) }})
	if len(msgs) == 0 || subject(msgs[len(msgs)-1].Raw) != "b" {
		t.Errorf("after a broken mbox: %d messages, the last is not b.eml", len(msgs))
	}
	if len(skipped) != 1 || !strings.HasSuffix(skipped[0], "a-broken.mbox.gz") {
		t.Errorf("skipped %q, want the broken mbox", skipped)
	}
}

// TestGzipEML checks a compressed single message and stdin-like streams.
func TestGzipEML(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.eml.gz")
	testutil.WriteFile(t, path, gz(t, fixture(t, "single.eml")))
	kind, msgs := readAll(t, path, Options{})
	if kind != KindEML || len(msgs) != 1 || !bytes.Equal(msgs[0].Raw, fixture(t, "single.eml")) {
		t.Fatalf("kind %v, %d messages", kind, len(msgs))
	}
	r, err := OpenReader("-", bytes.NewReader(gz(t, fixture(t, "mboxo.mbox"))))
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.Next()
	if err != nil || subject(m.Raw) != "first" {
		t.Fatalf("stream: %v", err)
	}
	if _, err := ReadRaw(m.Loc); !errors.Is(err, ErrNotReplayable) {
		t.Errorf("ReadRaw of stdin: %v, want ErrNotReplayable", err)
	}
}

// TestNotMailbox checks the errors for things that are not mailboxes.
func TestNotMailbox(t *testing.T) {
	empty := t.TempDir()
	junkDir := t.TempDir()
	testutil.WriteFile(t, filepath.Join(junkDir, "a.bin"), fixture(t, "junk.bin"))
	testutil.WriteFile(t, filepath.Join(junkDir, "notes.txt"), fixture(t, "notmail.txt"))
	for _, path := range []string{"testdata/junk.bin", "testdata/notmail.txt", empty, junkDir} {
		_, err := Open(path)
		if !errors.Is(err, ErrNotMailbox) || !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%s) = %v, want ErrNotMailbox naming the path", path, err)
		}
	}
	_, err := Open("testdata/does-not-exist")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "does-not-exist") {
		t.Errorf("missing file: %v", err)
	}
}

func TestMessageID(t *testing.T) {
	m := &Message{Raw: []byte("abc")}
	const want = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := m.ID(); got != want {
		t.Errorf("ID = %s, want %s", got, want)
	}
}

func TestMaildirFlags(t *testing.T) {
	testutil.Cases(t, "maildirFlags", maildirFlags, map[string]string{
		"1.a.host:2,SR":      "RS",
		"1.a.host;2,Sb":      "S",
		"1.a.host:2,RDF,":    "DFR",
		"1.a.host":           "",
		"1.a.host:2,":        "",
		"1.a.host,S=10:2,TT": "T",
	})
}

func TestIsPostmark(t *testing.T) {
	isPostmarkString := func(tail string) bool { return isPostmark([]byte(tail)) }
	testutil.Cases(t, "isPostmark", isPostmarkString, map[string]bool{
		"a@b.example Mon Jan  5 10:00:00 2026":   true,
		"-":                                      true,
		"- Mon Jun  3 12:50:27 1996":             true,
		"1844347792267117879@xxx":                true,
		"MAILER-DAEMON Fri Jul  8 12:08:34 2011": true,
		"Russia with love":                       false,
		"perl5-porters:":                         false,
		"":                                       false,
	})
}

// TestEMLDirEnvelopeLine: an .eml file saved with its envelope "From "
// line (SpamAssassin's corpus does this) is one message even when its body
// has thousands of lines starting with "From " (a digest); only files not
// named .eml are read as mboxes.
func TestEMLDirEnvelopeLine(t *testing.T) {
	root := t.TempDir()
	var body bytes.Buffer
	body.WriteString("From someone@example.com  Thu Aug 22 12:46:39 2002\nFrom: a@example.com\nSubject: digest\n\n")
	for i := range 50 {
		fmt.Fprintf(&body, "\nFrom MAILER-DAEMON Mon Dec 21 08:39:41 2020\n\nitem %d\n", i)
	}
	testutil.WriteFile(t, filepath.Join(root, "0001.digest.eml"), body.Bytes())
	testutil.WriteFile(t, filepath.Join(root, "0002.EML"), []byte("From x@example.com  Thu Aug 22 12:46:39 2002\nSubject: b\n\nbody\n"))
	_, msgs := readAll(t, root, Options{})
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2 (one per .eml file)", len(msgs))
	}
	if !bytes.Contains(msgs[0].Raw, []byte("\nitem 49\n")) || bytes.HasPrefix(msgs[0].Raw, []byte("From ")) {
		t.Errorf("digest message: envelope line kept or body cut:\n%.200s", msgs[0].Raw)
	}
}

// drainSkipping opens root with skips reported to log and reads every
// message, failing the test when that takes more than 5 seconds (a FIFO
// opened for reading blocks).
func drainSkipping(t *testing.T, root string, log *skipLog) []*Message {
	t.Helper()
	var msgs []*Message
	testutil.Within(t, 5*time.Second, func() {
		r, err := OpenWith(root, Options{OnSkip: log.add})
		if err != nil {
			t.Error(err)
			return
		}
		defer r.Close()
		msgs = drain(t, r)
	})
	return msgs
}

const oneMsg = "From: a@example.com\nSubject: hi\n\nbody\n"

type skipLog struct{ paths, errs []string }

func (l *skipLog) add(path string, err error) {
	l.paths = append(l.paths, path)
	l.errs = append(l.errs, err.Error())
}

func TestFIFOPathIsRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe.mbox")
	testutil.Mkfifo(t, p)
	testutil.Within(t, 5*time.Second, func() {
		_, err := Open(p)
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("Open(fifo) = %v, want ErrNotRegular (named pipe)", err)
		}
		if _, err := ReadRaw(Locator{Path: p, Offset: 5, Length: 10}); !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadRaw(fifo mbox) = %v, want ErrNotRegular", err)
		}
		if _, err := OpenMboxTail(p, 0, Options{}); !errors.Is(err, ErrNotRegular) {
			t.Errorf("OpenMboxTail(fifo) = %v, want ErrNotRegular", err)
		}
	})
}

// A named pipe inside a maildir (given directly, or behind a symbolic
// link) is skipped and reported, and the other messages are read.
func TestFIFOInMaildirIsSkipped(t *testing.T) {
	root := testutil.Maildir(t, t.TempDir(), oneMsg)
	fifo := filepath.Join(root, "cur", "2.host:2,S")
	testutil.Mkfifo(t, fifo)
	if err := os.Symlink(fifo, filepath.Join(root, "cur", "3.host:2,")); err != nil {
		t.Fatal(err)
	}
	var log skipLog
	if msgs := drainSkipping(t, root, &log); len(msgs) != 1 || len(msgs[0].Warnings) != 0 {
		t.Errorf("got %d messages (%v), want 1 without warnings", len(msgs), msgs)
	}
	if len(log.paths) != 2 || log.paths[0] != fifo || !strings.Contains(log.errs[0], "named pipe") ||
		!strings.HasSuffix(log.paths[1], "3.host:2,") || !strings.Contains(log.errs[1], "not a regular file") {
		t.Errorf("skipped %q %q, want the pipe and the link to it", log.paths, log.errs)
	}
}

func TestFIFOInEMLDirIsSkipped(t *testing.T) {
	root := t.TempDir()
	testutil.WriteFile(t, filepath.Join(root, "a.eml"), []byte(oneMsg))
	testutil.Mkfifo(t, filepath.Join(root, "b.eml"))
	var log skipLog
	if msgs := drainSkipping(t, root, &log); len(msgs) != 1 {
		t.Errorf("got %d messages, want 1", len(msgs))
	}
	if len(log.paths) != 1 || !strings.HasSuffix(log.paths[0], "b.eml") || !strings.Contains(log.errs[0], "named pipe") {
		t.Errorf("skipped %q %q, want b.eml as a named pipe", log.paths, log.errs)
	}
}

// An unreadable message file is reported to OnSkip even when it sorts last
// (it used to become a warning of the next message, lost when there was
// none). Root can read any file, so a dangling symbolic link stands for
// the unreadable file.
func TestUnreadableLastFileIsReported(t *testing.T) {
	root := testutil.Maildir(t, t.TempDir())
	for _, n := range []string{"1.a", "2.a", "3.a"} {
		testutil.WriteFile(t, filepath.Join(root, "cur", n), []byte(oneMsg))
	}
	gone := filepath.Join(root, "cur", "9.gone")
	if err := os.Symlink(filepath.Join(root, "nowhere"), gone); err != nil {
		t.Fatal(err)
	}
	var log skipLog
	r, err := OpenWith(root, Options{OnSkip: log.add})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	msgs := drain(t, r)
	if len(msgs) != 3 {
		t.Fatalf("got %d messages, want 3", len(msgs))
	}
	for _, m := range msgs {
		if len(m.Warnings) != 0 {
			t.Errorf("%s: warnings %q", m.Loc.File, m.Warnings)
		}
	}
	if len(log.paths) != 1 || log.paths[0] != gone || !strings.Contains(log.errs[0], "no such file") {
		t.Errorf("skipped %q %q, want %s", log.paths, log.errs, gone)
	}
	var pe *fs.PathError
	if _, err := ReadRaw(Locator{Path: root, File: "cur/9.gone"}); !errors.As(err, &pe) {
		t.Errorf("ReadRaw(gone) = %v", err)
	}
}
