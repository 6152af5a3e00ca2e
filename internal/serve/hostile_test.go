package serve

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/triage-tools/triage/internal/ui"
)

// recorder is a program model that reports the window sizes and the
// environment it receives, and quits on "q".
type recorder struct {
	sizes chan<- tea.WindowSizeMsg
	envs  chan<- tea.EnvMsg
}

func (r recorder) Init() tea.Cmd { return nil }

func (r recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch m := msg.(type) {
	case tea.WindowSizeMsg:
		select {
		case r.sizes <- m:
		default:
		}
	case tea.EnvMsg:
		select {
		case r.envs <- m:
		default:
		}
	case tea.KeyPressMsg:
		if m.String() == "q" {
			return r, tea.Quit
		}
	}
	return r, nil
}

func (r recorder) View() tea.View { return tea.NewView("recorder") }

// recordingRun returns a replacement of ui.Run that runs a recorder with
// the server's program options, without a renderer (so that a size the
// server failed to clamp costs no memory here).
func recordingRun(sizes chan<- tea.WindowSizeMsg, envs chan<- tea.EnvMsg) func(context.Context, ui.Options, io.Reader, io.Writer, ...tea.ProgramOption) error {
	return func(ctx context.Context, _ ui.Options, in io.Reader, out io.Writer, teaOpts ...tea.ProgramOption) error {
		opts := append([]tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out)}, teaOpts...)
		opts = append(opts, tea.WithoutRenderer())
		_, err := tea.NewProgram(recorder{sizes: sizes, envs: envs}, opts...).Run()
		if ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) {
			return nil
		}
		return err
	}
}

// rawSession opens a session on a new connection of signer, without a
// PTY yet, and returns it with its stdin.
func (e *env) rawSession(signer gossh.Signer) (*gossh.Session, io.WriteCloser) {
	e.t.Helper()
	c, err := e.dial(gossh.PublicKeys(signer))
	if err != nil {
		e.t.Fatal(err)
	}
	s, err := c.NewSession()
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { s.Close(); c.Close() })
	in, err := s.StdinPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	return s, in
}

func nextSize(t *testing.T, sizes <-chan tea.WindowSizeMsg) tea.WindowSizeMsg {
	t.Helper()
	select {
	case m := <-sizes:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("the program received no window size")
		return tea.WindowSizeMsg{}
	}
}

