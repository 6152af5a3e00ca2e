package ui

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/internal/ui/detail"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/internal/ui/kit/kittest"
	"github.com/triage-tools/triage/store"
)

// loadedDetail returns the detail panes of fixture message id, loaded the
// way the workbench loads them.
func loadedDetail(t *testing.T, id string) detail.Detail {
	t.Helper()
	h := newHarness(t, 160, 48)
	h.m.list.Select(id)
	h.keys("enter")
	if h.m.detail.Loaded() == nil || h.m.detail.Loaded().ID != id {
		t.Fatalf("detail of %s not loaded", id)
	}
	return h.m.detail
}

// paneText is the pane's lines joined and squashed.
func paneText(d *detail.Detail, pane int) string {
	return kittest.Squash(strings.Join(d.Lines(pane), "\n"))
}

// evidenceValues lists, per pane, the sanitised values that pane must show
// in full: header names and values, URLs (defanged), anchors, hosts and
// flags, and the hop cells.
func evidenceValues(d *detail.Detail) map[int][]string {
	r := d.Loaded().Report
	out := map[int][]string{}
	for _, h := range r.Headers {
		v := h.Value
		if h.Decoded != "" {
			v = h.Decoded
		}
		out[kit.PaneHeaders] = append(out[kit.PaneHeaders], h.Key.String()+":", v.Multiline())
	}
	for _, u := range r.URLs {
		out[kit.PaneURLs] = append(out[kit.PaneURLs], kit.Defanged(u.Live).Multiline(),
			kit.Untrusted(kit.DefangText(u.AnchorText.Raw(), kit.KnownHosts(r))).Multiline(), kit.Defanged(u.Host).String())
		for _, f := range u.Flags {
			out[kit.PaneURLs] = append(out[kit.PaneURLs], f.String())
		}
	}
	for _, h := range r.Hops {
		out[kit.PaneHops] = append(out[kit.PaneHops], h.FromHelo.String(), h.FromIP.String(), h.By.String(), h.Raw.Multiline())
		for _, f := range h.Flags {
			out[kit.PaneHops] = append(out[kit.PaneHops], f.String())
		}
	}
	return out
}

// TestPanesLossless: at random widths 20..200, every character of every
// header name and value, URL, anchor, host, flag and hop cell of the seed
// and of the hostile message appears in its pane (white space aside, since
// wrapping turns spaces into line breaks). Before the fix the first line
// of a wrapped value was cut with "…" and the hop table cut its cells.
func TestPanesLossless(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	for _, id := range []string{idKagoya, idHostile} {
		d := loadedDetail(t, id)
		widths := []int{20, 80, 87, 160, 200}
		for range 40 {
			widths = append(widths, 20+rng.IntN(181))
		}
		for _, w := range widths {
			d.SetSize(w, 40)
			for pane, vals := range evidenceValues(&d) {
				text := paneText(&d, pane)
				for _, v := range vals {
					if sv := kittest.Squash(v); sv != "" && !strings.Contains(text, sv) {
						t.Errorf("%s width %d: pane %s lacks %q", id[:14], w, kit.PaneName(pane), v)
					}
				}
				for i, l := range d.Lines(pane) {
					if lw := ansi.StringWidth(l); lw > w {
						t.Errorf("%s width %d: pane %s line %d is %d wide", id[:14], w, kit.PaneName(pane), i, lw)
					}
				}
			}
		}
	}
}

// TestHopHeloAndZone: the hop list shows the origin's HELO at 80 and 160
// columns, and hop times in the header's own zone with the year.
func TestHopHeloAndZone(t *testing.T) {
	for _, w := range []int{80, 160} {
		h := newHarness(t, w, 48)
		h.keys("enter", "3")
		s := h.screen()
		testutil.TextHas(t, fmt.Sprintf("width %d: hops pane", w), s, "localhost.localdomain", "2026-10-05 10:38:58 +0900", "[121.50.46.57]")
	}
}

// findingsSection returns the summary pane's lines from "Findings" up to
// the "Message" block (the decoded header fields, which are evidence).
func findingsSection(lines []string) string {
	var out []string
	in := false
	for _, l := range lines {
		s := ansi.Strip(l)
		switch {
		case strings.HasPrefix(s, "Findings"):
			in = true
		case s == "Message":
			in = false
		}
		if in {
			out = append(out, s)
		}
	}
	return strings.Join(out, "\n")
}

