package ui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/urls"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/internal/ui/kit"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

// harness drives a Model directly: it runs commands synchronously (with a
// short timeout, so timers and channel waits are dropped) and feeds their
// messages back into Update.
type harness struct {
	t     *testing.T
	m     Model
	fs    *fakeStore
	clips []string
}

func newHarness(t *testing.T, w, h int) *harness {
	t.Helper()
	fs := fixtureStore()
	return openHarness(t, fs, Options{
		Store: fs, Raw: fs, Actor: store.Actor{Name: "alice", Source: "tui"},
		Title: "demo", Location: time.UTC, NoSubscribe: true,
	}, w, h)
}

// fixtureStore is a store of the fixture messages, raw bytes included.
func fixtureStore() *fakeStore {
	rows, reports, raw := fixture()
	fs := newFakeStore(rows, reports)
	fs.raw = raw
	return fs
}

// openHarness opens a session with o on fs, started and sized w×h.
func openHarness(t *testing.T, fs *fakeStore, o Options, w, h int) *harness {
	t.Helper()
	hs := &harness{t: t, m: New(o), fs: fs}
	hs.run(hs.m.Init())
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	nm, cmd := h.m.Update(msg)
	h.m = nm.(Model)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 500; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		ch := make(chan tea.Msg, 1)
		go func() { ch <- c() }()
		var msg tea.Msg
		select {
		case msg = <-ch:
		case <-time.After(2 * time.Second):
			continue
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			if fmt.Sprintf("%T", msg) == "tea.setClipboardMsg" {
				h.clips = append(h.clips, fmt.Sprint(msg))
				continue
			}
			nm, c2 := h.m.Update(msg)
			h.m = nm.(Model)
			queue = append(queue, c2)
		}
	}
}

// keyMsg builds a key press from its string form ("j", "enter", "ctrl+s").
func keyMsg(s string) tea.KeyPressMsg {
	special := map[string]tea.Key{
		"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "tab": {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}, "space": {Code: tea.KeySpace, Text: " "},
		"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown}, "pgdown": {Code: tea.KeyPgDown},
		"pgup": {Code: tea.KeyPgUp}, "backspace": {Code: tea.KeyBackspace},
		"ctrl+s": {Code: 's', Mod: tea.ModCtrl}, "ctrl+c": {Code: 'c', Mod: tea.ModCtrl},
	}
	if k, ok := special[s]; ok {
		return tea.KeyPressMsg(k)
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg(tea.Key{Code: r, Text: s})
}

func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyPressMsg(tea.Key{Code: r, Text: string(r)}))
	}
}

func (h *harness) screen() string { return ansi.Strip(h.m.View().Content) }

func (h *harness) selected() string {
	r, _ := h.m.list.Selected()
	return r.ID
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden file (run with -update): %v", err)
	}
	if string(want) != got {
		t.Errorf("%s mismatch\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func checkScreen(t *testing.T, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) != h {
		t.Errorf("screen has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %d is %d columns wide (max %d): %q", i, lw, w, l)
		}
	}
}

