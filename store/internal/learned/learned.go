// Package learned keeps the learned model (package learn,
// docs/learning.md) and the feature sets it reads in a bbolt file: the
// features bucket and its value format, the model's members, generation
// number and snapshot, and the transactions that load, rebuild, save and
// score it. The store holds the in-memory model and its locks and passes
// in its transactions.
//
// The model is a pure function of its members: per labeled message that
// teaches it, the class and the exact feature set it contributed. Members
// are written in the same transaction as the label, the import or the
// ingest that changes them, so that a later change subtracts exactly what
// was added. The counters live in memory, rebuilt from the members on
// first use, and a snapshot is saved on Close so the next open need not
// rebuild; a generation number, bumped with every member change, says
// whether the snapshot is current.
package learned

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis/features"
	"github.com/triage-tools/triage/internal/learn"
)

// Buckets and keys.
var (
	BucketMembers  = []byte("model_members") // id → class byte ‖ features.Append(hashes)
	BucketModel    = []byte("model")         // KeyVersion, KeyGen, KeyState
	KeyVersion     = []byte("version")       // Version of the members
	KeyGen         = []byte("gen")           // uint64 big endian, bumped with each member change
	KeyState       = []byte("state")         // uint64 gen ‖ learn.Model binary
	BucketFeatures = []byte("features")      // see PutFeatures
)

// Version is what the members were counted with: learn.Version and the
// label classes (nil: learn.DefaultClasses). A store whose stored version
// differs is rebuilt from its labels on the next load.
func Version(classes map[string]learn.Class) string {
	if classes == nil {
		classes = learn.DefaultClasses()
	}
	v := learn.Version
	for _, l := range slices.Sorted(maps.Keys(classes)) {
		if classes[l] != learn.None {
			v += fmt.Sprintf(" %q=%d", l, classes[l])
		}
	}
	return v
}

// AppendFeatures encodes a feature set for BucketFeatures:
// uvarint len ‖ features.Version ‖ features.Append(hashes).
func AppendFeatures(dst []byte, hs []uint32) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(features.Version)))
	dst = append(dst, features.Version...)
	return features.Append(dst, hs)
}

// DecodeFeatures decodes a BucketFeatures value (after the message ID);
// ok is false for another features version (stale: the message must be
// analysed again) or a corrupt value.
func DecodeFeatures(v []byte) (hs []uint32, ok bool) {
	n, k := binary.Uvarint(v)
	if k <= 0 || n > uint64(len(v)-k) || !bytes.Equal(v[k:k+int(n)], []byte(features.Version)) {
		return nil, false
	}
	hs, err := features.Decode(v[k+int(n):])
	return hs, err == nil
}

// PutFeatures writes the features of message k, whose sequence key is q,
// as k ‖ AppendFeatures (in a write transaction).
func PutFeatures(tx *bolt.Tx, k, q []byte, hs []uint32) error {
	b, err := tx.CreateBucketIfNotExists(BucketFeatures)
	if err != nil {
		return err
	}
	b.FillPercent = 1.0 // appended in sequence order
	return b.Put(q, AppendFeatures(append(make([]byte, 0, 32+5+4*len(hs)), k...), hs))
}

// decodeMember decodes a BucketMembers value.
func decodeMember(v []byte) (learn.Class, []uint32) {
	if len(v) < 1 {
		return learn.None, nil
	}
	hs, err := features.Decode(v[1:])
	if err != nil {
		return learn.None, nil
	}
	return learn.Class(v[0]), hs
}

// Gen is the members' generation number (0 before the first change).
func Gen(tx *bolt.Tx) uint64 {
	b := tx.Bucket(BucketModel)
	if b == nil {
		return 0
	}
	if v := b.Get(KeyGen); len(v) == 8 {
		return binary.BigEndian.Uint64(v)
	}
	return 0
}

func bumpGen(tx *bolt.Tx, version string) (uint64, error) {
	b, err := tx.CreateBucketIfNotExists(BucketModel)
	if err != nil {
		return 0, err
	}
	gen := Gen(tx) + 1
	if len(b.Get(KeyVersion)) == 0 {
		if err := b.Put(KeyVersion, []byte(version)); err != nil {
			return 0, err
		}
	}
	return gen, b.Put(KeyGen, binary.BigEndian.AppendUint64(nil, gen))
}

// Delta is one member change, applied to the in-memory model after its
// transaction commits.
type Delta struct {
	Gen        uint64
	OldC, NewC learn.Class
	OldH, NewH []uint32
}