// TestDefangOutsideEvidence: the body, the URLs pane and the findings show
// no live scheme and no known host undotted, at 80 and 160 columns; the
// Headers pane keeps the exact values.
func TestDefangOutsideEvidence(t *testing.T) {
	for _, id := range []string{idKagoya, idHostile} {
		d := loadedDetail(t, id)
		hosts := kit.KnownHosts(d.Loaded().Report)
		if id == idKagoya && len(hosts) < 3 {
			t.Fatalf("seed hosts = %v", hosts)
		}
		for _, w := range []int{80, 160} {
			d.SetSize(w, 40)
			texts := map[string]string{
				"body":     ansi.Strip(strings.Join(d.Lines(kit.PaneBody), "\n")),
				"urls":     ansi.Strip(strings.Join(d.Lines(kit.PaneURLs), "\n")),
				"findings": findingsSection(d.Lines(kit.PaneSummary)),
			}
			for name, s := range texts {
				// Join wrapped lines so a host cut by a line break is seen.
				flat := strings.ToLower(strings.ReplaceAll(s, "\n", ""))
				for _, bad := range append([]string{"http://", "https://"}, hosts...) {
					if strings.Contains(flat, bad) {
						t.Errorf("%s width %d: %s shows live %q", id[:14], w, name, bad)
					}
				}
			}
		}
		if id == idKagoya {
			if h := ansi.Strip(strings.Join(d.Lines(kit.PaneHeaders), "")); !strings.Contains(h, "kagoya.jp") {
				t.Error("headers pane no longer shows the exact sender domain")
			}
		}
	}
}

// TestSummaryCitesURLOnce: the seed's summary shows the long phishing URL
// once and refers to it as "URL #n" in each finding that cites it.
func TestSummaryCitesURLOnce(t *testing.T) {
	d := loadedDetail(t, idKagoya)
	d.SetSize(80, 40)
	s := ansi.Strip(strings.Join(d.Lines(kit.PaneSummary), "\n"))
	if n := strings.Count(s, "cprapid[.]com/wp-includes"); n != 1 {
		t.Errorf("long URL shown %d times in the summary, want 1:\n%s", n, s)
	}
	if n := strings.Count(s, "evidence: URL #1"); n < 3 {
		t.Errorf("%d findings refer to URL #1, want ≥ 3:\n%s", n, s)
	}
}

// TestLabelMarkColumn: at 80 columns the list shows a one-character label
// mark (the label's key) instead of a 10-column LABEL column.
func TestLabelMarkColumn(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("p") // phish the top row; auto-advance moves on
	s := h.screen()
	lines := strings.Split(s, "\n")
	if strings.Contains(lines[1], "LABEL") || !strings.Contains(lines[1], " L ") {
		t.Errorf("list header = %q", lines[1])
	}
	if !strings.HasPrefix(strings.TrimSpace(lines[2])[3:], " █████ p ") {
		t.Errorf("labeled row = %q, want mark p after the score bar", lines[2])
	}
	if !strings.Contains(lines[3], "█████ · ") {
		t.Errorf("unlabeled row = %q, want mark ·", lines[3])
	}
}

// TestSenderSortUsesShownName: sender sort orders by what the FROM column
// shows (the display name), not by the hidden address.
func TestSenderSortUsesShownName(t *testing.T) {
	m := New(Options{Location: time.UTC, NoSubscribe: true})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = nm.(Model)
	nm, _ = m.Update(rowsMsg{rows: []store.Row{
		{ID: "sha256:01", Score: 50, FromName: "Zed", FromAddr: "aaa@example.com"},
		{ID: "sha256:02", Score: 40, FromName: "Amy", FromAddr: "zzz@example.com"},
		{ID: "sha256:03", Score: 30, FromAddr: "bob@example.com"},
	}})
	m = nm.(Model)
	for m.list.sort != sortSender {
		m.list.CycleSort()
	}
	if got := idsShown(m.list); !slices.Equal(got, []string{"sha256:02", "sha256:03", "sha256:01"}) {
		t.Errorf("sender order = %v, want Amy, bob@…, Zed", got)
	}
}

