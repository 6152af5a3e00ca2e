package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/triage-tools/triage/internal/demo"
	"github.com/triage-tools/triage/internal/mailbox"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/store"
)

// serveKey writes an ed25519 client key in OpenSSH format to dir/name and
// returns its authorized_keys line prefixed with options.
func serveKey(t *testing.T, dir, name, options string) (keyPath, line string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	keyPath = filepath.Join(dir, name)
	testutil.WriteFile(t, keyPath, pem.EncodeToMemory(block))
	sp, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	line = strings.TrimSpace(string(gossh.MarshalAuthorizedKey(sp))) + " " + name
	if options != "" {
		line = options + " " + line
	}
	return keyPath, line
}

func TestServeFlagErrors(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("TRIAGE_DB", filepath.Join(dir, "t.db"))

	_, stderr, err := triage(t, "", "serve", "--listen", "0.0.0.0:2222", "x.mbox")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "--allow-remote") {
		t.Errorf("non-loopback: code %d err %v stderr %q", exitCode(err), err, stderr)
	}

	_, _, err = triage(t, "", "serve", "--auth-timeout", "0", "x.mbox")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "--auth-timeout must be positive") {
		t.Errorf("--auth-timeout 0: code %d err %v", exitCode(err), err)
	}

	// No authorized keys yet: a clear error naming the file; the host key
	// was created meanwhile with mode 0600.
	_, _, err = triage(t, "", "serve", "--listen", "127.0.0.1:0")
	akPath := filepath.Join(dir, "config", "triage", "authorized_keys")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), akPath) {
		t.Errorf("no keys: code %d err %v", exitCode(err), err)
	}
	hk := filepath.Join(dir, "data", "triage", "ssh_host_ed25519_key")
	fi, statErr := os.Stat(hk)
	if statErr != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v %v", fi, statErr)
	}

	if err := os.Chmod(hk, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = triage(t, "", "serve", "--listen", "127.0.0.1:0")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("open host key: code %d err %v", exitCode(err), err)
	}
}

// startServe runs "triage serve" in-process on a free loopback port.
func startServe(t *testing.T, o serveOptions) (addr string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- serveWith(ctx, o, io.Discard, ready) }()
	select {
	case a := <-ready:
		addr = a.String()
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("serve did not start")
	}
	var stopped bool
	var serr error
	stop = func() error {
		if stopped {
			return serr
		}
		stopped = true
		cancel()
		select {
		case serr = <-done:
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not stop")
		}
		return serr
	}
	t.Cleanup(func() { stop() })
	return addr, stop
}

// TestServeOpenSSH drives the workbench through the real OpenSSH client in
// tmux: the host key is accepted, the workbench appears, a label is made
// and is found in the store, attributed to the key's analyst.
func TestServeOpenSSH(t *testing.T) {
	endToEnd(t, "ssh", "tmux")
	dir := t.TempDir()
	keyPath, line := serveKey(t, dir, "id_e2e", `triage-analyst="erin"`)
	ak := filepath.Join(dir, "authorized_keys")
	testutil.WriteFile(t, ak, []byte(line+"\n"))
	mbox, err := demo.WriteTemp(dir)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "serve.db")
	logFile := filepath.Join(dir, "serve.log")
	addr, stop := startServe(t, serveOptions{
		listen: "127.0.0.1:0", hostKey: filepath.Join(dir, "host_key"), authorizedKeys: ak,
		db: db, logFile: logFile, idleTimeout: time.Minute, maxSessions: 4, mailboxes: []string{mbox},
	})
	host, port, _ := net.SplitHostPort(addr)
	knownHosts := filepath.Join(dir, "known_hosts")
	cmdline := fmt.Sprintf("ssh -F /dev/null -i %s -p %s -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes "+
		"-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=%s %s; sleep 30", keyPath, port, knownHosts, host)
	s := startTmux(t, dir, "serve-e2e", 100, 30, "env TERM=xterm-256color "+cmdline)
	s.log = logFile
	// Wait for the rows, not for the chrome: "unlabeled" shows in the
	// label bar before any row exists, and a key sent then labels nothing.
	rows := countMessages(t, mbox)
	s.waitFor(fmt.Sprintf("%d msgs · %d shown", rows, rows))
	s.keys("p")
	s.waitFor("p:phish 1")
	// A resize from the client reaches the workbench.
	s.run("resize-window", "-t", s.name, "-x", "150", "-y", "30")
	s.waitFor("headers")
	s.keys("q")
	s.waitFor("Connection to " + host + " closed")
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}

	if kh, err := os.ReadFile(knownHosts); err != nil || !strings.Contains(string(kh), "ssh-ed25519") {
		t.Errorf("known_hosts: %q %v", kh, err)
	}
	st, err := store.Open(db, store.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	labels, err := st.Labels()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for id, l := range labels {
		if l != "phish" {
			continue
		}
		n++
		_, hist, _ := st.Label(id)
		if a := hist[len(hist)-1].Actor; a.Name != "erin" || a.Source != "ssh" || !strings.HasPrefix(a.Key, "SHA256:") {
			t.Errorf("actor = %+v", a)
		}
	}
	if n != 1 {
		t.Errorf("%d phish labels, want 1", n)
	}
	logData, _ := os.ReadFile(logFile)
	for _, w := range []string{"msg=\"session start\" analyst=erin", "msg=label", "msg=stopped"} {
		if !strings.Contains(string(logData), w) {
			t.Errorf("log lacks %q:\n%s", w, logData)
		}
	}
}

// countMessages returns the number of messages of the mailbox at path.
func countMessages(t *testing.T, path string) int {
	t.Helper()
	rd, err := mailbox.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	n := 0
	for _, err := range mailbox.All(rd) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}
