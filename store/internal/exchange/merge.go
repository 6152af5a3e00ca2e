package exchange

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/triage-tools/triage/store/internal/record"
)

// MaxNoteText bounds one note version.
const MaxNoteText = 64 << 10

// IncomingLabels is the label history an export message brings: its own,
// or for a label given without history one event by by at the export's
// time (now when the export has none).
func IncomingLabels(m *ExportMessage, hdr ExportHeader, by record.Actor, now func() time.Time) []record.LabelEvent {
	in := m.LabelHistory
	if len(in) == 0 && m.Label != "" {
		t := hdr.ExportedAt
		if t.IsZero() {
			t = now()
		}
		in = []record.LabelEvent{{Label: m.Label, Actor: by, Time: t}}
	}
	return in
}

// MergeLabels merges the imported label history in into the local one
// (hist, whose current label is localCur) in time linear in the number of
// events and returns the merged history, or nil when in adds nothing.
// Events with a label outside labels or an invalid actor are skipped; at
// most MaxImportEvents new events are kept. Counts go to sum.
func MergeLabels(localCur string, hist, in []record.LabelEvent, labels map[string]string, by record.Actor, sum *ImportSummary) []record.LabelEvent {
	seen := make(map[eventKey]struct{}, len(hist)+len(in))
	var droppedUpTo time.Time // newest recorded drop: older events stay out
	for _, e := range hist {
		seen[keyOf(e)] = struct{}{}
		if e.Dropped > 0 && e.Time.After(droppedUpTo) {
			droppedUpTo = e.Time
		}
	}
	var fresh []record.LabelEvent
	for _, ev := range in {
		if !validEvent(ev, labels, sum) {
			continue
		}
		key := keyOf(ev)
		if _, dup := seen[key]; dup {
			continue
		}
		if !droppedUpTo.IsZero() && !ev.Time.After(droppedUpTo) {
			sum.EventsDropped++
			continue
		}
		seen[key] = struct{}{}
		fresh = append(fresh, ev)
	}
	if len(fresh) == 0 {
		return nil
	}
	sort.SliceStable(fresh, func(i, j int) bool { return fresh[i].Time.Before(fresh[j].Time) })
	if n := len(fresh) - MaxImportEvents; n > 0 {
		last := fresh[n-1]
		marker := record.LabelEvent{Label: last.Label, Previous: last.Label, Actor: record.Actor{Name: by.Name, Source: "import"}, Time: last.Time, Dropped: n}
		fresh = append([]record.LabelEvent{marker}, fresh[n:]...)
		sum.EventsDropped += n
		if _, dup := seen[keyOf(marker)]; dup {
			fresh = fresh[1:] // the same file imported again
		}
	}
	// Stable: local events keep their order among equal times and come
	// before imported ones.
	merged := append(slices.Clip(hist), fresh...)
	sort.SliceStable(merged, func(i, j int) bool { return merged[i].Time.Before(merged[j].Time) })
	importedCur := in[len(in)-1].Label
	if localCur != "" && importedCur != "" && localCur != importedCur {
		sum.LabelConflicts++
	}
	return merged
}

// validEvent checks an imported label event, counting a rejection.
func validEvent(ev record.LabelEvent, labels map[string]string, sum *ImportSummary) bool {
	if ev.Label != "" {
		if _, ok := labels[ev.Label]; !ok {
			sum.Skip(SkipUnknownLabel, 1)
			return false
		}
	}
	if !ValidActor(ev.Actor) || ev.Dropped < 0 || (ev.Previous != "" && !safeLabel.MatchString(ev.Previous)) {
		sum.Skip(SkipInvalidEvent, 1)
		return false
	}
	return true
}

// versionKey identifies a note version for deduplication.
type versionKey struct {
	text     string
	author   record.Actor
	unixNano int64
}

func vkey(v record.NoteVersion) versionKey { return versionKey{v.Text, v.Author, v.Time.UnixNano()} }

// MergeNotes merges the imported notes in into notes by note ID, in time
// linear in the number of notes and versions. It returns the merged
// notes, how many notes were new and whether anything changed.
func MergeNotes(notes, in []record.Note, sum *ImportSummary) (out []record.Note, added int, changed bool) {
	byID := make(map[string]int, len(notes))
	for i, n := range notes {
		byID[n.ID] = i
	}
	for _, n := range in {
		if !ValidNote(n) {
			sum.Skip(SkipInvalidNote, 1)
			continue
		}
		if len(n.Text) > MaxNoteText {
			sum.Skip(SkipNoteTooLong, 1+len(n.History))
			continue
		}
		before := len(n.History)
		n.History = slices.DeleteFunc(slices.Clone(n.History), func(v record.NoteVersion) bool { return len(v.Text) > MaxNoteText })
		sum.Skip(SkipNoteTooLong, before-len(n.History))
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
		slices.SortStableFunc(vs, func(a, b record.NoteVersion) int { return a.Time.Compare(b.Time) })
		cur := vs[len(vs)-1]
		notes[i] = record.Note{ID: n.ID, Text: cur.Text, Author: cur.Author, Time: cur.Time, History: vs[:len(vs)-1]}
		changed = true
	}
	return notes, added, changed
}

func noteVersions(n record.Note) []record.NoteVersion {
	return append(slices.Clone(n.History), record.NoteVersion{Text: n.Text, Author: n.Author, Time: n.Time})
}

// derivedNoteID names a note imported without ID by its text and time:
// "n" and the first 8 bytes of the SHA-256 of both, in hex.
func derivedNoteID(n record.Note) string {
	var b strings.Builder
	b.WriteString(n.Text)
	b.WriteByte(0)
	b.WriteString(n.Time.UTC().Format(time.RFC3339Nano))
	h := sha256.Sum256([]byte(b.String()))
	return "n" + fmt.Sprintf("%x", h[:8])
}
