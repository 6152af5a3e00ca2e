package features

import (
	"encoding/binary"
	"errors"
)

// ErrCorrupt is returned by Decode for bytes Append did not make.
var ErrCorrupt = errors.New("features: corrupt encoding")

// Append appends the compact encoding of hashes (sorted, distinct) to dst:
// a uvarint count, then each hash as the uvarint difference from the
// previous one. A typical message takes one or two bytes per feature.
func Append(dst []byte, hashes []uint32) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(hashes)))
	prev := uint32(0)
	for _, h := range hashes {
		dst = binary.AppendUvarint(dst, uint64(h-prev))
		prev = h
	}
	return dst
}

// Decode decodes what Append wrote. It accepts at most MaxFeatures hashes,
// each below Buckets and strictly increasing, and returns ErrCorrupt for
// anything else.
func Decode(b []byte) ([]uint32, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > MaxFeatures {
		return nil, ErrCorrupt
	}
	b = b[k:]
	out := make([]uint32, 0, n)
	prev := uint64(0)
	for i := uint64(0); i < n; i++ {
		d, k := binary.Uvarint(b)
		if k <= 0 || (i > 0 && d == 0) {
			return nil, ErrCorrupt
		}
		b = b[k:]
		prev += d
		if prev >= Buckets {
			return nil, ErrCorrupt
		}
		out = append(out, uint32(prev))
	}
	if len(b) != 0 {
		return nil, ErrCorrupt
	}
	return out, nil
}
