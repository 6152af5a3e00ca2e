package mailbox

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

type expectedFile struct {
	Messages       int      `json:"messages"`
	Error          bool     `json:"error"`
	SortedSubjects []string `json:"sorted_subjects"`
}

func sortedSubjects(msgs []*Message) []string {
	var s []string
	for _, m := range msgs {
		s = append(s, subject(m.Raw))
	}
	slices.Sort(s)
	return s
}

// TestCorpusMboxExpected checks message counts and subjects against the
// expected.json files of the shared corpus.
func TestCorpusMboxExpected(t *testing.T) {
	root := sharedDir(t)
	for _, dir := range []string{"mbox/email_folder", "mbox/go_mbox"} {
		var exp struct {
			Files map[string]expectedFile `json:"files"`
		}
		testutil.LoadJSON(t, filepath.Join(root, dir, "expected.json"), &exp)
		if len(exp.Files) == 0 {
			t.Fatalf("%s: no files in expected.json", dir)
		}
		for name, want := range exp.Files {
			t.Run(name, func(t *testing.T) {
				path := filepath.Join(root, dir, name)
				if want.Error {
					// A file without a "From " line is not an mbox: Open
					// treats it as a single message instead.
					kind, msgs := readAll(t, path, Options{})
					if kind == KindMbox {
						t.Fatalf("kind = %v, want not an mbox", kind)
					}
					if len(msgs) != 1 {
						t.Fatalf("got %d messages, want 1 (single message)", len(msgs))
					}
					return
				}
				kind, msgs := readAll(t, path, Options{})
				if kind != KindMbox {
					t.Errorf("kind = %v, want mbox", kind)
				}
				if len(msgs) != want.Messages {
					t.Fatalf("got %d messages, want %d", len(msgs), want.Messages)
				}
				if want.SortedSubjects != nil {
					if got := sortedSubjects(msgs); !slices.Equal(got, want.SortedSubjects) {
						t.Errorf("subjects:\n got %q\nwant %q", got, want.SortedSubjects)
					}
				}
			})
		}
	}
}

// TestCorpusGoMboxFirstMessage compares the first message with go-mbox's
// expectation (mboxrd unquoting of ">From ").
func TestCorpusGoMboxFirstMessage(t *testing.T) {
	root := sharedDir(t)
	want := testutil.ReadFile(t, filepath.Join(root, "mbox/go_mbox/mboxFirstMessage.expected.txt"))
	for _, name := range []string{"mboxWithOneMessage.mbox", "mboxWithThreeMessages.mbox", "mboxWithStartingLF.mbox"} {
		_, msgs := readAll(t, filepath.Join(root, "mbox/go_mbox", name), Options{})
		if len(msgs) == 0 {
			t.Fatalf("%s: no messages", name)
		}
		got := bytes.TrimRight(msgs[0].Raw, "\n")
		if !bytes.Equal(got, bytes.TrimRight(want, "\n")) {
			t.Errorf("%s: first message\n got %q\nwant %q", name, got, want)
		}
	}
}

type mimekitOffsets struct {
	Marker int64 `json:"mboxMarkerOffset"`
	Begin  int64 `json:"beginOffset"`
	End    int64 `json:"endOffset"`
}

// TestCorpusMimekitOffsets checks separator, begin and end offsets
// against mimekit's, for the LF files and their CRLF conversions.
func TestCorpusMimekitOffsets(t *testing.T) {
	root := sharedDir(t)
	for _, base := range []string{"content-length", "issue1189"} {
		for _, variant := range []string{"unix", "dos"} {
			t.Run(base+"."+variant, func(t *testing.T) {
				var want []mimekitOffsets
				testutil.LoadJSON(t, filepath.Join(root, "mbox/mimekit", base+"."+variant+"-offsets.json"), &want)
				path := filepath.Join(root, "mbox/mimekit", base+".mbox")
				if variant == "dos" {
					b := testutil.ReadFile(t, path)
					path = filepath.Join(t.TempDir(), base+".dos.mbox")
					b = bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
					testutil.WriteFile(t, path, b)
				}
				_, msgs := readAll(t, path, Options{})
				if len(msgs) != len(want) {
					t.Fatalf("got %d messages, want %d", len(msgs), len(want))
				}
				eol := int64(1)
				if variant == "dos" {
					eol = 2
				}
				for i, w := range want {
					l := msgs[i].Loc
					got := mimekitOffsets{msgs[i].SepOffset, l.Offset, l.Offset + l.Length}
					// mimekit always gives the line terminator before a
					// separator to the separator; we do so only when it ends a
					// blank line (like Python's mailbox), so that a message
					// keeps its last line's terminator when the writer did not
					// add a blank line.
					if got.End == w.End+eol && i+1 < len(want) && got.End == want[i+1].Marker {
						got.End = w.End
					}
					if got != w {
						t.Errorf("message %d: got %+v, want %+v", i, got, w)
					}
				}
			})
		}
	}
}

