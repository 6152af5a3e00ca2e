package ui

import (
	"strings"
	"testing"
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
	for _, want := range []string{"\nip-src 121[.]50[.]46[.]57\n", "url hxxp://34-227-30-224[.]cprapid[.]com/", "email-src "} {
		if !strings.Contains(c, want) {
			t.Errorf("clipboard lacks %q:\n%s", want, c)
		}
	}
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
