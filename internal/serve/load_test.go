package serve

import (
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/internal/ui"
	"github.com/triage-tools/triage/store"
)

// TestServeLoad is the load test, run only when TRIAGE_LOAD_TEST names a
// mailbox (e.g. /work/bench-out/corpus.mbox):
//
//	TRIAGE_LOAD_TEST=/work/bench-out/corpus.mbox go test ./internal/serve/ -run Load -v
//
// 20 sessions (TRIAGE_LOAD_SESSIONS, or a list such as 1,5,10,20 for one
// run per count) each label and move the cursor for 30 seconds
// (TRIAGE_LOAD_SECONDS), each on its own rows far enough apart that no
// session sees another's row: a label, a move to the next row of the
// session's window of rows (TRIAGE_LOAD_ROWS, 2 to 40, default 2: two rows
// labeled in turn), and so on, down the window and back up. Every label
// press changes the row's label (each row's labels cycle), so it must show
// up as the label's name in the next frames: the time from the key press
// to that output is the latency reported (p50/p90/p99/max); cursor moves
// report the time to the next output. The CPU time of the test process (server and clients) per label
// is reported too. Afterwards the store must hold exactly as many label
// events per analyst as that analyst's session pressed label keys.
func TestServeLoad(t *testing.T) {
	mbox := testutil.Getenv(t, "TRIAGE_LOAD_TEST", "MAILBOX")
	counts := []int{20}
	if v := os.Getenv("TRIAGE_LOAD_SESSIONS"); v != "" {
		counts = nil
		for f := range strings.SplitSeq(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				t.Fatalf("TRIAGE_LOAD_SESSIONS=%q: want session counts such as 20 or 1,5,10,20", v)
			}
			counts = append(counts, n)
		}
	}
	dur := time.Duration(envInt("TRIAGE_LOAD_SECONDS", 30)) * time.Second
	for _, n := range counts {
		t.Run(strconv.Itoa(n)+"sessions", func(t *testing.T) { loadRun(t, mbox, n, dur) })
	}
}

