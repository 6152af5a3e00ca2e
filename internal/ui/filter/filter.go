// Package filter is the message list's filter language: Parse turns a
// query into a Spec, and Spec.Match evaluates it on one row with that
// row's search text and bigram set (kept by the list's index). It knows
// nothing of the screen; the root model owns the list that uses it.
package filter

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The filter language (also in README.md, "Filter language"):
//
//	query  = or
//	or     = and { ("OR" | "|") and }
//	and    = unary { ["AND" | "&"] unary }        juxtaposition is AND
//	unary  = ("-" | "!" | "NOT") unary | "(" or ")" | term
//	term   = text | "quoted text" | score OP N | label:NAME | rule:ID
//	       | from:TEXT | domain:NAME | url:TEXT | @SAVED | reported OP N
//	       | campaign:ID | size OP N
//	OP     = < | <= | > | >= | = | :              (score:N means score>=N)
//
// text matches sender, subject, domains, URL hosts and rule IDs as a
// case-insensitive substring; from: the sender's name or address; domain:
// a sender or URL domain equal to NAME or ending in ".NAME"; url: a URL
// host containing TEXT; rule: a finding whose rule ID starts with ID;
// label:none (or "unlabeled", label:-) an unlabeled message. Several label:
// terms in one AND group are OR-ed (a message has one label). @NAME is the
// analyst's saved filter NAME. Keywords AND, OR, NOT are upper case. Any
// other name:value term is an error, never a silent "no match".
// reported>=N matches a message reported N times or more (the same
// original forwarded to a report mailbox by N people; reported:N is
// reported>=N).
// campaign: a message whose campaign ID starts with ID ("c:" optional);
// size: the number of messages in the message's campaign (size:N means
// size>=N; a message without a campaign has size 0).

// fkind is the kind of a filter node.
type fkind uint8

const (
	fText fkind = iota
	fScore
	fLabel
	fRule
	fFrom
	fDomain
	fURL
	fCampaign
	fSize
	fAnd
	fOr
	fNot
	fReported
)

// fnode is one node of a parsed filter.
type fnode struct {
	kind   fkind
	s      string   // lower-cased value of text, rule, from, domain, url
	op     string   // score comparison
	n      int      // score operand
	labels []string // label: OR set ("" = unlabeled)
	bl     Bloom    // text: bigram set of s
	rare   int      // text: index of s's rarest byte (set by Spec.SetRare)
	kids   []*fnode
}

// Spec is a parsed filter query. When the query is a conjunction of
// positive text, minimum-score, label and rule terms (simple), those are
// also kept flat so that a longer query can narrow the previous result.
type Spec struct {
	Raw  string // the query as typed
	root *fnode // nil: everything matches

	simple   bool
	minScore int
	labels   []string
	rules    []string
	terms    []string
}

// ErrFilter is wrapped by every filter syntax error.
var ErrFilter = errors.New("filter")

// knownKeys lists the name: prefixes of the language, for error messages.
const knownKeys = "score, label:, rule:, from:, domain:, url:, reported, campaign:, size, @saved"

// filterParser parses one query. labels is the label set; saved resolves
// @NAME (nil: no saved filters).
type filterParser struct {
	toks   []string
	pos    int
	labels []string
	saved  func(name string) (string, bool)
	depth  int
}

// Parse parses query q (the language above). labels is the label set
// (nil accepts any label:NAME); saved resolves @NAME (nil: none). A query
// that does not parse gives an error wrapping ErrFilter.
func Parse(q string, labels []string, saved func(string) (string, bool)) (Spec, error) {
	f := Spec{Raw: q}
	toks, err := tokenizeFilter(q)
	if err != nil {
		return f, err
	}
	if len(toks) == 0 {
		return f, nil
	}
	p := &filterParser{toks: toks, labels: labels, saved: saved}
	root, err := p.parseOr()
	if err != nil {
		return f, err
	}
	if p.pos < len(p.toks) {
		return f, fmt.Errorf("%w: unexpected %q", ErrFilter, p.toks[p.pos])
	}
	f.root = root
	f.flatten()
	return f, nil
}

