package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/triage-tools/triage/internal/demo"
	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/internal/ui"
	"github.com/triage-tools/triage/store"
)

// syncBuffer is a goroutine-safe sink.
type syncBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	notify chan struct{} // if non-nil, signalled after each Write
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.notify != nil {
		select {
		case s.notify <- struct{}{}:
		default:
		}
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Since returns the output from byte offset off on.
func (s *syncBuffer) Since(off int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if off > s.b.Len() {
		off = s.b.Len()
	}
	return string(s.b.Bytes()[off:])
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

// env is a running server on a temp store pre-filled with the demo mailbox.
type env struct {
	t        testing.TB
	addr     string
	hostPub  gossh.PublicKey
	st       *store.Store
	alice    gossh.Signer
	bob      gossh.Signer
	extra    []gossh.Signer
	log      *syncBuffer
	srv      *Server
	cancel   context.CancelFunc
	served   chan error
	ingested chan struct{}
}

type envOpts struct {
	idle        time.Duration
	maxSessions int
	mbox        string // default: the demo mailbox
	progress    bool   // ingest while serving (through a Broadcaster)
	analysts    int    // extra keys, named load01…, in env.extra
	// preAuthPerIP overrides the per-IP pre-auth budget (the load test's
	// sessions all connect at once from 127.0.0.1).
	preAuthPerIP int
	authTimeout  time.Duration
	// gate, when non-nil (with progress), holds the ingest run: the first
	// value received starts it, each further value lets one progress event
	// through to the sessions, and closing it lets all through. The run
	// blocks on the next event meanwhile, so a test acts mid-ingest for
	// certain.
	gate chan struct{}
	// wrapStore, when non-nil, wraps the store the sessions use.
	wrapStore func(*store.Store) ui.Store
	// run replaces ui.Run as the sessions' program when non-nil.
	run func(ctx context.Context, opts ui.Options, in io.Reader, out io.Writer, teaOpts ...tea.ProgramOption) error
}

func newEnv(t testing.TB, o envOpts) *env {
	t.Helper()
	dir := t.TempDir()
	hk, err := LoadOrCreateHostKey(filepath.Join(dir, "host_key"))
	if err != nil {
		t.Fatal(err)
	}
	alicePub, alice := newPub(t)
	bobPub, bob := newPub(t)
	akPath := filepath.Join(dir, "authorized_keys")
	ak := `triage-analyst="alice" ` + authLine(alicePub) + " alice@laptop\n" + authLine(bobPub) + " bob\n"
	var extra []gossh.Signer
	for i := range o.analysts {
		pub, s := newPub(t)
		extra = append(extra, s)
		ak += fmt.Sprintf("%s load%02d\n", authLine(pub), i+1)
	}
	if err := os.WriteFile(akPath, []byte(ak), 0o600); err != nil {
		t.Fatal(err)
	}
	logBuf := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logBuf, nil))
	keys, err := LoadAuthorizedKeys(akPath, log)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "triage.db"), store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	mbox := o.mbox
	if mbox == "" {
		if mbox, err = demo.WriteTemp(dir); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var bc *Broadcaster
	ingested := make(chan struct{})
	if o.progress {
		bc = NewBroadcaster()
		ch := make(chan ingest.Event, 4)
		if o.gate != nil {
			ch = make(chan ingest.Event) // the run waits for the gate
			go bc.Run(ctx, gated(ctx, ch, o.gate))
		} else {
			go bc.Run(ctx, ch)
		}
		go func() {
			defer close(ingested)
			if o.gate != nil {
				select {
				case <-o.gate:
				case <-ctx.Done():
					return
				}
			}
			if _, err := ingest.Run(ctx, []string{mbox}, ingest.Options{Store: st, Progress: ch, BatchSize: 64}); err != nil && ctx.Err() == nil {
				t.Errorf("ingest: %v", err)
			}
		}()
	} else {
		if _, err := ingest.Run(ctx, []string{mbox}, ingest.Options{Store: st}); err != nil {
			t.Fatal(err)
		}
		close(ingested)
	}
	var sessStore ui.Store = st
	if o.wrapStore != nil {
		sessStore = o.wrapStore(st)
	}
	srv, err := New(Config{
		HostKey:         hk,
		AuthorizedKeys:  keys,
		Store:           sessStore,
		Progress:        bc,
		UI:              ui.Options{Title: "test", Location: time.UTC},
		IdleTimeout:     o.idle,
		MaxSessions:     o.maxSessions,
		MaxPreAuthPerIP: o.preAuthPerIP,
		AuthTimeout:     o.authTimeout,
		Logger:          log,
	})
	if err != nil {
		t.Fatal(err)
	}
	if o.run != nil {
		srv.run = o.run
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, addr: ln.Addr().String(), hostPub: hk.PublicKey(), st: st, alice: alice, bob: bob, extra: extra,
		log: logBuf, srv: srv, cancel: cancel, served: make(chan error, 1), ingested: ingested}
	go func() { e.served <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		e.stop()
		<-ingested
		st.Close()
	})
	return e
}

