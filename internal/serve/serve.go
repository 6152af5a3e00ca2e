// Package serve runs the triage workbench over SSH: one workbench (its own
// ui model: cursor, filter, sort, panes) per SSH session, all on one shared
// store, with public-key authentication from an authorized_keys file and
// every label and note attributed to the analyst's key.
//
// Only interactive sessions with a PTY run; exec/shell commands,
// subsystems (SFTP), port forwarding and agent forwarding are refused or
// never serviced. Sessions end on quit, client disconnect, idle timeout or
// server shutdown (the analyst is told why).
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"github.com/charmbracelet/colorprofile"
	gossh "golang.org/x/crypto/ssh"

	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui"
	"github.com/triage-tools/triage/store"
)

// DefaultAddr is the listen address of triage serve.
const DefaultAddr = "127.0.0.1:2222"

// Defaults applied by New to zero Config fields.
const (
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultMaxSessions     = 32
	DefaultShutdownTimeout = 10 * time.Second
	DefaultAuthTimeout     = 10 * time.Second
	DefaultMaxPreAuth      = 64
	DefaultMaxPreAuthPerIP = 8
	maxConnsPerSession     = 4
)

// Reasons a session ended, used as context causes.
var (
	errShutdown = errors.New("server shutting down")
	errIdle     = errors.New("idle timeout")
)

// Config configures a Server. HostKey, AuthorizedKeys and Store are
// required.
type Config struct {
	// HostKey is the server's host key (see LoadOrCreateHostKey).
	HostKey gossh.Signer
	// AuthorizedKeys decides who may log in and under which name.
	AuthorizedKeys *AuthorizedKeys
	// Store is the shared store every session reads and labels.
	Store ui.Store
	// Progress is the broadcaster of the ingest run, nil when none runs.
	Progress *Broadcaster
	// UI is the template of every session's ui.Options (Raw, Title,
	// Labels, RenderBody, Enrich, Location…). Store, Progress and Actor
	// are set per session; Roster is the server's own.
	UI ui.Options
	// IdleTimeout ends a session that sent no input for this long
	// (DefaultIdleTimeout when 0; negative disables it).
	IdleTimeout time.Duration
	// MaxSessions bounds concurrent workbench sessions (DefaultMaxSessions
	// when 0; negative means unlimited).
	MaxSessions int
	// AuthTimeout bounds the time from accepting a connection to the end
	// of its authentication; slower connections are closed
	// (DefaultAuthTimeout when 0).
	AuthTimeout time.Duration
	// MaxPreAuth bounds the connections not yet authenticated; when it is
	// reached, the oldest of them is closed to make room
	// (DefaultMaxPreAuth when 0).
	MaxPreAuth int
	// MaxPreAuthPerIP bounds the connections not yet authenticated from
	// one IPv4 address or IPv6 /64; more are refused
	// (DefaultMaxPreAuthPerIP when 0).
	MaxPreAuthPerIP int
	// ShutdownTimeout bounds how long Serve waits for sessions to end
	// after ctx is cancelled (DefaultShutdownTimeout when 0).
	ShutdownTimeout time.Duration
	// Logger receives connection, authentication, session and label
	// events (discarded when nil).
	Logger *slog.Logger
}

// Server serves workbench sessions over SSH. Create it with New, run it
// with Serve on a listener (check its address with CheckListenAddr first);
// a Server serves once.
type Server struct {
	cfg    Config
	log    *slog.Logger
	srv    *ssh.Server
	limits *connLimits
	active atomic.Int32   // running workbench sessions
	wg     sync.WaitGroup // running session handlers
	base   context.Context
	addr   atomic.Value // net.Addr
	// run runs a session's program: ui.Run, replaced in tests.
	run func(ctx context.Context, opts ui.Options, in io.Reader, out io.Writer, teaOpts ...tea.ProgramOption) error

	mu      sync.Mutex
	closing bool
}

