package analysis

import (
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/net/publicsuffix"
)

// parseAddr is netip.ParseAddr without the cost of a failure: netip
// allocates an error for every string that is not an address, and most
// strings checked here are host names. A string without a colon (so not
// IPv6) is rejected early unless it is all digits and dots.
func parseAddr(s string) (netip.Addr, bool) {
	if s == "" || len(s) > 64 {
		return netip.Addr{}, false
	}
	if strings.IndexByte(s, ':') < 0 { // IPv4: digits and dots only
		for i := 0; i < len(s); i++ {
			if c := s[i]; (c < '0' || c > '9') && c != '.' {
				return netip.Addr{}, false
			}
		}
	}
	a, err := netip.ParseAddr(s)
	return a, err == nil
}

// etldMemo caches publicsuffix.EffectiveTLDPlusOne: the same few thousand
// host names recur across a mailbox, and each call costs a list walk plus
// an allocated error from the library's IP check. Bounded by etldN.
var (
	etldMemo sync.Map // host → etldAnswer
	etldN    atomic.Int64
)

type etldAnswer struct {
	d   string
	err error
}

const maxETLDMemo = 200_000

// memoOff disables the memo caches (etldPlusOne, DomainLookalike). Fuzz
// targets set it: a cache hit skips code, so coverage would depend on the
// inputs run before and the fuzzer's minimisation would never settle.
var memoOff atomic.Bool

// etldPlusOne is publicsuffix.EffectiveTLDPlusOne, memoised. Safe for
// concurrent use; the answers are a pure function of the input.
func etldPlusOne(host string) (string, error) {
	if memoOff.Load() {
		return publicsuffix.EffectiveTLDPlusOne(host)
	}
	if v, ok := etldMemo.Load(host); ok {
		a := v.(etldAnswer)
		return a.d, a.err
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if etldN.Load() < maxETLDMemo && len(host) <= 253 {
		etldN.Add(1)
		etldMemo.Store(host, etldAnswer{d, err})
	}
	return d, err
}
