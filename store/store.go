package store

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/store/internal/analyst"
	"github.com/triage-tools/triage/store/internal/boltfile"
	"github.com/triage-tools/triage/store/internal/campstore"
	"github.com/triage-tools/triage/store/internal/groupcommit"
	"github.com/triage-tools/triage/store/internal/keyfilter"
	"github.com/triage-tools/triage/store/internal/legacy"
	"github.com/triage-tools/triage/store/internal/notify"
	"github.com/triage-tools/triage/store/internal/reporters"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the on-disk layout version written to the meta bucket.
const SchemaVersion = 7

// Bucket names. Message-keyed buckets use the raw 32-byte SHA-256 or the
// message's 8-byte sequence number (blobs.go) as key.
var (
	bucketMeta         = []byte("meta")          // "schema" → uint32 big endian
	bucketReports      = []byte("reports")       // id → 8-byte key of its blob in report_blobs ‖ 8-byte message sequence (see blobs.go)
	bucketRows         = []byte("rows")          // sequence → id ‖ encoded Row (see appendRow)
	bucketLocators     = []byte("locators")      // sequence → encoded []Locator
	bucketMsgID        = []byte("msgid")         // Message-ID bytes ‖ id → nil
	bucketSources      = []byte("sources")       // path → JSON Fingerprint
	bucketSourceIDs    = []byte("source_ids")    // path → concatenated ids, mailbox order
	bucketLabels       = []byte("labels")        // id → current label (absent when unlabeled)
	bucketLabelHistory = []byte("label_history") // id → JSON []LabelEvent, oldest first
	bucketNotes        = []byte("notes")         // id → JSON []Note
	bucketEnrichment   = []byte("enrichment")    // caller key → caller value

	allBuckets = [][]byte{
		bucketMeta, bucketReports, bucketBlobs, bucketRows, bucketLocators, bucketMsgID,
		bucketSources, bucketSourceIDs, bucketLabels, bucketLabelHistory,
		bucketNotes, bucketEnrichment,
		reporters.Bucket,
		bucketReportsTail, bucketMsgIDTail,
	}

	keySchema = []byte("schema")
)

// legacyBuckets are the buckets the first two migrations rewrite.
var legacyBuckets = legacy.Buckets{Index: bucketReports, Blobs: bucketBlobs, Rows: bucketRows, Meta: bucketMeta,
	Analyst: analystBuckets, Dangling: errDanglingReport}

// migrations[i] upgrades a database from schema version i+1 to i+2 inside
// the transaction it is given. Append a func whenever SchemaVersion is
// bumped; never edit an existing entry.
var migrations = []func(tx *bolt.Tx) error{
	legacyBuckets.MoveToBlobs,  // 1 → 2: reports moved to append-only blobs
	legacyBuckets.AddChecksums, // 2 → 3: checksums on analyst records, blobs and rows
	migrateS2,                  // 3 → 4: new reports in S2 blobs, reporters, campaigns, feature sets
	migrateSeqs,                // 4 → 5: message sequence numbers key rows, features, campaign members, locators
	migrateTails,               // 5 → 6: tails of the ID-keyed indexes (tailidx.go)
	migrateCBOR,                // 6 → 7: new reports in CBOR (format 4)
}

// migrateS2 upgrades schema 3 to 4. Nothing is rewritten: zstd blobs stay
// readable and the new buckets are created on open. The bump is for older
// triage binaries, which cannot read S2 report blobs (format 3) and would
// take them for damaged ones: they refuse a schema 4 store instead
// (ErrNewerSchema).
func migrateS2(*bolt.Tx) error { return nil }

// migrateCBOR upgrades schema 6 to 7, as migrateS2 did: new reports are
// written in CBOR (report format 4), older ones stay readable as they
// are, and older binaries, which would take a CBOR report for a damaged
// one, refuse the store instead.
func migrateCBOR(*bolt.Tx) error { return nil }

