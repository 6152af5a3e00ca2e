package serve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/store"
)

func newPub(t testing.TB) (gossh.PublicKey, gossh.Signer) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s.PublicKey(), s
}

func authLine(pub gossh.PublicKey) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pub)))
}

func TestParseAuthorizedKeys(t *testing.T) {
	k1, _ := newPub(t)
	k2, _ := newPub(t)
	k3, _ := newPub(t)
	k4, _ := newPub(t)
	k5, _ := newPub(t)
	k6, _ := newPub(t)
	fp := gossh.FingerprintSHA256
	tests := []struct {
		name     string
		line     string
		key      gossh.PublicKey
		want     string // analyst name; "" = not authorized
		warnings int
	}{
		{"option", `triage-analyst="alice" ` + authLine(k1) + " alice@laptop", k1, "alice", 0},
		{"environment", `no-port-forwarding,environment="TRIAGE_ANALYST=bob" ` + authLine(k2) + " b@x", k2, "bob", 0},
		{"comment", authLine(k3) + " carol@desk", k3, "carol@desk", 0},
		{"fingerprint", authLine(k4), k4, fp(k4), 0},
		{"hostile name", "triage-analyst=\"ev\x1b[2Jil\" " + authLine(k5), k5, "", 0},
		{"cert authority", "cert-authority " + authLine(k6) + " ca", k6, "", 1},
		{"garbage", "ssh-ed25519 not-base64!!", nil, "", 1},
		{"comment line", "# triage-analyst=\"x\" ssh-ed25519 AAAA", nil, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, warnings := ParseAuthorizedKeys([]byte("\n" + tt.line + "\n"))
			if len(warnings) != tt.warnings {
				t.Errorf("warnings = %q, want %d", warnings, tt.warnings)
			}
			for _, w := range warnings {
				if !strings.HasPrefix(w, "line 2:") {
					t.Errorf("warning %q does not name line 2", w)
				}
			}
			if tt.key == nil {
				if len(keys) != 0 {
					t.Errorf("keys = %v, want none", keys)
				}
				return
			}
			a, ok := keys[string(tt.key.Marshal())]
			if tt.name == "hostile name" {
				if !ok || strings.ContainsRune(a.Name, 0x1b) || !strings.Contains(a.Name, "il") {
					t.Errorf("hostile name not sanitised: %q", a.Name)
				}
				return
			}
			if (tt.want != "") != ok || a.Name != tt.want {
				t.Fatalf("analyst = %+v (ok %v), want %q", a, ok, tt.want)
			}
			if ok && a.Fingerprint != fp(tt.key) {
				t.Errorf("fingerprint = %q, want %q", a.Fingerprint, fp(tt.key))
			}
		})
	}
}

func TestParseAuthorizedKeysDuplicateAndLongName(t *testing.T) {
	k, _ := newPub(t)
	long := strings.Repeat("ä", 100)
	data := fmt.Sprintf("triage-analyst=%q %s\ntriage-analyst=\"other\" %s\n", long, authLine(k), authLine(k))
	keys, warnings := ParseAuthorizedKeys([]byte(data))
	if len(keys) != 1 || len(warnings) != 1 {
		t.Fatalf("keys %d warnings %q; want 1 key, 1 warning", len(keys), warnings)
	}
	if a := keys[string(k.Marshal())]; a.Name != strings.Repeat("ä", maxNameLen) {
		t.Errorf("name = %q, want first line's name cut to %d runes", a.Name, maxNameLen)
	}
}

func TestLoadAuthorizedKeys(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "authorized_keys")
	k1, _ := newPub(t)
	k2, _ := newPub(t)

	if _, err := LoadAuthorizedKeys(path, nil); !errors.Is(err, os.ErrNotExist) || !errors.Is(err, ErrNoAuthorizedKeys) {
		t.Errorf("missing file: err = %v, want ErrNotExist and ErrNoAuthorizedKeys", err)
	}
	if err := os.WriteFile(path, []byte("# nobody yet\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadAuthorizedKeys(path, nil); !errors.Is(err, ErrNoAuthorizedKeys) {
		t.Errorf("empty file: err = %v, want ErrNoAuthorizedKeys", err)
	}
	if err := os.WriteFile(path, []byte(authLine(k1)+" alice\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadAuthorizedKeys(path, nil); !errors.Is(err, ErrKeyPermissions) {
		t.Errorf("world-writable file: err = %v, want ErrKeyPermissions", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	ak, err := LoadAuthorizedKeys(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := ak.Lookup(k1); !ok || a.Name != "alice" {
		t.Errorf("Lookup(k1) = %+v, %v", a, ok)
	}
	if _, ok := ak.Lookup(k2); ok {
		t.Error("k2 authorized before it was added")
	}
	// Edits are picked up without a restart.
	if err := os.WriteFile(path, []byte(authLine(k2)+" bob\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(path, future, future); err != nil {
		t.Fatal(err)
	}
	if a, ok := ak.Lookup(k2); !ok || a.Name != "bob" {
		t.Errorf("after edit Lookup(k2) = %+v, %v", a, ok)
	}
	if _, ok := ak.Lookup(k1); ok {
		t.Error("k1 still authorized after it was removed")
	}
}

func TestHostKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "ssh_host_ed25519_key")
	s1, err := LoadOrCreateHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %04o, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), "-----BEGIN OPENSSH PRIVATE KEY-----") {
		t.Errorf("not OpenSSH PEM: %.40q", data)
	}
	if s1.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("type = %s", s1.PublicKey().Type())
	}
	s2, err := LoadOrCreateHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if gossh.FingerprintSHA256(s1.PublicKey()) != gossh.FingerprintSHA256(s2.PublicKey()) {
		t.Error("host key not reused")
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateHostKey(path); !errors.Is(err, ErrKeyPermissions) {
		t.Errorf("0640 key: err = %v, want ErrKeyPermissions", err)
	}
	if err := os.WriteFile(path, []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateHostKey(path); err == nil {
		t.Error("junk key accepted")
	}
	if data2, _ := os.ReadFile(path); string(data2) != "junk" {
		t.Error("unparsable key file was overwritten")
	}
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o000); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreateHostKey(path); err == nil || errors.Is(err, os.ErrNotExist) {
			t.Errorf("unreadable key: err = %v", err)
		}
	}
}