// TestCorpusOtherMboxes checks counts of the corpus mboxes without an
// expected.json (counts from the source projects' tests and the "From "
// lines of the files).
func TestCorpusOtherMboxes(t *testing.T) {
	root := sharedDir(t)
	for _, tc := range []struct {
		path string
		want int
	}{
		{"mbox/mimekit/simple.mbox", 3},
		// mimekit splits at both "From Russia with love" lines (4); they are
		// body lines of 2 messages, rejected as postmarks here.
		{"mbox/mimekit/unmunged.mbox", 2},
		{"mbox/spamassassin/nice.mbox", 3},
		{"phishing_nazario/phishing0-part1-dev.mbox", 310},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			path := filepath.Join(root, tc.path)
			if _, err := os.Stat(path); err != nil {
				t.Skip(err)
			}
			_, msgs := readAll(t, path, Options{})
			if len(msgs) != tc.want {
				t.Fatalf("got %d messages, want %d", len(msgs), tc.want)
			}
			for i, m := range msgs {
				if subject(m.Raw) == "" && !strings.Contains(tc.path, "unmunged") && !strings.Contains(tc.path, "simple") {
					t.Errorf("message %d has no subject: %q", i, trunc(m.Raw))
				}
			}
		})
	}
}

// TestCorpusMaildirs checks the corpus maildirs against their expected.json.
func TestCorpusMaildirs(t *testing.T) {
	root := sharedDir(t)
	t.Run("email_folder_testmaildir", func(t *testing.T) {
		dir := filepath.Join(root, "maildir/email_folder_testmaildir")
		var want expectedFile
		testutil.LoadJSON(t, filepath.Join(dir, "expected.json"), &want)
		kind, msgs := readAll(t, dir, Options{})
		if kind != KindMaildir {
			t.Errorf("kind = %v", kind)
		}
		if len(msgs) != want.Messages {
			t.Fatalf("got %d messages, want %d", len(msgs), want.Messages)
		}
		if got := sortedSubjects(msgs); !slices.Equal(got, want.SortedSubjects) {
			t.Errorf("subjects:\n got %q\nwant %q", got, want.SortedSubjects)
		}
		for _, m := range msgs {
			if strings.Contains(m.Loc.File, "tmp/") {
				t.Errorf("message from tmp/: %s", m.Loc.File)
			}
		}
	})
	t.Run("stalwart_maildirpp", func(t *testing.T) {
		dir := filepath.Join(root, "maildir/stalwart_maildirpp")
		var exp struct {
			Expected []struct {
				Folder  string   `json:"folder"`
				Content string   `json:"content"`
				Flags   []string `json:"flags"`
			} `json:"expected"`
		}
		testutil.LoadJSON(t, filepath.Join(dir, "expected.json"), &exp)
		letter := map[string]string{"Seen": "S", "Trashed": "T", "Draft": "D", "Replied": "R", "Flagged": "F", "Passed": "P"}
		var want, got []string
		for _, e := range exp.Expected {
			var f []string
			for _, n := range e.Flags {
				f = append(f, letter[n])
			}
			slices.Sort(f)
			folder := e.Folder
			if folder == "INBOX" {
				folder = ""
			}
			want = append(want, folder+"|"+e.Content+"|"+strings.Join(f, ""))
		}
		_, msgs := readAll(t, dir, Options{})
		for _, m := range msgs {
			got = append(got, m.Loc.Folder+"|"+string(m.Raw)+"|"+m.Loc.Flags)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("got  %q\nwant %q", got, want)
		}
	})
}
