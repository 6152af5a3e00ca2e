package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/store"
)

// ErrRawUnavailable is returned by StoreRaw.Raw when none of a message's
// locators yields its bytes any more (the mailbox moved or changed).
var ErrRawUnavailable = errors.New("raw message no longer available at its mailbox locations")

// StoreRaw gives the workbench a message's raw bytes by re-reading them from
// the mailbox locations the store recorded. Bytes whose SHA-256 does not
// match the message ID (the mailbox changed since) are not returned.
type StoreRaw struct{ Store *store.Store }

// Raw implements ui.RawSource.
func (s StoreRaw) Raw(id string) ([]byte, error) {
	locs, err := s.Store.Locators(id)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, l := range locs {
		raw, err := mailbox.ReadRaw(ingest.FromStoreLocator(l))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sum := sha256.Sum256(raw)
		if h := hex.EncodeToString(sum[:]); id == "sha256:"+h || id == h {
			return raw, nil
		}
	}
	return nil, fmt.Errorf("%w: %w", ErrRawUnavailable, errors.Join(errs...))
}
