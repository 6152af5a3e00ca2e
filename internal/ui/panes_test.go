package ui

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// loadedDetail returns the detail panes of fixture message id, loaded the
// way the workbench loads them.
func loadedDetail(t *testing.T, id string) Detail {
	t.Helper()
	h := newHarness(t, 160, 48)
	h.m.list.Select(id)
	h.keys("enter")
	if h.m.detail.data == nil || h.m.detail.data.ID != id {
		t.Fatalf("detail of %s not loaded", id)
	}
	return h.m.detail
}

// squash drops ANSI styles and all white space, so text that was wrapped
// (a space may become a line break) compares equal to the unwrapped value.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, ansi.Strip(s))
}

// paneText is the pane's lines joined and squashed.
func paneText(d *Detail, pane int) string { return squash(strings.Join(d.lines[pane], "\n")) }

// evidenceValues lists, per pane, the sanitised values that pane must show
// in full: header names and values, URLs (defanged), anchors, hosts and
// flags, and the hop cells.
func evidenceValues(d *Detail) map[int][]string {
	r := d.data.Report
	out := map[int][]string{}
	for _, h := range r.Headers {
		v := h.Value
		if h.Decoded != "" {
			v = h.Decoded
		}
		out[PaneHeaders] = append(out[PaneHeaders], h.Key.String()+":", v.Multiline())
	}
	for _, u := range r.URLs {
		out[PaneURLs] = append(out[PaneURLs], defanged(u.Live).Multiline(), u.AnchorText.Multiline(),
			defanged(u.Host).String())
		for _, f := range u.Flags {
			out[PaneURLs] = append(out[PaneURLs], f.String())
		}
	}
	for _, h := range r.Hops {
		out[PaneHops] = append(out[PaneHops], h.FromHelo.String(), h.FromIP.String(), h.By.String(), h.Raw.Multiline())
		for _, f := range h.Flags {
			out[PaneHops] = append(out[PaneHops], f.String())
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
					if sv := squash(v); sv != "" && !strings.Contains(text, sv) {
						t.Errorf("%s width %d: pane %s lacks %q", id[:14], w, paneName(pane), v)
					}
				}
				for i, l := range d.lines[pane] {
					if lw := ansi.StringWidth(l); lw > w {
						t.Errorf("%s width %d: pane %s line %d is %d wide", id[:14], w, paneName(pane), i, lw)
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
		for _, want := range []string{"localhost.localdomain", "2026-10-05 10:38:58 +0900", "[121.50.46.57]"} {
			if !strings.Contains(s, want) {
				t.Errorf("width %d: hops pane lacks %q:\n%s", w, want, s)
			}
		}
	}
}