// TestServeClampsTerminalSize checks that the program receives a terminal
// size of at most MaxWidth×MaxHeight, both from the pty request and from
// later window changes.
func TestServeClampsTerminalSize(t *testing.T) {
	sizes := make(chan tea.WindowSizeMsg, 16)
	e := newEnv(t, envOpts{run: recordingRun(sizes, nil)})
	s, in := e.rawSession(e.alice)
	if err := s.RequestPty("xterm", 65535, 65535, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	if got := nextSize(t, sizes); got.Width != MaxWidth || got.Height != MaxHeight {
		t.Errorf("initial size %dx%d, want %dx%d", got.Width, got.Height, MaxWidth, MaxHeight)
	}
	steps := []struct{ w, h, wantW, wantH int }{
		{100, 30, 100, 30},               // within bounds: unchanged
		{4096, 256, MaxWidth, MaxHeight}, // what Bubble Tea itself would still accept
		{200, 1 << 31, 200, MaxHeight},   // one side too large
		{1<<32 - 1, 40, MaxWidth, 40},    // the largest uint32
		{1 << 31, 1 << 31, MaxWidth, MaxHeight},
	}
	for _, st := range steps {
		if err := s.WindowChange(st.h, st.w); err != nil {
			t.Fatal(err)
		}
		if got := nextSize(t, sizes); got.Width != st.wantW || got.Height != st.wantH {
			t.Errorf("window change %dx%d: program got %dx%d, want %dx%d", st.w, st.h, got.Width, got.Height, st.wantW, st.wantH)
		}
	}
	io.WriteString(in, "q")
	if err := s.Wait(); err != nil {
		t.Errorf("session ended with %v", err)
	}
	if !strings.Contains(e.log.String(), "width=320 height=120") {
		t.Errorf("session start does not log the clamped size:\n%s", e.log.String())
	}
}

func TestClampWindowRequestMalformed(t *testing.T) {
	good := gossh.Marshal(&windowChange{Columns: 80, Rows: 24})
	for name, payload := range map[string][]byte{
		"empty":    nil,
		"short":    good[:7],
		"trailing": append(append([]byte(nil), good...), 0),
	} {
		if clampWindowRequest(&gossh.Request{Type: "window-change", Payload: payload}) {
			t.Errorf("%s window-change accepted", name)
		}
		if clampWindowRequest(&gossh.Request{Type: "pty-req", Payload: payload}) {
			t.Errorf("%s pty-req accepted", name)
		}
	}
	req := &gossh.Request{Type: "window-change", Payload: good}
	if !clampWindowRequest(req) || string(req.Payload) != string(good) {
		t.Errorf("80x24 window-change rewritten or refused")
	}
}

// TestServeEnvRequests checks that only the variables the workbench uses
// are accepted, with short values, and only so many requests.
func TestServeEnvRequests(t *testing.T) {
	envs := make(chan tea.EnvMsg, 1)
	e := newEnv(t, envOpts{run: recordingRun(nil, envs)})
	s, in := e.rawSession(e.alice)
	setenv := []struct {
		name, value string
		ok          bool
	}{
		{"LANG", "ja_JP.UTF-8", true},
		{"COLORTERM", "truecolor", true},
		{"LD_PRELOAD", "/tmp/x.so", false},
		{"TRIAGE_DB", "/tmp/other.db", false},
		{"LANG", strings.Repeat("x", 65), false},
		{"TERM", strings.Repeat("x", 32<<10), false},
		{"NO_COLOR", "a\x00b", false},
		{"NO_COLOR", "1", true},
	}
	for _, v := range setenv {
		err := s.Setenv(v.name, v.value)
		if (err == nil) != v.ok {
			t.Errorf("Setenv(%s, %d bytes): err %v, want accepted=%v", v.name, len(v.value), err, v.ok)
		}
	}
	// Count cap: maxEnvRequests in all, accepted or not.
	accepted := 0
	for range 2 * maxEnvRequests {
		if s.Setenv("COLORTERM", "24bit") == nil {
			accepted++
		}
	}
	if want := maxEnvRequests - len(setenv); accepted != want {
		t.Errorf("%d more env requests accepted, want %d", accepted, want)
	}
	if err := s.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	var env tea.EnvMsg
	select {
	case env = <-envs:
	case <-time.After(10 * time.Second):
		t.Fatal("no environment received")
	}
	if env.Getenv("LANG") != "ja_JP.UTF-8" || env.Getenv("NO_COLOR") != "1" || env.Getenv("TERM") != "xterm-256color" {
		t.Errorf("environment %q lacks LANG, NO_COLOR or TERM", env)
	}
	for _, kv := range env {
		if strings.HasPrefix(kv, "LD_PRELOAD=") || strings.HasPrefix(kv, "TRIAGE_DB=") || len(kv) > 100 {
			t.Errorf("refused variable in the environment: %.40q", kv)
		}
	}
	io.WriteString(in, "q")
	s.Wait()
	if !strings.Contains(e.log.String(), "session request refused") {
		t.Errorf("refusals not logged:\n%s", e.log.String())
	}
}

// dialFrom opens a TCP connection to addr from the loopback address src.
// It skips the test when the system cannot bind src.
func dialFrom(t testing.TB, src, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" && strings.Contains(err.Error(), "bind") {
			t.Skipf("cannot bind %s: %v", src, err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// banner sends a client version line on c and returns the server's
// version line, or "" when the server closed the connection first.
func banner(t testing.TB, c net.Conn) string {
	t.Helper()
	if _, err := io.WriteString(c, "SSH-2.0-flood\r\n"); err != nil {
		return ""
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return ""
	}
	return strings.TrimSpace(line)
}

// TestServePreAuthLimits checks the per-source limit on unauthenticated
// connections and the authentication deadline.
func TestServePreAuthLimits(t *testing.T) {
	e := newEnv(t, envOpts{authTimeout: 500 * time.Millisecond})
	var held []net.Conn
	for i := range DefaultMaxPreAuthPerIP + 1 {
		c := dialFrom(t, "127.0.0.2", e.addr)
		got := banner(t, c)
		if i < DefaultMaxPreAuthPerIP && got != "SSH-2.0-triage" {
			t.Fatalf("connection %d from 127.0.0.2: banner %q", i+1, got)
		}
		if i == DefaultMaxPreAuthPerIP && got != "" {
			t.Fatalf("connection %d from 127.0.0.2 accepted (banner %q)", i+1, got)
		}
		held = append(held, c)
	}
	// Another source still gets in, and an analyst logs in.
	if got := banner(t, dialFrom(t, "127.0.0.3", e.addr)); got != "SSH-2.0-triage" {
		t.Errorf("other source: banner %q", got)
	}
	c, err := e.dial(gossh.PublicKeys(e.alice))
	if err != nil {
		t.Fatalf("analyst refused: %v", err)
	}
	c.Close()
	// The held connections are closed at the authentication deadline.
	start := time.Now()
	buf := make([]byte, 1<<16)
	for _, c := range held[:DefaultMaxPreAuthPerIP] {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			if _, err := c.Read(buf); err != nil {
				if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "reset") {
					break
				}
				t.Fatalf("held connection still open after %v: %v", time.Since(start), err)
			}
		}
	}
	if got := banner(t, dialFrom(t, "127.0.0.2", e.addr)); got != "SSH-2.0-triage" {
		t.Errorf("127.0.0.2 after the deadline: banner %q", got)
	}
}

// addrConn is a net.Conn with a given remote address.
type addrConn struct {
	net.Conn
	remote net.Addr
	closed bool
}

func (c *addrConn) RemoteAddr() net.Addr { return c.remote }
func (c *addrConn) Close() error         { c.closed = true; return nil }

func TestConnLimits(t *testing.T) {
	l := newConnLimits(2, 3, 1)
	conn := func(addr string) *addrConn {
		return &addrConn{remote: net.TCPAddrFromAddrPort(netip.MustParseAddrPort(addr))}
	}
	a1, a2, a3 := conn("192.0.2.1:1"), conn("192.0.2.1:2"), conn("192.0.2.1:3")
	la1, _ := l.admit(a1)
	la2, _ := l.admit(a2)
	if la1 == nil || la2 == nil {
		t.Fatal("first two connections of a source refused")
	}
	if lc, _ := l.admit(a3); lc != nil {
		t.Error("third connection of a source admitted")
	}
	// IPv6 sources are counted per /64; a v4-mapped address is its v4.
	if lc, _ := l.admit(conn("[::ffff:192.0.2.1]:4")); lc != nil {
		t.Error("v4-mapped address not counted with its IPv4 source")
	}
	b1, _ := l.admit(conn("[2001:db8::1]:1"))
	if b1 == nil {
		t.Fatal("IPv6 source refused")
	}
	// Distinct ages, whatever the clock's resolution.
	base := time.Now()
	la1.start, la2.start, b1.start = base, base.Add(time.Second), base.Add(2*time.Second)
	// The pre-auth budget (3) is full: the oldest connection makes room.
	b2, evicted := l.admit(conn("[2001:db8::2]:1"))
	if b2 == nil || evicted != la1 || !a1.closed {
		t.Fatalf("full budget: admitted %v, evicted %v (want the oldest)", b2, evicted)
	}
	if lc, _ := l.admit(conn("[2001:db8::3]:1")); lc != nil {
		t.Error("third connection of a /64 admitted")
	}
	if pre, _ := l.counts(); pre != 3 {
		t.Errorf("pre-auth count %d, want 3", pre)
	}
	// Promotion moves a connection to the authenticated budget (1).
	if !l.promote(la2) {
		t.Fatal("promotion refused")
	}
	c1, evicted := l.admit(conn("198.51.100.7:1"))
	if c1 == nil || evicted != nil {
		t.Fatalf("admitted %v, evicted %v; want admitted without eviction", c1, evicted)
	}
	if l.promote(c1) {
		t.Error("promotion beyond the authenticated budget")
	}
	if l.promote(la1) {
		t.Error("closed connection promoted")
	}
	if pre, authed := l.counts(); pre != 3 || authed != 1 {
		t.Errorf("counts %d pre-auth, %d authenticated; want 3, 1", pre, authed)
	}
	// Closing releases the slot, once.
	la2.Close()
	la2.Close()
	if !l.promote(c1) {
		t.Error("promotion refused after the authenticated slot was freed")
	}
	b1.Close()
	b2.Close()
	c1.Close()
	if pre, authed := l.counts(); pre != 0 || authed != 0 || len(l.bySource) != 0 {
		t.Errorf("after closing all: %d pre-auth, %d authenticated, sources %v", pre, authed, l.bySource)
	}
}

// TestServeAuthenticatedBudget checks that authenticated connections are
// bounded by their own budget, 4 × MaxSessions.
func TestServeAuthenticatedBudget(t *testing.T) {
	e := newEnv(t, envOpts{maxSessions: 1})
	for i := range 2 * maxConnsPerSession {
		c, err := e.dial(gossh.PublicKeys(e.alice))
		if i < maxConnsPerSession && err != nil {
			t.Fatalf("connection %d refused: %v", i+1, err)
		}
		if i >= maxConnsPerSession && err == nil {
			t.Fatalf("connection %d accepted beyond the budget", i+1)
		}
		if err == nil {
			defer c.Close()
		}
	}
	if pre, authed := e.srv.limits.counts(); authed != maxConnsPerSession {
		t.Errorf("%d authenticated connections counted (%d pre-auth), want %d", authed, pre, maxConnsPerSession)
	}
	if !strings.Contains(e.log.String(), "too many connections") {
		t.Errorf("refusal not logged:\n%s", e.log.String())
	}
}
