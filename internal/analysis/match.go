package analysis

// matcher finds many byte patterns in one pass: an Aho–Corasick automaton
// compiled to a DFA over byte classes. ASCII letters match
// case-insensitively (upper and lower case share a class); callers that need
// case-sensitive matches verify the matched bytes themselves.
//
// A matcher is immutable after newMatcher and safe for concurrent use.
type matcher struct {
	class  [256]uint8
	nclass int32
	// trans[off+class] is the offset (state*nclass) of the next state.
	// States are numbered so that every state with outputs comes at or
	// after firstOut: the hot loop tests one comparison per byte.
	trans    []int32
	firstOut int32 // offset of the first state with outputs
	// outStart[s]..outStart[s+1] indexes outList: the patterns that end in
	// state s, including those reached through suffix links.
	outStart []int32
	outList  []int32
	plen     []int32 // byte length of each pattern
}

// maxMatcherStates bounds the automaton size (patterns beyond it are
// dropped); the default registry uses a small fraction of it.
const maxMatcherStates = 1 << 18

// newMatcher builds a matcher for patterns; pattern i is reported with id i.
// Empty patterns never match.
func newMatcher(patterns [][]byte) *matcher {
	m := &matcher{plen: make([]int32, len(patterns))}
	// Byte classes: 0 is "no pattern uses this byte".
	next := 1
	for _, p := range patterns {
		for _, c := range p {
			c = lowerByte(c)
			if m.class[c] == 0 && next < 256 {
				m.class[c] = uint8(next)
				next++
			}
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		m.class[c] = m.class[c+'a'-'A']
	}
	nc := int32(next)
	m.nclass = nc

	// Trie with dense rows; -1 = no edge.
	trie := make([]int32, nc)
	fillInt32(trie, -1)
	outs := [][]int32{nil}
	for id, p := range patterns {
		m.plen[id] = int32(len(p))
		if len(p) == 0 {
			continue
		}
		if int32(len(outs))+int32(len(p)) > maxMatcherStates {
			continue
		}
		s := int32(0)
		for _, c := range p {
			cl := int32(m.class[lowerByte(c)])
			nx := trie[s*nc+cl]
			if nx < 0 {
				nx = int32(len(outs))
				outs = append(outs, nil)
				row := make([]int32, nc)
				fillInt32(row, -1)
				trie = append(trie, row...)
				trie[s*nc+cl] = nx
			}
			s = nx
		}
		outs[s] = append(outs[s], int32(id))
	}

	// BFS: failure links, inherited outputs, full DFA transitions.
	n := int32(len(outs))
	fail := make([]int32, n)
	queue := make([]int32, 0, n)
	for cl := int32(0); cl < nc; cl++ {
		if nx := trie[cl]; nx > 0 {
			fail[nx] = 0
			queue = append(queue, nx)
		} else {
			trie[cl] = 0
		}
	}
	for qi := 0; qi < len(queue); qi++ {
		s := queue[qi]
		outs[s] = append(outs[s], outs[fail[s]]...)
		for cl := int32(0); cl < nc; cl++ {
			nx := trie[s*nc+cl]
			if nx >= 0 {
				fail[nx] = trie[fail[s]*nc+cl]
				queue = append(queue, nx)
			} else {
				trie[s*nc+cl] = trie[fail[s]*nc+cl]
			}
		}
	}
	// Renumber: states without outputs first (the root stays 0).
	order := make([]int32, 0, n)
	for s := int32(0); s < n; s++ {
		if len(outs[s]) == 0 {
			order = append(order, s)
		}
	}
	m.firstOut = int32(len(order)) * nc
	for s := int32(0); s < n; s++ {
		if len(outs[s]) != 0 {
			order = append(order, s)
		}
	}
	newID := make([]int32, n)
	for i, s := range order {
		newID[s] = int32(i)
	}
	m.trans = make([]int32, len(trie))
	m.outStart = make([]int32, n+1)
	for i, s := range order {
		for cl := int32(0); cl < nc; cl++ {
			m.trans[int32(i)*nc+cl] = newID[trie[s*nc+cl]] * nc
		}
		m.outStart[i+1] = m.outStart[i] + int32(len(outs[s]))
		m.outList = append(m.outList, outs[s]...)
	}
	return m
}

// scan reports every (possibly overlapping) occurrence of a pattern in
// text, in order of end position: fn receives the pattern id and the
// offsets [start, end) in text. Scanning stops when fn returns false.
func (m *matcher) scan(text string, fn func(id int, start, end int) bool) {
	if m == nil || len(m.outList) == 0 {
		return
	}
	off := int32(0)
	nc, firstOut := m.nclass, m.firstOut
	trans, class := m.trans, &m.class
	for i := 0; i < len(text); i++ {
		c := text[i]
		off = trans[off+int32(class[c])]
		if off >= firstOut {
			s := off / nc
			for _, id := range m.outList[m.outStart[s]:m.outStart[s+1]] {
				end := i + 1
				if !fn(int(id), end-int(m.plen[id]), end) {
					return
				}
			}
		}
	}
}

func fillInt32(s []int32, v int32) {
	for i := range s {
		s[i] = v
	}
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
