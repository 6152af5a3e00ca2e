package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/store"
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

// refsCounter is a fake store with campaigns that counts the reads of
// every message's campaign.
type refsCounter struct {
	*fakeStore
	reads int
}

func (r *refsCounter) CampaignSummaries(int, map[string]bool) ([]store.CampaignSummary, error) {
	return nil, nil
}
func (r *refsCounter) CampaignOf(string) (store.CampaignRef, error) { return store.CampaignRef{}, nil }
func (r *refsCounter) CampaignRefs() (map[string]store.CampaignRef, error) {
	r.reads++
	return nil, nil
}
func (r *refsCounter) SetLabels([]string, string, bool, store.Actor) ([]store.LabelChange, error) {
	return nil, nil
}
func (r *refsCounter) RevertLabels([]store.RevertOp, store.Actor) (done, refused []store.LabelChange, err error) {
	return nil, nil, nil
}

// TestProgressEndRereadsCampaigns checks that the end of an ingest run
// reads every message's campaign again only when the run stored rows: a
// re-open of unchanged mailboxes keeps what was read with the rows.
func TestProgressEndRereadsCampaigns(t *testing.T) {
	rows, reports, _ := fixture()
	rc := &refsCounter{fakeStore: newFakeStore(rows[:2], reports)}
	h := &harness{t: t, m: New(Options{Store: rc, Actor: store.Actor{Name: "a", Source: "tui"}, Title: "t", Location: time.UTC, NoSubscribe: true})}
	h.run(h.m.Init())
	h.send(windowSize(100, 24))
	if rc.reads != 1 {
		t.Fatalf("after the initial rows: %d campaign reads, want 1", rc.reads)
	}
	// deliver, not send: the command after an event waits for the next.
	h.deliver(progressMsg{ok: true, ev: progressEvent(2, 2, nil)})
	h.send(progressMsg{ok: true, ev: progressEvent(2, 2, nil, true)})
	if rc.reads != 1 {
		t.Fatalf("after an unchanged mailbox: %d campaign reads, want 1", rc.reads)
	}
	h.deliver(progressMsg{ok: true, ev: progressEvent(1, 3, rows[2:3])})
	h.send(progressMsg{ok: true, ev: progressEvent(3, 3, nil, true)})
	if rc.reads != 2 {
		t.Fatalf("after a run that stored a row: %d campaign reads, want 2", rc.reads)
	}
	if s := h.screen(); !strings.Contains(s, "3 msgs") {
		t.Errorf("the stored row is not listed:\n%s", s)
	}
}
