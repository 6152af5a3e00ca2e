package main

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Size mix. Filler paragraphs follow a log-normal distribution (most mail
// is short, some is long); one message in attachEvery gets a PDF whose size
// is log-normal too. With the demo messages as they are this averages about
// 10 KB a message.
const (
	fillerMu     = 1.7 // median e^1.7 ≈ 5 paragraphs
	fillerSigma  = 0.9
	maxFiller    = 300 // paragraphs; about 100 KB of text
	attachEvery  = 8
	attachMu     = 9.2 // median e^9.2 ≈ 10 KB
	attachSigma  = 1.0
	maxAttach    = 1 << 20
	shiftMaxDays = 730 // variants spread over two years before the demo dates
)

// generator renders the variants of the demo messages.
type generator struct {
	seed      uint64
	templates []*template
	// scratch buffers reused from message to message (a generator is not
	// safe for concurrent use)
	text, enc bytes.Buffer
}

// variant holds what one rendered message changes in its template.
type variant struct {
	g       *generator
	rng     *rand.Rand
	tp      *template
	rcpt    string
	shift   time.Duration
	msgID   string
	numbers []string
	tokens  []string
	paras   []string // filler paragraphs, in the text's language
	paraJP  bool
	hasPara bool
	attach  int // PDF size in bytes, 0 for none
}

// pick returns the template index and the random source of message i:
// both depend only on the seed and i.
func (g *generator) pick(i int) (int, *rand.Rand) {
	rng := rand.New(rand.NewPCG(g.seed, uint64(i)))
	return rng.IntN(len(g.templates)), rng
}

// render appends message i (raw, without mbox framing) to dst and returns
// its envelope sender and delivery time.
func (g *generator) render(dst *bytes.Buffer, i int) (string, time.Time, error) {
	ti, rng := g.pick(i)
	tp := g.templates[ti]
	v := &variant{rng: rng, tp: tp, g: g}
	v.rcpt = localParts[rng.IntN(len(localParts))]
	if rng.IntN(3) == 0 {
		v.rcpt += strconv.Itoa(rng.IntN(100))
	}
	v.rcpt += "@" + rcptDomains[rng.IntN(len(rcptDomains))]
	v.shift = -time.Duration(rng.Int64N(shiftMaxDays*86400)) * time.Second
	v.msgID = fmt.Sprintf("%016x.%d", rng.Uint64(), i)
	v.numbers = make([]string, len(tp.numbers))
	for k, n := range tp.numbers {
		v.numbers[k] = randDigits(rng, len(n))
	}
	v.tokens = make([]string, len(tp.tokens))
	for k, t := range tp.tokens {
		v.tokens[k] = randHex(rng, len(t))
	}
	if rng.IntN(attachEvery) == 0 {
		v.attach = min(maxAttach, int(math.Exp(attachMu+attachSigma*rng.NormFloat64())))
	}
	for _, s := range tp.header {
		if s.kind == segCT {
			v.writeContentFields(dst)
			continue
		}
		v.writeSeg(dst, s)
	}
	dst.WriteByte('\n')
	if err := v.writeBody(dst); err != nil {
		return "", time.Time{}, fmt.Errorf("message %d: %w", i, err)
	}
	return tp.envFrom, tp.delivered.Add(v.shift), nil
}

// boundary is the boundary of the multipart/mixed wrapper of a message with
// an added attachment.
func (v *variant) boundary() string { return "=_bench_" + v.msgID }

func (v *variant) writeContentFields(dst *bytes.Buffer) {
	if v.attach == 0 {
		dst.WriteString(v.tp.ctFields)
		return
	}
	fmt.Fprintf(dst, "Content-Type: multipart/mixed; boundary=\"%s\"\n", v.boundary())
}

func (v *variant) writeBody(dst *bytes.Buffer) error {
	if v.attach == 0 {
		return v.writeNode(dst, v.tp.body)
	}
	b := v.boundary()
	dst.WriteString("This is a multi-part message in MIME format.\n\n--" + b + "\n")
	dst.WriteString(v.tp.ctFields)
	dst.WriteByte('\n')
	if err := v.writeNode(dst, v.tp.body); err != nil {
		return err
	}
	trimNL(dst)
	name := attachNames[v.rng.IntN(len(attachNames))] + "-" + randDigits(v.rng, 6) + ".pdf"
	fmt.Fprintf(dst, "\n--%s\nContent-Type: application/pdf; name=\"%s\"\nContent-Disposition: attachment; filename=\"%s\"\nContent-Transfer-Encoding: base64\n\n", b, name, name)
	writeBase64(dst, v.pdf(&v.g.text, v.attach))
	dst.WriteString("\n--" + b + "--\n")
	return nil
}

// trimNL removes trailing newlines from dst, as a part's last line break
// belongs to the boundary delimiter that follows it.
func trimNL(dst *bytes.Buffer) {
	b := dst.Bytes()
	n := len(b)
	for n > 0 && b[n-1] == '\n' {
		n--
	}
	dst.Truncate(n)
}

func (v *variant) writeNode(dst *bytes.Buffer, n *node) error {
	dst.WriteString(n.header)
	switch {
	case n.boundary != "":
		dst.WriteString(n.preamble)
		for _, p := range n.parts {
			dst.WriteString("\n--" + n.boundary + "\n")
			if err := v.writeNode(dst, p); err != nil {
				return err
			}
			trimNL(dst)
		}
		dst.WriteString("\n--" + n.boundary + "--\n")
	case n.text != nil:
		text := &v.g.text
		text.Reset()
		for _, s := range n.text {
			if s.kind == segFiller {
				v.writeFiller(text, n)
				continue
			}
			v.writeSeg(text, s)
		}
		return encodeText(dst, &v.g.enc, text.Bytes(), n.charset, n.cte)
	default:
		dst.WriteString(n.raw)
	}
	return nil
}

func (v *variant) writeSeg(dst *bytes.Buffer, s seg) {
	switch s.kind {
	case segRcpt:
		dst.WriteString(v.rcpt)
	case segRcptQ:
		dst.WriteString(strings.Replace(v.rcpt, "@", "%40", 1))
	case segDate:
		dst.WriteString(s.t.Add(v.shift).Format(rfc5322))
	case segUnix:
		dst.WriteString(strconv.FormatInt(s.t.Add(v.shift).Unix(), 10))
	case segMsgID:
		dst.WriteString(v.msgID)
	case segNumber:
		dst.WriteString(v.numbers[s.idx])
	case segToken:
		dst.WriteString(v.tokens[s.idx])
	default:
		dst.WriteString(s.lit)
	}
}

// writeFiller writes the message's filler paragraphs, the same ones in
// every text part (a text/plain and text/html alternative agree).
func (v *variant) writeFiller(dst *bytes.Buffer, n *node) {
	if !v.hasPara {
		v.hasPara = true
		v.paraJP = n.jp
		count := min(maxFiller, int(math.Exp(fillerMu+fillerSigma*v.rng.NormFloat64())))
		v.paras = make([]string, count)
		for k := range v.paras {
			v.paras[k] = paragraph(v.rng, n.jp)
		}
	}
	if n.jp != v.paraJP {
		return // a part in the other language gets none
	}
	for _, p := range v.paras {
		if n.html {
			dst.WriteString("<p>" + p + "</p>\n")
			continue
		}
		dst.WriteByte('\n')
		wrap(dst, p, n.jp)
	}
}

// wrap writes p in lines of at most 72 bytes (English) or 34 characters
// (Japanese), each ending in LF.
func wrap(dst *bytes.Buffer, p string, jp bool) {
	if jp {
		r := []rune(p)
		for len(r) > 0 {
			k := min(len(r), 34)
			dst.WriteString(string(r[:k]))
			dst.WriteByte('\n')
			r = r[k:]
		}
		return
	}
	col := 0
	for w := range strings.FieldsSeq(p) {
		if col > 0 && col+1+len(w) > 72 {
			dst.WriteByte('\n')
			col = 0
		} else if col > 0 {
			dst.WriteByte(' ')
			col++
		}
		dst.WriteString(w)
		col += len(w)
	}
	dst.WriteByte('\n')
}

// pdf returns a small text-only PDF of about size bytes.
func (v *variant) pdf(b *bytes.Buffer, size int) []byte {
	b.Reset()
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
		"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj\n")
	const lenDigits = "0000000000"
	b.WriteString("4 0 obj << /Length " + lenDigits + " >> stream\n")
	lenAt, start := b.Len()-len(lenDigits+" >> stream\n"), b.Len()
	for y := 0; b.Len()-start < size; y++ {
		b.WriteString("BT /F1 10 Tf 72 ")
		b.WriteString(strconv.Itoa(800 - (y%70)*11))
		b.WriteString(" Td (")
		b.WriteString(sentencesEN[v.rng.IntN(len(sentencesEN))])
		b.WriteString(") Tj ET\n")
	}
	n := strconv.Itoa(b.Len() - start)
	copy(b.Bytes()[lenAt:], lenDigits[len(n):]+n) // zero-padded: same length
	b.WriteString("endstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	return b.Bytes()
}

func randDigits(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for k := range b {
		b[k] = byte('0' + rng.IntN(10))
	}
	if n > 1 && b[0] == '0' {
		b[0] = byte('1' + rng.IntN(9))
	}
	return string(b)
}

func randHex(rng *rand.Rand, n int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, n)
	for k := range b {
		b[k] = hex[rng.IntN(16)]
	}
	return string(b)
}