func TestGolden(t *testing.T) {
	sizes := []struct{ w, h int }{{80, 24}, {160, 48}}
	views := []struct {
		name string
		keys []string
	}{
		{"list", nil},
		{"summary", []string{"enter"}},
		{"headers", []string{"enter", "2"}},
		{"headers_raw", []string{"enter", "2", "r"}},
		{"hops", []string{"enter", "3"}},
		{"urls", []string{"enter", "4", "j"}},
		{"body", []string{"enter", "5"}},
		{"notes", []string{"enter", "6"}},
		{"help", []string{"?"}},
		{"filter", []string{"/", "k", "a", "g"}},
	}
	for _, sz := range sizes {
		for _, v := range views {
			t.Run(fmt.Sprintf("%s_%dx%d", v.name, sz.w, sz.h), func(t *testing.T) {
				h := newHarness(t, sz.w, sz.h)
				h.keys(v.keys...)
				s := h.screen()
				checkScreen(t, s, sz.w, sz.h)
				golden(t, fmt.Sprintf("%s_%dx%d", v.name, sz.w, sz.h), s)
			})
		}
		t.Run(fmt.Sprintf("note_editor_%dx%d", sz.w, sz.h), func(t *testing.T) {
			h := newHarness(t, sz.w, sz.h)
			h.keys("enter", "6", "w")
			h.typeText("Reported to KAGOYA abuse desk.")
			s := h.screen()
			checkScreen(t, s, sz.w, sz.h)
			golden(t, fmt.Sprintf("note_editor_%dx%d", sz.w, sz.h), s)
		})
	}
	// README capture: list + summary side by side needs ≥140 columns, so the
	// 120×35 capture shows the list and then the summary full-screen.
	t.Run("readme_120x35", func(t *testing.T) {
		h := newHarness(t, 120, 35)
		list := h.screen()
		h.keys("enter")
		golden(t, "readme_120x35", list+"\n\n"+h.screen())
	})
}

func TestPlaceholderBeforeSize(t *testing.T) {
	m := New(Options{NoSubscribe: true})
	if s := m.View().Content; !strings.Contains(s, "starting") {
		t.Errorf("placeholder view = %q", s)
	}
}

func TestNavigationAndSort(t *testing.T) {
	h := newHarness(t, 80, 24)
	// Sorted by score: kagoya 100, hostile 100 (older), invoice 50, cjk 5,
	// news 0.
	want := []string{idKagoya, idHostile, idInvoice, idCJK, idNews}
	if got := idsShown(h.m.list); !slices.Equal(got, want) {
		t.Fatalf("score order = %v, want %v", got, want)
	}
	// Each step's keys are sent after the previous step's; the last, sort
	// by date, keeps the selection on the same message.
	for _, step := range []struct {
		keys []string
		want string
	}{
		{[]string{"j", "j"}, idInvoice},
		{[]string{"k"}, idHostile},
		{[]string{"G"}, idNews},
		{[]string{"g", "down"}, idHostile},
		{[]string{"o"}, idHostile},
	} {
		h.keys(step.keys...)
		if h.selected() != step.want {
			t.Fatalf("after %v selected %s, want %s", step.keys, h.selected(), step.want)
		}
	}
	if got := idsShown(h.m.list); got[0] != idNews || got[len(got)-1] != idHostile {
		t.Fatalf("date order = %v", got)
	}
	// Rows streaming in keep the selection.
	h.m.list.Add(bigRows(50))
	if h.selected() != idHostile {
		t.Fatalf("after Add selected %s", h.selected())
	}
}

func idsShown(l List) []string {
	var out []string
	for _, i := range l.shown {
		out = append(out, l.rows[i].ID)
	}
	return out
}

func TestFilter(t *testing.T) {
	tests := []struct {
		query string
		want  []string
	}{
		{"kagoya", []string{idKagoya}},
		{"KAGOYA", []string{idKagoya}},
		{"cprapid", []string{idKagoya}},        // URL host
		{"url.ip_encoded", []string{idKagoya}}, // rule ID as text
		{"rule:url.ip_encoded_host", []string{idKagoya}},
		{"rule:sender.", []string{idKagoya, idNews}},
		{"score>=70", []string{idKagoya, idHostile}},
		{"score>=50 kestrel", []string{idInvoice}},
		{"label:none", []string{idKagoya, idHostile, idInvoice, idCJK, idNews}},
		{"label:phish", nil},
		{"エグザンプル", []string{idCJK}},
		{"nomatch", nil},
		{"score<50", []string{idCJK, idNews}},
		{"score<=50", []string{idInvoice, idCJK, idNews}},
		{"score=5", []string{idCJK}},
		{"-rule:sender.", []string{idHostile, idInvoice, idCJK}},
		{"!kagoya score>=50", []string{idHostile, idInvoice}},
		{"NOT kagoya score>=50", []string{idHostile, idInvoice}},
		{"kagoya OR kestrel", []string{idKagoya, idInvoice}},
		{"kagoya | kestrel", []string{idKagoya, idInvoice}},
		{"score>=50 AND -(kagoya OR kestrel)", []string{idHostile}},
		{"from:kestrel", []string{idInvoice}},
		{"from:digest", []string{idNews}},
		{"url:cprapid", []string{idKagoya}},
		{"domain:cprapid.com", []string{idKagoya}},
		{"domain:prapid.com", nil}, // whole labels only
		{"\"the go digest\"", []string{idNews}},
		{"label:none score<10", []string{idCJK, idNews}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			h := newHarness(t, 80, 24)
			h.keys("/")
			h.typeText(tt.query)
			if got := idsShown(h.m.list); !slices.Equal(got, tt.want) {
				t.Errorf("filter %q = %v, want %v", tt.query, got, tt.want)
			}
			h.keys("enter")
			if h.m.filtering || h.m.list.Filter() != tt.query {
				t.Errorf("after enter: filtering=%v filter=%q", h.m.filtering, h.m.list.Filter())
			}
		})
	}
}

