package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// buildTriage builds the binary once per test run.
func buildTriage(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "triage")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// endToEnd skips the test when one of tools is not installed, or in
// -short mode.
func endToEnd(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	if testing.Short() {
		t.Skip("short mode")
	}
}

// tmuxSession is a detached tmux session on a private server.
type tmuxSession struct {
	t    *testing.T
	name string
	sock string
	// log, when set, is read and shown when waitFor gives up.
	log string
}

// startTmux starts cmdline in a detached w×h tmux session called name,
// whose server socket lives in dir; the server is killed at cleanup.
func startTmux(t *testing.T, dir, name string, w, h int, cmdline string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, name: name, sock: filepath.Join(dir, "tmux.sock")}
	s.run("new-session", "-d", "-s", name, "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), cmdline)
	t.Cleanup(func() { exec.Command("tmux", "-S", s.sock, "kill-server").Run() })
	return s
}

func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	s.run(append([]string{"send-keys", "-t", s.name}, keys...)...)
}

func (s *tmuxSession) capture() string {
	s.t.Helper()
	return s.run("capture-pane", "-p", "-t", s.name)
}

// waitFor polls the screen until it contains want.
func (s *tmuxSession) waitFor(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var screen string
	for time.Now().Before(deadline) {
		screen = s.capture()
		if strings.Contains(screen, want) {
			return screen
		}
		time.Sleep(100 * time.Millisecond)
	}
	if s.log != "" {
		logData, _ := os.ReadFile(s.log)
		s.t.Fatalf("screen never showed %q; last screen:\n%s\nlog:\n%s", want, screen, logData)
	}
	s.t.Fatalf("screen never showed %q; last screen:\n%s", want, screen)
	return ""
}

// TestTmuxWorkbench drives the real binary in tmux at 80×24 the way an
// analyst would: label three messages, write a note, quit; then the export
// holds the labels and the note.
func TestTmuxWorkbench(t *testing.T) {
	endToEnd(t, "tmux")
	bin := buildTriage(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "tui.db")
	cmdline := fmt.Sprintf("env NO_COLOR=1 TERM=xterm-256color %s --demo --db %s --analyst tester; sleep 30", bin, db)
	s := startTmux(t, dir, "triage-e2e", 80, 24, cmdline)

	s.waitFor("38 shown")
	// Label the top three messages: phish, malware, spam. The cursor moves
	// to the next unlabeled message after each.
	s.keys("p")
	s.waitFor("p:phish 1")
	s.keys("m")
	s.waitFor("m:malware 1")
	s.keys("s")
	screen := s.waitFor("s:spam 1")
	for _, line := range strings.Split(screen, "\n") {
		if strings.ContainsRune(line, '\x1b') {
			t.Errorf("escape sequence on screen: %q", line)
		}
	}
	// Back to the message just labeled spam and write a note on it.
	s.keys("k")
	s.keys("Enter")
	s.waitFor("summary")
	s.keys("6")
	s.waitFor("w adds one")
	s.keys("w")
	time.Sleep(300 * time.Millisecond)
	s.keys("-l", "looks like a test note")
	s.waitFor("looks like a test note")
	s.keys("C-s")
	s.waitFor("note saved")
	s.keys("Escape")
	time.Sleep(300 * time.Millisecond)
	s.keys("q")
	// The process exits; the shell then sleeps, so the pane stays.
	deadline := time.Now().Add(10 * time.Second)
	var out []byte
	var err error
	for time.Now().Before(deadline) {
		out, err = exec.Command(bin, "export", "--db", db).Output()
		if err == nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("export after quitting: %v", err)
	}
	var doc struct {
		Messages []struct {
			Label string `json:"label"`
			Notes []struct {
				Text string `json:"text"`
			} `json:"notes"`
			LabelHistory []struct {
				Actor struct {
					Name   string `json:"analyst"`
					Source string `json:"source"`
				} `json:"actor"`
			} `json:"label_history"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, out)
	}
	labels := map[string]int{}
	notes := 0
	for _, m := range doc.Messages {
		labels[m.Label]++
		for _, n := range m.Notes {
			if n.Text == "looks like a test note" {
				notes++
			}
		}
		for _, h := range m.LabelHistory {
			if h.Actor.Name != "tester" || h.Actor.Source != "tui" {
				t.Errorf("label attributed to %+v", h.Actor)
			}
		}
	}
	if labels["phish"] != 1 || labels["malware"] != 1 || labels["spam"] != 1 {
		t.Errorf("exported labels = %v, want one each of phish, malware, spam", labels)
	}
	if notes != 1 {
		t.Errorf("note not exported (found %d)", notes)
	}
	if t.Failed() {
		t.Logf("export:\n%s", out)
	}
	_ = os.Remove(db)
}
