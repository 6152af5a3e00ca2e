package ui

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/store"
)

// syncBuffer is a goroutine-safe output sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(ansi.Strip(out.String()), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("output never contained %q; got:\n%s", want, ansi.Strip(out.String()))
}

// TestRunProgram runs the whole program on a pipe with a fixed size and
// colour profile, labels a message, and checks that the hostile subject
// reaches the output only as placeholders.
func TestRunProgram(t *testing.T) {
	rows, reports, raw := fixture()
	fs := newFakeStore(rows, reports)
	fs.raw = raw
	inR, inW := io.Pipe()
	out := &syncBuffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Store: fs, Raw: fs, Actor: store.Actor{Name: "alice", Source: "tui"}, Title: "pipe", Location: time.UTC},
			inR, out, tea.WithWindowSize(120, 30), tea.WithColorProfile(colorprofile.Ascii), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	}()
	waitFor(t, out, "Mailbox notice‹CSI›‹OSC›")
	if _, err := io.WriteString(inW, "p"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "→ phish")
	if _, err := io.WriteString(inW, "q"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after q")
	}
	_ = inW.Close()
	if fs.labels[idKagoya] != "phish" {
		t.Errorf("label not written: %v", fs.labels)
	}
	o := out.String()
	for _, bad := range []string{"\x1b]52", "Y3VybCAtcyBodHRw", "\u202e", "\u200b", "\x1b]0;triage"} {
		if strings.Contains(o, bad) {
			t.Errorf("program output contains %q from the message", bad)
		}
	}
}

// TestRunCancel checks that cancelling the context ends a session cleanly.
func TestRunCancel(t *testing.T) {
	rows, reports, _ := fixture()
	fs := newFakeStore(rows, reports)
	inR, inW := io.Pipe()
	defer inW.Close()
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Store: fs, Location: time.UTC}, inR, out,
			tea.WithWindowSize(80, 24), tea.WithColorProfile(colorprofile.Ascii))
	}()
	waitFor(t, out, "5 msgs")
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}
