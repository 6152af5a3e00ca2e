package mailbox

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/testutil"
)

// synthMbox builds an mbox of about size bytes of realistic messages:
// Received chains, quoted replies, the occasional escaped ">From " line,
// base64 attachments; it returns the mbox and its message count.
func synthMbox(size int) ([]byte, int) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("the of and to in is you that it he was for on are as with his they at be this have from or one had by word but not what all were we when your can said there use an each which she do how their if will up other about out many then them these so some her would make like him into time has look two more write go see number no way could people my than first water been call who oil its now find long down day did get come made may part")
	var b bytes.Buffer
	b.Grow(size + 64<<10)
	n := 0
	line := func(minW, maxW int) string {
		k := minW + rng.IntN(maxW-minW+1)
		s := make([]string, k)
		for i := range s {
			s[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(s, " ")
	}
	for b.Len() < size {
		n++
		fmt.Fprintf(&b, "From sender%d@example.com Mon Jan  5 10:%02d:%02d 2026\n", n, n%60, (n*7)%60)
		for h := 0; h < 3+rng.IntN(5); h++ {
			fmt.Fprintf(&b, "Received: from mx%d.example.net (mx%d.example.net [192.0.2.%d])\n\tby mail.example.org with ESMTPS id %x\n\tfor <user@example.org>; Mon, 5 Jan 2026 10:00:%02d +0000\n", h, h, h+1, rng.Uint64(), h)
		}
		fmt.Fprintf(&b, "From: \"Sender %d\" <sender%d@example.com>\nTo: user@example.org\nSubject: %s\nDate: Mon, 5 Jan 2026 10:00:00 +0000\nMessage-ID: <%x@example.com>\nMIME-Version: 1.0\n", n, n, line(3, 8), rng.Uint64())
		attach := rng.IntN(5) == 0
		if attach {
			b.WriteString("Content-Type: multipart/mixed; boundary=\"BOUNDARY\"\n\n--BOUNDARY\nContent-Type: text/plain; charset=utf-8\n\n")
		} else {
			b.WriteString("Content-Type: text/plain; charset=utf-8\n\n")
		}
		for p := 0; p < 2+rng.IntN(8); p++ {
			for l := 0; l < 1+rng.IntN(6); l++ {
				switch rng.IntN(12) {
				case 0:
					b.WriteString("> ")
				case 1:
					b.WriteString(">From ")
				}
				b.WriteString(line(6, 14))
				b.WriteByte('\n')
			}
			b.WriteByte('\n')
		}
		if attach {
			b.WriteString("--BOUNDARY\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n")
			raw := make([]byte, 57)
			for l := 0; l < 50+rng.IntN(400); l++ {
				for i := range raw {
					raw[i] = byte(rng.Uint32())
				}
				fmt.Fprintf(&b, "%x\n", raw[:38]) // 76 characters, like base64
			}
			b.WriteString("--BOUNDARY--\n")
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), n
}

func benchSplit(b *testing.B, open func() (Reader, error), size, want int) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	msgs := 0
	for b.Loop() {
		r, err := open()
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, err := range All(r) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		r.Close()
		if n != want {
			b.Fatalf("got %d messages, want %d", n, want)
		}
		msgs += n
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msg/s")
}

// BenchmarkMboxSplit splits a ~50 MB synthetic mbox held in memory.
func BenchmarkMboxSplit(b *testing.B) {
	data, want := synthMbox(50 << 20)
	benchSplit(b, func() (Reader, error) { return OpenReader("bench", bytes.NewReader(data)) }, len(data), want)
}

// BenchmarkMboxSplitFile splits the same mbox from a file (page cache).
func BenchmarkMboxSplitFile(b *testing.B) {
	data, want := synthMbox(50 << 20)
	path := filepath.Join(b.TempDir(), "bench.mbox")
	testutil.WriteFile(b, path, data)
	benchSplit(b, func() (Reader, error) { return Open(path) }, len(data), want)
}
