package serve

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/demo"
)

// distinctCopies writes n copies of the demo mailbox in which every
// message gets an X-Copy header, so that all are distinct messages.
func distinctCopies(t *testing.T, n int) (path string, msgs int) {
	t.Helper()
	var out bytes.Buffer
	for i := range n {
		sc := bufio.NewScanner(bytes.NewReader(demo.Mbox()))
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			out.Write(sc.Bytes())
			out.WriteByte('\n')
			if bytes.HasPrefix(sc.Bytes(), []byte("From ")) {
				fmt.Fprintf(&out, "X-Copy: %d\n", i)
				msgs++
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	path = filepath.Join(t.TempDir(), "copies.mbox")
	if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, msgs
}

// TestServeLabelMidIngest presses the label key while the ingest run is
// held between batches (the session opens before the run starts): before any row is listed the key is refused on
// screen and nothing is written; once the first batch is listed it labels
// the selected message, and the label is in the store, and still shown,
// after the later batches arrived.
func TestServeLabelMidIngest(t *testing.T) {
	mbox, msgs := distinctCopies(t, 6)
	if msgs < 3*64 {
		t.Fatalf("only %d messages: the run must span several batches", msgs)
	}
	gate := make(chan struct{})
	e := newEnv(t, envOpts{mbox: mbox, progress: true, gate: gate})
	a := e.open(e.alice, 120, 30)
	a.waitFor(0, "no messages yet")
	a.send("p")
	a.waitFor(0, "not labeled: no message listed yet")
	if ids := labeled(t, e.st, "phish"); len(ids) != 0 {
		t.Fatalf("a label key pressed before any row labeled %v", ids)
	}

	gate <- struct{}{} // start the run
	gate <- struct{}{} // let the first batch through
	a.waitFor(0, "▸")
	a.send("p")
	a.waitFor(0, "→ phish")
	select {
	case <-e.ingested:
		t.Fatal("the ingest run finished before the label: not mid-ingest")
	default:
	}
	ids := labeled(t, e.st, "phish")
	if len(ids) != 1 {
		t.Fatalf("phish labels after the key = %v, want 1", ids)
	}

	close(gate) // the later batches and the end of the run
	<-e.ingested
	n, err := e.st.Count()
	if err != nil || n != msgs {
		t.Fatalf("Count = %d, %v; want %d", n, err, msgs)
	}
	// A resize repaints the whole screen: the label line shows the label
	// and every other message unlabeled.
	time.Sleep(100 * time.Millisecond)
	mark := a.out.Len()
	if err := a.s.WindowChange(31, 121); err != nil {
		t.Fatal(err)
	}
	a.waitFor(mark, fmt.Sprintf("p:phish 1  m:malware 0  s:spam 0  b:bec 0  i:simulation 0  c:benign 0  x:unsure 0  unlabeled %d", msgs-1))
	a.send("q")
	if err := a.wait(); err != nil {
		t.Fatalf("session ended with %v", err)
	}
	if got := labeled(t, e.st, "phish"); len(got) != 1 || got[0] != ids[0] {
		t.Errorf("phish labels at the end = %v, want %v", got, ids)
	}
}
