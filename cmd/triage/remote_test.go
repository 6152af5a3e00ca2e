package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/ctl"
	"github.com/triage-tools/triage/store"
)

// holdStore opens db as a workbench does (read-write, holding the lock)
// and, with socket, serves CLI commands on it; both end in t.Cleanup.
func holdStore(t *testing.T, db string, socket bool) *store.Store {
	t.Helper()
	st, err := openStore(db, false)
	if err != nil {
		t.Fatal(err)
	}
	var srv *ctl.Server
	if socket {
		if srv, err = startCtl(st, nil); err != nil {
			st.Close()
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if srv != nil {
			srv.Close()
		}
		st.Close()
	})
	return st
}

var exportedAt = regexp.MustCompile(`"exported_at":"[^"]*"`)

// cliOutputs runs show, show --json and both exports on db.
func cliOutputs(t *testing.T, db, ref string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, args := range map[string][]string{
		"show":             {"show", "--db", db, ref},
		"show --json":      {"show", "--db", db, "--json", ref},
		"export":           {"export", "--db", db},
		"export jsonl raw": {"export", "--db", db, "--format", "jsonl", "--include-raw", "--all"},
	} {
		stdout, stderr, err := triage(t, "", args...)
		if err != nil {
			t.Fatalf("%s: %v (stderr %q)", name, err, stderr)
		}
		out[name] = exportedAt.ReplaceAllString(stdout, `"exported_at":"T"`)
	}
	return out
}

// TestRemoteCommandsMatchLocal: while a holder serves the store, show,
// label and export work through its socket, print exactly what they print
// on the store opened locally, and a label is durable, attributed to the
// CLI's analyst (source "cli") and published to the holder's subscribers.
func TestRemoteCommandsMatchLocal(t *testing.T) {
	dir := t.TempDir()
	db, id := seedStore(t, dir)
	prefix := strings.TrimPrefix(id, "sha256:")[:12]
	local := cliOutputs(t, db, prefix)
	wantLabel, _, err := triage(t, "", "label", "--db", db, "--analyst", "carol", prefix, "phish")
	if err != nil {
		t.Fatal(err)
	}

	st := holdStore(t, db, true)
	changes, cancel := st.Subscribe()
	defer cancel()
	remote := cliOutputs(t, db, prefix)
	for name, want := range local {
		if remote[name] != want {
			t.Errorf("%s through the socket differs from local:\nlocal:\n%s\nremote:\n%s", name, want, remote[name])
		}
	}
	got, stderr, err := triage(t, "", "label", "--db", db, "--analyst", "carol", prefix, "phish")
	if err != nil || got != wantLabel {
		t.Errorf("remote label printed %q (err %v, stderr %q), want %q", got, err, stderr, wantLabel)
	}
	if _, _, err := triage(t, "", "label", "--db", db, "--analyst", "bob", "--note", "via socket", prefix, "spam"); err != nil {
		t.Fatal(err)
	}
	// Relabeling phish as phish records nothing; bob's label and note are
	// published.
	var seen []store.Change
	for len(seen) < 2 {
		select {
		case c := <-changes:
			seen = append(seen, c)
		case <-time.After(5 * time.Second):
			t.Fatalf("subscriber saw %+v, want 2 changes", seen)
		}
	}
	if c := seen[0]; c.Kind != "label" || c.Label != "spam" || c.ID != id || c.Actor != (store.Actor{Name: "bob", Source: "cli"}) {
		t.Errorf("published change = %+v", c)
	}
	if seen[1].Kind != "note" {
		t.Errorf("note not published: %+v", seen[1])
	}
	// Unknown labels and IDs: the same messages as local.
	if _, _, err := triage(t, "", "label", "--db", db, prefix, "nonsense"); exitCode(err) != 2 || !strings.Contains(err.Error(), "labels: phish") {
		t.Errorf("unknown label through the socket: %v", err)
	}
	if _, _, err := triage(t, "", "show", "--db", db, "ffffffffffff"); err == nil || !strings.Contains(err.Error(), "no stored message has an ID starting with ffffffffffff") {
		t.Errorf("unknown id through the socket: %v", err)
	}

	// Durable: committed in the store, seen after the holder closes.
	label, hist, err := st.Label(id)
	if err != nil {
		t.Fatal(err)
	}
	last := hist[len(hist)-1]
	if label != "spam" || last.Actor != (store.Actor{Name: "bob", Source: "cli"}) {
		t.Errorf("stored label %q, last event %+v", label, last)
	}
	notes, _ := st.Notes(id)
	if len(notes) != 2 || notes[1].Text != "via socket" || notes[1].Author.Name != "bob" {
		t.Errorf("notes = %+v", notes)
	}
}

