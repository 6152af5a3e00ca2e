package store

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/triage-tools/triage/internal/analysis"
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
	urlSources      = []string{analysis.SourceText, analysis.SourceHTMLHref, analysis.SourceHTMLSrc, analysis.SourceHTMLForm, analysis.SourceHTMLMeta, analysis.SourceHTMLText, analysis.SourceAttachment}
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

func validActor(a Actor) bool {
	return slices.Contains(actorSources, a.Source) && len(a.Name) <= maxActorText && len(a.Key) <= maxActorText
}

// validateReport checks the fields of an imported report that code
// matches on or that have a fixed form.
func validateReport(r *analysis.Report) error {
	bad := func(what, v string) error {
		return fmt.Errorf("%w: %s %q", errInvalidField, what, truncate(v, 40))
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

// validNote checks an imported note's ID and authors.
func validNote(n Note) bool {
	if (n.ID != "" && !safeNoteID.MatchString(n.ID)) || !validActor(n.Author) {
		return false
	}
	for _, v := range n.History {
		if !validActor(v.Author) {
			return false
		}
	}
	return true
}

// versionKey identifies a note version for deduplication.
type versionKey struct {
	text     string
	author   Actor
	unixNano int64
}

func vkey(v NoteVersion) versionKey { return versionKey{v.Text, v.Author, v.Time.UnixNano()} }

// importNotes merges notes by ID in time linear in the number of notes and
// versions. It returns how many notes were new and whether anything
// changed.
func importNotes(tx *bolt.Tx, k []byte, in []Note, sum *ImportSummary) (added int, changed bool, err error) {
	if len(in) == 0 {
		return 0, false, nil
	}
	notes, err := getNotes(tx, k)
	if err != nil {
		return 0, false, err
	}
	byID := make(map[string]int, len(notes))
	for i, n := range notes {
		byID[n.ID] = i
	}
	for _, n := range in {
		if !validNote(n) {
			sum.skip(SkipInvalidNote, 1)
			continue
		}
		if len(n.Text) > maxNoteText {
			sum.skip(SkipNoteTooLong, 1+len(n.History))
			continue
		}
		before := len(n.History)
		n.History = slices.DeleteFunc(slices.Clone(n.History), func(v NoteVersion) bool { return len(v.Text) > maxNoteText })
		sum.skip(SkipNoteTooLong, before-len(n.History))
		if n.ID == "" {
			n.ID = derivedNoteID(n)
		}
		i, ok := byID[n.ID]
		if !ok {
			byID[n.ID] = len(notes)
			notes = append(notes, n)
			added++
			changed = true
			continue
		}
		vs := noteVersions(notes[i])
		seen := make(map[versionKey]struct{}, len(vs))
		for _, v := range vs {
			seen[vkey(v)] = struct{}{}
		}
		before = len(vs)
		for _, v := range noteVersions(n) {
			if _, dup := seen[vkey(v)]; !dup {
				seen[vkey(v)] = struct{}{}
				vs = append(vs, v)
			}
		}
		if len(vs) == before {
			continue
		}
		slices.SortStableFunc(vs, func(a, b NoteVersion) int { return a.Time.Compare(b.Time) })
		cur := vs[len(vs)-1]
		notes[i] = Note{ID: n.ID, Text: cur.Text, Author: cur.Author, Time: cur.Time, History: vs[:len(vs)-1]}
		changed = true
	}
	if !changed {
		return 0, false, nil
	}
	return added, true, putNotes(tx, k, notes)
}

func noteVersions(n Note) []NoteVersion {
	return append(slices.Clone(n.History), NoteVersion{Text: n.Text, Author: n.Author, Time: n.Time})
}

// derivedNoteID names a note imported without ID by its text and time.
func derivedNoteID(n Note) string {
	var b strings.Builder
	b.WriteString(n.Text)
	b.WriteByte(0)
	b.WriteString(n.Time.UTC().Format(time.RFC3339Nano))
	return "n" + shortHash(b.String())
}
