// Package ingest connects a mailbox source to analysis and the store: a
// reader goroutine, a pool of analysis workers and a batched writer, with
// progress events for the CLI and the UI.
package ingest

import (
	"time"

	"github.com/triage-tools/triage/store"
)

// Event is sent on the progress channel after each committed batch and once
// at the end (Finished). Rows are the list rows of the messages committed in
// this batch (new or already known).
type Event struct {
	Source   string      // mailbox path
	Done     int         // messages processed so far (all sources)
	Total    int         // messages expected (all sources so far); 0 while unknown
	Rate     float64     // messages per second since the start
	Rows     []store.Row // rows committed in this batch
	Err      error       // a fatal error for Source (e.g. unreadable mailbox)
	Skipped  []Skip      // files of Source skipped since the previous event (not fatal)
	Finished bool        // no more events follow

	// Bytes and TotalBytes measure a file mailbox (an uncompressed mbox):
	// bytes read and analysed so far out of the file's size. Both are 0 for
	// other sources (maildir, folder, gzip, standard input).
	Bytes, TotalBytes int64
	// ETA estimates the time left for the current source, from the bytes
	// (file mailbox) or messages (maildir, counted at the start) done so
	// far; 0 while unknown.
	ETA time.Duration
}
