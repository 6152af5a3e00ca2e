package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/internal/ui/campaigns"
)

// I in the summary pane copies the message's indicators, defanged, as
// the OSC 52 clipboard text.
func TestCopyIndicators(t *testing.T) {
	h := newHarness(t, 80, 24)
	if h.m.c.Keys.CopyIOCs.Enabled() {
		t.Fatal("I enabled in the list")
	}
	h.keys("I")
	if len(h.clips) != 0 {
		t.Fatal("I copied from the list")
	}
	h.keys("enter", "1")
	if !h.m.c.Keys.CopyIOCs.Enabled() {
		t.Fatal("I not enabled in the summary pane")
	}
	h.keys("I")
	if len(h.clips) != 1 {
		t.Fatalf("clips = %q", h.clips)
	}
	c := h.clips[0]
	testutil.TextHas(t, "clipboard", c, "\nip-src 121[.]50[.]46[.]57\n", "url hxxp://34-227-30-224[.]cprapid[.]com/", "email-src ")
	if strings.Contains(c, "http://") || strings.Contains(c, "121.50.46.57") {
		t.Errorf("clipboard not defanged:\n%s", c)
	}
	if !strings.Contains(h.screen(), "copied") {
		t.Errorf("no confirmation on screen")
	}
	h.keys("2") // headers pane: I is a summary-pane action
	if h.m.c.Keys.CopyIOCs.Enabled() {
		t.Error("I enabled in the headers pane")
	}
}

// I in campaign mode copies the indicators of the selected campaign's
// members, defanged, in the same "type value" text as a message's; the
// message's I still works after leaving campaign mode.
func TestCopyCampaignIndicators(t *testing.T) {
	st, ids := campaignStore(t)
	h := campaignHarness(t, st, "alice", 160, 48)
	h.keys("C")
	if !h.m.c.Keys.CopyIOCs.Enabled() {
		t.Fatal("I not enabled in campaign mode")
	}
	c, ok := h.m.camps.Selected()
	if !ok || c.Size() != 5 {
		t.Fatalf("selected campaign %+v", c)
	}
	h.keys("I")
	if len(h.clips) != 1 {
		t.Fatalf("clips = %q", h.clips)
	}
	clip := h.clips[0]
	want := []string{"domain parcel-fee[.]example\n", "email-src notice[@]parcel-track[.]example\n"}
	for n := 1; n <= 5; n++ {
		want = append(want, fmt.Sprintf("url hxxps://parcel-fee[.]example/pay/%d\n", 7000+n))
	}
	for _, w := range want {
		if !strings.Contains(clip, w) {
			t.Errorf("campaign clipboard lacks %q:\n%s", w, clip)
		}
	}
	if strings.Contains(clip, "://parcel-fee.example") || strings.Contains(clip, "secure-bank") {
		t.Errorf("campaign clipboard not defanged, or holds another campaign's indicators:\n%s", clip)
	}
	// The same text as the members' own indicators, collected together.
	if want := campaigns.Indicators(st, c.ID, c.Members); clip != want {
		t.Errorf("clipboard %q, want %q", clip, want)
	}
	if s := h.screen(); !strings.Contains(s, fmt.Sprintf("copied %d indicators of %s", strings.Count(clip, "\n"), c.ID)) {
		t.Errorf("no count flashed:\n%s", s)
	}

	// The second campaign (the bank wave) has its own indicators.
	h.keys("j", "I")
	if len(h.clips) != 2 || !strings.Contains(h.clips[1], "secure-bank[.]example") || strings.Contains(h.clips[1], "parcel-fee") {
		t.Errorf("second campaign clipboard %q", h.clips[1:])
	}

	// Back to messages: a message's I in the summary pane still copies
	// that message's indicators only.
	h.keys("C")
	for h.selected() != ids[0] {
		before := h.selected()
		h.keys("j")
		if h.selected() == before {
			t.Fatalf("message %s not in the list", ids[0])
		}
	}
	h.keys("enter", "1", "I")
	if len(h.clips) != 3 {
		t.Fatalf("message I: clips = %q", h.clips)
	}
	if m := h.clips[2]; !strings.Contains(m, "url hxxps://parcel-fee[.]example/pay/7001\n") || strings.Contains(m, "/pay/7002") {
		t.Errorf("message clipboard %q", m)
	}
}
