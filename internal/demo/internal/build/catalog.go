package build

import (
	"cmp"
	"slices"
	"strings"
)

// This file lists the demo messages in mailbox order and holds the small
// helpers every message file uses.

// specs returns every demo message spec in mailbox order (spec.n, roughly
// by date, 2026-10-02 to 2026-11-25).
func specs() []spec {
	all := slices.Concat(hamSpecs, phishSpecs, phishJPSpecs, malwareSpecs, becSpecs)
	slices.SortFunc(all, func(a, b spec) int { return cmp.Compare(a.n, b.n) })
	return all
}

// messages returns every demo message in mailbox order.
func messages() []message {
	all := specs()
	out := make([]message, len(all))
	for i, s := range all {
		out[i] = s.message()
	}
	return out
}

// lines joins text lines with LF.
func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

const mime10 = "MIME-Version: 1.0"
