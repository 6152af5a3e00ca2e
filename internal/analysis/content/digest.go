package content

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"sync"
)

var digestOnce = sync.OnceValue(func() string {
	h := sha256.New()
	w := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	for _, l := range lexicon {
		w("kind " + strconv.Itoa(l.kind))
		for _, t := range l.terms {
			w(t)
		}
	}
	for _, l := range scamLexicon {
		w("kind " + strconv.Itoa(l.kind))
		for _, t := range l.terms {
			w(t)
		}
	}
	for _, l := range [][]string{currencyBefore, currencyAfter, largeWords} {
		w("money")
		for _, t := range l {
			w(t)
		}
	}
	w("lure")
	for _, t := range lureTerms {
		w(t)
	}
	roles := make([]string, 0, len(roleLocalParts))
	for r := range roleLocalParts {
		roles = append(roles, r)
	}
	slices.Sort(roles)
	w("roles")
	for _, r := range roles {
		w(r)
	}
	w("limits " + strconv.Itoa(maxLexiconTerms) + " " + strconv.Itoa(maxLureTerms) + " " + strconv.Itoa(maxScamTerms))
	return hex.EncodeToString(h.Sum(nil))
})

// Digest returns a hash of every lexicon of the package (terms, kinds,
// bounds, role mailboxes and currency words): it changes whenever a table changes, so that the analyzer
// version does.
func Digest() string { return digestOnce() }
