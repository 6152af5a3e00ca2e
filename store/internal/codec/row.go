package codec

import (
	"encoding/binary"
	"encoding/hex"
	"time"

	"github.com/triage-tools/triage/store/internal/ids"
	"github.com/triage-tools/triage/store/internal/record"
)

// Row values (RowFormat 2): score (varint), raw score (varint), date (uvarint 0 = zero time,
// 1 = followed by varint unix seconds, uvarint nanoseconds, varint zone
// offset in seconds), from name, from address, subject, message-id
// (uvarint length + bytes each), then Domains, Hosts, Rules (uvarint count
// + strings). ID and Label are not stored in the value. Format 1 (read
// only) had no raw score: it reads as the score.
const (
	RowFormat   = 2
	RowFormatV1 = 1
)

// AppendRow appends the row value of r (without its ID and label) to dst.
func AppendRow(dst []byte, r *record.Row) []byte {
	dst = append(dst, RowFormat)
	dst = binary.AppendVarint(dst, int64(r.Score))
	dst = binary.AppendVarint(dst, int64(r.RawScore))
	if r.Date.IsZero() {
		dst = append(dst, 0)
	} else {
		_, off := r.Date.Zone()
		dst = append(dst, 1)
		dst = binary.AppendVarint(dst, r.Date.Unix())
		dst = binary.AppendUvarint(dst, uint64(r.Date.Nanosecond()))
		dst = binary.AppendVarint(dst, int64(off))
	}
	dst = AppendString(dst, r.FromName)
	dst = AppendString(dst, r.FromAddr)
	dst = AppendString(dst, r.Subject)
	dst = AppendString(dst, r.MessageID)
	for _, list := range [...][]string{r.Domains, r.Hosts, r.Rules} {
		dst = binary.AppendUvarint(dst, uint64(len(list)))
		for _, s := range list {
			dst = AppendString(dst, s)
		}
	}
	return dst
}

// RowDecoder decodes rows with few allocations and little memory per
// row: one string holding the ID and the four text fields, and the three
// lists interned. Rows repeat their lists (the same rule IDs, the same
// sender and URL domains across a campaign), so a list equal to one
// decoded before (byte for byte) is shared, and so is every string in a
// list: a 100k-row list holds each distinct rule ID or host once. The
// three lists of a row repeat together too: a row whose encoded lists
// equal an earlier row's takes that row's three lists with one lookup.
// Shared lists have their capacity equal to their length, so an append
// copies. Callers must not modify the elements of a row's lists. At most
// maxIntern lists and strings, and maxTails list triples of at most
// maxTailLen bytes, are remembered; later ones are decoded unshared. Not
// safe for concurrent use.
type RowDecoder struct {
	zones map[int]*time.Location
	buf   []byte
	lists map[string][]string    // encoded list → decoded list
	tails map[string][3][]string // encoded three lists → decoded lists
	strs  map[string]string
}

// maxIntern bounds each of a RowDecoder's intern tables of lists and
// strings; maxTails and maxTailLen its table of list triples (some 10 MB
// at most: 26,000 distinct triples of ~160 bytes in 1,000,000 generated
// messages).
const (
	maxIntern  = 1 << 16
	maxTails   = 1 << 15
	maxTailLen = 1 << 10
)

func (rd *RowDecoder) zone(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	if l, ok := rd.zones[off]; ok {
		return l
	}
	if rd.zones == nil {
		rd.zones = make(map[int]*time.Location)
	}
	l := time.FixedZone("", off)
	if len(rd.zones) < 1024 {
		rd.zones[off] = l
	}
	return l
}

// Decode fills r from the unsealed row value v of the message whose
// 32-byte ID is k (both may point into a transaction). A malformed value
// is ErrCorrupt.
func (rd *RowDecoder) Decode(k, v []byte, r *record.Row) error {
	if len(v) < 1 || (v[0] != RowFormat && v[0] != RowFormatV1) {
		return ErrCorrupt
	}
	d := Decoder{B: v[1:]}
	*r = record.Row{Score: int(d.Varint())}
	r.RawScore = r.Score
	if v[0] == RowFormat {
		r.RawScore = int(d.Varint())
	}
	if d.Err != nil || len(d.B) == 0 {
		return ErrCorrupt
	}
	date := d.B[0]
	d.B = d.B[1:]
	switch date {
	case 0:
	case 1:
		sec := d.Varint()
		nsec := d.Uvarint()
		off := d.Varint()
		if d.Err != nil || nsec >= 1e9 || off < -86400 || off > 86400 {
			return ErrCorrupt
		}
		r.Date = time.Unix(sec, int64(nsec)).In(rd.zone(int(off)))
	default:
		return ErrCorrupt
	}
	// The single copy of the fields out of the transaction: the ID and
	// the four text fields, one after the other.
	const idLen = len(ids.Prefix) + 64
	rd.buf = append(rd.buf[:0], ids.Prefix...)
	rd.buf = hex.AppendEncode(rd.buf, k)
	var ends [4]int
	for i := range ends {
		rd.buf = append(rd.buf, d.Bytes()...)
		ends[i] = len(rd.buf)
	}
	if d.Err != nil {
		return ErrCorrupt
	}
	all := string(rd.buf)
	r.ID = all[:idLen]
	r.FromName = all[idLen:ends[0]]
	r.FromAddr = all[ends[0]:ends[1]]
	r.Subject = all[ends[1]:ends[2]]
	r.MessageID = all[ends[2]:ends[3]]
	return rd.decodeLists(d.B, r)
}

// decodeLists fills the lists of r from the encoded lists that end a row
// value, shared with earlier rows when equal.
func (rd *RowDecoder) decodeLists(tail []byte, r *record.Row) error {
	if l, ok := rd.tails[string(tail)]; ok {
		r.Domains, r.Hosts, r.Rules = l[0], l[1], l[2]
		return nil
	}
	ld := Decoder{B: tail}
	for _, list := range [3]*[]string{&r.Domains, &r.Hosts, &r.Rules} {
		before := ld.B
		n := ld.Uvarint()
		if ld.Err != nil || n > uint64(len(before)) {
			return ErrCorrupt
		}
		for range n {
			ld.Bytes()
		}
		if ld.Err != nil {
			return ErrCorrupt
		}
		if n > 0 {
			*list = rd.list(before[:len(before)-len(ld.B)], int(n))
		}
	}
	if len(ld.B) != 0 {
		return ErrCorrupt
	}
	if len(tail) <= maxTailLen && len(rd.tails) < maxTails {
		if rd.tails == nil {
			rd.tails = make(map[string][3][]string)
		}
		rd.tails[string(tail)] = [3][]string{r.Domains, r.Hosts, r.Rules}
	}
	return nil
}

// list returns the decoded list of the encoded list span (count and
// strings, already checked), shared with earlier rows when equal.
func (rd *RowDecoder) list(span []byte, n int) []string {
	if l, ok := rd.lists[string(span)]; ok {
		return l
	}
	d := Decoder{B: span}
	d.Uvarint()
	l := make([]string, n)
	for i := range l {
		l[i] = rd.str(d.Bytes())
	}
	if rd.lists == nil {
		rd.lists = make(map[string][]string)
	}
	if len(rd.lists) < maxIntern {
		rd.lists[string(span)] = l
	}
	return l
}

// str returns b as a string, shared with earlier equal strings.
func (rd *RowDecoder) str(b []byte) string {
	if s, ok := rd.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(rd.strs) < maxIntern {
		if rd.strs == nil {
			rd.strs = make(map[string]string)
		}
		rd.strs[s] = s
	}
	return s
}
