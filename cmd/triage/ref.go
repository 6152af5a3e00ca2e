package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/triage-tools/triage/internal/ctl"
	"github.com/triage-tools/triage/store"
)

// minIDPrefix is the shortest ID prefix show and label accept (24 bits:
// unique among tens of thousands of messages; an ambiguous one says so).
const minIDPrefix = 6

// maxAmbiguous bounds the matches counted for an ambiguous prefix.
const maxAmbiguous = 1000

// resolve maps a reference typed by the analyst to a message ID, with an
// error that says what is wrong. A reference is an ID ("sha256:" in any
// case, then hex digits in any case), a bare hex prefix of at least
// minIDPrefix digits, or a Message-ID (with or without <>).
func resolve(st ctl.Backend, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", exitError{code: 2, msg: "no message given: pass an ID (at least 6 hex digits) or a Message-ID"}
	}
	h, tagged := cutIDPrefix(ref)
	if tagged {
		if err := checkHexID(ref, h); err != nil {
			return "", err
		}
	}
	if isHexDigits(h) && len(h) >= minIDPrefix && len(h) <= 64 {
		ids, err := st.IDsWithPrefix(strings.ToLower(h), maxAmbiguous)
		if err != nil {
			return "", err
		}
		switch {
		case len(ids) == 1:
			return ids[0], nil
		case len(ids) > 1:
			return "", ambiguous(ref, ids)
		case tagged:
			return "", notStored(st, fmt.Sprintf("no stored message has an ID starting with %s", strings.ToLower(h)))
		}
	}
	// A Message-ID (a bare hex prefix may also be one).
	id, err := st.Resolve(ref)
	switch {
	case err == nil:
		return id, nil
	case errors.Is(err, store.ErrAmbiguous):
		return "", exitError{code: 1, msg: fmt.Sprintf("Message-ID %q is shared by several stored messages: give the ID instead (triage scan --jsonl shows it)", ref)}
	case !errors.Is(err, store.ErrNotFound):
		return "", err
	}
	switch {
	case isHexDigits(ref) && len(ref) < minIDPrefix:
		return "", exitError{code: 2, msg: fmt.Sprintf("%q is too short for an ID: give at least %d hex digits", ref, minIDPrefix)}
	case isHexDigits(ref) && len(ref) > 64:
		return "", exitError{code: 2, msg: fmt.Sprintf("%q is too long for an ID: a SHA-256 ID has 64 hex digits", ref)}
	case isHexDigits(ref):
		return "", notStored(st, fmt.Sprintf("no stored message has an ID starting with %s, nor that Message-ID", strings.ToLower(ref)))
	case !strings.Contains(ref, "@"):
		return "", notStored(st, fmt.Sprintf("%q is not an ID (IDs are hex digits, %s is not one) and no stored message has that Message-ID", ref, firstNonHex(ref)))
	}
	return "", notStored(st, fmt.Sprintf("no stored message has Message-ID %q", ref))
}

// cutIDPrefix removes a leading "sha256:" in any case.
func cutIDPrefix(ref string) (string, bool) {
	if len(ref) >= len(store.IDPrefix) && strings.EqualFold(ref[:len(store.IDPrefix)], store.IDPrefix) {
		return ref[len(store.IDPrefix):], true
	}
	return ref, false
}

// checkHexID checks the digits after "sha256:".
func checkHexID(ref, h string) error {
	switch {
	case h == "":
		return exitError{code: 2, msg: fmt.Sprintf("%q has no hex digits after sha256:", ref)}
	case !isHexDigits(h):
		return exitError{code: 2, msg: fmt.Sprintf("%q is not a message ID: after sha256: only hex digits may follow, %s is not one", ref, firstNonHex(h))}
	case len(h) < minIDPrefix:
		return exitError{code: 2, msg: fmt.Sprintf("%q is too short: give at least %d hex digits", ref, minIDPrefix)}
	case len(h) > 64:
		return exitError{code: 2, msg: fmt.Sprintf("%q is too long: a SHA-256 ID has 64 hex digits, not %d", ref, len(h))}
	}
	return nil
}

func ambiguous(ref string, ids []string) error {
	n := fmt.Sprint(len(ids))
	if len(ids) >= maxAmbiguous {
		n = fmt.Sprintf("%d or more", maxAmbiguous)
	}
	var some []string
	for _, id := range ids[:min(len(ids), 5)] {
		some = append(some, shortID(id))
	}
	more := ""
	if len(ids) > len(some) {
		more = ", …"
	}
	return exitError{code: 1, msg: fmt.Sprintf("%q is ambiguous: %s stored messages match (%s%s); give more digits", ref, n, strings.Join(some, ", "), more)}
}

func notStored(st ctl.Backend, what string) error {
	return exitError{code: 1, msg: fmt.Sprintf("%s in %s (was its mailbox scanned into this store?)", what, st.Path())}
}

func isHexDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; !('0' <= s[i] && s[i] <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// firstNonHex quotes the first character of s that is not a hex digit.
func firstNonHex(s string) string {
	for _, r := range s {
		if !isHexDigits(string(r)) {
			return fmt.Sprintf("%q", r)
		}
	}
	return ""
}