// loadRun is one run of the load test with the given number of sessions.
func loadRun(t *testing.T, mbox string, sessions int, dur time.Duration) {
	start := time.Now()
	ts := &timedStore{}
	e := newEnv(t, envOpts{mbox: mbox, analysts: sessions, maxSessions: sessions + 1, preAuthPerIP: sessions + 1,
		wrapStore: func(st *store.Store) ui.Store { ts.Store = st; return ts }})
	n, _ := e.st.Count()
	t.Logf("ingested %d messages in %v", n, time.Since(start).Round(time.Millisecond))
	const spacing = 40
	window := envInt("TRIAGE_LOAD_ROWS", 2)
	if window < 2 || window > spacing {
		t.Fatalf("TRIAGE_LOAD_ROWS=%d: want 2 to %d rows a session", window, spacing)
	}
	if n < sessions*spacing+2 {
		t.Fatalf("mailbox too small: %d messages for %d sessions", n, sessions)
	}
	labels := []struct{ key, name string }{
		{"p", "phish"}, {"m", "malware"}, {"s", "spam"}, {"b", "bec"}, {"i", "simulation"}, {"c", "benign"}, {"x", "unsure"},
	}
	var mu sync.Mutex
	var labelLat, moveLat []time.Duration
	pressed := map[string]int{}
	var wg, placed sync.WaitGroup
	placed.Add(sessions)
	cpu0 := make(chan time.Duration, 1)
	go func() { placed.Wait(); cpu0 <- processCPU() }()
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			isPlaced := sync.OnceFunc(placed.Done)
			defer isPlaced()
			tm := e.open(e.extra[i], 120, 30)
			scr := newScreen(tm, 120, 30)
			defer scr.close()
			tm.waitFor(0, "▸") // a row is listed
			tm.send("a")
			// The status line, not the flash: a session still on the first
			// row (slow to start) may see the first session label it.
			if !scr.wait(func(lines []string) bool { return slices.ContainsFunc(lines, statusOff) }, 30*time.Second) {
				t.Errorf("session %d: auto-advance never turned off; the screen:\n%s", i, scr.emu.String())
				return
			}
			tm.send(strings.Repeat("j", i*spacing))
			// Measure once every session is on its rows: the moves draw
			// frames until the last is done.
			if !tm.waitSilence(500*time.Millisecond, 2*time.Minute) {
				t.Errorf("session %d: still drawing two minutes after its %d moves", i, i*spacing)
				return
			}
			isPlaced()
			placed.Wait()
			var ll, ml []time.Duration
			presses := 0
			deadline := time.Now().Add(dur)
			// The label of each press differs from the row's and from the
			// previous press's (whose flash is still on screen).
			last := make([]int, window) // label index last given to each row of the window
			for p := range last {
				last[p] = -1
			}
			prev := -1
			for k := 0; time.Now().Before(deadline); k++ {
				p := windowPos(k, window)
				li := (prev + 1) % len(labels)
				for li == last[p] || li == prev {
					li = (li + 1) % len(labels)
				}
				last[p], prev = li, li
				l := labels[li]
				t0 := time.Now()
				tm.send(l.key)
				presses++
				if !scr.waitFlash("→ "+l.name, 30*time.Second) {
					t.Errorf("session %d: label %s (press %d) never shown; the screen:\n%s", i, l.name, k, scr.emu.String())
					return
				}
				ll = append(ll, time.Since(t0))
				move := "j"
				if windowPos(k+1, window) < p {
					move = "k"
				}
				mark := tm.out.Len()
				t0 = time.Now()
				tm.send(move)
				if !tm.waitQuiet(mark, 30*time.Second) {
					t.Errorf("session %d: no frame after a move", i)
					return
				}
				ml = append(ml, time.Since(t0))
			}
			tm.send("q")
			if err := tm.wait(); err != nil {
				t.Errorf("session %d: %v", i, err)
			}
			mu.Lock()
			labelLat = append(labelLat, ll...)
			moveLat = append(moveLat, ml...)
			pressed["load"+pad2(i+1)] = presses
			mu.Unlock()
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	// Lose no label: count the events per analyst in the store.
	rows, err := e.st.Rows()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range rows {
		_, hist, err := e.st.Label(r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range hist {
			got[ev.Actor.Name]++
			if ev.Actor.Source != "ssh" || !strings.HasPrefix(ev.Actor.Key, "SHA256:") {
				t.Errorf("event without ssh attribution: %+v", ev.Actor)
			}
		}
	}
	total := 0
	for name, want := range pressed {
		total += want
		if got[name] != want {
			t.Errorf("%s: %d label events stored, %d pressed", name, got[name], want)
		}
	}
	cpu := processCPU() - <-cpu0
	t.Logf("%d sessions × %v on %d messages: %d labels (%.0f/s); CPU of the test process %.1f s, %.1f ms a label",
		sessions, dur, n, total, float64(total)/dur.Seconds(), cpu.Seconds(), cpu.Seconds()*1000/float64(max(total, 1)))
	t.Logf("key press → frame with the new label: %s", pctl(labelLat))
	t.Logf("key press → next frame (cursor move):  %s", pctl(moveLat))
	ts.mu.Lock()
	t.Logf("of which Store.SetLabel (commit with fsync): %s", pctl(ts.setLabel))
	ts.mu.Unlock()
}

// timedStore records how long each SetLabel takes.
type timedStore struct {
	*store.Store
	mu       sync.Mutex
	setLabel []time.Duration
}

func (s *timedStore) SetLabel(id, label string, by store.Actor) (store.LabelEvent, error) {
	t0 := time.Now()
	ev, err := s.Store.SetLabel(id, label, by)
	d := time.Since(t0)
	s.mu.Lock()
	s.setLabel = append(s.setLabel, d)
	s.mu.Unlock()
	return ev, err
}

// windowPos is the row (0 to rows-1) of a session's k-th label: the
// cursor goes down the window and back up again.
func windowPos(k, rows int) int {
	k %= 2 * (rows - 1)
	if k < rows {
		return k
	}
	return 2*(rows-1) - k
}

// waitQuiet waits until there is output after mark. It reports false on
// timeout.
func (tm *term) waitQuiet(mark int, timeout time.Duration) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for tm.out.Len() <= mark {
		select {
		case <-tm.out.notify:
		case <-timer.C:
			return false
		}
	}
	return true
}

