package ctl

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/store"
)

// serveTemp opens an empty store in a temp dir and serves it with opts.
func serveTemp(t *testing.T, opts ServerOptions) (*store.Store, *Server) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Listen(st, opts)
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close()
		st.Close()
	})
	return st, srv
}

func rawConn(t *testing.T, srv *Server) net.Conn {
	t.Helper()
	c, err := net.Dial("unix", srv.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readResult reads one result frame within d.
func readResult(t *testing.T, c net.Conn, d time.Duration) (result, error) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	typ, p, err := readFrame(bufio.NewReader(c), nil)
	if err != nil {
		return result{}, err
	}
	if typ != frameResult {
		t.Fatalf("frame type %q", typ)
	}
	return decodeResult(p)
}

// waitClosed fails unless the server closes c within d.
func waitClosed(t *testing.T, c net.Conn, d time.Duration) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Errorf("server did not close the connection within %v: %v", d, err)
	}
}

func TestServerSocketMode(t *testing.T) {
	_, srv := serveTemp(t, ServerOptions{})
	fi, err := os.Lstat(srv.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v", fi.Mode())
	}
	entries, _ := os.ReadDir(filepath.Dir(srv.Path()))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".ts") {
			t.Errorf("binding directory %s left behind", e.Name())
		}
	}
	srv.Close()
	if _, err := os.Lstat(srv.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket left after Close: %v", err)
	}
}

// TestServerHugeRequest: a request line beyond MaxRequest is answered
// with an error and the connection closed, without reading it all.
func TestServerHugeRequest(t *testing.T) {
	_, srv := serveTemp(t, ServerOptions{})
	c := rawConn(t, srv)
	go func() {
		c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		big := strings.Repeat("x", 64<<10)
		for i := 0; i < 4*MaxRequest/len(big); i++ {
			if _, err := io.WriteString(c, big); err != nil {
				return // the server hung up: expected
			}
		}
	}()
	_, err := readResult(t, c, 5*time.Second)
	if !errors.Is(err, ErrProtocol) || !strings.Contains(err.Error(), "request longer") {
		t.Errorf("huge request: %v", err)
	}
}

// TestServerSlowClient: a client that sends half a request and stalls is
// dropped after IdleTimeout, and other clients are served meanwhile.
func TestServerSlowClient(t *testing.T) {
	st, srv := serveTemp(t, ServerOptions{IdleTimeout: 300 * time.Millisecond})
	slow := rawConn(t, srv)
	if _, err := io.WriteString(slow, `{"op":"hel`); err != nil {
		t.Fatal(err)
	}
	cl, err := Dial(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := cl.Resolve("ffffffff"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("resolve while a slow client waits: %v", err)
	}
	start := time.Now()
	waitClosed(t, slow, 5*time.Second)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("slow client dropped after %v", d)
	}
}

// TestServerBadRequests: garbage, an unknown operation and a wrong
// protocol version end the connection with an error result.
func TestServerBadRequests(t *testing.T) {
	_, srv := serveTemp(t, ServerOptions{})
	for _, line := range []string{"not json\n", `{"op":"drop"}` + "\n", `{"op":"hello","version":99}` + "\n", `{"op":"export"}` + "\n"} {
		c := rawConn(t, srv)
		io.WriteString(c, line)
		if _, err := readResult(t, c, 5*time.Second); err == nil {
			t.Errorf("%q: no error", line)
		}
		waitClosed(t, c, 5*time.Second)
	}
}

// TestServerMaxConns: connections beyond MaxConns are answered "busy".
func TestServerMaxConns(t *testing.T) {
	_, srv := serveTemp(t, ServerOptions{MaxConns: 2})
	a, b := rawConn(t, srv), rawConn(t, srv)
	io.WriteString(a, `{"op":"hello","version":1}`+"\n")
	io.WriteString(b, `{"op":"hello","version":1}`+"\n")
	for _, c := range []net.Conn{a, b} {
		if _, err := readResult(t, c, 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	c := rawConn(t, srv)
	if _, err := readResult(t, c, 5*time.Second); err == nil || !strings.Contains(err.Error(), "busy") {
		t.Errorf("third connection: %v", err)
	}
}

// TestServerRefusesToReplace: a file that is not a socket, or a socket
// another process answers on, is left alone.
func TestServerRefusesToReplace(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sock := SocketPath(st.Path())
	os.WriteFile(sock, []byte("mine"), 0o600)
	if _, err := Listen(st, ServerOptions{}); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("regular file: %v", err)
	}
	if b, _ := os.ReadFile(sock); string(b) != "mine" {
		t.Error("regular file replaced")
	}
	os.Remove(sock)
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := Listen(st, ServerOptions{}); err == nil || !strings.Contains(err.Error(), "answers") {
		t.Errorf("live socket: %v", err)
	}
}

// TestDialChecks: Dial refuses a missing or unsafe socket.
func TestDialChecks(t *testing.T) {
	st, srv := serveTemp(t, ServerOptions{})
	if _, err := Dial(filepath.Join(t.TempDir(), "none.db")); !errors.Is(err, ErrNoServer) {
		t.Errorf("missing socket: %v", err)
	}
	os.Chmod(srv.Path(), 0o660)
	if _, err := Dial(st.Path()); !errors.Is(err, ErrUnsafeSocket) {
		t.Errorf("group-readable socket: %v", err)
	}
	os.Chmod(srv.Path(), 0o600)
	c, err := Dial(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// TestServerStalledExportReader: a client that asks for an export and
// stops reading is dropped after WriteTimeout, freeing its connection slot.
func TestServerStalledExportReader(t *testing.T) {
	st, srv := serveTemp(t, ServerOptions{MaxConns: 1, WriteTimeout: 200 * time.Millisecond})
	var batch []store.Entry
	for i := range 3000 {
		sum := sha256.Sum256([]byte(strconv.Itoa(i)))
		batch = append(batch, store.Entry{Report: &analysis.Report{
			ID: "sha256:" + hex.EncodeToString(sum[:]), AnalyzerVersion: "1",
			Warnings: []string{strings.Repeat("w", 1000)},
		}})
	}
	if err := st.PutBatch(batch); err != nil {
		t.Fatal(err)
	}
	c := rawConn(t, srv)
	io.WriteString(c, `{"op":"export","export":{"all":true}}`+"\n")
	// c never reads: the export (3 MB) fills the socket buffers.
	deadline := time.Now().Add(10 * time.Second)
	for {
		cl, err := Dial(st.Path())
		if err == nil {
			cl.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("stalled export reader still holds the only slot: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