// TestMouse: the wheel scrolls the list and the pane under the pointer; a
// click selects the row under it.
func TestMouse(t *testing.T) {
	h := newHarness(t, 160, 16)
	if h.m.View().MouseMode != tea.MouseModeCellMotion {
		t.Fatal("mouse reporting not enabled")
	}
	rows := idsShown(h.m.list)
	h.send(tea.MouseClickMsg{X: 10, Y: 2 + 2, Button: tea.MouseLeft}) // title, header, rows 0,1,2
	if got := h.selected(); got != rows[2] {
		t.Errorf("click on the third row selected %s, want %s", got, rows[2])
	}
	h.send(tea.MouseWheelMsg{X: 10, Y: 5, Button: tea.MouseWheelUp})
	if got := h.selected(); got != rows[0] {
		t.Errorf("wheel up over the list selected %s, want the first row", got)
	}
	h.keys("2") // headers pane beside the list
	h.send(tea.MouseWheelMsg{X: 120, Y: 10, Button: tea.MouseWheelDown})
	if h.m.detail.Offset(kit.PaneHeaders) != wheelStep || h.selected() != rows[0] {
		t.Errorf("wheel over the pane: offset %d, selection %s", h.m.detail.Offset(kit.PaneHeaders), h.selected())
	}
}

// TestRawSourceView: v shows the raw message in the built-in view (always
// in an SSH session, even with a pager configured): exact, not defanged,
// sanitised; esc closes it.
func TestRawSourceView(t *testing.T) {
	fs := fixtureStore()
	h := openHarness(t, fs, Options{Store: fs, Raw: fs, Actor: store.Actor{Name: "bob", Source: "ssh"}, Pager: "less -R",
		Location: time.UTC, NoSubscribe: true}, 80, 24)
	h.keys("v")
	if !h.m.detail.RawOpen() {
		t.Fatal("raw view not open")
	}
	h.keys("/")
	h.typeText("cprapid")
	h.keys("enter")
	s := h.screen()
	testutil.TextHas(t, "raw view", s, "raw source", "http://34-227-30-224.cprapid.com")
	h.keys("esc")
	if h.m.detail.RawOpen() || h.m.focus != focusDetail {
		t.Error("esc did not close the raw view back to the pane")
	}
	// The hostile message: escapes become placeholders, nothing raw leaks.
	h.keys("esc")
	h.m.list.Select(idHostile)
	h.keys("v")
	out := h.m.View().Content
	for _, bad := range []string{"\x1b]", "\x1b[2J", "\u202e", "\u009b", "\x07"} {
		if strings.Contains(out, bad) {
			t.Errorf("raw view leaks %q", bad)
		}
	}
	if !strings.Contains(ansi.Strip(out), "‹") {
		t.Errorf("hostile raw view shows no placeholder:\n%s", ansi.Strip(out))
	}
}

// TestPagerLocal: in a local session with a pager, v runs the pager
// (a command) instead of opening the built-in view.
func TestPagerLocal(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.m.c.Pager = "less -R"
	cmd := h.m.onRaw(rawMsg{id: h.selected(), text: "Subject: x\n"})
	if cmd == nil || h.m.detail.RawOpen() {
		t.Fatalf("pager not used: cmd=%v rawOn=%v", cmd != nil, h.m.detail.RawOpen())
	}
}

// TestPaneSearch: / in a focused pane searches it, n and N move between
// matches and scroll them into view; n no longer opens a note.
func TestPaneSearch(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.keys("enter", "/")
	if h.m.filtering || !h.m.searching {
		t.Fatal("/ in a focused pane did not start a pane search")
	}
	h.typeText("Authentication")
	h.keys("enter")
	hits, cur := h.m.detail.Matches()
	if len(hits) < 2 {
		t.Fatalf("hits = %v", hits)
	}
	if off := h.m.detail.Offset(kit.PaneSummary); hits[cur] < off || hits[cur] >= off+h.m.detail.BodyHeight() {
		t.Errorf("match line %d not in view (offset %d)", hits[cur], off)
	}
	if !strings.Contains(h.screen(), "▶") {
		t.Errorf("current match not marked:\n%s", h.screen())
	}
	first := cur
	h.keys("n")
	if _, c := h.m.detail.Matches(); c != (first+1)%len(hits) || h.m.editor.Active() {
		t.Errorf("n: cur %d (from %d), editor %v", c, first, h.m.editor.Active())
	}
	h.keys("N")
	if _, c := h.m.detail.Matches(); c != first {
		t.Errorf("N did not go back")
	}
}

