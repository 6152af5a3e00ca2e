// Package codec holds the byte formats of the store's records: reports
// (CBOR compressed with S2; JSON in S2 or zstd for older ones), rows,
// locator sets, the length-prefixed fields they are made of, and the
// checksum trailer (seal) of records that must not silently change. It
// does no I/O.
package codec

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/fxamacker/cbor/v2"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/locator"
)

// ErrCorrupt is store.ErrCorrupt: a record that does not decode or
// verify.
var ErrCorrupt = errors.New("store: database is damaged")

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Report values: format byte, flags byte (FlagImported), uvarint-prefixed
// analyzer version (so Has needs no decompression), then the report
// compressed: CBOR (RFC 8949) in an S2 block (format 4, written now), JSON
// in an S2 block (format 3) or JSON in a zstd frame (format 2), both read
// only; sealed (integrity.go) under the message key. Format 1 (schema ≤ 2)
// had no flags byte.
//
// S2 replaced zstd because compression was the largest cost of storing a
// report: on the generator's mail S2 is about 5 times as fast as zstd's
// fastest level for 30% more bytes (1.9 KB instead of 1.45 KB a report),
// and decoding is faster too. CBOR replaced JSON for the same reason: on
// corpus.mbox's reports it encodes in 13 µs instead of 23 µs and decodes
// in 20 µs instead of 77 µs, for 10% fewer bytes. It is written from the
// report's JSON field names and omitempty options (the CBOR library reads
// json tags), so the two forms hold the same fields; appendReportCBOR
// (reportenc.go) writes the library's bytes without its reflection.
const (
	FormatZstdJSON = 2
	FormatS2JSON   = 3
	FormatS2CBOR   = 4
	FlagImported   = 1 << 0 // the report came from an import, not from the raw message
)

// cborEnc and cborDec write and read reports (cborEnc is the reference
// appendReportCBOR matches, and writes what it cannot). Times keep their
// zone and nanoseconds as in JSON (RFC 3339); strings are kept as they
// are, valid UTF-8 or not, where JSON would have replaced a bad byte with
// U+FFFD (display and JSON output sanitise them as before); the array and
// map limits are lifted, since a stored report is our own sealed record and
// its size is bounded by MaxReportJSON.
var (
	cborEnc = must(cbor.EncOptions{Time: cbor.TimeRFC3339Nano}.EncMode())
	cborDec = must(cbor.DecOptions{
		UTF8:             cbor.UTF8DecodeInvalid,
		MaxArrayElements: math.MaxInt32,
		MaxMapPairs:      math.MaxInt32,
	}.DecMode())
)

// cborBufs holds the buffers EncodeReport writes CBOR into before it is
// compressed.
var cborBufs = sync.Pool{New: func() any { return new([]byte) }}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// MaxReportJSON bounds decompression of one stored report.
const MaxReportJSON = 256 << 20

var (
	zstdOnce sync.Once
	zstdEnc  *zstd.Encoder
	zstdDec  *zstd.Decoder
	zstdErr  error
)

// Codecs returns the process-wide zstd encoder and Decoder (reports of
// format 2; the encoder for tests that write them). EncodeAll and
// DecodeAll are safe for concurrent use.
func Codecs() (*zstd.Encoder, *zstd.Decoder, error) {
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
			zstd.WithDecoderMaxMemory(MaxReportJSON))
	})
	return zstdEnc, zstdDec, zstdErr
}

// EncodeReport appends the stored form of r to dst; r.Imported sets the
// imported flag.
func EncodeReport(dst []byte, r *analysis.Report) ([]byte, error) {
	buf := cborBufs.Get().(*[]byte)
	defer func() {
		if cap(*buf) <= 1<<20 { // a rare huge report does not pin its buffer
			cborBufs.Put(buf)
		}
	}()
	body, ok := appendReportCBOR((*buf)[:0], r)
	*buf = body
	if !ok { // a time RFC 3339 cannot write: the library says why
		var err error
		if body, err = cborEnc.Marshal(r); err != nil {
			return nil, fmt.Errorf("store: encode report %s: %w", r.ID, err)
		}
	}
	var flags byte
	if r.Imported {
		flags |= FlagImported
	}
	dst = append(dst, FormatS2CBOR, flags)
	dst = AppendString(dst, r.AnalyzerVersion)
	n, m := len(dst), s2.MaxEncodedLen(len(body))
	if m < 0 {
		return nil, fmt.Errorf("store: encode report %s: %d bytes of CBOR", r.ID, len(body))
	}
	dst = slices.Grow(dst, m)
	return dst[:n+len(s2.Encode(dst[n:n+m], body))], nil
}

