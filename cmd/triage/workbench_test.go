package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWorkbenchRefusesMissingMailbox: a mailbox path that does not exist is
// refused before the workbench (or the store) opens.
func TestWorkbenchRefusesMissingMailbox(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "wb.db")
	missing := filepath.Join(dir, "no-such.mbox")
	for _, args := range [][]string{
		{"--db", db, missing},
		{"--db", db, seedFixture, missing},
		{"--demo", missing},
	} {
		// A workbench that started anyway is stopped after 5 s.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		start := time.Now()
		err := run(ctx, args, strings.NewReader(""), io.Discard, io.Discard)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "mailbox "+missing+" does not exist") || exitCode(err) != 1 {
			t.Errorf("triage %q: %v (exit %d)", args, err, exitCode(err))
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("triage %q took %v", args, d)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the store was created before the refusal: %v", err)
	}
	if _, _, err := triage(t, "", "--db", db, "-"); exitCode(err) != 2 || !strings.Contains(err.Error(), "standard input") {
		t.Errorf("standard input: %v", err)
	}
}

// TestTmuxDemoHangup: the demo says on screen that its labels are not
// kept, and closing its terminal (SIGHUP) removes its temporary folder.
func TestTmuxDemoHangup(t *testing.T) {
	endToEnd(t, "tmux")
	bin := buildTriage(t)
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	cmdline := fmt.Sprintf("exec env NO_COLOR=1 TERM=xterm-256color TMPDIR=%s %s --demo --analyst tester", tmp, bin)
	s := startTmux(t, dir, "triage-hup", 80, 24, cmdline)
	s.waitFor("38 shown")
	s.waitFor("demo: labels are not kept")
	demoDirs := func() []string {
		m, _ := filepath.Glob(filepath.Join(tmp, "triage-demo-*"))
		return m
	}
	if len(demoDirs()) != 1 {
		t.Fatalf("demo folders while running: %q", demoDirs())
	}
	// Closing the terminal: tmux sends SIGHUP to the pane's process.
	s.run("kill-server")
	deadline := time.Now().Add(10 * time.Second)
	for len(demoDirs()) > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if d := demoDirs(); len(d) > 0 {
		t.Errorf("demo folder left behind after SIGHUP: %q", d)
	}
}
