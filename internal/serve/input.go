package serve

import (
	"fmt"
	"io"
	"sync"
)

// input is the reader a session's program reads: the client's bytes, with
// window-size reports (in-band resize, CSI 48 ; h ; w ; 0 ; 0 t, which
// Bubble Tea turns into a tea.WindowSizeMsg) spliced in between reads.
// Each client read is forwarded whole, so a report never lands inside a
// key sequence the client sent in one packet.
type input struct {
	pr *io.PipeReader
	pw *io.PipeWriter
	mu sync.Mutex // serialises writes to pw
}

// newInput starts copying src and calls activity after every read.
func newInput(src io.Reader, activity func()) *input {
	pr, pw := io.Pipe()
	in := &input{pr: pr, pw: pw}
	go in.pump(src, activity)
	return in
}

func (in *input) pump(src io.Reader, activity func()) {
	buf := make([]byte, 4096)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			activity()
			in.mu.Lock()
			_, werr := in.pw.Write(buf[:n])
			in.mu.Unlock()
			if werr != nil {
				return
			}
		}
		if err != nil {
			in.pw.CloseWithError(err)
			return
		}
	}
}

// Read implements io.Reader for the program.
func (in *input) Read(p []byte) (int, error) { return in.pr.Read(p) }

// resize injects a window-size report. It blocks until the program reads
// it or the input is closed.
func (in *input) resize(width, height int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	fmt.Fprintf(in.pw, "\x1b[48;%d;%d;0;0t", height, width)
}

// Close ends the input: pending and later writes fail. The copy goroutine
// ends at the client's next read (or when the session closes).
func (in *input) Close() error { return in.pr.Close() }