func TestCheckListenAddr(t *testing.T) {
	tests := []struct {
		addr   string
		remote bool
		ok     bool
	}{
		{"127.0.0.1:2222", false, true},
		{"[::1]:2222", false, true},
		{"localhost:22", false, true},
		{"127.0.0.5:0", false, true},
		{"0.0.0.0:2222", false, false},
		{":2222", false, false},
		{"192.0.2.1:2222", false, false},
		{"example.com:22", false, false},
		{"0.0.0.0:2222", true, true},
		{"nonsense", true, false},
	}
	for _, tt := range tests {
		err := CheckListenAddr(tt.addr, tt.remote)
		if (err == nil) != tt.ok {
			t.Errorf("CheckListenAddr(%q, %v) = %v, want ok=%v", tt.addr, tt.remote, err, tt.ok)
		}
		if !tt.ok && tt.addr != "nonsense" && !errors.Is(err, ErrRemoteListen) {
			t.Errorf("CheckListenAddr(%q) = %v, want ErrRemoteListen", tt.addr, err)
		}
	}
}

func rowsN(from, n int) []store.Row {
	out := make([]store.Row, n)
	for i := range out {
		out[i] = store.Row{ID: fmt.Sprintf("id%04d", from+i)}
	}
	return out
}

// collect reads events until Finished and returns all row IDs in order.
func collect(t *testing.T, ch <-chan ingest.Event) (ids []string, labels map[string]string, errs int) {
	t.Helper()
	labels = map[string]string{}
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev := <-ch:
			for _, r := range ev.Rows {
				ids = append(ids, r.ID)
				labels[r.ID] = r.Label
			}
			if ev.Err != nil {
				errs++
			}
			if ev.Finished {
				return ids, labels, errs
			}
		case <-timeout:
			t.Fatalf("no Finished event; got %d rows", len(ids))
		}
	}
}

func TestBroadcasterReplayAndLive(t *testing.T) {
	b := NewBroadcaster()
	in := make(chan ingest.Event)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { b.Run(ctx, in); close(done) }()

	early, cancelEarly := b.Subscribe()
	defer cancelEarly()
	in <- ingest.Event{Done: 10, Rows: rowsN(0, 10)}
	in <- ingest.Event{Source: "bad.mbox", Err: errors.New("unreadable")}
	b.SetLabel("id0003", "phish")
	mid, cancelMid := b.Subscribe() // joins mid-run
	defer cancelMid()
	// A slow subscriber: nobody reads early or mid while these arrive.
	for i := 1; i < 20; i++ {
		in <- ingest.Event{Done: 10 + 10*i, Rows: rowsN(10*i, 10)}
	}
	in <- ingest.Event{Done: 200, Total: 200, Finished: true}
	<-done

	for name, ch := range map[string]<-chan ingest.Event{"early": early, "mid": mid} {
		ids, labels, errs := collect(t, ch)
		if len(ids) != 200 {
			t.Errorf("%s: %d rows, want 200", name, len(ids))
		}
		seen := map[string]bool{}
		for i, id := range ids {
			if want := fmt.Sprintf("id%04d", i); id != want || seen[id] {
				t.Errorf("%s: row %d = %s, want %s once", name, i, id, want)
				break
			}
			seen[id] = true
		}
		if errs != 1 {
			t.Errorf("%s: %d error events, want 1", name, errs)
		}
		if name == "mid" && labels["id0003"] != "phish" {
			t.Errorf("mid: replayed row label = %q, want the newer phish", labels["id0003"])
		}
	}
	if ch, _ := b.Subscribe(); ch != nil {
		t.Error("Subscribe after the run finished returned a channel")
	}
	if !b.Finished() {
		t.Error("Finished() = false")
	}
}

func TestBroadcasterCancel(t *testing.T) {
	b := NewBroadcaster()
	ch, cancel := b.Subscribe()
	b.Publish(ingest.Event{Done: 1, Rows: rowsN(0, 1)})
	cancel()
	cancel() // idempotent
	// Publishing with a cancelled subscriber that never reads must not block.
	finished := make(chan struct{})
	go func() {
		for i := 0; i < 100; i++ {
			b.Publish(ingest.Event{Done: i, Rows: rowsN(i, 1)})
		}
		b.Publish(ingest.Event{Finished: true})
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked on a cancelled subscriber")
	}
	_ = ch
	// Run with a closed input channel still ends subscribers.
	b2 := NewBroadcaster()
	ch2, cancel2 := b2.Subscribe()
	defer cancel2()
	in := make(chan ingest.Event)
	close(in)
	b2.Run(context.Background(), in)
	if _, _, _ = collect(t, ch2); !b2.Finished() {
		t.Error("not finished after input closed")
	}
}