// SyncMember makes the member of message k the class c and features hs
// (learn.None: no member), bumping the generation; changed is false when
// it already was. version is the store's Version.
func SyncMember(tx *bolt.Tx, k []byte, c learn.Class, hs []uint32, version string) (d Delta, changed bool, err error) {
	mb := tx.Bucket(BucketMembers)
	var oldC learn.Class
	var oldH []uint32
	if mb != nil {
		oldC, oldH = decodeMember(mb.Get(k))
	}
	if oldC == c && slices.Equal(oldH, hs) {
		return Delta{}, false, nil
	}
	if mb == nil {
		if mb, err = tx.CreateBucketIfNotExists(BucketMembers); err != nil {
			return Delta{}, false, err
		}
	}
	if c == learn.None {
		err = mb.Delete(k)
	} else {
		err = mb.Put(k, features.Append([]byte{byte(c)}, hs))
	}
	if err != nil {
		return Delta{}, false, err
	}
	gen, err := bumpGen(tx, version)
	if err != nil {
		return Delta{}, false, err
	}
	return Delta{Gen: gen, OldC: oldC, OldH: oldH, NewC: c, NewH: hs}, true, nil
}

// Stale reports whether the stored members were counted with another
// version than version.
func Stale(tx *bolt.Tx, version string) bool {
	b := tx.Bucket(BucketModel)
	return b != nil && string(b.Get(KeyVersion)) != version
}

// Fresh calls fn with the key, class and features of every message that
// teaches the model, from the labels rather than the members.
type Fresh func(fn func(k []byte, c learn.Class, hs []uint32) error) error

// Load counts the model of tx and returns it with its generation: from
// the snapshot when it is current, else from the members; with fresh (a
// stale, read-only store), from the labels without writing.
func Load(tx *bolt.Tx, fresh Fresh) (*learn.Model, uint64, error) {
	m := &learn.Model{}
	gen := Gen(tx)
	if fresh != nil {
		return m, gen, fresh(func(_ []byte, c learn.Class, hs []uint32) error { m.Add(hs, c); return nil })
	}
	if b := tx.Bucket(BucketModel); b != nil {
		if v := b.Get(KeyState); len(v) > 8 && binary.BigEndian.Uint64(v) == gen {
			if m.UnmarshalBinary(v[8:]) == nil {
				return m, gen, nil
			}
			m = &learn.Model{}
		}
	}
	mb := tx.Bucket(BucketMembers)
	if mb == nil {
		return m, gen, nil
	}
	return m, gen, mb.ForEach(func(_, v []byte) error {
		c, hs := decodeMember(v)
		m.Add(hs, c)
		return nil
	})
}

// Rebuild recomputes every member from fresh in the write transaction tx,
// drops the snapshot and records version; it returns the new model and
// generation.
func Rebuild(tx *bolt.Tx, version string, fresh Fresh) (*learn.Model, uint64, error) {
	m := &learn.Model{}
	if tx.Bucket(BucketMembers) != nil {
		if err := tx.DeleteBucket(BucketMembers); err != nil {
			return nil, 0, err
		}
	}
	mb, err := tx.CreateBucketIfNotExists(BucketMembers)
	if err != nil {
		return nil, 0, err
	}
	err = fresh(func(k []byte, c learn.Class, hs []uint32) error {
		m.Add(hs, c)
		return mb.Put(k, features.Append([]byte{byte(c)}, hs))
	})
	if err != nil {
		return nil, 0, err
	}
	gen, err := bumpGen(tx, version)
	if err != nil {
		return nil, 0, err
	}
	b := tx.Bucket(BucketModel)
	if err := b.Delete(KeyState); err != nil {
		return nil, 0, err
	}
	return m, gen, b.Put(KeyVersion, []byte(version))
}

// SnapshotStale reports whether the members changed since the snapshot
// was saved (false when nothing was learned yet).
func SnapshotStale(tx *bolt.Tx) bool {
	gen := Gen(tx)
	v := tx.Bucket(BucketModel)
	return gen != 0 && (v == nil || len(v.Get(KeyState)) < 8 || binary.BigEndian.Uint64(v.Get(KeyState)) != gen)
}

// PutSnapshot saves state (learn.Model binary) as the snapshot of the
// current generation, unless one is current already.
func PutSnapshot(tx *bolt.Tx, state []byte) error {
	b, err := tx.CreateBucketIfNotExists(BucketModel)
	if err != nil {
		return err
	}
	gen := Gen(tx)
	if v := b.Get(KeyState); len(v) >= 8 && binary.BigEndian.Uint64(v) == gen {
		return nil // already current
	}
	return b.Put(KeyState, append(binary.BigEndian.AppendUint64(nil, gen), state...))
}

// Scores scores every message with current-version features in tx by m:
// message ID (idPrefix and the key in hex) → learned log-odds and points.
func Scores(tx *bolt.Tx, m *learn.Model, idPrefix string) (map[string]learn.Brief, error) {
	scores := map[string]learn.Brief{}
	b := tx.Bucket(BucketFeatures)
	if b == nil {
		return scores, nil
	}
	return scores, b.ForEach(func(_, iv []byte) error {
		if len(iv) < 32 {
			return nil
		}
		hs, ok := DecodeFeatures(iv[32:])
		if !ok {
			return nil
		}
		sum, pts := m.Quick(hs)
		scores[idPrefix+hex.EncodeToString(iv[:32])] = learn.Brief{Sum: sum, Points: pts}
		return nil
	})
}