// TestRemoteSocketChecks: a socket open to others or owned by another uid
// is refused with a clear error; a stale socket is replaced on start; a
// holder without a socket gives the old "in use" error.
func TestRemoteSocketChecks(t *testing.T) {
	dir := t.TempDir()
	db, id := seedStore(t, dir)
	sock := ctl.SocketPath(db)

	// Stale: a socket file nothing listens on.
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	holdStore(t, db, true)
	if out, _, err := triage(t, "", "show", "--db", db, id); err != nil || !strings.Contains(out, "Label       phish") {
		t.Fatalf("show after replacing a stale socket: %v\n%s", err, out)
	}
	fi, err := os.Lstat(sock)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode: %v %v", fi.Mode(), err)
	}

	if err := os.Chmod(sock, 0o666); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, _, err = triage(t, "", "show", "--db", db, id)
	if err == nil || !strings.Contains(err.Error(), "in use") || !strings.Contains(err.Error(), "mode 0666") {
		t.Errorf("socket with mode 0666 not refused: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("refusal took %v", d)
	}
	os.Chmod(sock, 0o600)
	if os.Getuid() == 0 {
		if err := os.Lchown(sock, 4242, 4242); err != nil {
			t.Fatal(err)
		}
		_, _, err = triage(t, "", "label", "--db", db, id, "spam")
		if err == nil || !strings.Contains(err.Error(), "owned by uid 4242") {
			t.Errorf("socket of another uid not refused: %v", err)
		}
		os.Lchown(sock, 0, 0)
	}
}

// TestHeldStoreWithoutSocket: a holder that serves no socket (an older
// triage) still gives the "in use" error.
func TestHeldStoreWithoutSocket(t *testing.T) {
	db, id := seedStore(t, t.TempDir())
	holdStore(t, db, false)
	_, _, err := triage(t, "", "show", "--db", db, id)
	if err == nil || !strings.Contains(err.Error(), "in use by another triage process") {
		t.Errorf("err = %v", err)
	}
}

// TestExclusiveCommandsRefuseFast: check, check --repair and import need
// the file to themselves; while a workbench holds it they refuse within a
// second and say why.
func TestExclusiveCommandsRefuseFast(t *testing.T) {
	dir := t.TempDir()
	db, _ := seedStore(t, dir)
	exp := filepath.Join(dir, "e.json")
	if _, _, err := triage(t, "", "export", "--db", db, "-o", exp); err != nil {
		t.Fatal(err)
	}
	holdStore(t, db, true)
	for _, args := range [][]string{
		{"check", "--db", db},
		{"check", "--repair", "--db", db},
		{"import", "--db", db, exp},
	} {
		start := time.Now()
		_, _, err := triage(t, "", args...)
		d := time.Since(start)
		if exitCode(err) != 1 || !strings.Contains(err.Error(), "needs the store to itself") {
			t.Errorf("%v: %v", args, err)
		}
		if d >= time.Second {
			t.Errorf("%v took %v to refuse", args, d)
		}
	}
	// export -o through the socket still works meanwhile.
	out := filepath.Join(dir, "e2.json")
	if _, _, err := triage(t, "", "export", "--db", db, "-o", out); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &doc); err != nil || doc["count"] != float64(1) {
		t.Errorf("remote export -o: %v %v", err, doc["count"])
	}
}