// waitSilence waits until no output arrived for quiet. It reports false
// when there is still output after timeout.
func (tm *term) waitSilence(quiet, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for n := tm.out.Len(); time.Now().Before(deadline); {
		time.Sleep(quiet)
		m := tm.out.Len()
		if m == n {
			return true
		}
		n = m
	}
	return false
}

// screen is what a session's terminal shows: the renderer sends only the
// cells that changed (skipping any that happen to be equal), so a label's
// name is looked for on a screen, not in the output stream.
type screen struct {
	tm  *term
	emu *vt.Emulator
	fed int // bytes of tm.out written to emu
}

func newScreen(tm *term, w, h int) *screen {
	emu := vt.NewEmulator(w, h)
	go io.Copy(io.Discard, emu) // the emulator's answers to queries
	return &screen{tm: tm, emu: emu}
}

func (s *screen) close() { s.emu.Close() }

// waitFlash waits until the screen's bottom line (the flash) contains
// want. It reports false on timeout.
func (s *screen) waitFlash(want string, timeout time.Duration) bool {
	return s.wait(func(lines []string) bool {
		return len(lines) > 0 && strings.Contains(lines[len(lines)-1], want)
	}, timeout)
}

func statusOff(line string) bool {
	return strings.Contains(line, " shown · ") && strings.Contains(line, "auto-advance off")
}

// wait waits until ok holds for the screen's lines. It reports false on
// timeout.
func (s *screen) wait(ok func(lines []string) bool, timeout time.Duration) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		if end := s.tm.out.Len(); end > s.fed {
			s.emu.WriteString(s.tm.out.Slice(s.fed, end))
			s.fed = end
			if ok(strings.Split(s.emu.String(), "\n")) {
				return true
			}
		}
		select {
		case <-s.tm.out.notify:
		case <-timer.C:
			return false
		}
	}
}

// processCPU is the user and system CPU time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func pctl(d []time.Duration) string {
	if len(d) == 0 {
		return "no samples"
	}
	slices.Sort(d)
	at := func(p float64) time.Duration {
		return d[min(len(d)-1, int(p*float64(len(d))))].Round(10 * time.Microsecond)
	}
	return "n=" + strconv.Itoa(len(d)) + " p50=" + at(0.50).String() + " p90=" + at(0.90).String() +
		" p99=" + at(0.99).String() + " max=" + d[len(d)-1].Round(10*time.Microsecond).String()
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func pad2(i int) string {
	if i < 10 {
		return "0" + strconv.Itoa(i)
	}
	return strconv.Itoa(i)
}