func TestFilterCancelAndNoLetterActions(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("/")
	// "q", "p", "j" must be typed, not quit / label / move.
	h.typeText("qpj")
	if h.m.list.Filter() != "qpj" {
		t.Fatalf("filter = %q", h.m.list.Filter())
	}
	if w := h.fs.writeLog(); len(w) != 0 {
		t.Fatalf("letters in the filter wrote to the store: %v", w)
	}
	h.keys("esc")
	if h.m.filtering || h.m.list.Filter() != "" || len(h.m.list.shown) != 5 {
		t.Fatalf("esc did not restore: filtering=%v filter=%q shown=%d", h.m.filtering, h.m.list.Filter(), len(h.m.list.shown))
	}
}

func TestQuickFilters(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("f") // score>=50
	if got := len(h.m.list.shown); got != 3 {
		t.Fatalf("score>=50 shows %d", got)
	}
	h.keys("f") // score>=70
	if got := len(h.m.list.shown); got != 2 {
		t.Fatalf("score>=70 shows %d", got)
	}
	h.keys("U")
	if f := h.m.list.Filter(); f != "score>=70 label:none" {
		t.Fatalf("filter = %q", f)
	}
	h.keys("f", "f", "U")
	if f := h.m.list.Filter(); f != "" || len(h.m.list.shown) != 5 {
		t.Fatalf("filter = %q, shown %d", f, len(h.m.list.shown))
	}
}

func TestLabelingAdvancesAndUndo(t *testing.T) {
	h := newHarness(t, 80, 24)
	if h.selected() != idKagoya {
		t.Fatal("first row is not kagoya")
	}
	h.keys("p")
	if got := h.fs.labels[idKagoya]; got != "phish" {
		t.Fatalf("store label = %q", got)
	}
	if got := h.m.list.Label(idKagoya); got != "phish" {
		t.Fatalf("row label = %q", got)
	}
	if h.selected() != idHostile {
		t.Fatalf("cursor did not advance: %s", h.selected())
	}
	if !strings.Contains(h.screen(), "p:phish 1") {
		t.Errorf("status bar does not count the label:\n%s", h.screen())
	}
	h.keys("u")
	if _, ok := h.fs.labels[idKagoya]; ok {
		t.Fatalf("undo did not remove the label in the store: %v", h.fs.labels)
	}
	if h.m.list.Label(idKagoya) != "" || h.selected() != idKagoya {
		t.Fatalf("after undo: label %q selected %s", h.m.list.Label(idKagoya), h.selected())
	}
	if hist := h.fs.hist[idKagoya]; len(hist) != 2 || hist[1].Previous != "phish" || hist[1].Actor.Name != "alice" {
		t.Fatalf("history = %+v", hist)
	}
	// Auto-advance off: the cursor stays.
	h.keys("a", "s")
	if h.selected() != idKagoya || h.fs.labels[idKagoya] != "spam" {
		t.Fatalf("auto-advance off: selected %s label %q", h.selected(), h.fs.labels[idKagoya])
	}
}