// TestCopyIDAndLocator: the summary shows the triage ID and where the
// message was found, and y there copies them with the Message-ID.
func TestCopyIDAndLocator(t *testing.T) {
	h := newHarness(t, 160, 48)
	h.keys("enter")
	for range 3 {
		h.keys("pgdown")
	}
	s := h.screen()
	if !strings.Contains(s, "demo.mbox @ byte") {
		t.Errorf("summary lacks the locator:\n%s", s)
	}
	h.keys("y")
	if len(h.clips) != 1 || !strings.Contains(h.clips[0], "localhost.localdomain") ||
		!strings.Contains(h.clips[0], idKagoya) || !strings.Contains(h.clips[0], "demo.mbox") {
		t.Errorf("clipboard = %q", h.clips)
	}
}

// TestNextRisky: ! jumps to the next unlabeled message scoring ≥ 70.
func TestNextRisky(t *testing.T) {
	h := newHarness(t, 80, 24)
	start := h.selected()
	h.keys("!")
	if got := h.selected(); got == start || got != idHostile && got != idKagoya {
		t.Fatalf("! went from %s to %s", start[:14], got[:14])
	}
	h.keys("p") // label it; auto-advance moves on
	h.m.list.Select(start)
	h.keys("p")
	h.keys("!")
	if !strings.Contains(h.m.flash, "no unlabeled message") {
		t.Errorf("flash = %q", h.m.flash)
	}
}

// TestGoldenHostile: the hostile message's panes and raw source at 80×24
// and 160×48 (regenerate with -update and review by eye).
func TestGoldenHostile(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
		for _, v := range []struct {
			name string
			keys []string
		}{
			{"summary", []string{"enter"}}, {"headers", []string{"enter", "2"}}, {"hops", []string{"enter", "3"}},
			{"urls", []string{"enter", "4"}}, {"body", []string{"enter", "5"}}, {"raw", []string{"v"}},
		} {
			name := fmt.Sprintf("hostile_%s_%dx%d", v.name, sz.w, sz.h)
			t.Run(name, func(t *testing.T) {
				h := newHarness(t, sz.w, sz.h)
				h.m.list.Select(idHostile)
				h.keys(v.keys...)
				s := h.screen()
				checkScreen(t, s, sz.w, sz.h)
				golden(t, name, s)
			})
		}
	}
}

// TestScoreSortUsesRawScore: the score sort ranks by the raw (uncapped)
// score, so rows tied at 100 keep the order of their evidence; equal raw
// scores put the newer message first (store.CompareByScore).
func TestScoreSortUsesRawScore(t *testing.T) {
	m := New(Options{Location: time.UTC, NoSubscribe: true})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = nm.(Model)
	day := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	nm, _ = m.Update(rowsMsg{rows: []store.Row{
		{ID: "sha256:01", Score: 100, RawScore: 120, Date: day, FromAddr: "a@example.com"},
		{ID: "sha256:02", Score: 100, RawScore: 310, Date: day, FromAddr: "b@example.com"},
		{ID: "sha256:03", Score: 90, RawScore: 90, Date: day, FromAddr: "c@example.com"},
		{ID: "sha256:04", Score: 100, RawScore: 120, Date: day.Add(time.Hour), FromAddr: "d@example.com"},
	}})
	m = nm.(Model)
	if m.list.sort != sortScore {
		t.Fatalf("default sort %v, want score", m.list.sort)
	}
	if got := idsShown(m.list); !slices.Equal(got, []string{"sha256:02", "sha256:04", "sha256:01", "sha256:03"}) {
		t.Errorf("score order = %v, want raw 310, 120 (newer), 120, 90", got)
	}
}
