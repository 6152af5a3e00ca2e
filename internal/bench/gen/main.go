// Command gen writes benchmark mailboxes of any size built from the demo
// messages (package demo), so that the Performance section of the README
// can be reproduced from a clone:
//
//	go run ./internal/bench/gen -n 100000 -o big.mbox
//	go run ./internal/bench/gen -n 100000 -format maildir -o big.maildir
//	go run ./internal/bench/gen -n 1000000 -o big.mbox.gz
//
// Every message is a variant of one demo message: another recipient,
// dates shifted by up to two years, a new Message-ID, new numbers in the
// subject (and wherever the body repeats them), new hex tracking tokens in
// the links, filler paragraphs in the message's language (log-normal
// count), and for one message in eight an added PDF attachment. Messages
// average about 10 KB. The output depends only on -seed and -n: the same
// flags write the same bytes. Memory stays constant whatever -n is, since
// each message is rendered, written and dropped in turn.
//
// The mbox is mboxrd (body lines matching ^>*From  get one more '>'); an
// output name ending in .gz is gzip-compressed. A maildir gets cur/, new/
// and tmp/, with every message in cur/.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/triage-tools/triage/internal/demo"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// options are the command-line flags.
type options struct {
	n      int
	out    string
	format string
	seed   uint64
	quiet  bool
}

func run(args []string, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.n, "n", 1000, "number of messages")
	fs.StringVar(&o.out, "o", "", "output mbox file (.gz: gzip-compressed) or maildir directory (required)")
	fs.StringVar(&o.format, "format", "mbox", "output format: mbox or maildir")
	fs.Uint64Var(&o.seed, "seed", 1, "seed: the same seed and -n write the same bytes")
	fs.BoolVar(&o.quiet, "q", false, "do not print the summary line")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.out == "":
		return errors.New("-o is required")
	case o.n < 0:
		return errors.New("-n must not be negative")
	case o.format != "mbox" && o.format != "maildir":
		return fmt.Errorf("-format %q: want mbox or maildir", o.format)
	}
	g, err := newGenerator(o.seed)
	if err != nil {
		return err
	}
	start := time.Now()
	var written int64
	if o.format == "maildir" {
		written, err = writeMaildir(g, o.out, o.n)
	} else {
		written, err = writeMboxFile(g, o.out, o.n)
	}
	if err != nil {
		return err
	}
	if !o.quiet {
		sec := time.Since(start).Seconds()
		fmt.Fprintf(stderr, "gen: wrote %d messages, %.1f MB (%.1f KB a message) to %s in %.1fs: %.0f msg/s, %.1f MB/s\n",
			o.n, float64(written)/1e6, float64(written)/1e3/float64(max(o.n, 1)), o.out, sec,
			float64(o.n)/sec, float64(written)/1e6/sec)
	}
	return nil
}

// newGenerator takes the demo mailbox apart into templates.
func newGenerator(seed uint64) (*generator, error) {
	g := &generator{seed: seed}
	for _, m := range splitMbox(demo.Mbox()) {
		tp, err := parseTemplate(m.envFrom, m.delivered, m.raw)
		if err != nil {
			return nil, fmt.Errorf("demo message from %s: %w", m.envFrom, err)
		}
		g.templates = append(g.templates, tp)
	}
	if len(g.templates) == 0 {
		return nil, errors.New("the demo mailbox is empty")
	}
	return g, nil
}

// demoMessage is one message of the demo mailbox with its envelope.
type demoMessage struct {
	envFrom   string
	delivered time.Time
	raw       []byte
}

// splitMbox splits the demo mailbox (mboxrd as written by the demo
// builder: a blank line before each "From " line).
func splitMbox(mbox []byte) []demoMessage {
	var out []demoMessage
	for line := range bytes.Lines(mbox) {
		if rest, ok := bytes.CutPrefix(line, []byte("From ")); ok {
			env, date, _ := strings.Cut(strings.TrimSpace(string(rest)), " ")
			t, _ := time.Parse(time.ANSIC, date)
			if n := len(out); n > 0 {
				out[n-1].raw = bytes.TrimSuffix(out[n-1].raw, []byte("\n"))
			}
			out = append(out, demoMessage{envFrom: env, delivered: t})
			continue
		}
		if len(out) == 0 {
			continue
		}
		if l := bytes.TrimLeft(line, ">"); len(l) < len(line) && bytes.HasPrefix(l, []byte("From ")) {
			line = line[1:]
		}
		out[len(out)-1].raw = append(out[len(out)-1].raw, line...)
	}
	if n := len(out); n > 0 {
		out[n-1].raw = bytes.TrimSuffix(out[n-1].raw, []byte("\n"))
	}
	return out
}

func writeMboxFile(g *generator, path string, n int) (written int64, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	var w io.Writer = f
	var zw *gzip.Writer
	if strings.HasSuffix(path, ".gz") {
		zw = gzip.NewWriter(f)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if written, err = writeMbox(g, bw, n); err != nil {
		return written, err
	}
	if err = bw.Flush(); err != nil {
		return written, err
	}
	if zw != nil {
		err = zw.Close()
	}
	return written, err
}

// generate renders messages 0..n-1 in turn and hands each to emit with its
// number, envelope sender and delivery time; it returns the sum of the
// byte counts emit reports. The message buffer is reused: emit must not
// keep msg.
func generate(g *generator, n int, emit func(i int, env string, t time.Time, msg []byte) (int, error)) (int64, error) {
	var msg bytes.Buffer
	var written int64
	for i := range n {
		msg.Reset()
		env, t, err := g.render(&msg, i)
		if err != nil {
			return written, err
		}
		k, err := emit(i, env, t, msg.Bytes())
		written += int64(k)
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// writeMbox writes messages 0..n-1 to w as mboxrd and returns the number
// of bytes written (before any compression).
func writeMbox(g *generator, w io.Writer, n int) (int64, error) {
	var out bytes.Buffer
	return generate(g, n, func(_ int, env string, t time.Time, msg []byte) (int, error) {
		out.Reset()
		fmt.Fprintf(&out, "From %s %s\n", env, t.UTC().Format(time.ANSIC))
		for line := range bytes.Lines(msg) {
			if bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) {
				out.WriteByte('>')
			}
			out.Write(line)
		}
		out.WriteByte('\n')
		return w.Write(out.Bytes())
	})
}

// writeMaildir writes messages 0..n-1 as files in dir/cur and returns the
// number of message bytes written.
func writeMaildir(g *generator, dir string, n int) (int64, error) {
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return 0, err
		}
	}
	return generate(g, n, func(i int, _ string, t time.Time, msg []byte) (int, error) {
		name := fmt.Sprintf("%d.B%dP0.bench:2,S", t.Unix(), i)
		if err := os.WriteFile(filepath.Join(dir, "cur", name), msg, 0o644); err != nil {
			return 0, err
		}
		return len(msg), nil
	})
}
