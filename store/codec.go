package store

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"

	"github.com/triage-tools/triage/internal/analysis"
)

// Report values: format byte, flags byte (reportImported), uvarint-prefixed
// analyzer version (so Has needs no decompression), then the report's JSON
// compressed: an S2 block (format 3, written now) or a zstd frame (format
// 2, read only); sealed (integrity.go) under the message key. Format 1
// (schema ≤ 2) had no flags byte.
//
// S2 replaced zstd because compression was the largest cost of storing a
// report: on the generator's mail S2 is about 5 times as fast as zstd's
// fastest level for 30% more bytes (1.9 KB instead of 1.45 KB a report),
// and decoding is faster too.
const (
	reportFormatZstdJSON = 2
	reportFormatS2JSON   = 3
	reportImported       = 1 << 0 // the report came from an import, not from the raw message
)

// maxReportJSON bounds decompression of one stored report.
const maxReportJSON = 256 << 20

var (
	zstdOnce sync.Once
	zstdEnc  *zstd.Encoder
	zstdDec  *zstd.Decoder
	zstdErr  error
)

// codecs returns the process-wide zstd encoder and decoder (reports of
// format 2; the encoder for tests that write them). EncodeAll and
// DecodeAll are safe for concurrent use.
func codecs() (*zstd.Encoder, *zstd.Decoder, error) {
	zstdOnce.Do(func() {
		zstdEnc, zstdErr = zstd.NewWriter(nil,
			zstd.WithEncoderLevel(zstd.SpeedFastest),
			zstd.WithEncoderConcurrency(4), // PutBatch encodes on up to 4 goroutines
			zstd.WithZeroFrames(true),
			zstd.WithEncoderCRC(false))
		if zstdErr != nil {
			return
		}
		zstdDec, zstdErr = zstd.NewReader(nil,
			zstd.WithDecoderConcurrency(0),
			zstd.WithDecoderMaxMemory(maxReportJSON))
	})
	return zstdEnc, zstdDec, zstdErr
}

// encodeReport appends the stored form of r to dst; r.Imported sets the
// imported flag.
func encodeReport(dst []byte, r *analysis.Report) ([]byte, error) {
	js, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("store: encode report %s: %w", r.ID, err)
	}
	var flags byte
	if r.Imported {
		flags |= reportImported
	}
	dst = append(dst, reportFormatS2JSON, flags)
	dst = appendString(dst, r.AnalyzerVersion)
	n, m := len(dst), s2.MaxEncodedLen(len(js))
	if m < 0 {
		return nil, fmt.Errorf("store: encode report %s: %d bytes of JSON", r.ID, len(js))
	}
	dst = slices.Grow(dst, m)
	return dst[:n+len(s2.Encode(dst[n:n+m], js))], nil
}

// isReportFormat reports whether b is a report format this version reads.
func isReportFormat(b byte) bool { return b == reportFormatS2JSON || b == reportFormatZstdJSON }

// reportVersion returns the analyzer version of a stored report and
// whether it was imported, without decompressing it.
func reportVersion(v []byte) (av string, imported bool, err error) {
	if len(v) < 2 || !isReportFormat(v[0]) {
		return "", false, errCorrupt
	}
	d := decoder{b: v[2:]}
	b := d.bytes()
	if d.err != nil {
		return "", false, errCorrupt
	}
	return string(b), v[1]&reportImported != 0, nil
}

// decodeReport decodes a stored report. v may point into a transaction.
func decodeReport(v []byte) (*analysis.Report, error) {
	if len(v) < 2 || !isReportFormat(v[0]) {
		return nil, errCorrupt
	}
	d := decoder{b: v[2:]}
	d.bytes()
	if d.err != nil {
		return nil, errCorrupt
	}
	var js []byte
	if v[0] == reportFormatS2JSON {
		n, err := s2.DecodedLen(d.b)
		if err != nil || n > maxReportJSON {
			return nil, fmt.Errorf("%w: report of %d bytes: %v", errCorrupt, n, err)
		}
		if js, err = s2.Decode(nil, d.b); err != nil {
			return nil, fmt.Errorf("%w: %w", errCorrupt, err)
		}
	} else {
		_, dec, err := codecs()
		if err != nil {
			return nil, err
		}
		if js, err = dec.DecodeAll(d.b, nil); err != nil {
			return nil, fmt.Errorf("%w: %w", errCorrupt, err)
		}
	}
	r := new(analysis.Report)
	if err := json.Unmarshal(js, r); err != nil {
		return nil, fmt.Errorf("%w: %w", errCorrupt, err)
	}
	r.Imported = v[1]&reportImported != 0
	return r, nil
}

