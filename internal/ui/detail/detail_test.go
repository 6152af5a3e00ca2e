package detail

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/testutil"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/internal/ui/kit/kittest"
	"github.com/triage-tools/triage/store"
)

func newTestDetail(w, h int) Detail {
	c := &kit.Common{Styles: kit.NewStyles(true), Keys: kit.DefaultKeyMap(store.DefaultLabels())}
	d := New(c)
	d.SetSize(w, h)
	return d
}

// The URL pane shows a long URL defanged and whole at a narrow width, and
// its control characters as placeholders, never raw.
func TestURLPaneLosslessNarrow(t *testing.T) {
	long := "http://34-227-30-224.cprapid.com/login?user=admin%40example.jp&" + strings.Repeat("a", 150) + "\x1b[2J"
	d := newTestDetail(30, 12)
	d.SetData(&Data{ID: "m1", Report: &kit.ReportView{URLs: []kit.URLView{{Live: kit.Untrusted(long), Host: "34-227-30-224.cprapid.com"}}}}, nil)
	got := kittest.Squash(strings.Join(d.Lines(kit.PaneURLs), "\n"))
	want := kittest.Squash(kit.Defanged(kit.Untrusted(long)).String())
	if !strings.Contains(got, want) {
		t.Fatalf("URL pane lost text:\n got %q\nwant %q", got, want)
	}
	if strings.Contains(strings.Join(d.Lines(kit.PaneURLs), ""), "\x1b[2J") {
		t.Fatal("URL pane shows a raw escape sequence")
	}
}

// The raw source view opens only for the message shown, search counts the
// matching lines and n wraps around, and CloseRaw returns to the pane.
func TestRawViewAndSearch(t *testing.T) {
	d := newTestDetail(60, 10)
	d.SetData(&Data{ID: "m1", Report: &kit.ReportView{}}, nil)
	d.ShowRaw("other", "Subject: x")
	if d.RawOpen() {
		t.Fatal("raw text of another message opened the view")
	}
	d.ShowRaw("m1", "Received: a\nSubject: hello\nReceived: b")
	if !d.RawOpen() || d.Current() == d.Pane() {
		t.Fatal("raw view not on screen")
	}
	if n := d.Search("received"); n != 2 {
		t.Fatalf("Search found %d lines, want 2", n)
	}
	if s := d.NextMatch(1); s != "match 2/2" {
		t.Errorf("NextMatch(1) = %q", s)
	}
	if s := d.NextMatch(1); s != "match 1/2" {
		t.Errorf("NextMatch wraps to %q", s)
	}
	d.CloseRaw()
	if d.RawOpen() || d.Current() != d.Pane() || d.HasSearch() {
		t.Error("CloseRaw left the raw view or its search behind")
	}
}

// The summary pane says in one line who authenticated the message, and
// shows the first ARC hop's verdicts and the kind of system mail.
func TestSummaryIdentityLine(t *testing.T) {
	rep := &analysis.Report{
		Summary: analysis.Summary{From: analysis.Address{Address: "service@paypal.com"}},
		System:  report.SystemDSN,
		Auth: analysis.Auth{Trusted: true, AuthServID: "mx.example.net",
			Results:    []analysis.AuthResult{{Method: "dmarc", Result: "pass", Domain: "paypal.com"}},
			Identity:   &analysis.Identity{Domain: "paypal.com", Methods: []string{"dmarc", "dkim"}},
			ARCFirst:   []analysis.AuthResult{{Method: "spf", Result: "pass", Domain: "paypal.com"}},
			ARCFirstID: "mx.forwarder.example\x1b[2J"},
	}
	d := newTestDetail(100, 60)
	d.SetData(&Data{ID: "m1", Report: kit.NewReportView(rep)}, nil)
	got := ansi.Strip(strings.Join(d.Lines(kit.PaneSummary), "\n"))
	testutil.TextHas(t, "summary pane", got,
		"authenticated as paypal.com (DMARC pass, aligned DKIM)",
		"first hop (ARC i=1) by mx.forwarder.example",
		"System mail: delivery status notification (bounce)",
	)
	if strings.Contains(strings.Join(d.Lines(kit.PaneSummary), ""), "\x1b[2J") {
		t.Error("summary pane shows a raw escape sequence")
	}
}
