package store

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Child-process modes, selected by environment variables when the test
// binary re-executes itself.
const (
	envCrashChild = "TRIAGE_STORE_CRASH_CHILD" // db path: label in a loop
	envLockChild  = "TRIAGE_STORE_LOCK_CHILD"  // db path: hold the lock
)

// TestChildProcess is the entry point of the child modes; it does nothing
// in a normal run.
func TestChildProcess(t *testing.T) {
	if path := os.Getenv(envCrashChild); path != "" {
		crashChild(path)
		os.Exit(0)
	}
	if path := os.Getenv(envLockChild); path != "" {
		s, err := Open(path, Options{})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("ready")
		// Hold the lock until the parent closes our stdin.
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		s.Close()
		os.Exit(0)
	}
	t.Skip("child-process helper")
}

// crashChild labels random messages forever, printing "seq id label" after
// each committed SetLabel, until killed.
func crashChild(path string) {
	s, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	ids, err := s.Labels() // parent pre-labeled every message
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	var list []string
	for id := range ids {
		list = append(list, id)
	}
	seq, _ := strconv.Atoi(os.Getenv("TRIAGE_STORE_CRASH_SEQ"))
	labels := DefaultLabels()
	r := rand.New(rand.NewPCG(uint64(seq), uint64(os.Getpid())))
	w := bufio.NewWriter(os.Stdout)
	for {
		id := list[r.IntN(len(list))]
		seq++
		label := labels[seq%len(labels)]
		if _, err := s.SetLabel(id, label, Actor{Name: "seq" + strconv.Itoa(seq), Source: "cli"}); err != nil {
			fmt.Fprintln(w, "error", err)
			w.Flush()
			os.Exit(1)
		}
		if r.IntN(20) == 0 { // sometimes a note as well
			if _, err := s.AddNote(id, "note "+strconv.Itoa(seq), alice); err != nil {
				os.Exit(1)
			}
		}
		fmt.Fprintf(w, "%d %s %s\n", seq, id, label)
		w.Flush()
	}
}

func childCmd(t *testing.T, env ...string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestChildProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// processTestStore skips in -short mode (the caller spawns processes) and
// opens a fresh store named name in a temp dir, returning it and its path.
func processTestStore(t *testing.T, name string) (*Store, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("spawns processes")
	}
	return tempStore(t, name)
}

// TestCrashSafety SIGKILLs a labeling child at random points: every label
// it reported as committed must survive, and the file must stay consistent.
func TestCrashSafety(t *testing.T) {
	s, path := processTestStore(t, "crash.db")
	reps := fill(t, s, 40, 20)
	for _, rep := range reps {
		mustLabel(t, s, rep.ID, "unsure", alice)
	}
	s.Close()

	type event struct {
		id, label string
	}
	committed := map[int]event{}
	r := rand.New(rand.NewPCG(7, 7))
	seq := 0
	deadline := time.Now().Add(25 * time.Second)
	rounds := 0
	for ; rounds < 120 && time.Now().Before(deadline); rounds++ {
		cmd := childCmd(t, envCrashChild+"="+path, "TRIAGE_STORE_CRASH_SEQ="+strconv.Itoa(seq+1000))
		seq += 1000
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Kill after a few commits plus a random delay, so kills land at
		// arbitrary points of the commit path.
		want := 1 + r.IntN(5)
		timeout := time.After(5 * time.Second)
		var got []string
	wait:
		for len(got) < want {
			select {
			case l, ok := <-lines:
				if !ok {
					break wait
				}
				got = append(got, l)
			case <-timeout:
				break wait
			}
		}
		time.Sleep(time.Duration(r.IntN(3000)) * time.Microsecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		for l := range lines {
			got = append(got, l)
		}
		_ = cmd.Wait()
		if len(got) == 0 {
			t.Fatalf("round %d: child reported nothing", rounds)
		}
		for _, l := range got {
			f := strings.Fields(l)
			if f[0] == "error" {
				t.Fatalf("round %d: child: %s", rounds, l)
			}
			n, _ := strconv.Atoi(f[0])
			committed[n] = event{f[1], f[2]}
		}
	}
	// Rounds are bounded by count and by time; on a loaded machine (or
	// under -race) fewer fit. Ten kills still exercise the commit path;
	// fewer means the child did not get to run at all.
	if rounds < 10 {
		t.Errorf("only %d rounds in the time budget", rounds)
	}

	s2, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	checkInvariants(t, s2)
	histories := map[string]map[string]string{} // id → actor name → label
	for _, rep := range reps {
		_, hist, err := s2.Label(rep.ID)
		if err != nil {
			t.Fatal(err)
		}
		histories[rep.ID] = map[string]string{}
		for _, ev := range hist {
			histories[rep.ID][ev.Actor.Name] = ev.Label
		}
	}
	lost := 0
	for n, ev := range committed {
		if l, ok := histories[ev.id]["seq"+strconv.Itoa(n)]; !ok || l != ev.label {
			// A repeat of the current label records nothing; only a real
			// change must be in the history.
			if _, hist, _ := s2.Label(ev.id); !hasLabelAt(hist, ev.label) {
				lost++
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d committed labels lost", lost, len(committed))
	}
	t.Logf("%d rounds, %d committed labels verified", rounds, len(committed))
}

func hasLabelAt(hist []LabelEvent, label string) bool {
	for _, ev := range hist {
		if ev.Label == label {
			return true
		}
	}
	return false
}

// TestSecondProcessLocked: while a child process holds the database, Open
// fails with ErrLocked naming the path within about the timeout.
func TestSecondProcessLocked(t *testing.T) {
	s, path := processTestStore(t, "locked.db")
	s.Close()
	cmd := childCmd(t, envLockChild+"="+path)
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		_ = cmd.Wait()
	}()
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("child: %q", line)
	}
	for _, ro := range []bool{false, true} {
		start := time.Now()
		_, err := Open(path, Options{ReadOnly: ro})
		took := time.Since(start)
		if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) {
			t.Errorf("ReadOnly=%v: err = %v, want ErrLocked naming the path", ro, err)
		}
		if took > 1200*time.Millisecond {
			t.Errorf("ReadOnly=%v: took %v", ro, took)
		}
	}
	start := time.Now()
	if _, err := Open(path, Options{Timeout: 100 * time.Millisecond}); !errors.Is(err, ErrLocked) || time.Since(start) > 500*time.Millisecond {
		t.Errorf("short timeout: %v after %v", err, time.Since(start))
	}
}