// New validates cfg, applies defaults and builds the SSH server.
// Password and keyboard-interactive authentication are not offered;
// only the "session" channel type is accepted, with no global request
// handlers (so no port forwarding) and no subsystems (so no SFTP).
func New(cfg Config) (*Server, error) {
	if cfg.HostKey == nil || cfg.AuthorizedKeys == nil || cfg.Store == nil {
		return nil, errors.New("serve: host key, authorized keys and store are required")
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.AuthTimeout <= 0 {
		cfg.AuthTimeout = DefaultAuthTimeout
	}
	if cfg.MaxPreAuth <= 0 {
		cfg.MaxPreAuth = DefaultMaxPreAuth
	}
	if cfg.MaxPreAuthPerIP <= 0 {
		cfg.MaxPreAuthPerIP = DefaultMaxPreAuthPerIP
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.UI.Roster = ui.NewRoster() // the analysts with a running session
	authed := -1
	if cfg.MaxSessions > 0 {
		authed = maxConnsPerSession * cfg.MaxSessions
	}
	s := &Server{cfg: cfg, log: cfg.Logger, run: ui.Run,
		limits: newConnLimits(cfg.MaxPreAuthPerIP, cfg.MaxPreAuth, authed)}
	srv, err := wish.NewServer(
		wish.WithVersion("triage"),
		wish.WithPublicKeyAuth(s.authenticate),
		wish.WithMiddleware(func(ssh.Handler) ssh.Handler { return s.handle }),
		func(srv *ssh.Server) error {
			srv.AddHostKey(cfg.HostKey)
			// The handshake deadline ends at authentication.
			srv.HandshakeTimeout = cfg.AuthTimeout
			if cfg.IdleTimeout > 0 {
				// Backstop for connections without a session; sessions
				// have their own input-based timer.
				srv.IdleTimeout = cfg.IdleTimeout + time.Minute
			}
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
			srv.RequestHandlers = map[string]ssh.RequestHandler{}
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
			srv.LocalPortForwardingCallback = nil
			srv.ReversePortForwardingCallback = nil
			srv.ConnectionFailedCallback = s.connFailed
			// Bound connections before and after authentication
			// separately, so that a flood of handshakes cannot lock the
			// analysts out.
			srv.ConnCallback = s.admit
			srv.ServerConfigCallback = s.serverConfig
			return nil
		},
	)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	s.srv = srv
	return s, nil
}

// CheckListenAddr returns ErrRemoteListen unless addr's host is a loopback
// address or "localhost", or allowRemote is set. An empty host (":2222")
// means every interface and is remote.
func CheckListenAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("serve: listen address %q: %w", addr, err)
	}
	if allowRemote {
		return nil
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("serve: %s: %w", addr, ErrRemoteListen)
}

// Addr returns the address Serve listens on, once it has started (nil
// before).
func (s *Server) Addr() net.Addr {
	a, _ := s.addr.Load().(net.Addr)
	return a
}

// Serve accepts SSH connections on ln until ctx is cancelled, then shuts
// down gracefully: it stops accepting, tells every session that the server
// is shutting down, waits up to Config.ShutdownTimeout for the sessions to
// end and closes the remaining connections. It returns nil after a
// shutdown caused by ctx, else the error that stopped the listener. The
// store is not closed; close it after Serve returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.base = ctx
	s.addr.Store(ln.Addr())
	s.log.Info("listening", "addr", ln.Addr().String(), "host_key", gossh.FingerprintSHA256(s.cfg.HostKey.PublicKey()),
		"authorized_keys", s.cfg.AuthorizedKeys.Len(), "max_sessions", s.cfg.MaxSessions, "idle_timeout", s.cfg.IdleTimeout,
		"auth_timeout", s.cfg.AuthTimeout, "max_preauth", s.cfg.MaxPreAuth, "max_preauth_per_ip", s.cfg.MaxPreAuthPerIP)

	stopLabels := s.watchLabels()
	defer stopLabels()

	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(ln) }()
	select {
	case err := <-errc:
		s.mu.Lock()
		s.closing = true
		s.mu.Unlock()
		s.srv.Close()
		s.limits.closePreAuth()
		s.wg.Wait()
		if errors.Is(err, ssh.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "sessions", s.active.Load())
	s.mu.Lock()
	s.closing = true // no session starts from now on
	s.mu.Unlock()
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	// Stop accepting; Shutdown then waits for the connections to close.
	shut := make(chan error, 1)
	go func() { shut <- s.srv.Shutdown(sctx) }()
	// Sessions see ctx cancelled, tell their analyst and end.
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		// Clients close their connections once their session ended; give
		// them a moment.
		select {
		case <-shut:
		case <-time.After(time.Second):
		case <-sctx.Done():
		}
	case <-sctx.Done():
		s.log.Warn("sessions did not end in time; closing connections", "timeout", s.cfg.ShutdownTimeout)
	}
	s.srv.Close()
	s.limits.closePreAuth()
	<-errc
	<-done
	s.log.Info("stopped")
	return nil
}