// gated relays the events of in, one per value received from gate (all
// once gate is closed), until the Finished event or ctx ends.
func gated(ctx context.Context, in <-chan ingest.Event, gate <-chan struct{}) <-chan ingest.Event {
	out := make(chan ingest.Event)
	go func() {
		for {
			var ev ingest.Event
			select {
			case ev = <-in:
			case <-ctx.Done():
				return
			}
			select {
			case <-gate:
			case <-ctx.Done():
				return
			}
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
			if ev.Finished {
				return
			}
		}
	}()
	return out
}

// stop shuts the server down and waits for Serve to return.
func (e *env) stop() error {
	e.cancel()
	select {
	case err, ok := <-e.served:
		if ok {
			close(e.served)
		}
		return err
	case <-time.After(15 * time.Second):
		e.t.Fatal("Serve did not return after cancel")
		return nil
	}
}

func (e *env) dial(auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", e.addr, &gossh.ClientConfig{
		User:            "analyst",
		Auth:            auth,
		HostKeyCallback: gossh.FixedHostKey(e.hostPub),
		Timeout:         5 * time.Second,
	})
}

// term is a client session with a PTY.
type term struct {
	t    testing.TB
	s    *gossh.Session
	in   io.WriteCloser
	out  *syncBuffer
	errb *syncBuffer
	done chan error
}

func (e *env) open(signer gossh.Signer, w, h int) *term {
	e.t.Helper()
	s, in := e.rawSession(signer)
	tm := &term{t: e.t, s: s, in: in, out: &syncBuffer{notify: make(chan struct{}, 1)}, errb: &syncBuffer{}, done: make(chan error, 1)}
	s.Stdout = tm.out
	s.Stderr = tm.errb
	if err := s.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		e.t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		e.t.Fatal(err)
	}
	go func() { tm.done <- s.Wait() }()
	return tm
}

func (tm *term) send(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.in, keys); err != nil {
		tm.t.Fatal(err)
	}
}

