package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/ingest"
)

// TestProgressTitleBytes checks the title bar while a file mailbox loads:
// the share of its bytes, its size and the time left; and for a maildir
// the counted total.
func TestProgressTitleBytes(t *testing.T) {
	h := newHarness(t, 100, 24)
	ev := ingest.Event{Source: "big.mbox", Done: 4500, Rate: 1500, Bytes: 450e6, TotalBytes: 991e6, ETA: 3*time.Second + 200*time.Millisecond}
	h.send(progressMsg{ok: true, ev: ev})
	want := "analysing 4,500 · 45% of 991 MB · 1,500 msg/s · 0:04 left"
	if s := h.screen(); !strings.Contains(s, want) {
		t.Fatalf("title lacks %q:\n%s", want, s)
	}
	ev = ingest.Event{Source: "Maildir", Done: 30, Total: 120, Rate: 10, ETA: 9 * time.Second}
	h.send(progressMsg{ok: true, ev: ev})
	want = "analysing 30/120 · 10 msg/s · 0:09 left"
	if s := h.screen(); !strings.Contains(s, want) {
		t.Fatalf("title lacks %q:\n%s", want, s)
	}
}

func TestETAText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Second / 2:              "0:01",
		59 * time.Second:             "0:59",
		61 * time.Second:             "1:01",
		2*time.Hour + 3*time.Minute:  "2:03:00",
		10*time.Minute + time.Second: "10:01",
	} {
		if got := etaText(d); got != want {
			t.Errorf("etaText(%v) = %q, want %q", d, got, want)
		}
	}
}