// Options configures Open.
type Options struct {
	// ReadOnly opens the file with a shared lock; writes return ErrReadOnly.
	// Several read-only stores may be open at once, but not alongside a
	// read-write one.
	ReadOnly bool
	// Timeout bounds the wait for the file lock; 0 means 1s. A database held
	// by another process yields ErrLocked within Timeout.
	Timeout time.Duration
	// Labels is the label set accepted by SetLabel; nil means DefaultLabels().
	Labels []string
	// LearnClasses says which labels teach the learned model what; nil
	// means learn.DefaultClasses(). Changing it rebuilds the model from the
	// labels (docs/learning.md).
	LearnClasses map[string]learn.Class
	// Raw reads a message's raw bytes from its locators. Reports written by
	// PutBatch are stored without their raw header list (the bulk of a
	// report, always recoverable from the message); Report uses Raw to
	// restore it. Nil leaves Headers empty on such reports.
	Raw func(id string, locs []Locator) ([]byte, error)
}

// Store is an open triage database. All methods are safe for concurrent use
// by multiple goroutines; bbolt serialises writers and gives readers a
// consistent snapshot. Byte slices never escape a transaction.
type Store struct {
	db       *bolt.DB
	path     string
	readOnly bool
	labels   []string
	labelSet map[string]string // label → interned label

	raw func(id string, locs []Locator) ([]byte, error)

	hub *notify.Hub[Change] // subscriptions to committed label and note changes

	camp campstore.State // campaign clustering index (campaigns.go)
	// tailMin overrides the merge threshold of the index tails
	// (tailidx.go) when not 0 (tests).
	tailMin uint64
	model   modelState     // the learned model (model.go)
	keys    keyfilter.Keys // which messages the reports index lacks, for Commit
	// group commits the analyst writes (batch).
	group groupcommit.Committer
}

// DefaultPath returns the database path: $TRIAGE_DB if set, else
// $XDG_DATA_HOME/triage/triage.db (when XDG_DATA_HOME is absolute), else
// ~/.local/share/triage/triage.db.
func DefaultPath() (string, error) {
	if p := os.Getenv("TRIAGE_DB"); p != "" {
		return p, nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "triage", "triage.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("store: default path: %w", err)
	}
	return filepath.Join(home, ".local", "share", "triage", "triage.db"), nil
}

// Open opens or creates the database at path. Unless opts.ReadOnly, missing
// directories are created with mode 0700 and the file with mode 0600, and an
// older schema is migrated in one transaction. Errors: ErrLocked (wrapped,
// naming the path) when another process holds the file for longer than
// opts.Timeout; ErrNewerSchema for a database written by a newer triage; a
// wrapped fs.ErrNotExist for a missing file opened read-only.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	labels := opts.Labels
	if labels == nil {
		labels = DefaultLabels()
	}
	s := &Store{
		path:     path,
		readOnly: opts.ReadOnly,
		raw:      opts.Raw,
		labels:   slices.Clone(labels),
		labelSet: make(map[string]string, len(labels)),
		hub:      notify.New(Change{Kind: ChangeResync}),
	}
	s.model.classes = maps.Clone(opts.LearnClasses)
	s.model.mver = s.modelVersion()
	for _, l := range s.labels {
		if l == "" {
			return nil, fmt.Errorf("store: open %s: empty label in label set", path)
		}
		s.labelSet[l] = l
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
	} else if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := boltfile.Preflight(path, ErrCorrupt); err != nil {
		return nil, &fileError{path: path, err: fmt.Errorf("store: open: %w", err)}
	}
	var (
		db   *bolt.DB
		file *os.File
	)
	err := s.guard(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{
			Timeout:      opts.Timeout,
			ReadOnly:     opts.ReadOnly,
			FreelistType: bolt.FreelistMapType,
			PageSize:     16 << 10, // new files: kilobyte-sized reports pack densely
			OpenFile: func(name string, flag int, mode os.FileMode) (*os.File, error) {
				f, err := os.OpenFile(name, flag, mode)
				file = f
				return f, err
			},
		})
		return err
	})
	if db == nil && file != nil {
		// bolt.Open panicked on a damaged file after taking the lock:
		// release it (closing the descriptor drops the flock).
		_ = file.Close()
	}
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("%w: %s (lock not acquired within %v)", ErrLocked, path, opts.Timeout)
		}
		if errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrChecksum) || errors.Is(err, berrors.ErrVersionMismatch) {
			err = &fileError{path: path, err: fmt.Errorf("%w: %w", ErrCorrupt, err)}
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// Grow the file in 4 MiB steps instead of bbolt's 16 MiB, so a small
	// or medium store is not mostly preallocated space.
	db.AllocSize = 4 << 20
	// Labels and notes share commits through the store's own group
	// commit (batch), not db.Batch.
	s.db = db
	s.group.DB, s.group.Guard = db, s.guard
	if err := s.initSchema(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) initSchema() error {
	if s.readOnly {
		return s.view(func(tx *bolt.Tx) error {
			v, ok := schemaOf(tx)
			switch {
			case !ok:
				return emptyOrDamaged(tx) // empty file: every read sees no data
			case v > SchemaVersion:
				return fmt.Errorf("%w (schema %d, this triage reads %d)", ErrNewerSchema, v, SchemaVersion)
			case v < SchemaVersion:
				return fmt.Errorf("schema %d needs an upgrade to %d: open it once read-write", v, SchemaVersion)
			}
			return verifyAnalyst(tx)
		})
	}
	return s.guard(func() error { return s.db.Update(s.guardTx(s.initTx)) })
}

// emptyOrDamaged accepts a database without a schema only when it holds
// nothing at all: a damaged root page must not look like a fresh store.
func emptyOrDamaged(tx *bolt.Tx) error {
	k, _ := tx.Cursor().First()
	if k != nil {
		return fmt.Errorf("%w: buckets present but no schema version", ErrCorrupt)
	}
	return nil
}

func (s *Store) initTx(tx *bolt.Tx) error {
	{
		v, ok := schemaOf(tx)
		if ok && v > SchemaVersion {
			return fmt.Errorf("%w (schema %d, this triage reads %d)", ErrNewerSchema, v, SchemaVersion)
		}
		if !ok {
			if err := emptyOrDamaged(tx); err != nil {
				return err
			}
			v = SchemaVersion // fresh database: create the current layout
		}
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		if err := campstore.CreateBuckets(tx); err != nil {
			return err
		}
		if !ok {
			if err := tx.Bucket(bucketMeta).Put(analyst.KeyDigest, make([]byte, 16)); err != nil {
				return err
			}
		}
		if err := migrate(tx, v, SchemaVersion, migrations); err != nil {
			return err
		}
		if err := tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, SchemaVersion)); err != nil {
			return err
		}
		return verifyAnalyst(tx)
	}
}

