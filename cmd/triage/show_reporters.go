package main

import (
	"strings"
	"time"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// maxShownReporters bounds the reporters `show` lists; the rest are
// counted.
const maxShownReporters = 200

// printReporters writes the "Reported" section of `show`: how the original
// was unwrapped and who reported it, with their notes. Nothing for a
// message that never came inside a report wrapper.
func printReporters(o textOut, w *analysis.Wrapper, reps []store.ReporterRecord) {
	if w == nil && len(reps) == 0 {
		return
	}
	o.f("\nReported ×%d\n", max(len(reps), 1))
	if w != nil {
		o.f("  unwrapped from a report wrapper: %s (path %s, depth %d)\n", wrapperKindName(w.Kind), w.Path, w.Depth)
		if w.Incomplete {
			o.f("  header evidence incomplete: the original's hops and authentication are not in the report\n")
		}
	}
	if len(reps) == 0 && w != nil {
		reps = []store.ReporterRecord{{Reporter: w.Reporter}}
	}
	for i, r := range reps {
		if i == maxShownReporters {
			o.f("  … and %d more\n", len(reps)-i)
			break
		}
		when := "date unknown"
		if !r.Date.IsZero() {
			when = r.Date.UTC().Format(time.DateTime) + " UTC"
		}
		o.f("  %s  %s\n", when, formatAddr(r.From))
		if note := strings.TrimSpace(r.Note); note != "" {
			n := 0
			for _, line := range strings.Split(note, "\n") {
				if line = strings.TrimSpace(line); line != "" && n < 5 {
					o.f("      %s\n", textsafe.Truncate(line, 200))
					n++
				}
			}
		}
	}
}

// wrapperKindName is the analyst's words for a wrapper kind.
func wrapperKindName(kind string) string {
	switch kind {
	case "attached":
		return "attached message"
	case "eml":
		return ".eml attachment"
	case "msg":
		return "Outlook .msg attachment"
	case "arf":
		return "ARF feedback report"
	case "arf-headers":
		return "ARF feedback report (headers only)"
	case "inline":
		return "inline forward"
	}
	return kind
}
