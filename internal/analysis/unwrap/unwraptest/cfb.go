package unwraptest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/triage-tools/triage/internal/analysis/message"
)

// A minimal CFB (compound file, [MS-CFB] version 3) writer: one level of
// storages under the root, streams under 4,096 bytes in the mini stream,
// larger ones in regular sectors. Enough to build Outlook .msg files.

const (
	sectorSize = 512
	miniSize   = 64
	miniCutoff = 4096
	freeSect   = 0xFFFFFFFF
	endChain   = 0xFFFFFFFE
	fatSect    = 0xFFFFFFFD
	noStream   = 0xFFFFFFFF
)

type cfbEntry struct {
	name     string
	storage  bool
	data     []byte
	children []int
	start    uint32
	left     uint32
	right    uint32
	child    uint32
}

// cfbWriter collects storages and streams.
type cfbWriter struct {
	entries []*cfbEntry // 0 is the root
}

func newCFB() *cfbWriter {
	return &cfbWriter{entries: []*cfbEntry{{name: "Root Entry", storage: true}}}
}

// add adds a stream or storage (data == nil and storage) under parent.
func (w *cfbWriter) add(parent int, name string, data []byte, storage bool) int {
	w.entries = append(w.entries, &cfbEntry{name: name, data: data, storage: storage})
	id := len(w.entries) - 1
	w.entries[parent].children = append(w.entries[parent].children, id)
	return id
}

// cfbLess is the CFB directory order: shorter names first, then by
// upper-case code units.
func cfbLess(a, b string) bool {
	ua, ub := utf16.Encode([]rune(strings.ToUpper(a))), utf16.Encode([]rune(strings.ToUpper(b)))
	if len(ua) != len(ub) {
		return len(ua) < len(ub)
	}
	for i := range ua {
		if ua[i] != ub[i] {
			return ua[i] < ub[i]
		}
	}
	return false
}

// bytes lays the file out: FAT, directory, mini FAT, mini stream, then the
// large streams. brokenFAT makes the directory's sector chain loop.
func (w *cfbWriter) bytes(brokenFAT bool) []byte {
	w.siblings()
	mini, miniFAT, big, bigIdx := w.streams()
	secs := func(n int) int { return (n + sectorSize - 1) / sectorSize }
	dirSecs := secs(len(w.entries) * 128)
	miniFATSecs := secs(len(miniFAT) * 4)
	miniSecs := secs(len(mini))
	bigSecs := 0
	for _, d := range big {
		bigSecs += secs(len(d))
	}
	rest := dirSecs + miniFATSecs + miniSecs + bigSecs
	fatSecs := 1
	for fatSecs*(sectorSize/4) < rest+fatSecs {
		fatSecs++
	}
	fat := make([]uint32, fatSecs*(sectorSize/4))
	for i := range fat {
		fat[i] = freeSect
	}
	next := uint32(0)
	chain := func(n int) uint32 {
		if n == 0 {
			return endChain
		}
		start := next
		for k := range n {
			if k == n-1 {
				fat[next] = endChain
			} else {
				fat[next] = next + 1
			}
			next++
		}
		return start
	}
	for range fatSecs {
		fat[next] = fatSect
		next++
	}
	dirStart := chain(dirSecs)
	miniFATStart := chain(miniFATSecs)
	miniStart := chain(miniSecs)
	for k, d := range big {
		w.entries[bigIdx[k]].start = chain(secs(len(d)))
	}
	if brokenFAT {
		fat[dirStart] = dirStart // the directory chain loops on itself
	}
	root := w.entries[0]
	root.start, root.data = miniStart, nil
	if len(mini) == 0 {
		root.start = endChain
	}
	out := cfbHeader(fatSecs, dirStart, miniFATStart, miniFATSecs)
	le := binary.LittleEndian
	pad := func() {
		for len(out)%sectorSize != 0 {
			out = append(out, 0)
		}
	}
	for _, v := range fat {
		out = le.AppendUint32(out, v)
	}
	out = w.appendDir(out, len(mini))
	pad()
	for _, v := range miniFAT {
		out = le.AppendUint32(out, v)
	}
	for len(out)%sectorSize != 0 {
		out = le.AppendUint32(out, freeSect)
	}
	out = append(out, mini...)
	pad()
	for _, d := range big {
		out = append(out, d...)
		pad()
	}
	return out
}

// siblings links each storage's children: sorted, chained through right
// siblings (a degenerate but valid binary search tree).
func (w *cfbWriter) siblings() {
	for _, e := range w.entries {
		e.left, e.right, e.child = noStream, noStream, noStream
	}
	for _, e := range w.entries {
		kids := append([]int(nil), e.children...)
		sort.Slice(kids, func(i, j int) bool { return cfbLess(w.entries[kids[i]].name, w.entries[kids[j]].name) })
		if len(kids) > 0 {
			e.child = uint32(kids[0])
			for i := 0; i+1 < len(kids); i++ {
				w.entries[kids[i]].right = uint32(kids[i+1])
			}
		}
	}
}