// waitFor waits until the output after byte offset from contains want
// (ANSI stripped).
func (tm *term) waitFor(from int, want string) {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(ansi.Strip(tm.out.Since(from)), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.t.Fatalf("output never contained %q; got:\n%s", want, ansi.Strip(tm.out.String()))
}

func (tm *term) wait() error {
	tm.t.Helper()
	select {
	case err := <-tm.done:
		return err
	case <-time.After(20 * time.Second):
		tm.t.Error("session did not end")
		return nil
	}
}

func exitStatus(err error) int {
	var ee *gossh.ExitError
	if errors.As(err, &ee) {
		return ee.ExitStatus()
	}
	if err == nil {
		return 0
	}
	return -1
}

// labeled returns the IDs labeled label in the store.
func labeled(t testing.TB, st *store.Store, label string) []string {
	t.Helper()
	m, err := st.Labels()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id, l := range m {
		if l == label {
			ids = append(ids, id)
		}
	}
	return ids
}

func TestServeLabelIsAttributed(t *testing.T) {
	e := newEnv(t, envOpts{})
	a := e.open(e.alice, 120, 30)
	a.waitFor(0, "▸") // a row is listed ("unlabeled 0" shows before)
	a.send("p")
	a.waitFor(0, "→ phish")
	a.send("q")
	if err := a.wait(); err != nil {
		t.Fatalf("session ended with %v", err)
	}
	ids := labeled(t, e.st, "phish")
	if len(ids) != 1 {
		t.Fatalf("phish-labeled messages = %v, want 1", ids)
	}
	cur, hist, err := e.st.Label(ids[0])
	if err != nil || cur != "phish" || len(hist) != 1 {
		t.Fatalf("Label = %q, %v, %v", cur, hist, err)
	}
	want := store.Actor{Name: "alice", Key: gossh.FingerprintSHA256(e.alice.PublicKey()), Source: "ssh"}
	if hist[0].Actor != want {
		t.Errorf("actor = %+v, want %+v", hist[0].Actor, want)
	}
	// The label reaches the log, with the analyst.
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(e.log.String(), "msg=label") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	for _, w := range []string{"msg=label", "analyst=alice", "msg=\"session start\"", "msg=\"session end\" analyst=alice"} {
		if !strings.Contains(e.log.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, e.log.String())
		}
	}
}

func TestServeRefusesUnknownKeyAndPassword(t *testing.T) {
	e := newEnv(t, envOpts{})
	_, stranger := newPub(t)
	if c, err := e.dial(gossh.PublicKeys(stranger)); err == nil {
		c.Close()
		t.Error("unknown key accepted")
	}
	if c, err := e.dial(gossh.Password("hunter2")); err == nil {
		c.Close()
		t.Error("password accepted")
	}
	if c, err := e.dial(gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
		return []string{"x"}, nil
	})); err == nil {
		c.Close()
		t.Error("keyboard-interactive accepted")
	}
	if !strings.Contains(e.log.String(), "auth refused: unknown key") {
		t.Errorf("unknown key not logged:\n%s", e.log.String())
	}
}

func TestServeRefusesCommandsNoPtyAndForwarding(t *testing.T) {
	e := newEnv(t, envOpts{})
	c, err := e.dial(gossh.PublicKeys(e.bob))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	s, _ := c.NewSession()
	var errb bytes.Buffer
	s.Stderr = &errb
	err = s.Run("cat /etc/passwd")
	if exitStatus(err) != 1 || !strings.Contains(errb.String(), "commands are not supported") {
		t.Errorf("exec: err %v, stderr %q", err, errb.String())
	}

	s, _ = c.NewSession()
	errb.Reset()
	s.Stderr = &errb
	err = s.Run("")
	if err == nil {
		if err = s.Shell(); err == nil {
			err = s.Wait()
		}
	}
	if exitStatus(err) != 1 || !strings.Contains(errb.String(), "needs a terminal") {
		t.Errorf("no pty: err %v, stderr %q", err, errb.String())
	}

	s, _ = c.NewSession()
	if err := s.RequestSubsystem("sftp"); err == nil {
		t.Error("sftp subsystem accepted")
	}
	s.Close()

	if _, err := c.Dial("tcp", e.addr); err == nil {
		t.Error("local port forwarding (direct-tcpip) accepted")
	}
	if _, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		t.Error("remote port forwarding (tcpip-forward) accepted")
	}
}

// openPair opens alice's and bob's sessions at 120×30 and waits until
// both list a row and have settled.
func (e *env) openPair() (a, b *term) {
	a, b = e.open(e.alice, 120, 30), e.open(e.bob, 120, 30)
	a.waitFor(0, "▸") // a row is listed ("unlabeled 0" shows before)
	b.waitFor(0, "▸")
	time.Sleep(100 * time.Millisecond) // let both screens settle
	return a, b
}

