package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/urls"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

type showOptions struct {
	db     string
	asJSON bool
	ascii  bool
}

// register adds show's flags to fs.
func (o *showOptions) register(fs *flag.FlagSet) {
	dbFlag(fs, &o.db)
	fs.BoolVar(&o.asJSON, "json", false, "print JSON")
	asciiFlag(fs, &o.ascii)
}

func runShow(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var o showOptions
	pos, err := parseCommand("show", &o, args, 1, stderr)
	if err != nil {
		return err
	}
	id, m, err := loadMessage(o.db, pos[0])
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	if o.asJSON {
		// The output of `show --json` is ctl.Message, with empty lists
		// rather than null.
		m.ID = id
		if m.History == nil {
			m.History = []store.LabelEvent{}
		}
		if m.Notes == nil {
			m.Notes = []store.Note{}
		}
		if err := writeJSON(w, o.ascii, "  ", m); err != nil {
			return err
		}
		return w.Flush()
	}
	printReport(w, m.Report, m.Label, m.History, m.Notes, m.Locators)
	printReporters(textOut{w}, m.Report.Wrapper, m.Reporters)
	return w.Flush()
}

// textOut writes human-readable output built from untrusted text. f is the
// one way to print: every argument that is not a number is sanitised with
// textsafe.Clean (a textsafe.Untrusted through its String method), so a
// field from a message, an import or the command line cannot reach the
// terminal raw, whichever field it is. Text already cleaned (by
// textsafe.Truncate or CleanMultiline) passes through unchanged.
type textOut struct{ w io.Writer }

// f formats like fmt.Fprintf after sanitising each argument.
func (o textOut) f(format string, args ...any) {
	for i, a := range args {
		args[i] = safeArg(a)
	}
	fmt.Fprintf(o.w, format, args...)
}

// safeArg returns a unchanged when it is a number or a bool, and otherwise
// its text form made safe for one terminal line.
func safeArg(a any) any {
	switch v := a.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, bool:
		return v
	case textsafe.Untrusted:
		return v.String()
	case string:
		return textsafe.Clean(v)
	case []string:
		return textsafe.Clean(strings.Join(v, ", "))
	case fmt.Stringer:
		return textsafe.Clean(v.String())
	default:
		return textsafe.Clean(fmt.Sprint(v))
	}
}

// formatAddr formats an address as "Name <addr>", or addr without a name.
// The result is raw: print it through textOut.
func formatAddr(a analysis.Address) string {
	if a.Name == "" {
		return a.Address
	}
	return a.Name + " <" + a.Address + ">"
}

func formatAddrs(l []analysis.Address) string {
	s := make([]string, 0, len(l))
	for _, a := range l {
		s = append(s, formatAddr(a))
	}
	return strings.Join(s, ", ")
}

func scoreBar(score int) string {
	n := min(max((score+5)/10, 0), 10)
	return strings.Repeat("█", n) + strings.Repeat("░", 10-n)
}

// orUnlabeled shows the empty label as "unlabeled".
func orUnlabeled(label string) string {
	if label == "" {
		return "unlabeled"
	}
	return label
}

// printReport writes the human-readable report used by `show`. Every
// string it prints goes through textOut.f.
func printReport(w io.Writer, r *analysis.Report, label string, hist []store.LabelEvent, notes []store.Note, locs []store.Locator) {
	o := textOut{w}
	printSummary(o, r, label, locs)
	printFindings(o, r.Findings)
	printAuth(o, r.Auth)
	printHops(o, r.Hops)
	printURLs(o, r.URLs)
	printAttachments(o, r.Attachments)
	if len(r.Warnings) > 0 {
		o.f("\nParse warnings\n")
		for _, wn := range r.Warnings {
			o.f("  %s\n", wn)
		}
	}
	printHistory(o, hist)
	printNotes(o, notes)
}

func printSummary(o textOut, r *analysis.Report, label string, locs []store.Locator) {
	o.f("Message     %s\n", r.ID)
	if r.RawScore != r.Score { // clamped: the raw score orders the list
		o.f("Score       %d %s (raw %d)\n", r.Score, scoreBar(r.Score), r.RawScore)
	} else {
		o.f("Score       %d %s\n", r.Score, scoreBar(r.Score))
	}
	o.f("Label       %s\n", orUnlabeled(label))
	o.f("From        %s\n", formatAddr(r.Summary.From))
	if len(r.Summary.ReplyTo) > 0 {
		o.f("Reply-To    %s\n", formatAddrs(r.Summary.ReplyTo))
	}
	if r.Summary.ReturnPath != "" {
		o.f("Return-Path %s\n", r.Summary.ReturnPath)
	}
	o.f("To          %s\n", formatAddrs(r.Summary.To))
	if len(r.Summary.Cc) > 0 {
		o.f("Cc          %s\n", formatAddrs(r.Summary.Cc))
	}
	o.f("Subject     %s\n", r.Summary.Subject)
	o.f("Sender ID   %s\n", r.Auth.IdentityLine())
	if r.System != "" {
		o.f("System mail %s\n", analysis.SystemName(r.System))
	}
	if !r.Summary.Date.IsZero() {
		o.f("Date        %s\n", r.Summary.Date.Format(time.RFC3339))
	}
	o.f("Message-ID  %s\n", r.Summary.MessageID)
	o.f("Size        %d bytes, analyzer %s\n", r.Size, r.AnalyzerVersion)
	for _, l := range locs {
		if l.File != "" {
			o.f("Found in    %s (%s)\n", l.Path, l.File)
		} else {
			o.f("Found in    %s (offset %d, %d bytes)\n", l.Path, l.Offset, l.Length)
		}
	}
}

