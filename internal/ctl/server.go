package ctl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/triage-tools/triage/internal/analysis/features"
	"github.com/triage-tools/triage/store"
)

// ServerOptions configure Listen. Zero values take the defaults.
type ServerOptions struct {
	// Raw reads a message's raw bytes for export --include-raw.
	Raw func(id string, locs []store.Locator) ([]byte, error)
	// Names names the learned model's evidence in `show` (Local.Names);
	// nil leaves it unnamed.
	Names func(id string, locs []store.Locator) *features.Set
	// AnalyzerVersion is written in export headers.
	AnalyzerVersion string
	// IdleTimeout bounds the wait for a whole request line (default 10 s).
	IdleTimeout time.Duration
	// WriteTimeout bounds each write to a client (default 30 s), so a
	// client that stops reading an export is dropped.
	WriteTimeout time.Duration
	// MaxConns bounds concurrent connections (default 16); more are
	// answered "busy" and closed.
	MaxConns int
	// Logger receives refused connections and failed requests (nil: none).
	Logger *slog.Logger
}

// maxSocketPath is the longest socket path every platform accepts
// (sun_path is 104 bytes on BSDs, 108 on Linux).
const maxSocketPath = 103

// Server answers CLI commands for a store held by this process.
type Server struct {
	local Local
	abs   string // the store's absolute path, for clients to compare
	opts  ServerOptions
	path  string
	ln    *net.UnixListener
	fi    os.FileInfo // the socket file as placed, to remove only ours
	sem   chan struct{}
	wg    sync.WaitGroup

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

// Listen creates the socket SocketPath(st.Path()) and serves it until
// Close. The socket is bound inside a fresh mode-0700 directory, made mode
// 0600 and renamed into place, so no other user can ever connect to it. A
// stale socket (nothing answers) is replaced; a file that is not a socket,
// or a socket that answers, is left alone and Listen fails.
func Listen(st *store.Store, opts ServerOptions) (*Server, error) {
	if !supported {
		return nil, errors.New("ctl: local control socket not supported on this platform")
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 10 * time.Second
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = 30 * time.Second
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = 16
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	path := SocketPath(st.Path())
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("ctl: socket path %s is longer than %d bytes", path, maxSocketPath)
	}
	if err := removeStale(path); err != nil {
		return nil, err
	}
	ln, fi, err := bindPrivate(path)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(st.Path())
	if err != nil {
		abs = st.Path()
	}
	s := &Server{local: Local{St: st, Names: opts.Names}, abs: abs, opts: opts, path: path, ln: ln, fi: fi,
		sem: make(chan struct{}, opts.MaxConns), conns: make(map[net.Conn]struct{})}
	s.wg.Add(1)
	go s.acceptLoop()
	return s, nil
}

// Path returns the socket's path.
func (s *Server) Path() string { return s.path }

// removeStale removes a socket at path that nothing answers on.
func removeStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ctl: %w", err)
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("ctl: %s exists and is not a socket; not replacing it", path)
	}
	if c, err := net.DialTimeout("unix", path, 200*time.Millisecond); err == nil {
		c.Close()
		return fmt.Errorf("ctl: another process answers on %s", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("ctl: remove stale socket: %w", err)
	}
	return nil
}

// bindPrivate binds a socket in a new private directory next to path,
// sets its mode to 0600 and renames it to path.
func bindPrivate(path string) (*net.UnixListener, os.FileInfo, error) {
	dir, err := os.MkdirTemp(filepath.Dir(path), ".ts")
	if err != nil {
		return nil, nil, fmt.Errorf("ctl: %w", err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "s")
	if len(tmp) > maxSocketPath {
		return nil, nil, fmt.Errorf("ctl: socket path %s is longer than %d bytes", tmp, maxSocketPath)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, nil, fmt.Errorf("ctl: %w", err)
	}
	ln.SetUnlinkOnClose(false)
	fail := func(err error) (*net.UnixListener, os.FileInfo, error) {
		ln.Close()
		return nil, nil, fmt.Errorf("ctl: %w", err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fail(err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return fail(err)
	}
	return ln, fi, nil
}

// Close stops accepting, ends every connection (an export in progress
// fails on the client), waits for the handlers and removes the socket if
// it is still the one Listen placed.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	err := s.ln.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	if fi, lerr := os.Lstat(s.path); lerr == nil && os.SameFile(fi, s.fi) {
		os.Remove(s.path)
	}
	return err
}

func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		c, err := s.ln.AcceptUnix()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed || errors.Is(err, net.ErrClosed) {
				return
			}
			s.opts.Logger.Warn("ctl: accept", "err", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if err := checkPeer(c); err != nil {
			s.opts.Logger.Warn("ctl: refused connection", "err", err)
			c.Close()
			continue
		}
		select {
		case s.sem <- struct{}{}:
		default:
			c.SetWriteDeadline(time.Now().Add(time.Second))
			writeResult(c, result{Code: codeFailed, Error: "ctl: busy: too many connections"})
			c.Close()
			continue
		}
		if !s.track(c) {
			<-s.sem
			c.Close()
			return
		}
		s.wg.Add(1)
		go s.handle(c)
	}
}

func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// deadlineWriter sets a write deadline before every write.
type deadlineWriter struct {
	c net.Conn
	d time.Duration
}

func (w deadlineWriter) Write(p []byte) (int, error) {
	w.c.SetWriteDeadline(time.Now().Add(w.d))
	return w.c.Write(p)
}

var errRequestTooLong = fmt.Errorf("%w: request longer than %d bytes", ErrProtocol, MaxRequest)

// readLine reads one newline-terminated line of at most max bytes.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > max {
			return nil, errRequestTooLong
		}
		line = append(line, chunk...)
		if err == nil {
			return line, nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
}