// streams puts streams under the cutoff in the mini stream (with their
// mini FAT chains) and lists the large ones.
func (w *cfbWriter) streams() (mini []byte, miniFAT []uint32, big [][]byte, bigIdx []int) {
	for i, e := range w.entries {
		if e.storage || len(e.data) == 0 {
			e.start = endChain
			continue
		}
		if len(e.data) < miniCutoff {
			e.start = uint32(len(mini) / miniSize)
			n := (len(e.data) + miniSize - 1) / miniSize
			for k := range n {
				if k == n-1 {
					miniFAT = append(miniFAT, endChain)
				} else {
					miniFAT = append(miniFAT, uint32(len(miniFAT)+1))
				}
			}
			mini = append(mini, e.data...)
			for len(mini)%miniSize != 0 {
				mini = append(mini, 0)
			}
			continue
		}
		big = append(big, e.data)
		bigIdx = append(bigIdx, i)
	}
	return mini, miniFAT, big, bigIdx
}

// cfbHeader is the 512-byte header of a version 3 compound file.
func cfbHeader(fatSecs int, dirStart, miniFATStart uint32, miniFATSecs int) []byte {
	out := make([]byte, sectorSize)
	copy(out, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le := binary.LittleEndian
	le.PutUint16(out[24:], 0x3E)
	le.PutUint16(out[26:], 3)
	le.PutUint16(out[28:], 0xFFFE)
	le.PutUint16(out[30:], 9)
	le.PutUint16(out[32:], 6)
	le.PutUint32(out[44:], uint32(fatSecs))
	le.PutUint32(out[48:], dirStart)
	le.PutUint32(out[56:], miniCutoff)
	le.PutUint32(out[60:], miniFATStart)
	le.PutUint32(out[64:], uint32(miniFATSecs))
	le.PutUint32(out[68:], endChain)
	for i := range 109 {
		v := uint32(freeSect)
		if i < fatSecs {
			v = uint32(i)
		}
		le.PutUint32(out[76+4*i:], v)
	}
	return out
}

// appendDir appends the directory entries; the root's stream is the mini
// stream of miniLen bytes.
func (w *cfbWriter) appendDir(out []byte, miniLen int) []byte {
	le := binary.LittleEndian
	for i, e := range w.entries {
		d := make([]byte, 128)
		u := utf16.Encode([]rune(e.name))
		for k, c := range u {
			le.PutUint16(d[2*k:], c)
		}
		le.PutUint16(d[64:], uint16(2*len(u)+2))
		switch {
		case i == 0:
			d[66] = 5
		case e.storage:
			d[66] = 1
		default:
			d[66] = 2
		}
		d[67] = 1 // black
		le.PutUint32(d[68:], e.left)
		le.PutUint32(d[72:], e.right)
		le.PutUint32(d[76:], e.child)
		le.PutUint32(d[116:], e.start)
		size := len(e.data)
		if i == 0 {
			size = miniLen
		}
		le.PutUint64(d[120:], uint64(size))
		out = append(out, d...)
	}
	return out
}

// MSGOptions vary the .msg file.
type MSGOptions struct {
	NoTransportHeaders bool // as saved from a draft or by some add-ins
	BrokenFAT          bool // the directory's sector chain loops
	// Attachments are added as attachment storages (long file name,
	// data), in the order given.
	Attachments []MSGAttachment
}

// MSGAttachment is one attachment of a .msg file.
type MSGAttachment struct {
	Name string
	Data []byte
}

func utf16le(s string) []byte {
	var b bytes.Buffer
	for _, c := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(c))
		b.WriteByte(byte(c >> 8))
	}
	return append(b.Bytes(), 0, 0)
}

// MSG builds an Outlook .msg file holding orig: its header block as
// PR_TRANSPORT_MESSAGE_HEADERS, subject, sender, recipients, plain body
// (PT_UNICODE) and HTML body (PT_BINARY).
func MSG(orig []byte, o MSGOptions) []byte {
	p := message.Parse(orig, message.DefaultLimits())
	w := newCFB()
	prop := func(parent int, tag, typ string, v []byte) {
		w.add(parent, "__substg1.0_"+tag+typ, v, false)
	}
	if !o.NoTransportHeaders {
		h := orig
		if i := bytes.Index(orig, []byte("\r\n\r\n")); i >= 0 {
			h = orig[:i+2]
		} else if i := bytes.Index(orig, []byte("\n\n")); i >= 0 {
			h = orig[:i+1]
		}
		prop(0, "007D", "001F", utf16le(string(h)))
	}
	s := p.Summary
	prop(0, "0037", "001F", utf16le(s.Subject))
	prop(0, "0C1A", "001F", utf16le(s.From.Name))
	prop(0, "0C1F", "001F", utf16le(s.From.Address))
	var to []string
	for _, a := range s.To {
		to = append(to, a.Address)
	}
	prop(0, "0E04", "001F", utf16le(strings.Join(to, "; ")))
	for _, pt := range p.TextParts {
		prop(0, "1000", "001F", utf16le(pt.Text))
		break
	}
	for _, pt := range p.HTMLParts {
		prop(0, "1013", "0102", []byte(pt.Text))
		break
	}
	for i, a := range o.Attachments {
		st := w.add(0, fmt.Sprintf("__attach_version1.0_#%08X", i), nil, true)
		prop(st, "3707", "001F", utf16le(a.Name))
		prop(st, "3701", "0102", a.Data)
		w.add(st, "__properties_version1.0", make([]byte, 8), false)
	}
	w.add(0, "__properties_version1.0", make([]byte, 32), false)
	return w.bytes(o.BrokenFAT)
}
