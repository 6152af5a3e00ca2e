package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// showRecord is the output of `show --json`.
type showRecord struct {
	ID           string             `json:"id"`
	Label        string             `json:"label"`
	LabelHistory []store.LabelEvent `json:"label_history"`
	Notes        []store.Note       `json:"notes"`
	Locators     []store.Locator    `json:"locators"`
	Report       *analysis.Report   `json:"report"`
}

func runShow(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("show", "triage show [--json] ID|PREFIX|MESSAGE-ID", stderr)
	db := fs.String("db", "", "store `path`")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseArgs(fs, args, 1)
	if err != nil {
		return err
	}
	st, id, err := openAndResolve(*db, true, pos[0])
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.Report(id)
	if err != nil {
		return err
	}
	label, hist, err := st.Label(id)
	if err != nil {
		return err
	}
	notes, err := st.Notes(id)
	if err != nil {
		return err
	}
	locs, err := st.Locators(id)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if *asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if hist == nil {
			hist = []store.LabelEvent{}
		}
		if notes == nil {
			notes = []store.Note{}
		}
		return enc.Encode(showRecord{ID: id, Label: label, LabelHistory: hist, Notes: notes, Locators: locs, Report: rep})
	}
	printReport(w, rep, label, hist, notes, locs)
	return nil
}

// c sanitises one line of message text for the terminal.
func c(s string) string { return textsafe.Clean(s) }

func addr(a analysis.Address) string {
	if a.Name == "" {
		return c(a.Address)
	}
	return fmt.Sprintf("%s <%s>", c(a.Name), c(a.Address))
}

func addrs(l []analysis.Address) string {
	var s []string
	for _, a := range l {
		s = append(s, addr(a))
	}
	return strings.Join(s, ", ")
}

func scoreBar(score int) string {
	n := (score + 5) / 10
	return strings.Repeat("█", n) + strings.Repeat("░", 10-n)
}

