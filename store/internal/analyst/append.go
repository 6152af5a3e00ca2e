package analyst

import (
	"bytes"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/store/internal/codec"
	"github.com/triage-tools/triage/store/internal/record"
)

// A label change used to decode a message's whole history and encode it
// again inside the write transaction, which all writers share: at a few
// hundred events (a message labeled back and forth in a team) that was
// two thirds of the transaction's time. LastLabel decodes only the last
// event and AppendLabel appends the new one to the stored JSON as bytes;
// the value stored is byte for byte the one PutLabel writes.

// lastElem marks the start of an element of a history list after the
// first: the encoder writes the fields in order, "label" first, and
// escapes every quote inside a string, so the bytes cannot occur inside a
// value.
var lastElem = []byte(`,{"label":`)

// History is a message's label history as stored, for AppendLabel.
type History struct {
	raw  []byte              // the verified JSON list, nil when there is none
	full []record.LabelEvent // the decoded list when raw is not in the encoder's form
}

// LastLabel returns the verified current label of k and the last event of
// its history (ok false when it has none), decoding only that event; the
// label must be that event's, as CurrentLabel checks.
func (b Buckets) LastLabel(tx *bolt.Tx, k []byte) (cur string, last record.LabelEvent, ok bool, h History, err error) {
	lv, err := GetSealed(tx, b.Labels, k)
	if err != nil {
		return "", last, false, h, err
	}
	raw, err := GetSealed(tx, b.History, k)
	if err != nil {
		return "", last, false, h, err
	}
	switch {
	case raw == nil:
	case lastEvent(raw, &last):
		ok = true
		h.raw = raw
	default: // not as the encoder writes it: decode it all
		if err := json.Unmarshal(raw, &h.full); err != nil {
			return "", last, false, h, fmt.Errorf("%w: label history: %w", codec.ErrCorrupt, err)
		}
		if n := len(h.full); n > 0 {
			last, ok = h.full[n-1], true
		}
	}
	if string(lv) != last.Label || (lv != nil && len(lv) == 0) {
		return "", last, false, h, fmt.Errorf("%w: label of %x disagrees with its history", codec.ErrCorrupt, k)
	}
	return last.Label, last, ok, h, nil
}

// lastEvent decodes the last element of a JSON history list in the
// encoder's form into ev; false when raw is not in that form.
func lastEvent(raw []byte, ev *record.LabelEvent) bool {
	if !bytes.HasPrefix(raw, []byte(`[{"label":`)) || !bytes.HasSuffix(raw, []byte("}]")) {
		return false
	}
	start := bytes.LastIndex(raw, lastElem) + 1 // 0 → the first element, at 1
	if start == 0 {
		start = 1
	}
	return json.Unmarshal(raw[start:len(raw)-1], ev) == nil
}

// AppendLabel appends ev to the history h of k (as LastLabel read it in
// the same transaction) and sets the current label to ev's.
func (b Buckets) AppendLabel(tx *bolt.Tx, k []byte, h History, ev record.LabelEvent) error {
	if h.raw == nil {
		return b.PutLabel(tx, k, append(h.full, ev))
	}
	js, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	v := make([]byte, 0, len(h.raw)+1+len(js))
	v = append(v, h.raw[:len(h.raw)-1]...)
	v = append(v, ',')
	v = append(v, js...)
	v = append(v, ']')
	return b.putHistory(tx, k, v, ev.Label)
}
