// Package campstore keeps campaign clustering in a bbolt file: the
// campaign and member buckets, their record formats, the clustering
// index rebuilt from them, assignment of new and imported messages, and
// the reads behind store's campaign API. The store passes in its
// transactions and buckets; this package knows nothing of its other
// buckets (a member's sequence key comes from the caller).
package campstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/campaign"
	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/record"
)

// Campaign buckets. They hold derived data (re-creatable by analysing the
// messages again), so they are not sealed and not part of the store's
// allBuckets: a store written before campaigns existed opens read-only
// without them.
var (
	BucketMembers   = []byte("campaign_members") // seq → message ID ‖ uvarint-prefixed campaign ID ‖ campaign.Sig
	BucketCampaigns = []byte("campaigns")        // campaign ID → uvarint seq ‖ varint created ‖ string merged-into ‖ varint merged-at (Unix s)

	buckets = [][]byte{BucketMembers, BucketCampaigns}
)

// ErrNoCampaign is returned for a campaign ID the store does not know.
var ErrNoCampaign = errors.New("store: no such campaign")

// CreateBuckets creates the campaign buckets when they are missing.
func CreateBuckets(tx *bolt.Tx) error {
	for _, name := range buckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// Record is a campaigns bucket value.
type Record struct {
	Seq      uint64
	Created  time.Time
	Into     string // the campaign this one was merged into, or ""
	MergedAt time.Time
}

func (r *Record) encode() []byte {
	b := binary.AppendUvarint(nil, r.Seq)
	b = binary.AppendVarint(b, r.Created.Unix())
	b = codec.AppendString(b, r.Into)
	var at int64
	if r.Into != "" {
		at = r.MergedAt.Unix()
	}
	return binary.AppendVarint(b, at)
}

func decodeRecord(v []byte) (Record, error) {
	d := codec.Decoder{B: v}
	r := Record{Seq: d.Uvarint(), Created: time.Unix(d.Varint(), 0).UTC()}
	r.Into = string(d.Bytes())
	r.MergedAt = time.Unix(d.Varint(), 0).UTC()
	if d.Err != nil {
		return Record{}, fmt.Errorf("%w: campaign record", codec.ErrCorrupt)
	}
	return r, nil
}

// DecodeMember splits a campaign_members value (message ID ‖ campaign
// ID ‖ signature) into the campaign ID the message was assigned and the
// signature bytes.
func DecodeMember(iv []byte) (cid string, sig []byte, err error) {
	if len(iv) < 32 {
		return "", nil, fmt.Errorf("%w: campaign member record", codec.ErrCorrupt)
	}
	d := codec.Decoder{B: iv[32:]}
	c := d.Bytes()
	if d.Err != nil || !strings.HasPrefix(string(c), campaign.IDPrefix) {
		return "", nil, fmt.Errorf("%w: campaign member record", codec.ErrCorrupt)
	}
	return string(c), d.B, nil
}

// BuildIndex builds the clustering index from the campaign buckets of tx.
// Campaign records are derived data: one that does not decode is left
// out of the index (its message keeps the campaign it has, or none)
// rather than stopping every later write.
func BuildIndex(tx *bolt.Tx) *campaign.Index {
	ix := campaign.NewIndex()
	if b := tx.Bucket(BucketCampaigns); b != nil {
		_ = b.ForEach(func(k, v []byte) error {
			if r, err := decodeRecord(v); err == nil {
				ix.Restore(string(k), r.Seq, r.Into)
			}
			return nil
		})
	}
	if b := tx.Bucket(BucketMembers); b != nil {
		_ = b.ForEach(func(k, v []byte) error {
			cid, sb, err := DecodeMember(v)
			if err != nil {
				return nil
			}
			if sig, err := campaign.DecodeSig(sb); err == nil {
				ix.Join(cid, &sig)
			}
			return nil
		})
	}
	return ix
}

// PreparedSig is a message's campaign signature and its encoding,
// computed before the write transaction.
type PreparedSig struct {
	sig campaign.Sig
	enc []byte
}

// PrepareSig computes the campaign signature of r. The signature kept
// for the index is read back from its encoding: its strings are copies,
// where SigOf's share the report's buffers (the message's header arena),
// which a prepared batch would otherwise keep alive until its commit.
func PrepareSig(r *analysis.Report) *PreparedSig {
	s := campaign.SigOf(r)
	p := &PreparedSig{enc: s.Append(nil)}
	var err error
	if p.sig, err = campaign.DecodeSig(p.enc); err != nil {
		p.sig = s // cannot happen: Append writes what DecodeSig reads
	}
	return p
}

// Assign adds the signature p of message k (ID id, sequence key q) to the
// index and writes its assignment and any new campaign or merge, at time
// t. buf is scratch space, returned for the next call.
func Assign(members, camps *bolt.Bucket, ix *campaign.Index, q, k []byte, id string, p *PreparedSig, t time.Time, buf []byte) ([]byte, error) {
	cid, merges, created := ix.Add(id, &p.sig)
	if err := putRecords(camps, ix, cid, created, merges, t); err != nil {
		return buf, err
	}
	buf = codec.AppendString(append(buf[:0], k...), cid)
	buf = append(buf, p.enc...)
	return buf, members.Put(q, bytes.Clone(buf))
}

// Import gives an imported message k (ID id, sequence key q) that has no
// campaign one: the campaign its export names in ref (so that stores
// exchanging exports share campaign IDs), or else the one the index
// assigns.
func Import(members, camps *bolt.Bucket, ix *campaign.Index, q, k []byte, id string, sig *campaign.Sig, ref *record.CampaignRef, t time.Time) error {
	var cid string
	var created bool
	var merges []campaign.Merge
	if ref != nil && ValidID(ref.ID) {
		cid, created = ix.Adopt(ref.ID)
		ix.Join(cid, sig)
	} else {
		cid, merges, created = ix.Add(id, sig)
	}
	if err := putRecords(camps, ix, cid, created, merges, t); err != nil {
		return err
	}
	return members.Put(q, sig.Append(codec.AppendString(bytes.Clone(k), cid)))
}

// putRecords writes the record of campaign cid when it was just created,
// and records each merge on the merged campaign's record.
func putRecords(camps *bolt.Bucket, ix *campaign.Index, cid string, created bool, merges []campaign.Merge, t time.Time) error {
	if created {
		seq, _ := ix.Seq(cid)
		rec := Record{Seq: seq, Created: t}
		if err := camps.Put([]byte(cid), rec.encode()); err != nil {
			return err
		}
	}
	for _, m := range merges {
		v := camps.Get([]byte(m.From))
		rec, err := decodeRecord(v)
		if v == nil || err != nil {
			rec = Record{Created: t}
			rec.Seq, _ = ix.Seq(m.From)
		}
		rec.Into, rec.MergedAt = m.Into, t
		if err := camps.Put([]byte(m.From), rec.encode()); err != nil {
			return err
		}
	}
	return nil
}

// ValidID reports whether id looks like a campaign ID this program makes:
// "c:" and 10 to 64 lower-case hex digits.
func ValidID(id string) bool {
	h, ok := strings.CutPrefix(id, campaign.IDPrefix)
	if !ok || len(h) < 10 || len(h) > 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
