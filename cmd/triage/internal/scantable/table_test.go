package scantable

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// TestTableFitMemo checks that the table's memo of fitted strings gives
// what fit gives, for the same string in both columns (whose widths
// differ), for long and hostile strings, and that it stays bounded.
func TestTableFitMemo(t *testing.T) {
	var tb Table
	for _, s := range []string{
		"Zoë Müller <zoe@example.com>", "Ünïcödé subject that is long enough to be cut somewhere in the middle of it, surely",
		"plain ascii", "\x1b[31mred\x1b[0m ü", strings.Repeat("é", 300), "日本語の件名",
	} {
		for range 2 {
			for _, cols := range []int{fromCols, subjectCols} {
				if got, want := tb.fit(s, cols), fit(s, cols); got != want {
					t.Errorf("fit(%q, %d) = %q, want %q", s, cols, got, want)
				}
			}
		}
	}
	for i := range maxFitMemo + 10 {
		tb.fit("é"+strings.Repeat("x", i%200)+string(rune('a'+i%26))+strings.Repeat("y", i/200), fromCols)
	}
	if len(tb.fits) > maxFitMemo {
		t.Errorf("memo holds %d strings, bound %d", len(tb.fits), maxFitMemo)
	}
}

// TestTableRowLayout checks the table row layout ("%5d  %-16s  %s  %s
// %s") for scores of every width, a missing date and a five-digit year.
func TestTableRowLayout(t *testing.T) {
	for _, r := range []store.Row{
		{ID: "sha256:0123456789abcdef", Score: 7, Date: time.Date(2026, 3, 4, 5, 6, 0, 0, time.FixedZone("", 3600)), FromName: "Zoë", FromAddr: "z@x.example", Subject: "hi"},
		{ID: "sha256:ab", Score: -5, FromAddr: "a@b"},
		{ID: "x", Score: 1234567, Date: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Subject: strings.Repeat("s", 100)},
	} {
		var buf bytes.Buffer
		tb := New(&buf)
		if err := tb.Row(r); err != nil {
			t.Fatal(err)
		}
		want := refRow(r)
		if _, got, _ := strings.Cut(buf.String(), "\n"); got != want {
			t.Errorf("row\n got %q\nwant %q", got, want)
		}
	}
}

// TestSimpleWidth checks simpleWidth against textsafe.Width, the
// reference: every rune it accepts alone, then random strings of them
// (graphemes must not join across them), and that it refuses combining
// marks, emoji and controls.
func TestSimpleWidth(t *testing.T) {
	var accepted []rune
	for r := rune(0); r < 0x10000; r++ {
		s := string(r)
		w, ok := simpleWidth(s)
		if !ok {
			continue
		}
		accepted = append(accepted, r)
		if want := textsafe.Width(textsafe.Clean(s)); textsafe.Clean(s) != s || w != want {
			t.Errorf("U+%04X: simpleWidth %d, textsafe.Width %d (cleaned %q)", r, w, want, textsafe.Clean(s))
		}
	}
	if len(accepted) < 30000 {
		t.Fatalf("only %d runes accepted", len(accepted))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteRune(accepted[rng.IntN(len(accepted))])
		}
		s := b.String()
		if w, _ := simpleWidth(s); w != textsafe.Width(s) {
			t.Fatalf("%q: simpleWidth %d, textsafe.Width %d", s, w, textsafe.Width(s))
		}
	}
	for _, s := range []string{"e\u0301", "a\u200db", "🎄", "x\ufe0f", "\u00ad", "\x1b", "\u0483"} {
		if _, ok := simpleWidth(s); ok {
			t.Errorf("simpleWidth(%q) accepted", s)
		}
	}
}

// TestTableRowReference checks Row against the plain reference (fmt and
// fit, as the row was once written) on random rows: plain ASCII and
// other senders and subjects around the column widths, controls, scores
// of every sign and width, and dates from before year 0 to after 9999
// in several zones.
func TestTableRowReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "Z", " ", "<", "~", "é", "日", "\x1b", "\u200b", "\t", "…", "e\u0301", "🎄"}
	text := func(n int) string {
		var b strings.Builder
		for range rng.IntN(n) {
			if rng.IntN(8) == 0 {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			} else {
				b.WriteByte(byte(0x20 + rng.IntN(0x5f)))
			}
		}
		return b.String()
	}
	zones := []*time.Location{time.UTC, time.FixedZone("", -12*3600), time.FixedZone("", 5*3600+1800)}
	scores := []int{0, 9, 10, 99, 100, 999, 1000, 9999, 10000, 123456, -1, -10, -1000, -99999}
	var buf bytes.Buffer
	tb := New(&buf)
	for i := range 20000 {
		r := store.Row{
			ID:       "sha256:" + strings.Repeat("0123456789abcdef", 4)[:rng.IntN(64)],
			Score:    scores[rng.IntN(len(scores))],
			FromAddr: text(50),
			Subject:  text(100),
		}
		if rng.IntN(2) == 0 {
			r.FromName = text(40)
		}
		if rng.IntN(10) != 0 {
			r.Date = time.Unix(rng.Int64N(400_000_000_000)-62_000_000_000-rng.Int64N(100_000_000_000), 0).In(zones[rng.IntN(len(zones))])
		}
		if i%1000 == 0 {
			r.Date = time.Date(9999, 12, 31, 23, 59, 0, 0, zones[rng.IntN(len(zones))])
		}
		buf.Reset()
		if err := tb.Row(r); err != nil {
			t.Fatal(err)
		}
		want := refRow(r)
		got := buf.String()
		if i == 0 {
			_, got, _ = strings.Cut(got, "\n")
		}
		if got != want {
			t.Fatalf("row %+v\n got %q\nwant %q", r, got, want)
		}
	}
}

// refRow is a row as the table wrote it before its hand-written fast
// path: fmt and fit, the reference the tests hold Row to.
func refRow(r store.Row) string {
	date := "-"
	if !r.Date.IsZero() {
		date = r.Date.UTC().Format("2006-01-02 15:04")
	}
	from := r.FromAddr
	if r.FromName != "" {
		from = r.FromName + " <" + r.FromAddr + ">"
	}
	id := strings.TrimPrefix(r.ID, "sha256:")
	id = id[:min(len(id), 12)]
	return fmt.Sprintf("%5d  %-16s  %s  %s  %s\n", r.Score, date, fit(from, fromCols), fit(r.Subject, subjectCols), id)
}
