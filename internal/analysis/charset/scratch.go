package charset

import (
	"sync"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// scratchPool holds the buffers that decoders write into before the text
// is copied out as a string: one allocation per decoded text instead of a
// growing buffer and a copy.
var scratchPool = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// maxPooled bounds the buffers put back in scratchPool.
const maxPooled = 1 << 20

func getScratch() *[]byte { return scratchPool.Get().(*[]byte) }

func putScratch(bp *[]byte) {
	if cap(*bp) <= maxPooled {
		scratchPool.Put(bp)
	}
}

// decodeInto is enc.NewDecoder().Bytes(b) written into *bp (grown as
// needed, kept for reuse). The result is valid until *bp is put back.
func decodeInto(bp *[]byte, enc encoding.Encoding, b []byte) ([]byte, error) {
	out, _, err := transform.Append(enc.NewDecoder(), (*bp)[:0], b)
	if cap(out) > cap(*bp) {
		*bp = out[:0]
	}
	return out, err
}
