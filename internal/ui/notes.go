package ui

import (
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/internal/ui/noteedit"
)

// NoteEditor is the note editor (package noteedit).
type NoteEditor = noteedit.Editor

func newNoteEditor(c *kit.Common) NoteEditor { return noteedit.New(c) }