// watchLabels logs every committed label and note and keeps the progress
// replay's labels current. It returns a function that stops it.
func (s *Server) watchLabels() func() {
	ch, unsub := s.cfg.Store.Subscribe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c := range ch {
			if c.Kind == store.ChangeResync {
				s.resyncLabels()
				continue
			}
			if c.Kind == "label" && s.cfg.Progress != nil {
				s.cfg.Progress.SetLabel(c.ID, c.Label)
			}
			s.log.Info(c.Kind, "id", c.ID, "label", c.Label, "analyst", c.Actor.Name, "key", c.Actor.Key, "source", c.Actor.Source)
		}
	}()
	return func() { unsub(); <-done }
}

// resyncLabels handles a store.ChangeResync on the server's own feed
// (watchLabels lagged behind the writers): the changes it stands for are
// missing from the log, and the progress replay reads every label again.
func (s *Server) resyncLabels() {
	s.log.Warn("the change feed lagged: some label and note changes are not logged here (each message's label history has them)")
	if s.cfg.Progress == nil {
		return
	}
	labels, err := s.cfg.Store.Labels()
	if err != nil {
		s.log.Error("reading labels again", "err", err)
		return
	}
	s.cfg.Progress.ResetLabels(labels)
}

// authenticate is the public key callback: known keys only.
func (s *Server) authenticate(ctx ssh.Context, key ssh.PublicKey) bool {
	if _, ok := s.cfg.AuthorizedKeys.Lookup(key); ok {
		return true
	}
	s.log.Warn("auth refused: unknown key", "remote", ctx.RemoteAddr().String(), "user", textsafe.Clean(ctx.User()),
		"key", gossh.FingerprintSHA256(key), "type", key.Type())
	return false
}

// limitedConnKey is the ssh.Context key of a connection's *limitedConn.
type limitedConnKey struct{}

// admit counts a new connection in the pre-auth budget, or refuses it
// (returns nil) when its source holds too many unauthenticated
// connections.
func (s *Server) admit(ctx ssh.Context, c net.Conn) net.Conn {
	lc, evicted := s.limits.admit(c)
	if evicted != nil {
		s.log.Warn("connection closed: too many unauthenticated connections", "remote", evicted.RemoteAddr().String(),
			"age", time.Since(evicted.start).Round(time.Millisecond))
	}
	if lc == nil {
		s.log.Warn("connection refused: too many unauthenticated connections from its address", "remote", c.RemoteAddr().String())
		return nil
	}
	ctx.SetValue(limitedConnKey{}, lc)
	return lc
}

// serverConfig returns the per-connection SSH configuration, which moves
// the connection to the authenticated budget once authentication
// succeeds (or closes it when that budget is full).
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		AuthLogCallback: func(md gossh.ConnMetadata, _ string, err error) {
			lc, ok := ctx.Value(limitedConnKey{}).(*limitedConn)
			if err != nil || !ok {
				return
			}
			if !s.limits.promote(lc) {
				s.log.Warn("connection refused: too many connections", "remote", md.RemoteAddr().String())
				lc.Close()
			}
		},
	}
}

func (s *Server) connFailed(conn net.Conn, err error) {
	s.log.Warn("connection failed", "remote", conn.RemoteAddr().String(), "err", err)
}

