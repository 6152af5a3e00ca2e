package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// runEvents runs paths with a small batch size and returns every progress
// event.
func runEvents(t *testing.T, paths []string, opts Options) []Event {
	t.Helper()
	ch := make(chan Event, 1024)
	opts.Progress = ch
	opts.BatchSize = 4
	if _, err := Run(context.Background(), paths, opts); err != nil {
		t.Fatal(err)
	}
	close(ch)
	var evs []Event
	for ev := range ch {
		evs = append(evs, ev)
	}
	return evs
}

// TestProgressMboxBytes checks that a file mailbox reports bytes done out
// of the file's size, growing to the whole file, with no invented message
// total.
func TestProgressMboxBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.mbox")
	data := mboxOf(0, 200)
	testutil.WriteFile(t, path, []byte(data))
	evs := runEvents(t, []string{path}, Options{Store: openTemp(t)})
	var last int64
	batches := 0
	for _, ev := range evs {
		if ev.Finished {
			continue
		}
		batches++
		if ev.TotalBytes != int64(len(data)) {
			t.Fatalf("event %+v: TotalBytes = %d, want the file size %d", ev, ev.TotalBytes, len(data))
		}
		if ev.Bytes <= last || ev.Bytes > ev.TotalBytes {
			t.Fatalf("Bytes went from %d to %d (size %d)", last, ev.Bytes, ev.TotalBytes)
		}
		last = ev.Bytes
		if ev.Total != 0 {
			t.Errorf("mbox event has Total %d: the message count of an mbox is not known in advance", ev.Total)
		}
		if ev.Bytes < ev.TotalBytes && ev.ETA <= 0 {
			t.Errorf("no ETA at %d/%d bytes", ev.Bytes, ev.TotalBytes)
		}
	}
	if batches < 5 {
		t.Fatalf("%d batch events for 200 messages", batches)
	}
	// The last message ends one blank line before the end of the file.
	if last < int64(len(data))-2 {
		t.Errorf("last event at %d bytes of %d", last, len(data))
	}
}

// TestProgressMaildirCount checks that a maildir reports its file count
// as the total from the first event on.
func TestProgressMaildirCount(t *testing.T) {
	msgs := make([]string, 100)
	for i := range msgs {
		msgs[i] = fmt.Sprintf("From: a%d@example.org\nSubject: m %d\n\nbody %d\n", i, i, i)
	}
	root := testutil.Maildir(t, t.TempDir(), msgs...)
	evs := runEvents(t, []string{root}, Options{})
	if len(evs) < 3 {
		t.Fatalf("%d events", len(evs))
	}
	for _, ev := range evs {
		if ev.Total != 100 {
			t.Errorf("event Done %d: Total = %d, want 100", ev.Done, ev.Total)
		}
		if ev.TotalBytes != 0 {
			t.Errorf("maildir event has TotalBytes %d", ev.TotalBytes)
		}
	}
}
