package exchange

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/report"
	"github.com/triage-tools/triage/internal/locator"
	"github.com/triage-tools/triage/store/internal/ids"
	"github.com/triage-tools/triage/store/internal/record"
)

// Patterns for imported values. Display code sanitises every string
// anyway; these keep identifiers that code matches on well-formed.
var (
	ruleIDPattern   = regexp.MustCompile(`^[a-z_]+\.[a-z0-9_]+$`)
	safeFlags       = regexp.MustCompile(`^[A-Za-z0-9_.,:+-]{1,64}$`)
	safeFlag        = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)
	safeVersion     = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$`)
	safeLabel       = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)
	safeNoteID      = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	safeScheme      = regexp.MustCompile(`^[a-z][a-z0-9+.-]{0,31}$`)
	hexSHA256       = regexp.MustCompile(`^[0-9a-f]{64}$`)
	actorSources    = []string{"tui", "cli", "ssh", "import"}
	urlSources      = []string{report.SourceText, report.SourceHTMLHref, report.SourceHTMLSrc, report.SourceHTMLForm, report.SourceHTMLMeta, report.SourceHTMLText, report.SourceAttachment}
	errInvalidField = errors.New("invalid field")
)

const maxActorText = 256

// validURLSource accepts the fixed URL sources and "qr:<image>" or
// "pdf:<file>" with a part name of at most maxActorText bytes.
func validURLSource(s string) bool {
	if slices.Contains(urlSources, s) {
		return true
	}
	name, ok := strings.CutPrefix(s, "qr:")
	if !ok {
		name, ok = strings.CutPrefix(s, "pdf:")
	}
	return ok && name != "" && len(name) <= maxActorText
}

// ValidActor checks an imported actor.
func ValidActor(a record.Actor) bool {
	return slices.Contains(actorSources, a.Source) && len(a.Name) <= maxActorText && len(a.Key) <= maxActorText
}

// ValidateReport checks the fields of an imported report that code
// matches on or that have a fixed form.
func ValidateReport(r *analysis.Report) error {
	bad := func(what, v string) error {
		return fmt.Errorf("%w: %s %q", errInvalidField, what, ids.Truncate(v, 40))
	}
	if r.AnalyzerVersion != "" && !safeVersion.MatchString(r.AnalyzerVersion) {
		return bad("analyzer version", r.AnalyzerVersion)
	}
	if r.Score < 0 || r.Score > 100 || r.Size < 0 {
		return bad("score or size", fmt.Sprint(r.Score, r.Size))
	}
	for _, f := range r.Findings {
		if len(f.Rule) > 128 || !ruleIDPattern.MatchString(f.Rule) {
			return bad("rule id", f.Rule)
		}
		if f.Points < -100 || f.Points > 100 {
			return bad("points", fmt.Sprint(f.Points))
		}
	}
	flags := func(what string, fl []string) error {
		for _, f := range fl {
			if !safeFlag.MatchString(f) {
				return bad(what, f)
			}
		}
		return nil
	}
	for _, u := range r.URLs {
		if !validURLSource(u.Source) {
			return bad("url source", u.Source)
		}
		if u.Scheme != "" && !safeScheme.MatchString(u.Scheme) {
			return bad("url scheme", u.Scheme)
		}
		if err := flags("url flag", u.Flags); err != nil {
			return err
		}
	}
	for _, a := range r.Attachments {
		if a.SHA256 != "" && !hexSHA256.MatchString(a.SHA256) {
			return bad("attachment hash", a.SHA256)
		}
		if a.Size < 0 {
			return bad("attachment size", fmt.Sprint(a.Size))
		}
		if err := flags("attachment flag", a.Flags); err != nil {
			return err
		}
	}
	for _, h := range r.Hops {
		if err := flags("hop flag", h.Flags); err != nil {
			return err
		}
	}
	return nil
}

// ValidNote checks an imported note's ID and authors.
func ValidNote(n record.Note) bool {
	if (n.ID != "" && !safeNoteID.MatchString(n.ID)) || !ValidActor(n.Author) {
		return false
	}
	for _, v := range n.History {
		if !ValidActor(v.Author) {
			return false
		}
	}
	return true
}

// ValidLocators returns the well-formed locators of in, at most
// MaxImportLocators; each one left out is counted in sum as
// SkipInvalidLocator.
func ValidLocators(in []locator.Locator, sum *ImportSummary) []locator.Locator {
	valid := make([]locator.Locator, 0, min(len(in), MaxImportLocators))
	for i, l := range in {
		if i >= MaxImportLocators || !validLocator(l) {
			sum.Skip(SkipInvalidLocator, 1)
			continue
		}
		valid = append(valid, l)
	}
	return valid
}

// validLocator reports whether an imported locator is well-formed.
func validLocator(l locator.Locator) bool {
	if l.Path == "" && l.File == "" {
		return false
	}
	for _, s := range []string{l.Path, l.File, l.Folder} {
		if len(s) > 4096 || strings.IndexByte(s, 0) >= 0 {
			return false
		}
	}
	return l.Offset >= 0 && l.Length >= 0 && (l.Flags == "" || safeFlags.MatchString(l.Flags))
}