// migrate runs table[from-1] … table[to-2] in order, upgrading a database
// from schema version from to version to.
func migrate(tx *bolt.Tx, from, to uint32, table []func(*bolt.Tx) error) error {
	if from < 1 {
		return fmt.Errorf("invalid schema version %d", from)
	}
	for v := from; v < to; v++ {
		if int(v-1) >= len(table) {
			return fmt.Errorf("no migration from schema %d to %d", v, v+1)
		}
		if err := table[v-1](tx); err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
		}
	}
	return nil
}

// schemaOf reports the stored schema version; ok is false for a database
// that was never initialised.
func schemaOf(tx *bolt.Tx) (v uint32, ok bool) {
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return 0, false
	}
	raw := b.Get(keySchema)
	if len(raw) != 4 {
		return 0, false
	}
	return binary.BigEndian.Uint32(raw), true
}

// Close closes the database and every subscription channel. It is safe to
// call more than once.
func (s *Store) Close() error {
	if !s.hub.Close() {
		return nil
	}
	saveErr := s.saveModel()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	if saveErr != nil {
		return fmt.Errorf("store: close %s: save model: %w", s.path, saveErr)
	}
	return nil
}

// Path returns the database file path given to Open.
func (s *Store) Path() string { return s.path }

// LabelSet returns a copy of the configured label set, in configured order.
func (s *Store) LabelSet() []string { return slices.Clone(s.labels) }

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// update runs fn in a read-write transaction, or returns ErrReadOnly.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	if s.readOnly {
		return ErrReadOnly
	}
	return s.guard(func() error { return s.db.Update(s.guardTx(fn)) })
}

// parseID converts "sha256:<64 hex>" into its 32-byte key.
func parseID(id string) ([32]byte, error) {
	var k [32]byte
	h, ok := strings.CutPrefix(id, IDPrefix)
	if !ok || len(h) != 64 {
		return k, fmt.Errorf("%w: malformed message id %q", ErrNotFound, truncate(id, 80))
	}
	if _, err := hex.Decode(k[:], []byte(h)); err != nil {
		return k, fmt.Errorf("%w: malformed message id %q", ErrNotFound, truncate(id, 80))
	}
	return k, nil
}