func TestLabelMarked(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("space", "j", "space") // mark kagoya and invoice (space moves down)
	if _, _, marked := h.m.list.Counts(); marked != 2 {
		t.Fatalf("marked = %d", marked)
	}
	h.keys("m")
	if h.fs.labels[idKagoya] != "malware" || h.fs.labels[idInvoice] != "malware" || h.fs.labels[idHostile] != "" {
		t.Fatalf("labels = %v", h.fs.labels)
	}
	if _, _, marked := h.m.list.Counts(); marked != 0 {
		t.Fatalf("marks not cleared: %d", marked)
	}
	h.keys("u")
	if len(h.fs.labels) != 0 {
		t.Fatalf("undo of a marked batch left %v", h.fs.labels)
	}
	h.keys("*")
	if _, _, marked := h.m.list.Counts(); marked != 5 {
		t.Fatalf("mark all = %d", marked)
	}
}

func TestLabelErrorShowsAndRowUnchanged(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.fs.failSet = store.ErrLocked
	h.keys("p")
	if h.m.list.Label(idKagoya) != "" {
		t.Fatal("row shows a label the store did not commit")
	}
	if s := h.screen(); !strings.Contains(s, "error: labeling: store: database is in use") {
		t.Fatalf("error not shown:\n%s", s)
	}
	h.keys("esc")
	if h.m.err != nil {
		t.Fatal("esc did not dismiss the error")
	}
}

func TestNotes(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("enter", "6", "w")
	h.typeText("first note")
	h.keys("ctrl+s")
	if h.m.editor.Active() {
		t.Fatal("editor still open after save")
	}
	if n := h.fs.notes[idKagoya]; len(n) != 1 || n[0].Text != "first note" {
		t.Fatalf("notes = %+v", n)
	}
	if !strings.Contains(h.screen(), "first note") {
		t.Fatalf("note not shown:\n%s", h.screen())
	}
	// Cancel with changes asks; "x" keeps editing, then y discards.
	h.keys("w")
	h.typeText("draft")
	h.keys("esc")
	if h.m.confirm == nil {
		t.Fatal("no confirmation for unsaved changes")
	}
	h.keys("x") // anything but y cancels the question
	if !h.m.editor.Active() {
		t.Fatal("editor closed although discard was refused")
	}
	h.keys("esc", "y")
	if h.m.editor.Active() || len(h.fs.notes[idKagoya]) != 1 {
		t.Fatalf("discard failed: active=%v notes=%d", h.m.editor.Active(), len(h.fs.notes[idKagoya]))
	}
	// Edit the last note keeps history.
	h.keys("e")
	h.typeText(" (edited)")
	h.keys("ctrl+s")
	if n := h.fs.notes[idKagoya]; len(n) != 1 || n[0].Text != "first note (edited)" || len(n[0].History) != 1 {
		t.Fatalf("after edit: %+v", n)
	}
	// Cancel without changes closes at once.
	h.keys("w", "esc")
	if h.m.editor.Active() || h.m.confirm != nil {
		t.Fatal("esc on an unchanged note did not close")
	}
}

func TestCopyURL(t *testing.T) {
	h := newHarness(t, 80, 24)
	if h.m.c.Keys.CopyURL.Enabled() {
		t.Fatal("y enabled outside the URL pane")
	}
	h.keys("y") // no effect in the list
	if len(h.clips) != 0 {
		t.Fatal("y copied outside the URL pane")
	}
	live := h.fs.reports[idKagoya].URLs[0].URL
	if !strings.HasPrefix(live, "http://34-227-30-224.cprapid.com/wp-includes/") {
		t.Fatalf("first URL of the seed = %q", live)
	}
	h.keys("enter", "4")
	h.keys("y")
	want := "hxxp://34-227-30-224[.]cprapid[.]com/wp-includes/" + strings.TrimPrefix(live, "http://34-227-30-224.cprapid.com/wp-includes/")
	if len(h.clips) != 1 || h.clips[0] != want {
		t.Fatalf("clips = %q, want %q", h.clips, want)
	}
	h.keys("Y")
	if h.m.confirm == nil || len(h.clips) != 1 {
		t.Fatal("Y did not ask first")
	}
	h.keys("y")
	if len(h.clips) != 2 || h.clips[1] != live {
		t.Fatalf("clips = %q", h.clips)
	}
}

