package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// waveMbox writes an mbox of four messages of one phishing wave (another
// recipient and tracking number each) and one unrelated message.
func waveMbox(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for n := 1; n <= 4; n++ {
		fmt.Fprintf(&b, "From wave@localhost Mon Jan  5 10:00:00 2026\nFrom: Parcel Service <notice@parcel-track.example>\n"+
			"To: user%d@corp.example\nSubject: Your parcel TRK%06d is waiting\nDate: Mon, 5 Jan 2026 10:%02d:00 +0000\n\n"+
			"Dear customer, your parcel could not be delivered because the customs fee was not paid.\n"+
			"Pay within 24 hours at https://parcel-fee.example/pay/%d or it returns to the sender.\n\n", n, 100000+n, n, 7000+n)
	}
	b.WriteString("From other@localhost Mon Jan  5 12:00:00 2026\nFrom: Bob <bob@corp.example>\nTo: alice@corp.example\n" +
		"Subject: Lunch tomorrow\nDate: Mon, 5 Jan 2026 12:00:00 +0000\n\nShall we meet at noon?\n\n")
	p := filepath.Join(t.TempDir(), "wave.mbox")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A campaign labeled in one session reaches the other session at once:
// every member's label, in its list and its label counts.
func TestServeTwoSessionsSeeACampaignLabel(t *testing.T) {
	e := newEnv(t, envOpts{mbox: waveMbox(t)})
	a := e.open(e.alice, 120, 30)
	b := e.open(e.bob, 120, 30)
	a.waitFor(0, "▸")
	b.waitFor(0, "▸")
	time.Sleep(100 * time.Millisecond)
	a.send("C")
	// The campaign pane's title: drawn whole on an empty pane. (The status
	// line "2 campaigns · 4 messages in campaigns of 2 or more" follows a
	// "loading campaigns…" frame, and the renderer may send only the cells
	// that changed, so the output need not hold it in one piece.)
	a.waitFor(0, "· 4 messages")
	mark := b.out.Len()
	a.send("p")
	a.waitFor(0, "4 message(s) → phish")
	// Bob's selected message is in the campaign: he is told at once. (The
	// label counts change too, but the renderer redraws only the changed
	// cells.)
	b.waitFor(mark, "alice labeled this message phish")
	a.send("q")
	b.send("q")
	a.wait()
	b.wait()
	if ids := labeled(t, e.st, "phish"); len(ids) != 4 {
		t.Errorf("phish labels: %d, want 4", len(ids))
	}
}