// quit ends each session with q and waits for them to end.
func quit(tms ...*term) {
	for _, tm := range tms {
		tm.send("q")
	}
	for _, tm := range tms {
		tm.wait()
	}
}

func TestServeTwoSessionsSeeEachOthersLabels(t *testing.T) {
	e := newEnv(t, envOpts{})
	a, b := e.openPair()
	mark := b.out.Len()
	a.send("m") // malware: not shown anywhere on b's screen yet except the label line
	a.waitFor(0, "→ malware")
	b.waitFor(mark, "malware")
	// Bob's own cursor and filter are untouched: he can label another
	// message, attributed to him (name from the key comment).
	b.send("jb")
	b.waitFor(mark, "→ bec")
	quit(a, b)
	ids := labeled(t, e.st, "bec")
	if len(ids) != 1 {
		t.Fatalf("bec labels = %v", ids)
	}
	_, hist, _ := e.st.Label(ids[0])
	if got := hist[len(hist)-1].Actor; got.Name != "bob" || got.Key != gossh.FingerprintSHA256(e.bob.PublicKey()) {
		t.Errorf("bob's label actor = %+v", got)
	}
}

func TestServeResize(t *testing.T) {
	e := newEnv(t, envOpts{})
	a := e.open(e.alice, 100, 30)
	a.waitFor(0, "unlabeled")
	time.Sleep(50 * time.Millisecond)
	mark := a.out.Len()
	if err := a.s.WindowChange(40, 160); err != nil {
		t.Fatal(err)
	}
	// At 160 columns the detail panes appear beside the list.
	a.waitFor(mark, "headers")
	a.send("q")
	a.wait()
}

func TestServeMaxSessionsAndIdle(t *testing.T) {
	// The idle limit leaves room for a loaded machine (and -race) between
	// two keys typed 500 ms apart.
	e := newEnv(t, envOpts{maxSessions: 1, idle: 2 * time.Second})
	a := e.open(e.alice, 100, 30)
	a.waitFor(0, "unlabeled")
	b := e.open(e.bob, 100, 30)
	if st := exitStatus(b.wait()); st != 1 || !strings.Contains(b.errb.String(), "is full") {
		t.Errorf("second session: status %d, stderr %q", st, b.errb.String())
	}
	// Alice stays active by typing; then goes idle.
	for i := 0; i < 5; i++ {
		time.Sleep(500 * time.Millisecond)
		a.send("j")
	}
	if st := exitStatus(a.wait()); st != 1 {
		t.Errorf("idle session exit status %d", st)
	}
	if !strings.Contains(a.out.String(), "without input") {
		t.Errorf("idle message missing: %q", a.out.String())
	}
}

func TestServeShutdown(t *testing.T) {
	e := newEnv(t, envOpts{progress: true})
	a := e.open(e.alice, 100, 30)
	a.waitFor(0, "unlabeled")
	start := time.Now()
	if err := e.stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	a.wait()
	if !strings.Contains(a.out.String(), "shutting down") {
		t.Errorf("session not told about the shutdown: %q", ansi.Strip(a.out.String()))
	}
	if _, err := e.dial(gossh.PublicKeys(e.alice)); err == nil {
		t.Error("connection accepted after shutdown")
	}
}

// TestServeProgressMidRun connects while a bigger mailbox is being
// analysed and checks that the session ends up with every message.
func TestServeProgressMidRun(t *testing.T) {
	dir := t.TempDir()
	one := demo.Mbox()
	var big bytes.Buffer
	for range 20 {
		big.Write(one)
	}
	// Same messages repeated: identical IDs dedupe, so the count is the
	// demo's. What matters is that the session follows the live run.
	path := filepath.Join(dir, "big.mbox")
	if err := os.WriteFile(path, big.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOpts{mbox: path, progress: true})
	a := e.open(e.alice, 120, 30)
	<-e.ingested
	n, err := e.st.Count()
	if err != nil || n == 0 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	// A resize repaints the whole screen, so the label line is written
	// in one piece.
	time.Sleep(100 * time.Millisecond)
	mark := a.out.Len()
	if err := a.s.WindowChange(31, 121); err != nil {
		t.Fatal(err)
	}
	a.waitFor(mark, fmt.Sprintf("unlabeled %d", n))
	a.send("q")
	a.wait()
}

