package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/demo"
	"github.com/triage-tools/triage/internal/mailbox"
)

func newTestGenerator(t *testing.T, seed uint64) *generator {
	t.Helper()
	g, err := newGenerator(seed)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func genMbox(t *testing.T, seed uint64, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := writeMbox(newTestGenerator(t, seed), &buf, n); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readAll reads every message of the mailbox at path (or in data when path
// is "").
func readAll(t *testing.T, path string, data []byte) []*mailbox.Message {
	t.Helper()
	var r mailbox.Reader
	var err error
	if path == "" {
		r, err = mailbox.OpenReader("gen.mbox", bytes.NewReader(data))
	} else {
		r, err = mailbox.Open(path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []*mailbox.Message
	for {
		m, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Warnings) > 0 {
			t.Errorf("message %d: mailbox warnings %q", len(out), m.Warnings)
		}
		out = append(out, m)
	}
}

func TestTemplatesCoverDemo(t *testing.T) {
	g := newTestGenerator(t, 1)
	want := len(readAll(t, "", demo.Mbox()))
	if len(g.templates) != want {
		t.Fatalf("%d templates, the demo mailbox holds %d messages", len(g.templates), want)
	}
}

// TestMboxParsesAndAnalyses checks the count, the distinct identities and
// that no variant gets a parse warning its demo message does not get.
func TestMboxParsesAndAnalyses(t *testing.T) {
	const n = 300
	g := newTestGenerator(t, 7)
	mbox := genMbox(t, 7, n)
	msgs := readAll(t, "", mbox)
	if len(msgs) != n {
		t.Fatalf("read %d messages, wrote %d", len(msgs), n)
	}
	// mboxrd: the only lines starting with "From " are the separators, and
	// unquoting gives back the rendered message.
	if got := bytes.Count(mbox, []byte("\nFrom ")) + 1; got != n {
		t.Errorf("%d lines start with \"From \", want %d separators", got, n)
	}
	if !bytes.Contains(mbox, []byte("\n>From next month")) {
		t.Error("no quoted From line in the sample: the quoting goes untested")
	}
	var base [][]string // parse warnings of each demo message
	for _, m := range readAll(t, "", demo.Mbox()) {
		base = append(base, analysis.Analyze(m.Raw, nil).Warnings)
	}
	ids := map[string]bool{}
	var want bytes.Buffer
	for i, m := range msgs {
		want.Reset()
		if _, _, err := g.render(&want, i); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(m.Raw, want.Bytes()) {
			t.Errorf("message %d does not read back as rendered", i)
		}
		ids[m.ID()] = true
		ti, _ := g.pick(i)
		for _, w := range analysis.Analyze(m.Raw, nil).Warnings {
			if !slices.Contains(base[ti], w) {
				t.Errorf("message %d (demo message %d): warning %q", i, ti+1, w)
			}
		}
	}
	if len(ids) != n {
		t.Errorf("%d distinct messages out of %d", len(ids), n)
	}
}

func TestSameSeedSameBytes(t *testing.T) {
	a, b := genMbox(t, 3, 150), genMbox(t, 3, 150)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with seed 3 differ")
	}
	if bytes.Equal(a, genMbox(t, 4, 150)) {
		t.Fatal("seeds 3 and 4 write the same mailbox")
	}
	// A longer run starts with the same messages.
	if !bytes.HasPrefix(genMbox(t, 3, 200), a) {
		t.Fatal("-n 200 does not start with the messages of -n 150")
	}
}

// TestVariation checks that variants differ in more than their
// Message-ID: recipients, dates, sizes and the subject's numbers.
func TestVariation(t *testing.T) {
	msgs := readAll(t, "", genMbox(t, 11, 300))
	to, dates, sizes, subjects := map[string]bool{}, map[string]bool{}, map[int]bool{}, map[string]bool{}
	var total int
	attach := 0
	for _, m := range msgs {
		h, err := mail.ReadMessage(bytes.NewReader(m.Raw))
		if err != nil {
			t.Fatal(err)
		}
		to[h.Header.Get("To")] = true
		dates[h.Header.Get("Date")] = true
		subjects[h.Header.Get("Subject")] = true
		sizes[len(m.Raw)/1000] = true
		total += len(m.Raw)
		if strings.Contains(h.Header.Get("Content-Type"), "=_bench_") {
			attach++
		}
	}
	if len(to) < 50 || len(dates) < 250 || len(sizes) < 20 {
		t.Errorf("%d distinct To, %d distinct Date, %d distinct sizes (KB) in 300 messages", len(to), len(dates), len(sizes))
	}
	if len(subjects) < 60 { // 38 demo subjects, those with numbers vary
		t.Errorf("%d distinct subjects in 300 messages", len(subjects))
	}
	if attach < 15 || attach > 70 {
		t.Errorf("%d of 300 messages got an attachment, want about 1 in %d", attach, attachEvery)
	}
	if avg := total / len(msgs); avg < 7000 || avg > 14000 {
		t.Errorf("average message size %d bytes, want about 10 KB", avg)
	}
}

func TestMaildirAndGzip(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "big.maildir")
	if err := run([]string{"-q", "-n", "60", "-format", "maildir", "-o", md}, io.Discard); err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(dir, "big.mbox.gz")
	if err := run([]string{"-q", "-n", "60", "-o", gz}, io.Discard); err != nil {
		t.Fatal(err)
	}
	fromMaildir, fromGzip := readAll(t, md, nil), readAll(t, gz, nil)
	if len(fromMaildir) != 60 || len(fromGzip) != 60 {
		t.Fatalf("maildir holds %d messages, gzip mbox %d, want 60", len(fromMaildir), len(fromGzip))
	}
	// Same seed, same messages, whatever the container.
	sum := func(ms []*mailbox.Message) map[[32]byte]bool {
		s := map[[32]byte]bool{}
		for _, m := range ms {
			s[sha256.Sum256(m.Raw)] = true
		}
		return s
	}
	a, b := sum(fromMaildir), sum(fromGzip)
	for k := range a {
		if !b[k] {
			t.Fatal("the maildir holds a message the mbox does not")
		}
	}
	if _, err := os.Stat(filepath.Join(md, "new")); err != nil {
		t.Error(err)
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-n", "1"},
		{"-n", "-1", "-o", "x"},
		{"-format", "mh", "-o", "x"},
		{"-o", "x", "extra"},
	} {
		if err := run(args, io.Discard); err == nil {
			t.Errorf("run %q succeeded", args)
		}
	}
}

func BenchmarkWriteMbox(b *testing.B) {
	g, err := newGenerator(1)
	if err != nil {
		b.Fatal(err)
	}
	var written int64
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		n, err := writeMbox(g, io.Discard, 1000)
		if err != nil {
			b.Fatal(err)
		}
		written += n
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N*1000)/sec, "msg/s")
	b.ReportMetric(float64(written)/1e6/sec, "MB/s")
}