// An imported report can carry any "defanged" value; y must defang the
// URL itself at copy time and never copy that field (issue 12, failure 9).
func TestCopyURLIgnoresStoredDefanged(t *testing.T) {
	h := newHarness(t, 80, 24)
	u := &h.fs.reports[idKagoya].URLs[0]
	u.Defanged = "http://live.example/\x1b]52;c;ZXZpbA==\x07"
	h.keys("enter", "4", "y")
	if len(h.clips) != 1 {
		t.Fatalf("clips = %q", h.clips)
	}
	got := h.clips[0]
	if strings.Contains(got, "live.example") || strings.Contains(got, "\x1b") {
		t.Fatalf("y copied the stored defanged value: %q", got)
	}
	if want := urls.Defang(u.URL); got != want {
		t.Fatalf("y copied %q, want %q", got, want)
	}
	if s := h.screen(); strings.Contains(s, "live.example") {
		t.Errorf("the URLs pane shows the stored defanged value:\n%s", s)
	}
}

func TestPaneSwitching(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("enter")
	if h.m.focus != focusDetail {
		t.Fatal("enter did not open the detail")
	}
	h.keys("tab", "tab")
	if h.m.detail.Pane() != kit.PaneHops {
		t.Fatalf("pane = %d", h.m.detail.Pane())
	}
	h.keys("shift+tab")
	if h.m.detail.Pane() != kit.PaneHeaders {
		t.Fatalf("pane = %d", h.m.detail.Pane())
	}
	h.keys("esc")
	if h.m.focus != focusList {
		t.Fatal("esc did not go back")
	}
	// Wide: detail beside the list, loaded for the selection.
	h.send(tea.WindowSizeMsg{Width: 160, Height: 40})
	h.keys("1", "j")
	if h.m.detail.ID() != idHostile || !strings.Contains(h.screen(), "attach.rlo_in_name") {
		t.Fatalf("wide detail does not follow the selection:\n%s", h.screen())
	}
}

func TestStoreChangesUpdateRows(t *testing.T) {
	rows, reports, _ := fixture()
	fs := newFakeStore(rows, reports)
	h := openHarness(t, fs, Options{Store: fs, Location: time.UTC, NoSubscribe: true}, 80, 24)
	// Another session committed a label; the subscription delivers it.
	fs.labels[idNews] = "benign"
	h.send(changeMsg{ch: store.Change{ID: idNews, Kind: "label", Label: "benign"}, ok: true})
	if h.m.list.Label(idNews) != "benign" {
		t.Fatal("change from another session not applied")
	}
}

func TestProgressStreaming(t *testing.T) {
	h := newHarness(t, 80, 24)
	extra := bigRows(3)
	h.send(progressMsg{ok: true, ev: progressEvent(3, 10, extra)})
	if s := h.screen(); !strings.Contains(s, "analysing 3/10") {
		t.Fatalf("no progress line:\n%s", s)
	}
	if total, _, _ := h.m.list.Counts(); total != 8 {
		t.Fatalf("total = %d", total)
	}
	h.send(progressMsg{ok: true, ev: progressEvent(10, 10, nil, true)})
	if s := h.screen(); strings.Contains(s, "analysing") {
		t.Fatalf("progress line stays after finish:\n%s", s)
	}
}