// Two analysts: each sees who is connected, and alice's undo after bob
// relabeled the same message leaves bob's label and says why.
func TestServePresenceAndUndoAfterColleague(t *testing.T) {
	e := newEnv(t, envOpts{})
	a := e.open(e.alice, 120, 30)
	a.waitFor(0, "▸") // a row is listed ("unlabeled 0" shows before)
	b := e.open(e.bob, 120, 30)
	b.waitFor(0, "online: alice bob")
	a.waitFor(0, "online: alice bob")
	mark := b.out.Len()
	a.send("p") // alice labels the first message and advances
	a.waitFor(0, "→ phish")
	b.waitFor(mark, "alice labeled this message phish") // bob has it open
	b.send("s")
	b.waitFor(mark, "→ spam")
	markA := a.out.Len()
	a.send("u")
	a.waitFor(markA, "not undone: bob changed the label since (now spam)")
	if ids := labeled(t, e.st, "spam"); len(ids) != 1 {
		t.Fatalf("spam labels after alice's undo = %v", ids)
	}
	b.send("q")
	b.wait()
	a.send("q")
	a.wait()
}

// waveMbox writes an mbox of four messages of one phishing wave (another
// recipient and tracking number each) and one unrelated message.
func waveMbox(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for n := 1; n <= 4; n++ {
		fmt.Fprintf(&b, "From wave@localhost Mon Jan  5 10:00:00 2026\nFrom: Parcel Service <notice@parcel-track.example>\n"+
			"To: user%d@corp.example\nSubject: Your parcel TRK%06d is waiting\nDate: Mon, 5 Jan 2026 10:%02d:00 +0000\n\n"+
			"Dear customer, your parcel could not be delivered because the customs fee was not paid.\n"+
			"Pay within 24 hours at https://parcel-fee.example/pay/%d or it returns to the sender.\n\n", n, 100000+n, n, 7000+n)
	}
	b.WriteString("From other@localhost Mon Jan  5 12:00:00 2026\nFrom: Bob <bob@corp.example>\nTo: alice@corp.example\n" +
		"Subject: Lunch tomorrow\nDate: Mon, 5 Jan 2026 12:00:00 +0000\n\nShall we meet at noon?\n\n")
	p := filepath.Join(t.TempDir(), "wave.mbox")
	testutil.WriteFile(t, p, []byte(b.String()))
	return p
}

// A campaign labeled in one session reaches the other session at once:
// every member's label, in its list and its label counts.
func TestServeTwoSessionsSeeACampaignLabel(t *testing.T) {
	e := newEnv(t, envOpts{mbox: waveMbox(t)})
	a, b := e.openPair()
	a.send("C")
	// The campaign pane's title: drawn whole on an empty pane. (The status
	// line "2 campaigns · 4 messages in campaigns of 2 or more" follows a
	// "loading campaigns…" frame, and the renderer may send only the cells
	// that changed, so the output need not hold it in one piece.)
	a.waitFor(0, "· 4 messages")
	mark := b.out.Len()
	a.send("p")
	a.waitFor(0, "4 message(s) → phish")
	// Bob's selected message is in the campaign: he is told at once. (The
	// label counts change too, but the renderer redraws only the changed
	// cells.)
	b.waitFor(mark, "alice labeled this message phish")
	quit(a, b)
	if ids := labeled(t, e.st, "phish"); len(ids) != 4 {
		t.Errorf("phish labels: %d, want 4", len(ids))
	}
}