// tokenizeFilter splits q at spaces and parentheses; "…" is one token
// (kept with its quotes so that it is always free text).
func tokenizeFilter(q string) ([]string, error) {
	var toks []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	inQuote := false
	for _, r := range q {
		switch {
		case inQuote:
			cur.WriteRune(r)
			if r == '"' {
				inQuote = false
				flush()
			}
		case r == '"':
			flush()
			inQuote = true
			cur.WriteRune(r)
		case r == '(' || r == ')':
			flush()
			toks = append(toks, string(r))
		case r == ' ' || r == '\t' || r == '\n':
			flush()
		default:
			cur.WriteRune(r)
		}
		if len(toks) > 256 {
			return nil, fmt.Errorf("%w: too many terms", ErrFilter)
		}
	}
	if inQuote {
		return nil, fmt.Errorf("%w: unclosed quote", ErrFilter)
	}
	flush()
	return toks, nil
}

func (p *filterParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *filterParser) parseOr() (*fnode, error) {
	var kids []*fnode
	for {
		n, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
		if t := p.peek(); t != "OR" && t != "|" {
			break
		}
		p.pos++
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	return &fnode{kind: fOr, kids: kids}, nil
}

func (p *filterParser) parseAnd() (*fnode, error) {
	var kids []*fnode
	var lab *fnode
	for {
		t := p.peek()
		if t == "" || t == ")" || t == "OR" || t == "|" {
			break
		}
		if t == "AND" || t == "&" {
			p.pos++
			continue
		}
		n, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		if n.kind == fLabel { // one label OR-set per AND group
			if lab != nil {
				lab.labels = append(lab.labels, n.labels...)
				continue
			}
			lab = n
		}
		kids = append(kids, n)
	}
	switch len(kids) {
	case 0:
		if t := p.peek(); t != "" {
			return nil, fmt.Errorf("%w: a term is missing before %q", ErrFilter, t)
		}
		return nil, fmt.Errorf("%w: a term is missing at the end", ErrFilter)
	case 1:
		return kids[0], nil
	}
	return &fnode{kind: fAnd, kids: kids}, nil
}

func (p *filterParser) parseUnary() (*fnode, error) {
	t := p.peek()
	switch {
	case t == "NOT" || t == "-" || t == "!":
		p.pos++
		if p.peek() == "" {
			return nil, fmt.Errorf("%w: nothing to negate after %q", ErrFilter, t)
		}
		n, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &fnode{kind: fNot, kids: []*fnode{n}}, nil
	case t == "(":
		p.pos++
		if p.depth++; p.depth > 16 {
			return nil, fmt.Errorf("%w: parentheses nested too deep", ErrFilter)
		}
		n, err := p.parseOr()
		p.depth--
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, fmt.Errorf("%w: missing \")\"", ErrFilter)
		}
		p.pos++
		return n, nil
	case t == ")":
		return nil, fmt.Errorf("%w: unexpected \")\"", ErrFilter)
	case len(t) > 1 && (t[0] == '-' || t[0] == '!'):
		p.pos++
		n, err := p.term(t[1:])
		if err != nil {
			return nil, err
		}
		return &fnode{kind: fNot, kids: []*fnode{n}}, nil
	}
	p.pos++
	return p.term(t)
}