// isReportFormat reports whether b is a report format this version reads.
func isReportFormat(b byte) bool { return b >= FormatZstdJSON && b <= FormatS2CBOR }

// ReportVersion returns the analyzer version of a stored report and
// whether it was imported, without decompressing it.
func ReportVersion(v []byte) (av string, imported bool, err error) {
	if len(v) < 2 || !isReportFormat(v[0]) {
		return "", false, ErrCorrupt
	}
	d := Decoder{B: v[2:]}
	b := d.Bytes()
	if d.Err != nil {
		return "", false, ErrCorrupt
	}
	return string(b), v[1]&FlagImported != 0, nil
}

// DecodeReport decodes a stored report. v may point into a transaction.
func DecodeReport(v []byte) (*analysis.Report, error) {
	if len(v) < 2 || !isReportFormat(v[0]) {
		return nil, ErrCorrupt
	}
	d := Decoder{B: v[2:]}
	d.Bytes()
	if d.Err != nil {
		return nil, ErrCorrupt
	}
	var js []byte
	if v[0] != FormatZstdJSON {
		n, err := s2.DecodedLen(d.B)
		if err != nil || n > MaxReportJSON {
			return nil, fmt.Errorf("%w: report of %d bytes: %v", ErrCorrupt, n, err)
		}
		if js, err = s2.Decode(nil, d.B); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
	} else {
		_, dec, err := Codecs()
		if err != nil {
			return nil, err
		}
		if js, err = dec.DecodeAll(d.B, nil); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
	}
	r := new(analysis.Report)
	unmarshal := json.Unmarshal
	if v[0] == FormatS2CBOR {
		unmarshal = cborDec.Unmarshal
	}
	if err := unmarshal(js, r); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	r.Imported = v[1]&FlagImported != 0
	return r, nil
}

const SealLen = 4

func SealSum(bucket, k, v []byte) uint32 {
	c := crc32.Update(0, crcTable, bucket)
	c = crc32.Update(c, crcTable, []byte{0})
	c = crc32.Update(c, crcTable, k)
	return crc32.Update(c, crcTable, v)
}

// Seal returns v followed by its checksum for bucket and key k (a new slice).
func Seal(bucket, k, v []byte) []byte {
	out := make([]byte, 0, len(v)+SealLen)
	out = append(out, v...)
	return binary.BigEndian.AppendUint32(out, SealSum(bucket, k, v))
}

// Unseal verifies and strips the checksum; the result aliases sv.
func Unseal(bucket, k, sv []byte) ([]byte, error) {
	if len(sv) < SealLen {
		return nil, fmt.Errorf("%w: %s %x: record too short", ErrCorrupt, bucket, k)
	}
	v := sv[:len(sv)-SealLen]
	if binary.BigEndian.Uint32(sv[len(v):]) != SealSum(bucket, k, v) {
		return nil, fmt.Errorf("%w: %s %x: checksum mismatch", ErrCorrupt, bucket, k)
	}
	return v, nil
}

// EntryDigest is the contribution of one analyst entry to the digest.
func EntryDigest(bucket, k, sv []byte) [16]byte {
	h := sha256.New()
	h.Write(bucket)
	h.Write([]byte{0})
	h.Write(k)
	h.Write(sv)
	var out [16]byte
	copy(out[:], h.Sum(nil))
	return out
}

func XorDigest(d *[16]byte, e [16]byte) {
	for i := range d {
		d[i] ^= e[i]
	}
}