// printReport writes the human-readable report used by `show`.
func printReport(w io.Writer, r *analysis.Report, label string, hist []store.LabelEvent, notes []store.Note, locs []store.Locator) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	if label == "" {
		label = "unlabeled"
	}
	p("Message     %s\n", r.ID)
	p("Score       %d %s\n", r.Score, scoreBar(r.Score))
	p("Label       %s\n", label)
	p("From        %s\n", addr(r.Summary.From))
	if len(r.Summary.ReplyTo) > 0 {
		p("Reply-To    %s\n", addrs(r.Summary.ReplyTo))
	}
	if r.Summary.ReturnPath != "" {
		p("Return-Path %s\n", c(r.Summary.ReturnPath))
	}
	p("To          %s\n", addrs(r.Summary.To))
	if len(r.Summary.Cc) > 0 {
		p("Cc          %s\n", addrs(r.Summary.Cc))
	}
	p("Subject     %s\n", c(r.Summary.Subject))
	if !r.Summary.Date.IsZero() {
		p("Date        %s\n", r.Summary.Date.Format(time.RFC3339))
	}
	p("Message-ID  %s\n", c(r.Summary.MessageID))
	p("Size        %d bytes, analyzer %s\n", r.Size, r.AnalyzerVersion)
	for _, l := range locs {
		if l.File != "" {
			p("Found in    %s (%s)\n", c(l.Path), c(l.File))
		} else {
			p("Found in    %s (offset %d, %d bytes)\n", c(l.Path), l.Offset, l.Length)
		}
	}

	p("\nFindings (worst first)\n")
	if len(r.Findings) == 0 {
		p("  none\n")
	}
	for _, f := range r.Findings {
		p("  %+4d  %-32s %s\n", f.Points, f.Rule, c(f.Summary))
		if f.Evidence != "" {
			p("        evidence: %s\n", textsafe.Truncate(f.Evidence, 200))
		}
	}

	a := r.Auth
	p("\nAuthentication")
	if a.AuthServID != "" {
		trust := "untrusted"
		if a.Trusted {
			trust = "trusted"
		}
		p(" (stamped by %s, %s)", c(a.AuthServID), trust)
	}
	p("\n")
	if len(a.Results) == 0 {
		p("  no Authentication-Results\n")
	}
	for _, res := range a.Results {
		p("  %-6s %-10s %s\n", c(res.Method), c(res.Result), c(res.Domain))
	}
	if len(a.DKIMDomains) > 0 {
		p("  DKIM signatures by: %s\n", c(strings.Join(a.DKIMDomains, ", ")))
	}

	p("\nReceived hops (oldest first)\n")
	if len(r.Hops) == 0 {
		p("  none\n")
	}
	for _, h := range r.Hops {
		from := h.FromHelo
		if h.FromRDNS != "" {
			from += " (" + h.FromRDNS + ")"
		}
		if h.FromIP != "" {
			from += " [" + h.FromIP + "]"
		}
		mark := "  "
		if h.Origin {
			mark = "▶ "
		}
		when := "-"
		if !h.Time.IsZero() {
			when = h.Time.UTC().Format("2006-01-02 15:04:05Z")
		}
		delay := ""
		if h.Delay != nil {
			delay = fmt.Sprintf(" %+.0fs", *h.Delay)
		}
		p("%s#%d from %s by %s with %s  %s%s", mark, h.Index, c(from), c(h.By), c(h.With), when, delay)
		if h.Origin {
			p("  origin")
		}
		if len(h.Flags) > 0 {
			p("  [%s]", strings.Join(h.Flags, " "))
		}
		p("\n")
	}

	p("\nURLs\n")
	if len(r.URLs) == 0 {
		p("  none\n")
	}
	for _, u := range r.URLs {
		p("  [%s] %s\n", u.Source, textsafe.Truncate(u.Defanged, 160))
		if u.AnchorText != "" {
			p("        text: %s\n", textsafe.Truncate(u.AnchorText, 120))
		}
		if u.Unwrapped != "" {
			p("        unwrapped: %s\n", textsafe.Truncate(analysis.Defang(u.Unwrapped), 160))
		}
		if len(u.Flags) > 0 {
			p("        flags: %s\n", strings.Join(u.Flags, ", "))
		}
	}

	if len(r.Attachments) > 0 {
		p("\nAttachments\n")
		for _, at := range r.Attachments {
			p("  %s  %s (sniffed %s), %d bytes, sha256 %s\n", c(at.Name), c(at.DeclaredType), c(at.SniffedType), at.Size, at.SHA256)
			if len(at.Flags) > 0 {
				p("        flags: %s\n", strings.Join(at.Flags, ", "))
			}
			for _, e := range at.Entries {
				p("        contains: %s\n", c(e))
			}
		}
	}
	if len(r.Warnings) > 0 {
		p("\nParse warnings\n")
		for _, wn := range r.Warnings {
			p("  %s\n", c(wn))
		}
	}
	p("\nLabel history\n")
	if len(hist) == 0 {
		p("  none\n")
	}
	for _, e := range hist {
		prev, now := e.Previous, e.Label
		if prev == "" {
			prev = "unlabeled"
		}
		if now == "" {
			now = "unlabeled"
		}
		p("  %s  %s → %s  by %s (%s)\n", e.Time.Local().Format("2006-01-02 15:04:05"), prev, now, c(e.Actor.Name), e.Actor.Source)
	}
	p("\nNotes\n")
	if len(notes) == 0 {
		p("  none\n")
	}
	for _, n := range notes {
		p("  %s  %s:\n", n.Time.Local().Format("2006-01-02 15:04:05"), c(n.Author.Name))
		for _, line := range strings.Split(textsafe.CleanMultiline(n.Text), "\n") {
			p("    %s\n", line)
		}
		// Earlier versions keep their own author: an edit by a colleague
		// never attributes the first author's text to the editor.
		for i := len(n.History) - 1; i >= 0; i-- {
			v := n.History[i]
			p("    earlier version, %s by %s:\n", v.Time.Local().Format("2006-01-02 15:04:05"), c(v.Author.Name))
			for _, line := range strings.Split(textsafe.CleanMultiline(v.Text), "\n") {
				p("      %s\n", line)
			}
		}
	}
}
