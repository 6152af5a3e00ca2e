package fold

// Matcher finds many byte patterns in one pass: an Aho–Corasick automaton
// compiled to a DFA over byte classes. ASCII letters match
// case-insensitively (upper and lower case share a class); callers that need
// case-sensitive matches verify the matched bytes themselves.
//
// A Matcher is immutable after NewMatcher and safe for concurrent use.
type Matcher struct {
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
	maxLen   int32   // longest pattern
}

// maxMatcherStates bounds the automaton size (patterns beyond it are
// dropped); the default registry uses a small fraction of it.
const maxMatcherStates = 1 << 18

// NewMatcher builds a Matcher for patterns; pattern i is reported with id i.
// Empty patterns never match.
func NewMatcher(patterns [][]byte) *Matcher {
	m := &Matcher{plen: make([]int32, len(patterns))}
	// Byte classes: 0 is "no pattern uses this byte".
	next := 1
	for _, p := range patterns {
		for _, c := range p {
			c = LowerByte(c)
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
		m.maxLen = max(m.maxLen, int32(len(p)))
		if len(p) == 0 {
			continue
		}
		if int32(len(outs))+int32(len(p)) > maxMatcherStates {
			continue
		}
		s := int32(0)
		for _, c := range p {
			cl := int32(m.class[LowerByte(c)])
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

// Scan reports every (possibly overlapping) occurrence of a pattern in
// text, in order of end position: fn receives the pattern id and the
// offsets [start, end) in text. Scanning stops when fn returns false.
//
// A DFA walk is bound by the latency of one table load per byte, so a long
// text is walked as four chunks at once: four independent chains of loads
// in one loop. Each chunk but the first starts maxLen-1 bytes early so that
// it sees every match ending in it. Matches wait in small buffers and are
// reported chunk by chunk, in order; the last maxLen-1 bytes of chunks 2–4
// are walked after the loop. Should a buffer fill up (a text dense with
// matches), the buffers are dropped and the text is walked sequentially:
// nothing has been reported by then.
func (m *Matcher) Scan(text string, fn func(id int, start, end int) bool) {
	if m == nil || len(m.outList) == 0 {
		return
	}
	w := int(m.maxLen) - 1
	chunk := len(text) / scanStreams
	if len(text) < scanSplitMin || chunk <= 4*w {
		m.scanFrom(text, 0, 0, fn)
		return
	}
	var bufs [scanStreams]scanBuf
	// Stream k walks from starts[k] and reports ends after bounds[k].
	var starts, bounds [scanStreams]int
	for k := 1; k < scanStreams; k++ {
		bounds[k] = k * chunk
		starts[k] = bounds[k] - w
	}
	nc, firstOut := m.nclass, m.firstOut
	trans, class := m.trans, &m.class
	var off0, off1, off2, off3 int32
	t0, t1, t2, t3 := text[:chunk], text[starts[1]:starts[1]+chunk], text[starts[2]:starts[2]+chunk], text[starts[3]:starts[3]+chunk]
	for i := 0; i < chunk; i++ {
		off0 = trans[off0+int32(class[t0[i]])]
		off1 = trans[off1+int32(class[t1[i]])]
		off2 = trans[off2+int32(class[t2[i]])]
		off3 = trans[off3+int32(class[t3[i]])]
		if off0|off1|off2|off3 < firstOut { // no state with outputs (offsets are >= 0)
			continue
		}
		ok := true
		if off0 >= firstOut {
			ok = bufs[0].add(m, off0/nc, i+1)
		}
		if off1 >= firstOut && i >= w {
			ok = ok && bufs[1].add(m, off1/nc, starts[1]+i+1)
		}
		if off2 >= firstOut && i >= w {
			ok = ok && bufs[2].add(m, off2/nc, starts[2]+i+1)
		}
		if off3 >= firstOut && i >= w {
			ok = ok && bufs[3].add(m, off3/nc, starts[3]+i+1)
		}
		if !ok {
			m.scanFrom(text, 0, 0, fn)
			return
		}
	}
	offs := [scanStreams]int32{off0, off1, off2, off3}
	for k := range scanStreams {
		for _, h := range bufs[k].hits[:bufs[k].n] {
			if !fn(int(h.id), int(h.end-m.plen[h.id]), int(h.end)) {
				return
			}
		}
		end := len(text)
		if k+1 < scanStreams {
			end = bounds[k+1]
		}
		if !m.scanFrom(text[:end], starts[k]+chunk, offs[k], fn) {
			return
		}
	}
}

// scanStreams is how many chunks scan walks at once; scanSplitMin the
// shortest text it splits; scanBuffered bounds the matches held back per
// chunk.
const (
	scanStreams  = 4
	scanSplitMin = 2048
	scanBuffered = 512
)

type scanHit struct{ id, end int32 }

type scanBuf struct {
	n    int
	hits [scanBuffered]scanHit
}

// add buffers the outputs of state s for a match ending at end; false when
// they do not fit.
func (b *scanBuf) add(m *Matcher, s int32, end int) bool {
	outs := m.outList[m.outStart[s]:m.outStart[s+1]]
	if b.n+len(outs) > len(b.hits) {
		return false
	}
	for _, id := range outs {
		b.hits[b.n] = scanHit{id, int32(end)}
		b.n++
	}
	return true
}

// scanFrom walks text from byte i in state off (a row offset); false when
// fn stopped it.
func (m *Matcher) scanFrom(text string, i int, off int32, fn func(id int, start, end int) bool) bool {
	nc, firstOut := m.nclass, m.firstOut
	trans, class := m.trans, &m.class
	for ; i < len(text); i++ {
		off = trans[off+int32(class[text[i]])]
		if off >= firstOut && !m.emit(off/nc, i+1, fn) {
			return false
		}
	}
	return true
}

// emit reports the outputs of state s for a match ending at end.
func (m *Matcher) emit(s int32, end int, fn func(id int, start, end int) bool) bool {
	for _, id := range m.outList[m.outStart[s]:m.outStart[s+1]] {
		if !fn(int(id), end-int(m.plen[id]), end) {
			return false
		}
	}
	return true
}

func fillInt32(s []int32, v int32) {
	for i := range s {
		s[i] = v
	}
}

func LowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
