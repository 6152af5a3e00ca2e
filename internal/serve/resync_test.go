package serve

import (
	"testing"

	"github.com/triage-tools/triage/internal/ingest"
)

// After a resync the replay's labels are the current ones: a label
// cleared or changed while the server's feed lagged (the change never
// reached SetLabel) used to be replayed as it was committed.
func TestBroadcasterResetLabels(t *testing.T) {
	b := NewBroadcaster()
	rows := rowsN(0, 6)
	rows[1].Label = "benign" // committed labeled, cleared since
	rows[2].Label = "phish"  // committed labeled, relabeled since
	b.Publish(ingest.Event{Done: 6, Rows: rows})
	b.SetLabel("id0003", "phish") // recorded, then cleared unseen
	b.ResetLabels(map[string]string{"id0002": "spam", "id0004": "benign"})
	ch, cancel := b.Subscribe() // a session joining after the resync
	defer cancel()
	b.Publish(ingest.Event{Done: 6, Total: 6, Finished: true})
	_, labels, _ := collect(t, ch)
	want := map[string]string{"id0000": "", "id0001": "", "id0002": "spam", "id0003": "", "id0004": "benign", "id0005": ""}
	for id, l := range want {
		if labels[id] != l {
			t.Errorf("replayed %s with label %q, want %q", id, labels[id], l)
		}
	}
}
