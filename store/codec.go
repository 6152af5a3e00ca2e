package store

import (
	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/ids"
)

// formatID is the inverse of parseID; truncate clips quoted input.
var (
	formatID = ids.Format
	truncate = ids.Truncate
)

// IDPrefix is the textual prefix of message IDs.
const IDPrefix = ids.Prefix

// rowDecoder decodes rows, sharing equal lists and strings between them
// (codec.RowDecoder). Not safe for concurrent use.
type rowDecoder struct{ codec.RowDecoder }

// decode fills r from the rows value iv (message ID ‖ row sealed with
// that ID) stored under sequence key q (both may point into a
// transaction).
func (rd *rowDecoder) decode(q, iv []byte, r *Row) error {
	k, sv, ok := idValue(iv)
	if !ok || len(q) != ptrLen {
		return errCorrupt
	}
	v, err := codec.Unseal(bucketRows, k, sv)
	if err != nil {
		return err
	}
	return rd.Decode(k, v, r)
}