// Row values (rowFormat 2): score (varint), raw score (varint), date (uvarint 0 = zero time,
// 1 = followed by varint unix seconds, uvarint nanoseconds, varint zone
// offset in seconds), from name, from address, subject, message-id
// (uvarint length + bytes each), then Domains, Hosts, Rules (uvarint count
// + strings). ID and Label are not stored in the value. Format 1 (read
// only) had no raw score: it reads as the score.
const (
	rowFormat   = 2
	rowFormatV1 = 1
)

func appendRow(dst []byte, r *Row) []byte {
	dst = append(dst, rowFormat)
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
	dst = appendString(dst, r.FromName)
	dst = appendString(dst, r.FromAddr)
	dst = appendString(dst, r.Subject)
	dst = appendString(dst, r.MessageID)
	for _, list := range [...][]string{r.Domains, r.Hosts, r.Rules} {
		dst = binary.AppendUvarint(dst, uint64(len(list)))
		for _, s := range list {
			dst = appendString(dst, s)
		}
	}
	return dst
}

// rowDecoder decodes rows with few allocations and little memory per
// row: one string holding the ID and the four text fields, and the three
// lists interned. Rows repeat their lists (the same rule IDs, the same
// sender and URL domains across a campaign), so a list equal to one
// decoded before (byte for byte) is shared, and so is every string in a
// list: a 100k-row list holds each distinct rule ID or host once. Shared
// lists have their capacity equal to their length, so an append copies.
// Callers must not modify the elements of a row's lists. At most
// maxIntern lists and strings are remembered; later ones are decoded
// unshared. Not safe for concurrent use.
type rowDecoder struct {
	zones map[int]*time.Location
	buf   []byte
	lists map[string][]string // encoded list → decoded list
	strs  map[string]string
}

// maxIntern bounds each of a rowDecoder's intern tables.
const maxIntern = 1 << 16

