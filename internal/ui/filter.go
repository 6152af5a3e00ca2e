package ui

import (
	"slices"
	"strconv"
	"strings"
)

// filterSpec is a parsed filter query. Terms are AND-ed; several label:
// terms are OR-ed among themselves.
//
//	free text          substring of sender, subject, domains, URL hosts, rule IDs
//	score>=N           minimum score (also score>N, score:N)
//	label:NAME         current label; label:none (or "unlabeled") = no label
//	rule:ID            a finding whose rule ID starts with ID
type filterSpec struct {
	raw      string
	terms    []string
	blooms   []bloom // bigram sets of terms
	rare     []int   // index of the rarest byte of each term (set by List.SetFilter)
	minScore int
	labels   []string
	rules    []string
}

func parseFilter(q string) filterSpec {
	f := filterSpec{raw: q}
	for _, tok := range strings.Fields(strings.ToLower(q)) {
		switch {
		case strings.HasPrefix(tok, "score>="):
			f.minScore = max(f.minScore, atoiSafe(tok[len("score>="):]))
		case strings.HasPrefix(tok, "score>"):
			f.minScore = max(f.minScore, atoiSafe(tok[len("score>"):])+1)
		case strings.HasPrefix(tok, "score:"):
			f.minScore = max(f.minScore, atoiSafe(tok[len("score:"):]))
		case tok == "unlabeled" || tok == "label:none" || tok == "label:-":
			f.labels = append(f.labels, "")
		case strings.HasPrefix(tok, "label:") && len(tok) > len("label:"):
			f.labels = append(f.labels, tok[len("label:"):])
		case strings.HasPrefix(tok, "rule:") && len(tok) > len("rule:"):
			f.rules = append(f.rules, tok[len("rule:"):])
		default:
			f.terms = append(f.terms, tok)
		}
	}
	for _, t := range f.terms {
		f.blooms = append(f.blooms, bigramBloom(t))
	}
	return f
}

func atoiSafe(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return min(n, 1000)
}

func (f *filterSpec) empty() bool {
	return len(f.terms) == 0 && f.minScore == 0 && len(f.labels) == 0 && len(f.rules) == 0
}

// narrows reports whether every row matching f also matches old, so that
// f can be applied to old's result instead of to all rows.
func (f *filterSpec) narrows(old *filterSpec) bool {
	if f.minScore < old.minScore || !slices.Equal(f.labels, old.labels) || !slices.Equal(f.rules, old.rules) {
		return false
	}
	if len(f.terms) < len(old.terms) {
		return false
	}
	for i, t := range old.terms {
		if !strings.Contains(f.terms[i], t) {
			return false
		}
	}
	return true
}

// toggleToken adds tok to the query, or removes it when present.
func toggleToken(q, tok string) string {
	fields := strings.Fields(q)
	for i, f := range fields {
		if strings.EqualFold(f, tok) {
			return strings.Join(slices.Delete(fields, i, i+1), " ")
		}
	}
	return strings.Join(append(fields, tok), " ")
}

// cycleMinScore replaces the score>= token of q by the next threshold of
// 50, 70, 90, none.
func cycleMinScore(q string) string {
	fields := strings.Fields(q)
	cur := 0
	out := fields[:0]
	for _, f := range fields {
		if strings.HasPrefix(strings.ToLower(f), "score>=") {
			cur = atoiSafe(f[len("score>="):])
			continue
		}
		out = append(out, f)
	}
	next := 0
	switch {
	case cur < 50:
		next = 50
	case cur < 70:
		next = 70
	case cur < 90:
		next = 90
	}
	if next > 0 {
		out = append(out, "score>="+strconv.Itoa(next))
	}
	return strings.Join(out, " ")
}
