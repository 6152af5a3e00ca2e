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

// waitFor waits up to 15 s (generous: -race on a loaded 2-core machine took
// over 5 s) for want to appear in the output.
func waitFor(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(ansi.Strip(out.String()), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("output never contained %q; got:\n%s", want, ansi.Strip(out.String()))
}

// aliceOptions are the options of alice's session on fs, titled "pipe".
func aliceOptions(fs *fakeStore) Options {
	return Options{Store: fs, Raw: fs, Actor: store.Actor{Name: "alice", Source: "tui"}, Title: "pipe", Location: time.UTC}
}

// pipeRun is the whole program, started by Run in a goroutine, reading
// keys from a pipe and writing to a buffer.
type pipeRun struct {
	in   *io.PipeWriter
	out  *syncBuffer
	done chan error
}

// startRun starts Run with opts on a pipe, with no colour and a 120x30
// window unless teaOpts says otherwise.
func startRun(ctx context.Context, opts Options, teaOpts ...tea.ProgramOption) *pipeRun {
	inR, inW := io.Pipe()
	r := &pipeRun{in: inW, out: &syncBuffer{}, done: make(chan error, 1)}
	teaOpts = append([]tea.ProgramOption{tea.WithWindowSize(120, 30), tea.WithColorProfile(colorprofile.Ascii)}, teaOpts...)
	go func() { r.done <- Run(ctx, opts, inR, r.out, teaOpts...) }()
	return r
}

// send types s into the program.
func (r *pipeRun) send(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(r.in, s); err != nil {
		t.Fatal(err)
	}
}

// wait fails the test unless Run returns nil within 5 seconds; after names
// what should have ended it.
func (r *pipeRun) wait(t *testing.T, after string) {
	t.Helper()
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("Run after %s: %v", after, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("Run did not return after %s", after)
	}
}

// quit types q, waits for Run to return (see wait) and closes the input.
func (r *pipeRun) quit(t *testing.T) {
	t.Helper()
	r.send(t, "q")
	r.wait(t, "q")
	_ = r.in.Close()
}

// TestRunProgram runs the whole program on a pipe with a fixed size and
// colour profile, labels a message, and checks that the hostile subject
// reaches the output only as placeholders.
func TestRunProgram(t *testing.T) {
	fs := fixtureStore()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r := startRun(ctx, aliceOptions(fs), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	waitFor(t, r.out, "Mailbox notice‹CSI›‹OSC›")
	r.send(t, "p")
	waitFor(t, r.out, "→ phish")
	r.quit(t)
	if fs.labels[idKagoya] != "phish" {
		t.Errorf("label not written: %v", fs.labels)
	}
	o := r.out.String()
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
	ctx, cancel := context.WithCancel(context.Background())
	r := startRun(ctx, Options{Store: fs, Location: time.UTC}, tea.WithWindowSize(80, 24))
	defer r.in.Close()
	waitFor(t, r.out, "5 msgs")
	cancel()
	r.wait(t, "cancel")
}

// wrapped is a model wrapper as serve uses one: it hands every view to a
// counter and returns the model it wraps from Unwrap.
type wrapped struct {
	inner tea.Model
	views *int
}

func (w wrapped) Init() tea.Cmd { return w.inner.Init() }
func (w wrapped) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := w.inner.Update(msg)
	w.inner = m
	*w.views++
	return w, cmd
}
func (w wrapped) View() tea.View    { return w.inner.View() }
func (w wrapped) Unwrap() tea.Model { return w.inner }

// TestRunWrapped: a session run with Options.Wrap goes through the
// wrapper, and the state saved at the end is the final model's (Run
// unwraps it): the sort chosen in the session.
func TestRunWrapped(t *testing.T) {
	fs := fixtureStore()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	views := 0
	opts := aliceOptions(fs)
	opts.Wrap = func(m tea.Model) tea.Model { return wrapped{inner: m, views: &views} }
	r := startRun(ctx, opts)
	waitFor(t, r.out, "sort score")
	r.send(t, "o")
	waitFor(t, r.out, "sorted by date")
	r.quit(t)
	if views == 0 {
		t.Error("the wrapper saw no message")
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	saved := ""
	for _, v := range fs.state {
		saved += string(v)
	}
	if !strings.Contains(saved, "date") {
		t.Errorf("the final sort was not saved: %q", saved)
	}
}