// handle answers the requests of one connection in order until it ends,
// breaks the protocol or stays idle beyond IdleTimeout.
func (s *Server) handle(c *net.UnixConn) {
	defer s.wg.Done()
	defer func() { <-s.sem }()
	defer s.untrack(c)
	defer c.Close()
	br := bufio.NewReaderSize(c, 16<<10)
	bw := bufio.NewWriterSize(deadlineWriter{c, s.opts.WriteTimeout}, dataChunk+16)
	for {
		c.SetReadDeadline(time.Now().Add(s.opts.IdleTimeout))
		line, err := readLine(br, MaxRequest)
		if errors.Is(err, errRequestTooLong) {
			writeResult(bw, result{Code: codeBadRequest, Error: err.Error()})
			bw.Flush()
			return
		}
		if err != nil {
			return
		}
		var req request
		if err := json.Unmarshal(bytes.TrimSpace(line), &req); err != nil {
			writeResult(bw, result{Code: codeBadRequest, Error: "ctl: bad request: " + err.Error()})
			bw.Flush()
			return
		}
		c.SetReadDeadline(time.Time{})
		if err := s.serve(bw, req); err != nil {
			s.opts.Logger.Warn("ctl: request", "op", req.Op, "err", err)
			return
		}
		if err := bw.Flush(); err != nil {
			return
		}
	}
}

// maxPrefixIDs bounds the IDs one prefix request returns.
const maxPrefixIDs = 1000

// serve answers one request. It returns an error only when the connection
// must end (a write failed, or the request is not understood).
func (s *Server) serve(w io.Writer, req request) error {
	fail := func(err error) error { return writeResult(w, result{Code: errorCode(err), Error: err.Error()}) }
	switch req.Op {
	case opHello:
		if req.Version != protoVersion {
			writeResult(w, result{Code: codeBadRequest, Error: fmt.Sprintf("ctl: protocol version %d, want %d", req.Version, protoVersion)})
			return ErrProtocol
		}
		return writeResult(w, result{Version: protoVersion, Path: s.abs, Labels: s.local.LabelSet()})
	case opResolve:
		id, err := s.local.Resolve(req.Ref)
		if err != nil {
			return fail(err)
		}
		return writeResult(w, result{ID: id})
	case opPrefix:
		ids, err := s.local.IDsWithPrefix(req.Ref, min(max(req.Limit, 1), maxPrefixIDs))
		if err != nil {
			return fail(err)
		}
		return writeResult(w, result{IDs: ids})
	case opMessage:
		m, err := s.local.Message(req.ID)
		if err != nil {
			return fail(err)
		}
		return writeResult(w, result{Message: &m})
	case opLabel, opNote:
		return s.serveChange(w, req)
	case opExport:
		return s.serveExport(w, req)
	case opLabelCampaign:
		return s.serveLabelCampaign(w, req)
	}
	writeResult(w, result{Code: codeBadRequest, Error: fmt.Sprintf("ctl: unknown operation %.40q", req.Op)})
	return ErrProtocol
}

// maxAnalyst bounds the analyst name of a change (the store's bound).
const maxAnalyst = 256

// serveChange records a label or a note, attributed to the client's
// analyst with source "cli". The store publishes it to subscribers.
func (s *Server) serveChange(w io.Writer, req request) error {
	if req.Analyst == "" || len(req.Analyst) > maxAnalyst {
		return writeResult(w, result{Code: codeBadRequest, Error: "ctl: analyst name missing or too long"})
	}
	by := store.Actor{Name: req.Analyst, Source: "cli"}
	if req.Op == opLabel {
		ev, err := s.local.SetLabel(req.ID, req.Label, by)
		if err != nil {
			return writeResult(w, result{Code: errorCode(err), Error: err.Error()})
		}
		return writeResult(w, result{Event: &ev})
	}
	n, err := s.local.AddNote(req.ID, req.Text, by)
	if err != nil {
		return writeResult(w, result{Code: errorCode(err), Error: err.Error()})
	}
	return writeResult(w, result{Note: &n})
}

// chunkWriter sends what is written to it as data frames.
type chunkWriter struct{ w io.Writer }

func (c chunkWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := min(len(p), dataChunk)
		if err := writeFrame(c.w, frameData, p[:k]); err != nil {
			return n, err
		}
		n += k
		p = p[k:]
	}
	return n, nil
}

// serveExport streams the export as data frames, then its count (or the
// error that stopped it) as the result.
func (s *Server) serveExport(w io.Writer, req request) error {
	if req.Export == nil {
		writeResult(w, result{Code: codeBadRequest, Error: "ctl: export without options"})
		return ErrProtocol
	}
	opts := store.ExportOptions{
		All:             req.Export.All,
		Labels:          req.Export.Labels,
		Format:          req.Export.Format,
		IncludeRaw:      req.Export.IncludeRaw,
		Raw:             s.opts.Raw,
		AnalyzerVersion: s.opts.AnalyzerVersion,
	}
	if opts.IncludeRaw && opts.Raw == nil {
		opts.Raw = func(string, []store.Locator) ([]byte, error) {
			return nil, errors.New("raw messages are not readable by this process")
		}
	}
	var werr error
	cw := chunkWriter{writerFunc(func(p []byte) (int, error) {
		n, err := w.Write(p)
		if err != nil && werr == nil {
			werr = err
		}
		return n, err
	})}
	n, err := s.local.Export(cw, opts)
	if werr != nil {
		return werr
	}
	if err != nil {
		return writeResult(w, result{Code: errorCode(err), Error: err.Error(), Count: n})
	}
	return writeResult(w, result{Count: n})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
