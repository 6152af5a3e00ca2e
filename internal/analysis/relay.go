package analysis

import (
	"strings"
	"unicode"

	"github.com/triage-tools/triage/internal/analysis/domain"
)

// minRelayToken is the shortest word of a relay's name compared with the
// authenticated domain ("Allegro", "LinkedIn"; not "the", "mail").
const minRelayToken = 5

// splitVia splits a display name of the form "X via Y" or "X (via Y)",
// used by marketplaces, form builders and shared-document services that
// send on behalf of someone else, into the party X and the relay Y. The
// last " via " counts; ok is false when there is none or a side is empty.
func splitVia(name string) (party, relay string, ok bool) {
	lower := strings.ToLower(name)
	i := strings.LastIndex(lower, " via ")
	j := strings.LastIndex(lower, "(via ")
	sep := len(" via ")
	if j >= 0 && j+1 > i {
		i, sep = j, len("(via ")
	}
	if i <= 0 {
		return "", "", false
	}
	party = strings.TrimSpace(strings.TrimRight(name[:i], " ("))
	relay = strings.TrimSpace(strings.Trim(name[i+sep:], " )"))
	if party == "" || relay == "" {
		return "", "", false
	}
	return party, relay, true
}

// relayAuthenticated reports whether the relay named in "X via Y" is the
// authenticated sender: a word of Y (minRelayToken letters or more)
// appears in the first label of the registered domain the message is
// authenticated as, which is also the From domain. The brand named in X is
// then a third party the relay writes for (a parcel carrier on a
// marketplace), not a claim about who sent the mail.
func (a *analyzer) relayAuthenticated(relay string) bool {
	id := a.rep.Auth.Identity
	if id == nil || a.fromDomain == "" || domain.Registered(id.Domain) != a.fromDomain || domain.IsFreemail(a.fromDomain) {
		return false
	}
	label, _, _ := strings.Cut(a.fromDomain, ".")
	for _, w := range strings.FieldsFunc(strings.ToLower(relay), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if len(w) >= minRelayToken && strings.Contains(label, w) {
			return true
		}
	}
	return false
}
