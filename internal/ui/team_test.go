package ui

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/store"
)

// session is one analyst's workbench on a shared fake store, with the
// store's change feed delivered by hand (pump), as Subscribe would.
type session struct {
	*harness
	changes <-chan store.Change
}

func newSession(t *testing.T, fs *fakeStore, name string, w, h int) *session {
	t.Helper()
	ch, _ := fs.Subscribe()
	return &session{harness: openHarness(t, fs, Options{
		Store: fs, Raw: fs, Actor: store.Actor{Name: name, Source: "ssh"},
		Title: "demo", Location: time.UTC, NoSubscribe: true,
	}, w, h), changes: ch}
}

// pump delivers every pending store change to the session.
func (s *session) pump() {
	s.t.Helper()
	for {
		select {
		case c := <-s.changes:
			s.send(changeMsg{ch: c, ok: true})
		default:
			return
		}
	}
}

func twoSessions(t *testing.T, w, h int) (alice, bob *session, fs *fakeStore) {
	fs = fixtureStore()
	return newSession(t, fs, "alice", w, h), newSession(t, fs, "bob", w, h), fs
}

// A colleague's label must not move the message alice reads: with the
// "unlabeled" filter, bob labeling alice's open message used to drop its
// row, so her pane and her next label key went to the next message.
func TestTeamPinnedSelection(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		alice, bob, fs := twoSessions(t, size.w, size.h)
		alice.keys("U", "j", "j", "enter") // label:none, invoice open
		if alice.selected() != idInvoice || alice.m.detail.ID() != idInvoice {
			t.Fatalf("setup: selected %s", alice.selected())
		}
		bob.keys("j", "j", "s") // bob labels the invoice spam
		alice.pump()
		if alice.selected() != idInvoice || alice.m.detail.ID() != idInvoice {
			t.Fatalf("%dx%d: after bob's label alice's selection moved to %s (pane %s)", size.w, size.h, alice.selected(), alice.m.detail.ID())
		}
		scr := alice.screen()
		if !strings.Contains(scr, "bob labeled this message spam") {
			t.Errorf("%dx%d: no notice of bob's label:\n%s", size.w, size.h, scr)
		}
		alice.keys("p") // labels what she sees
		if fs.labels[idInvoice] != "phish" || fs.labels[idCJK] != "" {
			t.Fatalf("alice's p labeled the wrong message: %v", fs.labels)
		}
		// Leaving the pinned row drops it from the filtered list.
		alice.keys("esc")
		alice.keys("g")
		if slices.Contains(idsShown(alice.m.list), idInvoice) {
			t.Errorf("labeled row still listed under label:none after moving: %v", idsShown(alice.m.list))
		}
	}
}

// Any re-ordering keeps the cursor on the message, not the row number.
func TestTeamCursorFollowsMessageOnResort(t *testing.T) {
	alice, bob, _ := twoSessions(t, 80, 24)
	alice.keys("o", "o", "o") // sort by label
	if alice.m.list.sort != sortLabel {
		t.Fatalf("sort = %v", alice.m.list.sort)
	}
	alice.keys("G") // the last row
	want := alice.selected()
	bob.keys("G", "p") // bob labels it: it moves to the top under sort by label
	alice.pump()
	if alice.selected() != want {
		t.Fatalf("cursor moved from %s to %s after a re-sort", want, alice.selected())
	}
	if p := slices.Index(idsShown(alice.m.list), want); p != 0 {
		t.Fatalf("re-sorted row at %d, want 0", p)
	}
}

// alice p, bob s, alice u: bob's later label stays, and alice is told why.
func TestTeamUndoKeepsColleaguesLabel(t *testing.T) {
	alice, bob, fs := twoSessions(t, 80, 24)
	alice.keys("p") // kagoya phish; alice advances
	bob.pump()
	bob.keys("s") // bob's cursor is still on kagoya
	if fs.labels[idKagoya] != "spam" {
		t.Fatalf("setup: labels %v", fs.labels)
	}
	alice.pump()
	alice.keys("u")
	if fs.labels[idKagoya] != "spam" {
		t.Fatalf("alice's undo reverted bob's label: %q", fs.labels[idKagoya])
	}
	if got := alice.m.list.Label(idKagoya); got != "spam" {
		t.Errorf("alice's row shows %q", got)
	}
	if !strings.Contains(alice.screen(), "not undone: bob changed the label since (now spam)") {
		t.Errorf("no reason shown:\n%s", alice.screen())
	}
	if alice.m.c.Keys.Undo.Enabled() {
		t.Error("the refused undo is still offered")
	}
	// Her own change, untouched by others, is still undone.
	alice.keys("j", "m")
	alice.keys("u")
	if fs.labels[idInvoice] != "" && fs.labels[idHostile] != "" {
		t.Errorf("own undo failed: %v", fs.labels)
	}
}

// The title bar shows who is online, sanitised.
func TestRosterTitle(t *testing.T) {
	r := NewRoster()
	m := New(Options{Roster: r, NoSubscribe: true})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 20})
	nm, _ = nm.Update(presenceMsg{names: []string{"alice", "bob\x1b[31m"}, ok: true})
	title := strings.SplitN(nm.(Model).View().Content, "\n", 2)[0]
	if !strings.Contains(title, "online: alice bob") || strings.Contains(title, "\x1b[31m") {
		t.Errorf("title = %q", title)
	}
}

// Ctrl+C in the note editor ends the program, but the typed text is kept
// as a draft in the store and comes back when the analyst opens a note on
// that message again (also after an SSH session closes: Run persists
// whatever ended it).
func TestNoteDraftSurvivesQuit(t *testing.T) {
	for _, how := range []string{"ctrl+c", "cancel"} {
		t.Run(how, func(t *testing.T) {
			fs := fixtureStore()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			r := startRun(ctx, aliceOptions(fs))
			waitFor(t, r.out, "Mailbox notice")
			r.send(t, "wsuspicious sender, reported ⚑")
			// Keys are handled in order: once the last one is on screen,
			// the editor holds the whole text.
			waitFor(t, r.out, "⚑")
			if how == "ctrl+c" {
				_, _ = io.WriteString(r.in, "\x03")
			} else {
				cancel() // the SSH session closed
			}
			r.wait(t, how)
			_ = r.in.Close()
			if len(fs.notes[idKagoya]) != 0 {
				t.Fatal("the draft was saved as a note")
			}
			// A new session of alice gets the draft back.
			o := aliceOptions(fs)
			o.NoSubscribe = true
			h := openHarness(t, fs, o, 120, 30)
			h.keys("w")
			if got := h.m.editor.Value(); got != "suspicious sender, reported ⚑" {
				t.Fatalf("draft = %q", got)
			}
			if !strings.Contains(h.screen(), "unsaved draft restored") {
				t.Errorf("no notice of the restored draft:\n%s", h.screen())
			}
			h.keys("ctrl+s")
			if n := fs.notes[idKagoya]; len(n) != 1 || n[0].Text != "suspicious sender, reported ⚑" {
				t.Fatalf("notes = %+v", n)
			}
			if _, ok, _ := fs.UIState(draftKey(h.m.c, idKagoya)); ok {
				t.Error("draft kept after the note was saved")
			}
			// bob never sees alice's draft.
			b := newSession(t, fs, "bob", 120, 30)
			b.keys("w")
			if b.m.editor.Value() != "" {
				t.Errorf("bob got alice's draft %q", b.m.editor.Value())
			}
		})
	}
}
