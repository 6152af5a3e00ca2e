package build

import "strings"

// This file lists the demo messages in mailbox order and holds the small
// helpers every message file uses.

// messages returns every demo message in mailbox order (roughly by date,

// 2026-10-02 to 2026-11-25).

func messages() []message {
	return []message{
		hamSpecs[0].message(),
		phishJPSpecs[0].message(),
		hamSpecs[1].message(),
		phishJPSpecs[1].message(),
		hamSpecs[2].message(),
		phishSpecs[0].message(),
		phishSpecs[1].message(),
		hamSpecs[3].message(),
		malwareSpecs[0].message(),
		hamSpecs[4].message(),
		malwareSpecs[1].message(),
		phishSpecs[2].message(),
		phishJPSpecs[2].message(),
		hamSpecs[5].message(),
		phishJPSpecs[3].message(),
		phishJPSpecs[4].message(),
		hamSpecs[6].message(),
		phishSpecs[3].message(),
		hamSpecs[7].message(),
		phishSpecs[4].message(),
		hamSpecs[8].message(),
		phishSpecs[5].message(),
		phishSpecs[6].message(),
		phishSpecs[7].message(),
		hamSpecs[9].message(),
		phishSpecs[8].message(),
		phishSpecs[9].message(),
		hamSpecs[10].message(),
		phishSpecs[10].message(),
		becSpecs[0].message(),
		malwareSpecs[2].message(),
		hamSpecs[11].message(),
		malwareSpecs[3].message(),
		becSpecs[1].message(),
		malwareSpecs[4].message(),
		phishSpecs[11].message(),
		malwareSpecs[5].message(),
		hamSpecs[12].message(),
	}
}

// cat concatenates header lists.

func cat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// hs is shorthand for a literal header list.

func hs(h ...string) []string { return h }

// lines joins text lines with LF.

func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

const mime10 = "MIME-Version: 1.0"

// --- 1 ---------------------------------------------------------------------