func printFindings(o textOut, findings []analysis.Finding) {
	o.f("\nFindings (worst first)\n")
	if len(findings) == 0 {
		o.f("  none\n")
	}
	for _, f := range findings {
		o.f("  %+4d  %-32s %s\n", f.Points, f.Rule, f.Summary)
		if f.Evidence != "" {
			o.f("        evidence: %s\n", textsafe.Truncate(f.Evidence, 200))
		}
	}
}

func printAuth(o textOut, a analysis.Auth) {
	o.f("\nAuthentication")
	if a.AuthServID != "" {
		trust := "untrusted"
		if a.Trusted {
			trust = "trusted"
		}
		o.f(" (stamped by %s, %s)", a.AuthServID, trust)
	}
	o.f("\n")
	if len(a.Results) == 0 {
		o.f("  no Authentication-Results\n")
	}
	for _, res := range a.Results {
		o.f("  %-6s %-10s %s\n", res.Method, res.Result, res.Domain)
	}
	if len(a.DKIMDomains) > 0 {
		o.f("  DKIM signatures by: %s\n", a.DKIMDomains)
	}
}

func printHops(o textOut, hops []analysis.Hop) {
	o.f("\nReceived hops (oldest first)\n")
	if len(hops) == 0 {
		o.f("  none\n")
	}
	for _, h := range hops {
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
		o.f("%s#%d from %s by %s with %s  %s%s", mark, h.Index, from, h.By, h.With, when, delay)
		if h.Origin {
			o.f("  origin")
		}
		if len(h.Flags) > 0 {
			o.f("  [%s]", strings.Join(h.Flags, " "))
		}
		o.f("\n")
	}
}

func printURLs(o textOut, list []analysis.URL) {
	o.f("\nURLs\n")
	if len(list) == 0 {
		o.f("  none\n")
	}
	for _, u := range list {
		o.f("  [%s] %s\n", u.Source, textsafe.Truncate(u.Defanged, 160))
		if u.AnchorText != "" {
			o.f("        text: %s\n", textsafe.Truncate(u.AnchorText, 120))
		}
		if u.Unwrapped != "" {
			o.f("        unwrapped: %s\n", textsafe.Truncate(urls.Defang(u.Unwrapped), 160))
		}
		if len(u.Flags) > 0 {
			o.f("        flags: %s\n", u.Flags)
		}
	}
}

func printAttachments(o textOut, atts []analysis.Attachment) {
	if len(atts) == 0 {
		return
	}
	o.f("\nAttachments\n")
	for _, at := range atts {
		o.f("  %s  %s (sniffed %s), %d bytes, sha256 %s\n", at.Name, at.DeclaredType, at.SniffedType, at.Size, at.SHA256)
		if len(at.Flags) > 0 {
			o.f("        flags: %s\n", at.Flags)
		}
		for _, e := range at.Entries {
			o.f("        contains: %s\n", e)
		}
	}
}

func printHistory(o textOut, hist []store.LabelEvent) {
	o.f("\nLabel history\n")
	if len(hist) == 0 {
		o.f("  none\n")
	}
	for _, e := range hist {
		o.f("  %s  %s → %s  by %s (%s)\n", e.Time.Local().Format("2006-01-02 15:04:05"),
			orUnlabeled(e.Previous), orUnlabeled(e.Label), e.Actor.Name, e.Actor.Source)
	}
}

func printNotes(o textOut, notes []store.Note) {
	o.f("\nNotes\n")
	if len(notes) == 0 {
		o.f("  none\n")
	}
	for _, n := range notes {
		o.f("  %s  %s:\n", n.Time.Local().Format("2006-01-02 15:04:05"), n.Author.Name)
		for _, line := range strings.Split(textsafe.CleanMultiline(n.Text), "\n") {
			o.f("    %s\n", line)
		}
		// Earlier versions keep their own author: an edit by a colleague
		// never attributes the first author's text to the editor.
		for i := len(n.History) - 1; i >= 0; i-- {
			v := n.History[i]
			o.f("    earlier version, %s by %s:\n", v.Time.Local().Format("2006-01-02 15:04:05"), v.Author.Name)
			for _, line := range strings.Split(textsafe.CleanMultiline(v.Text), "\n") {
				o.f("      %s\n", line)
			}
		}
	}
}
