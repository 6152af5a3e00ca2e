package ingest

// cachedGCPercent is the collector's GOGC while the rows of an unchanged
// source are delivered from the store (held with internal/gcpercent,
// which also lets the ingest's heap bound and the user's GOGC have their
// say). The live heap is then a few batches of rows and the decoders'
// shared lists (some 10 MB), and at the default GOGC the collector ran
// every few MB of rows decoded. Measured on a re-open of 106,150 messages
// (perf stat, 3×10 runs): GOGC 100 0.34 s CPU, 200 and 400 0.28 s; RSS
// 50, 57 and 76 MB. At 1,000,000 messages 200 costs no CPU and RSS goes
// 130 → 167 MB.
const cachedGCPercent = 200