// term parses one term token.
func (p *filterParser) term(tok string) (*fnode, error) {
	if len(tok) >= 2 && tok[0] == '"' && tok[len(tok)-1] == '"' {
		return textNode(strings.ToLower(tok[1 : len(tok)-1])), nil
	}
	if name, ok := strings.CutPrefix(tok, "@"); ok {
		return p.savedFilter(name)
	}
	low := strings.ToLower(tok)
	if rest, ok := strings.CutPrefix(low, "score"); ok && rest != "" && strings.ContainsRune("<>=:", rune(rest[0])) {
		return scoreNode(tok, rest)
	}
	if rest, ok := strings.CutPrefix(low, "reported"); ok && rest != "" && strings.ContainsRune("<>=:", rune(rest[0])) {
		return countNode(tok, rest, fReported, "a number of reports, e.g. reported>=2")
	}
	if rest, ok := strings.CutPrefix(low, "size"); ok && rest != "" && strings.ContainsRune("<>=:", rune(rest[0])) {
		return countNode(tok, rest, fSize, "a number of messages, e.g. size>=2")
	}
	if low == "unlabeled" {
		return &fnode{kind: fLabel, labels: []string{""}}, nil
	}
	key, val, ok := strings.Cut(low, ":")
	if !ok || !isKeyword(key) {
		return textNode(low), nil
	}
	if val == "" {
		return nil, fmt.Errorf("%w: %q needs a value, e.g. %s", ErrFilter, tok, example(key))
	}
	switch key {
	case "label":
		if val == "none" || val == "-" {
			return &fnode{kind: fLabel, labels: []string{""}}, nil
		}
		if len(p.labels) > 0 && !slices.Contains(p.labels, val) {
			return nil, fmt.Errorf("%w: unknown label %q (labels: %s, none)", ErrFilter, val, strings.Join(p.labels, ", "))
		}
		return &fnode{kind: fLabel, labels: []string{val}}, nil
	case "rule":
		return &fnode{kind: fRule, s: val}, nil
	case "from":
		return &fnode{kind: fFrom, s: val}, nil
	case "domain":
		return &fnode{kind: fDomain, s: strings.TrimPrefix(val, ".")}, nil
	case "url", "host":
		return &fnode{kind: fURL, s: val}, nil
	case "campaign":
		if !strings.HasPrefix(val, "c:") {
			val = "c:" + val
		}
		return &fnode{kind: fCampaign, s: val}, nil
	}
	return nil, fmt.Errorf("%w: unknown term %q (known: %s; quote free text: \"%s\")", ErrFilter, tok, knownKeys, tok)
}

