package scantable

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

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
		want := fmt.Sprintf("%5d  %-16s  %s  %s  %s\n", r.Score, date, fit(from, fromCols), fit(r.Subject, subjectCols), id)
		if _, got, _ := strings.Cut(buf.String(), "\n"); got != want {
			t.Errorf("row\n got %q\nwant %q", got, want)
		}
	}
}
