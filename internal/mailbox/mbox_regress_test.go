package mailbox

import (
	"strings"
	"testing"
)

// readAllString splits an in-memory mbox and returns the raw messages.
func readAllString(t *testing.T, mbox string) []string {
	t.Helper()
	rd, err := OpenReader("test.mbox", strings.NewReader(mbox))
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var out []string
	for _, m := range drain(t, rd) {
		out = append(out, string(m.Raw))
	}
	return out
}

// Messages saved with their own envelope line and then appended to an
// mbox start with a quoted ">From " line; empty messages are a postmark
// followed by a blank line. Both are separators (mkcorpus.py writes both).
func TestSeparatorBeforeQuotedFromAndEmptyMessage(t *testing.T) {
	const pm = "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n"
	mbox := pm + "Subject: one\n\nbody\n\n" +
		pm + ">From fork-admin@xent.com  Tue Oct  1 10:41:58 2002\nSubject: two\n\nbody\n\n" +
		pm + "\n\n" +
		pm + "Subject: four\n\nbody\n\n"
	got := readAllString(t, mbox)
	if len(got) != 4 {
		t.Fatalf("got %d messages, want 4: %q", len(got), got)
	}
	if !strings.HasPrefix(got[1], "From fork-admin@xent.com") {
		t.Errorf("quoted envelope line not unescaped: %q", got[1])
	}
	if strings.TrimSpace(got[2]) != "" {
		t.Errorf("empty message = %q", got[2])
	}
}

// The last message must have the same bytes as it would have if more
// messages followed, or appending to an mbox would change its identity.
func TestLastMessageStableUnderAppend(t *testing.T) {
	const pm = "From a@example.com Thu Jan  1 00:00:00 1970\n"
	one := pm + "Subject: a\n\nbody\n\n"
	two := one + pm + "Subject: b\n\nbody\n\n"
	a, b := readAllString(t, one), readAllString(t, two)
	if len(a) != 1 || len(b) != 2 || a[0] != b[0] {
		t.Fatalf("last message changed when a message was appended: %q vs %q", a, b)
	}
}

// A Content-Length that claims far more than the message holds, with a
// valid separator before the claimed end, is a lie: the reader splits on
// the separator (and does not buffer the claimed megabytes first).
func TestHugeLyingContentLength(t *testing.T) {
	const pm = "From a@example.com Thu Jan  1 00:00:00 1970\n"
	mbox := pm + "Subject: one\nContent-Length: 27539914\n\nbody one\n\n" +
		pm + "Subject: two\n\nbody two\n\n"
	got := readAllString(t, mbox)
	if len(got) != 2 || !strings.Contains(got[0], "body one") || strings.Contains(got[0], "two") {
		t.Fatalf("got %d messages: %q", len(got), got)
	}
}