// isKeyword reports whether key (before a colon) names a term rather than
// being part of free text: letters only. Known and unknown keys alike, so
// that a typo is an error.
func isKeyword(key string) bool {
	if key == "" || len(key) > 16 {
		return false
	}
	for _, r := range key {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func example(key string) string {
	switch key {
	case "label":
		return "label:phish"
	case "rule":
		return "rule:url."
	case "domain":
		return "domain:example.com"
	case "campaign":
		return "campaign:c:1a2b3c4d5e"
	}
	return key + ":text"
}

func textNode(s string) *fnode { return &fnode{kind: fText, s: s, bl: BigramBloom(s)} }

func scoreNode(tok, rest string) (*fnode, error) {
	op := rest[:1]
	if len(rest) > 1 && rest[1] == '=' && (op == "<" || op == ">") {
		op = rest[:2]
	}
	num := rest[len(op):]
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 1000 {
		return nil, fmt.Errorf("%w: %q needs a number from 0 to 100, e.g. score>=70", ErrFilter, tok)
	}
	if op == ":" {
		op = ">="
	}
	return &fnode{kind: fScore, op: op, n: n}, nil
}

// countNode parses the comparison of a count, reported OP N or size OP N
// (the operators of score; KEY:N means KEY>=N), as a node of kind.
func countNode(tok, rest string, kind fkind, what string) (*fnode, error) {
	op := rest[:1]
	if len(rest) > 1 && rest[1] == '=' && (op == "<" || op == ">") {
		op = rest[:2]
	}
	n, err := strconv.Atoi(rest[len(op):])
	if err != nil || n < 0 || n > 1<<30 {
		return nil, fmt.Errorf("%w: %q needs %s", ErrFilter, tok, what)
	}
	if op == ":" {
		op = ">="
	}
	return &fnode{kind: kind, op: op, n: n}, nil
}

// savedFilter parses the saved filter name as a group; saved filters
// cannot refer to other saved filters.
func (p *filterParser) savedFilter(name string) (*fnode, error) {
	if p.saved == nil {
		return nil, fmt.Errorf("%w: no saved filter %q", ErrFilter, name)
	}
	q, ok := p.saved(strings.ToLower(name))
	if !ok {
		return nil, fmt.Errorf("%w: no saved filter %q (:save NAME saves the current filter)", ErrFilter, name)
	}
	toks, err := tokenizeFilter(q)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(toks, func(t string) bool { return strings.HasPrefix(strings.TrimLeft(t, "-!"), "@") }) {
		return nil, fmt.Errorf("%w: saved filter %q refers to another saved filter", ErrFilter, name)
	}
	sub := &filterParser{toks: toks, labels: p.labels}
	n, err := sub.parseOr()
	if err == nil && sub.pos < len(sub.toks) {
		err = fmt.Errorf("%w: unexpected %q", ErrFilter, sub.toks[sub.pos])
	}
	if err != nil {
		return nil, fmt.Errorf("saved filter %q: %w", name, err)
	}
	return n, nil
}

// flatten fills the simple fields when the query is a conjunction of
// positive text, minimum-score, label and rule terms.
func (f *Spec) flatten() {
	kids := []*fnode{f.root}
	if f.root.kind == fAnd {
		kids = f.root.kids
	}
	f.simple = true
	for _, n := range kids {
		switch {
		case n.kind == fText:
			f.terms = append(f.terms, n.s)
		case n.kind == fScore && (n.op == ">=" || n.op == ">"):
			f.minScore = max(f.minScore, n.n)
			if n.op == ">" {
				f.minScore = max(f.minScore, n.n+1)
			}
		case n.kind == fLabel:
			f.labels = append(f.labels, n.labels...)
		case n.kind == fRule:
			f.rules = append(f.rules, n.s)
		default:
			f.simple = false
		}
	}
}

// Empty reports whether f matches everything (an empty query).
func (f *Spec) Empty() bool { return f.root == nil }

// UsesLabels reports whether a label change can change what f matches.
func (f *Spec) UsesLabels() bool {
	return f.root != nil && f.root.walk(func(n *fnode) bool { return n.kind == fLabel })
}

// SetRare sets, for every text term, the index of its byte that rare
// reports as the rarest in the searched rows (Match scans for that byte).
func (f *Spec) SetRare(rare func(t string) int) {
	if f.root == nil {
		return
	}
	f.root.walk(func(n *fnode) bool {
		if n.kind == fText {
			n.rare = rare(n.s)
		}
		return false
	})
}

// walk reports whether pred holds for n or a node below it.
func (n *fnode) walk(pred func(*fnode) bool) bool {
	if pred(n) {
		return true
	}
	for _, k := range n.kids {
		if k.walk(pred) {
			return true
		}
	}
	return false
}

// Narrows reports whether every row matching f also matches old, so that
// f can be applied to old's result instead of to all rows.
func (f *Spec) Narrows(old *Spec) bool {
	if !f.simple || !old.simple || old.root == nil {
		return false
	}
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

// ToggleToken adds tok to the query, or removes it when present.
func ToggleToken(q, tok string) string {
	fields := strings.Fields(q)
	for i, f := range fields {
		if strings.EqualFold(f, tok) {
			return strings.Join(slices.Delete(fields, i, i+1), " ")
		}
	}
	return strings.Join(append(fields, tok), " ")
}

// CycleMinScore replaces the score>= token of q by the next threshold of
// 50, 70, 90, none.
func CycleMinScore(q string) string {
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

func atoiSafe(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return min(n, 1000)
}