// TestServeUnauthenticatedFlood holds 200 connections that send only the
// SSH banner (100 from one source, 100 from 25 others) and checks that an
// analyst still logs in and gets a workbench within 2 s.
func TestServeUnauthenticatedFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("flood test skipped with -short")
	}
	e := newEnv(t, envOpts{})
	const flood = 200
	var wg sync.WaitGroup
	var mu sync.Mutex
	served := 0 // connections that got the server's banner
	for i := range flood {
		src := "127.0.0.2"
		if i >= flood/2 {
			src = "127.0.1." + strconv.Itoa(1+i%25)
		}
		c := dialFrom(t, src, e.addr)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if banner(t, c) != "" {
				mu.Lock()
				served++
				mu.Unlock()
			}
		}()
	}
	wg.Wait() // every flood connection was admitted or refused
	pre, _ := e.srv.limits.counts()
	t.Logf("flood: %d connections, %d got a banner, %d still pre-auth (budget %d, %d per source)",
		flood, served, pre, DefaultMaxPreAuth, DefaultMaxPreAuthPerIP)
	if pre != DefaultMaxPreAuth {
		t.Errorf("%d pre-auth connections held, want the budget %d", pre, DefaultMaxPreAuth)
	}

	start := time.Now()
	c, err := e.dial(gossh.PublicKeys(e.alice))
	if err != nil {
		t.Fatalf("analyst refused during the flood: %v", err)
	}
	login := time.Since(start)
	c.Close()
	a := e.open(e.bob, 100, 30)
	a.waitFor(0, "unlabeled")
	firstFrame := time.Since(start)
	t.Logf("during the flood: login %v, login to first frame (second connection) %v",
		login.Round(time.Millisecond), firstFrame.Round(time.Millisecond))
	if login > 2*time.Second {
		t.Errorf("login took %v during the flood, want under 2 s", login)
	}
	a.send("q")
	a.wait()
}

// TestServeMemoryHugeTerminals opens 20 workbench sessions that ask for a
// 65535×65535 terminal and logs the heap they hold once each has drawn
// its first frame; it fails above 400 MB in all.
func TestServeMemoryHugeTerminals(t *testing.T) {
	if testing.Short() {
		t.Skip("memory test skipped with -short")
	}
	// Guard: without the clamp this test would try to allocate ~480 GB a
	// session.
	req := &gossh.Request{Type: "pty-req", Payload: gossh.Marshal(&ptyRequest{Term: "xterm", Columns: 65535, Rows: 65535})}
	var p ptyRequest
	if !clampWindowRequest(req) || gossh.Unmarshal(req.Payload, &p) != nil || p.Columns > MaxWidth || p.Rows > MaxHeight {
		t.Fatalf("pty requests are not clamped (%dx%d); not opening huge sessions", p.Columns, p.Rows)
	}
	const sessions = 20
	e := newEnv(t, envOpts{analysts: sessions, maxSessions: sessions})
	before := heapInuse()
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			if h := heapInuseNoGC(); h > peak.Load() {
				peak.Store(h)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	terms := make([]*term, sessions)
	for i := range sessions {
		terms[i] = e.open(e.extra[i], 65535, 65535)
	}
	for _, tm := range terms {
		tm.waitFor(0, "unlabeled")
	}
	// A later window change to the same huge size changes nothing.
	for _, tm := range terms {
		if err := tm.s.WindowChange(1<<31, 1<<31); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(200 * time.Millisecond)
	after := heapInuse()
	close(stop)
	<-sampled
	held := int64(after) - int64(before)
	const mb = 1 << 20
	t.Logf("%d sessions at %dx%d (asked 65535x65535): heap in use %.1f MB before, %.1f MB after (+%.1f MB, %.2f MB a session), peak sampled %.1f MB",
		sessions, MaxWidth, MaxHeight, float64(before)/mb, float64(after)/mb, float64(held)/mb, float64(held)/mb/sessions, float64(peak.Load())/mb)
	if after > 400*mb {
		t.Errorf("heap in use %.1f MB with %d sessions, want under 400 MB", float64(after)/mb, sessions)
	}
	for _, tm := range terms {
		tm.send("q")
	}
	for _, tm := range terms {
		tm.wait()
	}
}

func heapInuse() uint64 {
	runtime.GC()
	return heapInuseNoGC()
}

func heapInuseNoGC() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// Slice returns the output from byte offset from to end.
func (s *syncBuffer) Slice(from, end int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	end = min(end, s.b.Len())
	return string(s.b.Bytes()[min(from, end):end])
}