func TestInjectionView(t *testing.T) {
	h := newHarness(t, 160, 40)
	h.keys("/")
	h.typeText("servicedesk")
	h.keys("enter")
	var all strings.Builder
	for _, ks := range [][]string{nil, {"2"}, {"5"}} {
		h.keys(ks...)
		raw := h.m.View().Content
		for _, bad := range []string{"\x1b]", "\x1b[2J", "\u202e", "\u200b", "\u009b", "\x07"} {
			if strings.Contains(raw, bad) {
				t.Errorf("view after %v contains %q", ks, bad)
			}
		}
		all.WriteString(ansi.Strip(raw))
	}
	if r, _ := h.m.list.Selected(); r.ID != idHostile {
		t.Fatalf("filter selected %s", r.ID)
	}
	s := all.String()
	testutil.TextHas(t, "views", s, "‹CSI›", "‹OSC›", "‹RLO›", "‹ZWSP›", "‹U+009B›")
}

// shortBar returns the items ("key desc") of the short help bar, the
// screen's last line.
func shortBar(screen string) []string {
	lines := strings.Split(screen, "\n")
	var out []string
	for _, it := range strings.Split(strings.TrimSpace(lines[len(lines)-1]), " • ") {
		out = append(out, strings.TrimSpace(it))
	}
	return out
}

// TestHelpHonest checks, in several states, that the short help bar shows
// exactly the keys that act there. The expected bars are written out by
// hand from what each state does (not derived from the keymap), so a key
// that is enabled where it cannot act, or left out where it can, fails.
func TestHelpHonest(t *testing.T) {
	browse := []string{"↑/k up", "↓/j down", "enter open", "tab next pane", "/ filter", "w new note", "? help", "q quit"}
	tests := []struct {
		name  string
		setup func(h *harness)
		want  []string
	}{
		{"list", nil, browse},
		{"detail", func(h *harness) { h.keys("enter") },
			[]string{"↑/k up", "↓/j down", "esc back", "tab next pane", "/ search pane", "y copy ID+locator", "w new note", "? help", "q quit"}},
		{"urls", func(h *harness) { h.keys("4") },
			[]string{"↑/k up", "↓/j down", "enter open", "tab next pane", "/ filter", "y copy defanged URL", "w new note", "? help", "q quit"}},
		{"headers", func(h *harness) { h.keys("2") }, browse},
		{"filter", func(h *harness) { h.keys("/") }, []string{"enter apply filter", "esc cancel filter"}},
		{"note", func(h *harness) { h.keys("w") }, []string{"ctrl+s save note", "esc cancel note"}},
		{"help", func(h *harness) { h.keys("?") }, []string{"esc close help", "q quit"}},
		{"error", func(h *harness) {
			h.fs.failSet = store.ErrLocked
			h.keys("p")
			h.keys("j") // clears the flash; the error stays
		}, []string{"esc dismiss", "↑/k up", "↓/j down", "enter open", "tab next pane", "/ filter", "w new note", "? help", "q quit"}},
		{"empty filter result", func(h *harness) {
			h.keys("/")
			h.typeText("nomatch")
			h.keys("enter")
		}, []string{"esc clear filter", "/ filter", "? help", "q quit"}},
		{"bad filter", func(h *harness) {
			h.keys("/")
			h.typeText("bogus:x")
		}, []string{"esc cancel filter"}},
		{"command", func(h *harness) { h.keys(":") }, []string{"enter run command", "esc cancel command"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, 160, 48)
			if tt.setup != nil {
				tt.setup(h)
			}
			if got := shortBar(h.screen()); !slices.Equal(got, tt.want) {
				t.Errorf("short help bar\n got %q\nwant %q", got, tt.want)
			}
			// The help overlay lists every live binding.
			km := h.m.c.Keys
			full := ansi.Strip(strings.Join(h.m.helpLines(400), "\n"))
			for _, b := range km.All() {
				if b.Enabled() && !strings.Contains(full, b.Help().Desc) {
					t.Errorf("full help lacks live binding %q", b.Help().Desc)
				}
			}
		})
	}
	// While a question is pending the bar is the question, and only its
	// answers are live.
	h := newHarness(t, 160, 48)
	h.keys("w", "x", "esc")
	if bar := shortBar(h.screen()); len(bar) != 1 || !strings.HasSuffix(bar[0], "(y/n)") {
		t.Errorf("confirm bar = %q", bar)
	}
	var live []string
	for _, b := range h.m.c.Keys.All() {
		if b.Enabled() {
			live = append(live, b.Help().Key)
		}
	}
	if slices.Sort(live); !slices.Equal(live, []string{"esc", "y"}) {
		t.Errorf("live keys while confirming = %q", live)
	}
	// Every field of KeyMap is covered by all().
	km := kit.DefaultKeyMap(store.DefaultLabels())
	n := 0
	v := reflect.ValueOf(km)
	for i := 0; i < v.NumField(); i++ {
		switch f := v.Field(i).Interface().(type) {
		case key.Binding:
			n++
		case []key.Binding:
			n += len(f)
		case [kit.NumPanes]key.Binding:
			n += len(f)
		}
	}
	if got := len(km.All()); got != n {
		t.Errorf("all() has %d bindings, KeyMap has %d", got, n)
	}
}