func (rd *rowDecoder) zone(off int) *time.Location {
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

// rowListsAt returns the offset in the row value v of its first list
// count (after score, raw score, date and the four text fields).
func rowListsAt(v []byte) (int, bool) {
	d := decoder{b: v[1:]}
	d.varint()
	if v[0] == rowFormat {
		d.varint()
	}
	if len(d.b) == 0 {
		return 0, false
	}
	date := d.b[0]
	d.b = d.b[1:]
	if date == 1 {
		d.varint()
		d.uvarint()
		d.varint()
	}
	for range 4 {
		d.bytes()
	}
	if d.err != nil {
		return 0, false
	}
	return len(v) - len(d.b), true
}

// decode fills r from the rows value iv (message ID ‖ row sealed with
// that ID) stored under sequence key q (both may point into a
// transaction).
func (rd *rowDecoder) decode(q, iv []byte, r *Row) error {
	k, sv, ok := idValue(iv)
	if !ok || len(q) != ptrLen {
		return errCorrupt
	}
	v, err := unseal(bucketRows, k, sv)
	if err != nil {
		return err
	}
	if len(v) < 1 || (v[0] != rowFormat && v[0] != rowFormatV1) {
		return errCorrupt
	}
	ls, ok := rowListsAt(v)
	if !ok {
		return errCorrupt
	}
	const idLen = len(IDPrefix) + 64
	rd.buf = append(rd.buf[:0], IDPrefix...)
	rd.buf = hex.AppendEncode(rd.buf, k)
	rd.buf = append(rd.buf, v[1:ls]...)
	all := string(rd.buf) // the single copy of the fields out of the transaction
	d := strDecoder{s: all, i: idLen}
	*r = Row{ID: all[:idLen]}
	r.Score = int(d.varint())
	r.RawScore = r.Score
	if v[0] == rowFormat {
		r.RawScore = int(d.varint())
	}
	switch d.byte() {
	case 0:
	case 1:
		sec := d.varint()
		nsec := d.uvarint()
		off := d.varint()
		if nsec >= 1e9 || off < -86400 || off > 86400 {
			return errCorrupt
		}
		r.Date = time.Unix(sec, int64(nsec)).In(rd.zone(int(off)))
	default:
		return errCorrupt
	}
	r.FromName = d.str()
	r.FromAddr = d.str()
	r.Subject = d.str()
	r.MessageID = d.str()
	if d.err {
		return errCorrupt
	}
	ld := decoder{b: v[ls:]}
	for _, list := range [3]*[]string{&r.Domains, &r.Hosts, &r.Rules} {
		before := ld.b
		n := ld.uvarint()
		if ld.err != nil || n > uint64(len(before)) {
			return errCorrupt
		}
		for range n {
			ld.bytes()
		}
		if ld.err != nil {
			return errCorrupt
		}
		if n > 0 {
			*list = rd.list(before[:len(before)-len(ld.b)], int(n))
		}
	}
	if len(ld.b) != 0 {
		return errCorrupt
	}
	return nil
}

// list returns the decoded list of the encoded list span (count and
// strings, already checked), shared with earlier rows when equal.
func (rd *rowDecoder) list(span []byte, n int) []string {
	if l, ok := rd.lists[string(span)]; ok {
		return l
	}
	d := decoder{b: span}
	d.uvarint()
	l := make([]string, n)
	for i := range l {
		l[i] = rd.str(d.bytes())
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
func (rd *rowDecoder) str(b []byte) string {
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

// strDecoder reads the row encoding from a string; on malformed input it
// sets err and returns zero values.
type strDecoder struct {
	s   string
	i   int
	err bool
}

func (d *strDecoder) byte() byte {
	if d.i >= len(d.s) {
		d.err = true
		return 0xff
	}
	c := d.s[d.i]
	d.i++
	return c
}

func (d *strDecoder) uvarint() uint64 {
	var x uint64
	var sh uint
	for n := 0; n < binary.MaxVarintLen64; n++ {
		if d.i >= len(d.s) {
			break
		}
		c := d.s[d.i]
		d.i++
		if c < 0x80 {
			return x | uint64(c)<<sh
		}
		x |= uint64(c&0x7f) << sh
		sh += 7
	}
	d.err = true
	return 0
}

func (d *strDecoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (d *strDecoder) str() string {
	n := d.uvarint()
	if d.err || n > uint64(len(d.s)-d.i) {
		d.err = true
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s
}

// decoder reads the same encoding from bytes.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	x, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return x
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	x, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return x
}

// bytes returns a length-prefixed field, aliasing the input.
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.err = errCorrupt
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// Locator set values. locFormat 1: uvarint count, then per locator Path,
// varint Offset, varint Length, File, Flags, Folder. locFormatMore (used
// only when locators were left out): uvarint More, then the same as
// format 1. A set without omissions keeps format 1, so stores stay
// readable by earlier versions.
//
// locFormatUnwrap (used only when some locator has an unwrap path, see
// Locator.Unwrap): uvarint More, uvarint count, then per locator the
// fields of format 1 followed by Unwrap.
const (
	locFormat       = 1
	locFormatMore   = 2
	locFormatUnwrap = 3
)

func appendLocators(dst []byte, set locatorSet) []byte {
	unwrap := slices.ContainsFunc(set.locs, func(l Locator) bool { return l.Unwrap != "" })
	if unwrap {
		dst = append(dst, locFormatUnwrap)
		dst = binary.AppendUvarint(dst, uint64(set.more))
	} else if set.more > 0 {
		dst = append(dst, locFormatMore)
		dst = binary.AppendUvarint(dst, uint64(set.more))
	} else {
		dst = append(dst, locFormat)
	}
	dst = binary.AppendUvarint(dst, uint64(len(set.locs)))
	for i := range set.locs {
		l := &set.locs[i]
		dst = appendString(dst, l.Path)
		dst = binary.AppendVarint(dst, l.Offset)
		dst = binary.AppendVarint(dst, l.Length)
		dst = appendString(dst, l.File)
		dst = appendString(dst, l.Flags)
		dst = appendString(dst, l.Folder)
		if unwrap {
			dst = appendString(dst, l.Unwrap)
		}
	}
	return dst
}

// decodeLocators copies the locator set out of v.
func decodeLocators(v []byte) (locatorSet, error) {
	if len(v) < 1 || (v[0] != locFormat && v[0] != locFormatMore && v[0] != locFormatUnwrap) {
		return locatorSet{}, errCorrupt
	}
	d := decoder{b: v[1:]}
	var set locatorSet
	if v[0] == locFormatMore || v[0] == locFormatUnwrap {
		more := d.uvarint()
		if d.err != nil || more > 1<<62 {
			return locatorSet{}, errCorrupt
		}
		set.more = int64(more)
	}
	n := d.uvarint()
	if d.err != nil || n > uint64(len(v)) {
		return locatorSet{}, errCorrupt
	}
	set.locs = make([]Locator, n)
	for i := range set.locs {
		l := &set.locs[i]
		l.Path = string(d.bytes())
		l.Offset = d.varint()
		l.Length = d.varint()
		l.File = string(d.bytes())
		l.Flags = string(d.bytes())
		l.Folder = string(d.bytes())
		if v[0] == locFormatUnwrap {
			l.Unwrap = string(d.bytes())
		}
	}
	if d.err != nil {
		return locatorSet{}, d.err
	}
	return set, nil
}
