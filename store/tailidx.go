package store

import (
	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/store/internal/tailidx"
)

// The ID-keyed indexes (reports: message ID → blob pointer ‖ sequence;
// msgid: Message-ID ‖ message ID) cannot be keyed by arrival order: they
// are looked up by ID. Since schema 6 each has a tail bucket that new
// entries go to, merged into the main bucket in key order once it holds
// 1/4 of the messages (store/internal/tailidx): before, every message
// dirtied a random leaf of each, which made ingest superlinear (3× the
// messages cost 5× the CPU and 3× the memory).
var (
	bucketReportsTail = []byte("reports_tail") // as bucketReports, for messages stored since the last merge
	bucketMsgIDTail   = []byte("msgid_tail")   // as bucketMsgID, for entries written since the last merge

	reportsIndex = tailidx.Index{Main: bucketReports, Tail: bucketReportsTail}
	msgIDIndex   = tailidx.Index{Main: bucketMsgID, Tail: bucketMsgIDTail}
)

// migrateTails upgrades schema 5 to 6: the tail buckets are created (by
// initTx, with allBuckets) empty; nothing is moved.
func migrateTails(*bolt.Tx) error { return nil }

// mergeTails merges both tails into their main buckets when the reports
// tail holds at least least entries and 1/4 of all messages.
func mergeTails(tx *bolt.Tx, least uint64) error {
	return tailidx.Merge(tx, least, reportsIndex, msgIDIndex)
}