func TestSmallAndResize(t *testing.T) {
	h := newHarness(t, 80, 24)
	for _, sz := range [][2]int{{40, 10}, {200, 60}, {80, 24}, {20, 5}} {
		h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		checkScreen(t, h.screen(), sz[0], sz[1])
	}
}

func TestOnlineMarker(t *testing.T) {
	for _, on := range []bool{false, true} {
		m := New(Options{Title: "box", Online: on})
		m.width, m.height = 100, 30
		got := strings.Contains(m.titleLine(), "ONLINE")
		if got != on {
			t.Errorf("Online=%v: title %q", on, m.titleLine())
		}
	}
}

// The Hops pane shows the network context stored in the report, with its
// provenance.
func TestHopsNetworkFromReport(t *testing.T) {
	fs := fixtureStore()
	rep := fs.reports[idKagoya]
	for i := range rep.Hops {
		if rep.Hops[i].Origin {
			rep.Hops[i].Net = &analysis.NetInfo{IP: rep.Hops[i].FromIP, ASN: 65001, ASOrg: "TSUKAERUNET", Country: "JP",
				Source: "GeoLite2-ASN", AsOf: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}
		}
	}
	h := openHarness(t, fs, Options{Store: fs, Raw: fs, Title: "demo", Location: time.UTC, NoSubscribe: true}, 160, 48)
	h.keys("enter", "3")
	s := h.screen()
	testutil.TextHas(t, "hops pane", s, "AS65001", "JP", "network data: GeoLite2-ASN, as of 2026-11-20")
	if strings.Contains(s, "no IP database") {
		t.Error("hint about adding a database shown although data is there")
	}
}

// The URLs pane shows the network context of an IP-spelling host.
func TestURLNetwork(t *testing.T) {
	fs := fixtureStore()
	rep := fs.reports[idKagoya]
	if len(rep.URLs) == 0 {
		t.Skip("fixture has no URL")
	}
	rep.URLs[0].Net = &analysis.NetInfo{IP: "34.227.30.224", ASN: 14618, ASOrg: "AMAZON-AES", Country: "US", Source: "GeoLite2-ASN"}
	h := openHarness(t, fs, Options{Store: fs, Raw: fs, Title: "demo", Location: time.UTC, NoSubscribe: true}, 160, 48)
	h.keys("enter", "4")
	if s := h.screen(); !strings.Contains(s, "AS14618 AMAZON-AES · US (GeoLite2-ASN)") {
		t.Errorf("URL network missing:\n%s", s)
	}
}

// The help overlay describes the screen beneath it, not its own two keys.
func TestHelpOverlayListsScreenKeys(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("?")
	s := h.screen()
	testutil.TextHas(t, "help overlay", s, "filter", "phish", "open")
	if !h.m.c.Keys.CloseHelp.Enabled() || h.m.c.Keys.Filter.Enabled() || h.m.c.Keys.Labels[0].Enabled() {
		t.Error("rendering the overlay changed the live keymap")
	}
}