// unzigzag is the signed value of a zig-zag encoded varint (as
// binary.Varint reads it).
func unzigzag(u uint64) int64 {
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

// Decoder reads the length-prefixed and varint fields of the store's
// records from bytes; on malformed input it sets Err and returns zero
// values.
type Decoder struct {
	B   []byte
	Err error
}

func (d *Decoder) Uvarint() uint64 {
	if d.Err != nil {
		return 0
	}
	x, n := binary.Uvarint(d.B)
	if n <= 0 {
		d.Err = ErrCorrupt
		return 0
	}
	d.B = d.B[n:]
	return x
}

func (d *Decoder) Varint() int64 { return unzigzag(d.Uvarint()) }

// bytes returns a length-prefixed field, aliasing the input.
func (d *Decoder) Bytes() []byte {
	n := d.Uvarint()
	if d.Err != nil || n > uint64(len(d.B)) {
		d.Err = ErrCorrupt
		return nil
	}
	v := d.B[:n]
	d.B = d.B[n:]
	return v
}

func AppendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// locator.Locator set values. LocFormat 1: uvarint count, then per locator Path,
// varint Offset, varint Length, File, Flags, Folder. LocFormatMore (used
// only when locators were left out): uvarint More, then the same as
// format 1. A set without omissions keeps format 1, so stores stay
// readable by earlier versions.
//
// LocFormatUnwrap (used only when some locator has an unwrap path, see
// Locator.Unwrap): uvarint More, uvarint count, then per locator the
// fields of format 1 followed by Unwrap.
const (
	LocFormat       = 1
	LocFormatMore   = 2
	LocFormatUnwrap = 3
)

func AppendLocators(dst []byte, set LocatorSet) []byte {
	unwrap := slices.ContainsFunc(set.Locs, func(l locator.Locator) bool { return l.Unwrap != "" })
	if unwrap {
		dst = append(dst, LocFormatUnwrap)
		dst = binary.AppendUvarint(dst, uint64(set.More))
	} else if set.More > 0 {
		dst = append(dst, LocFormatMore)
		dst = binary.AppendUvarint(dst, uint64(set.More))
	} else {
		dst = append(dst, LocFormat)
	}
	dst = binary.AppendUvarint(dst, uint64(len(set.Locs)))
	for i := range set.Locs {
		l := &set.Locs[i]
		dst = AppendString(dst, l.Path)
		dst = binary.AppendVarint(dst, l.Offset)
		dst = binary.AppendVarint(dst, l.Length)
		dst = AppendString(dst, l.File)
		dst = AppendString(dst, l.Flags)
		dst = AppendString(dst, l.Folder)
		if unwrap {
			dst = AppendString(dst, l.Unwrap)
		}
	}
	return dst
}

// DecodeLocators copies the locator set out of v.
func DecodeLocators(v []byte) (LocatorSet, error) {
	if len(v) < 1 || (v[0] != LocFormat && v[0] != LocFormatMore && v[0] != LocFormatUnwrap) {
		return LocatorSet{}, ErrCorrupt
	}
	d := Decoder{B: v[1:]}
	var set LocatorSet
	if v[0] == LocFormatMore || v[0] == LocFormatUnwrap {
		more := d.Uvarint()
		if d.Err != nil || more > 1<<62 {
			return LocatorSet{}, ErrCorrupt
		}
		set.More = int64(more)
	}
	n := d.Uvarint()
	if d.Err != nil || n > uint64(len(v)) {
		return LocatorSet{}, ErrCorrupt
	}
	set.Locs = make([]locator.Locator, n)
	for i := range set.Locs {
		l := &set.Locs[i]
		l.Path = string(d.Bytes())
		l.Offset = d.Varint()
		l.Length = d.Varint()
		l.File = string(d.Bytes())
		l.Flags = string(d.Bytes())
		l.Folder = string(d.Bytes())
		if v[0] == LocFormatUnwrap {
			l.Unwrap = string(d.Bytes())
		}
	}
	if d.Err != nil {
		return LocatorSet{}, d.Err
	}
	return set, nil
}

// MaxLocators is the number of places kept per message. The same message
// seen in more places (a mailbox of many identical copies) keeps the first
// MaxLocators and counts the others (see Store.MoreLocators), so that
// adding a copy costs the same whatever the number of copies.
const MaxLocators = 64

// LocatorSet is the stored locator set of one message: the first
// MaxLocators places, in the order first seen, and the number of further
// sightings that were not kept.
type LocatorSet struct {
	Locs []locator.Locator
	More int64
}

// Add adds l to the set unless present and reports whether the set
// changed. A locator for the same place (same path, folder and offset, and
// the same maildir unique name) replaces the old one. When the set is full,
// a new place only increases More: sightings beyond the cap are counted,
// not deduplicated (reading the same mailbox again counts them again).
func (ls *LocatorSet) Add(l locator.Locator) bool {
	for i, c := range ls.Locs {
		if c == l {
			return false
		}
		if c.Path == l.Path && c.Folder == l.Folder && c.Offset == l.Offset && maildirUnique(c.File) == maildirUnique(l.File) {
			ls.Locs[i] = l
			return true
		}
	}
	if len(ls.Locs) >= MaxLocators {
		ls.More++
		return true
	}
	ls.Locs = append(ls.Locs, l)
	return true
}

// maildirUnique strips the maildir info suffix (":2,FLAGS" or ";2,FLAGS").
func maildirUnique(name string) string {
	if i := strings.LastIndexAny(name, ":;"); i >= 0 && strings.HasPrefix(name[i+1:], "2,") {
		return name[:i]
	}
	return name
}