// handle runs one SSH session.
func (s *Server) handle(sess ssh.Session) {
	remote := sess.RemoteAddr().String()
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		s.refuse(sess, s.log.With("remote", remote), "shutting down", "triage serve is shutting down.\r\n")
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	pk := sess.PublicKey()
	if pk == nil {
		s.refuse(sess, s.log.With("remote", remote), "no public key", "authentication required\r\n")
		return
	}
	an, ok := s.cfg.AuthorizedKeys.Lookup(pk)
	if !ok {
		s.refuse(sess, s.log.With("remote", remote, "key", gossh.FingerprintSHA256(pk)), "key no longer authorized", "your key is not authorized\r\n")
		return
	}
	log := s.log.With("analyst", an.Name, "key", an.Fingerprint, "remote", remote)
	defer func() {
		if r := recover(); r != nil {
			log.Error("session panic", "panic", r, "stack", string(debug.Stack()))
			_ = sess.Exit(1)
		}
	}()

	if cmd := sess.RawCommand(); cmd != "" || sess.Subsystem() != "" {
		s.refuse(sess, log, "command requested", "triage serve only runs the workbench; commands are not supported.\r\n")
		return
	}
	pty, winCh, ok := sess.Pty()
	if !ok {
		s.refuse(sess, log, "no pty", "triage serve needs a terminal: connect with ssh -t.\r\n")
		return
	}
	if n := s.active.Add(1); s.cfg.MaxSessions > 0 && int(n) > s.cfg.MaxSessions {
		s.active.Add(-1)
		s.refuse(sess, log, "too many sessions", fmt.Sprintf("triage serve is full (%d sessions); try again later.\r\n", s.cfg.MaxSessions))
		return
	}
	defer s.active.Add(-1)

	start := time.Now()
	log.Info("session start", "term", textsafe.Clean(pty.Term), "width", pty.Window.Width, "height", pty.Window.Height,
		"sessions", s.active.Load())

	ctx, cancel := context.WithCancelCause(sess.Context())
	defer cancel(nil)
	stop := context.AfterFunc(s.base, func() { cancel(errShutdown) })
	defer stop()

	activity := func() {}
	if d := s.cfg.IdleTimeout; d > 0 {
		t := time.AfterFunc(d, func() { cancel(errIdle) })
		defer t.Stop()
		activity = func() { t.Reset(d) }
	}
	in := newInput(sess, activity)
	defer in.Close()

	go forwardResizes(ctx, pty.Window, winCh, in)

	opts := s.cfg.UI
	opts.Store = s.cfg.Store
	opts.Actor = store.Actor{Name: an.Name, Key: an.Fingerprint, Source: "ssh"}
	opts.Remote = true // no local pager on the server
	defer opts.Roster.Join(an.Name)()
	opts.Progress = nil
	if s.cfg.Progress != nil {
		var unsub func()
		var ch <-chan ingest.Event
		ch, unsub = s.cfg.Progress.Subscribe()
		defer unsub()
		opts.Progress = ch
	}
	err := s.runWorkbench(ctx, opts, in, sess, pty)
	in.Close()

	reason := "quit"
	status := 0
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errShutdown):
		reason = "shutdown"
		fmt.Fprint(sess, resetTerminal+"\r\ntriage serve is shutting down; your labels and notes are saved.\r\n")
	case errors.Is(cause, errIdle):
		reason = "idle"
		status = 1
		fmt.Fprintf(sess, "%s\r\ndisconnected after %s without input.\r\n", resetTerminal, s.cfg.IdleTimeout)
	case cause != nil:
		reason = "disconnected"
	}
	if err != nil {
		reason, status = "error", 1
		log.Error("workbench failed", "err", err)
		fmt.Fprintf(sess.Stderr(), "%s\r\ntriage: %s\r\n", resetTerminal, textsafe.Clean(err.Error()))
	}
	log.Info("session end", "reason", reason, "duration", time.Since(start).Round(time.Millisecond))
	_ = sess.Exit(status)
}

// sessionFPS is the most frames a second a session draws on average (the
// line renderer sends a few back to back at once).
const sessionFPS = 120

// runWorkbench runs the session's program on in and sess, its frames drawn
// by a line renderer (render.go) instead of Bubble Tea's.
func (s *Server) runWorkbench(ctx context.Context, opts ui.Options, in *input, sess ssh.Session, pty ssh.Pty) error {
	env := append(sess.Environ(), "TERM="+pty.Term)
	profile := colorprofile.Env(env)
	lr := newLineRenderer(sess, profile, pty.Window.Width, pty.Window.Height, sessionFPS)
	defer lr.stop()
	opts.Wrap = func(m tea.Model) tea.Model { return framed{inner: m, r: lr} }
	return s.run(ctx, opts, in, sess,
		tea.WithWindowSize(pty.Window.Width, pty.Window.Height),
		tea.WithColorProfile(profile),
		tea.WithEnvironment(env),
		tea.WithoutSignalHandler(),
		tea.WithoutRenderer(),
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			if _, ok := msg.(tea.SuspendMsg); ok {
				return nil // no job control over SSH
			}
			return msg
		}),
	)
}

// forwardResizes passes each window size of winCh that differs from the
// last one to in, while ctx is live. It drains winCh until the session
// closes it, so the SSH request loop never blocks on it. The sizes are
// already clamped by filterRequests.
func forwardResizes(ctx context.Context, last ssh.Window, winCh <-chan ssh.Window, in *input) {
	for w := range winCh {
		if ctx.Err() == nil && (w.Width != last.Width || w.Height != last.Height) {
			last = w
			in.resize(w.Width, w.Height)
		}
	}
}

// resetTerminal leaves the alternate screen, shows the cursor and turns off
// mouse reporting, bracketed paste and attributes, for sessions that ended
// without the program restoring the terminal itself.
const resetTerminal = "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[0m\x1b[?25h\x1b[?1049l"

// refuse tells the client why its session cannot run and ends it with
// exit status 1.
func (s *Server) refuse(sess ssh.Session, log *slog.Logger, why, msg string) {
	log.Warn("session refused", "reason", why)
	fmt.Fprint(sess.Stderr(), msg)
	_ = sess.Exit(1)
}
