// Package noteedit is the note editor of the workbench: a textarea for a
// new or an existing note of one message. It does no I/O: the root model
// saves the value with a command.
package noteedit

import (
	"strings"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/kit"
)

// Editor edits a new or existing note in a textarea.
type Editor struct {
	c      *kit.Common
	ta     textarea.Model
	active bool
	msgID  string // message the note belongs to
	noteID string // "" for a new note
	orig   string
	title  string
}

// New returns a closed editor drawn with c.
func New(c *kit.Common) Editor {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Placeholder = "Write a note… (ctrl+s saves, esc cancels)"
	ta.CharLimit = 64 << 10
	tas := ta.Styles()
	tas.Cursor.Blink = false // steady cursor: no blink ticks
	ta.SetStyles(tas)
	return Editor{c: c, ta: ta}
}

// Open starts editing; noteID "" creates a new note. subject (the
// message's) titles the editor.
func (e *Editor) Open(msgID, noteID, text string, subject textsafe.Untrusted) tea.Cmd {
	e.active, e.msgID, e.noteID, e.orig = true, msgID, noteID, text
	verb := "New note"
	if noteID != "" {
		verb = "Edit note"
	}
	e.title = verb + " · " + subject.String()
	e.ta.Reset()
	e.ta.SetValue(text)
	return e.ta.Focus()
}

// Close stops editing and discards the text.
func (e *Editor) Close() {
	e.active = false
	e.ta.Blur()
	e.ta.Reset()
}

// Active reports whether the editor has focus.
func (e *Editor) Active() bool { return e.active }

// Dirty reports whether the text differs from what was opened.
func (e *Editor) Dirty() bool { return e.ta.Value() != e.orig }

// MsgID returns the message whose note is being edited.
func (e *Editor) MsgID() string { return e.msgID }

// NoteID returns the note being edited ("" for a new note).
func (e *Editor) NoteID() string { return e.noteID }

// SetValue replaces the text being edited (a restored draft); what was
// opened stays the reference for Dirty.
func (e *Editor) SetValue(text string) { e.ta.SetValue(text) }

// Value returns the text being edited.
func (e *Editor) Value() string { return e.ta.Value() }

// Empty reports whether the text is blank.
func (e *Editor) Empty() bool { return strings.TrimSpace(e.ta.Value()) == "" }

// SetSize sizes the editor box (title line included).
func (e *Editor) SetSize(w, h int) {
	e.ta.SetWidth(max(w, 10))
	e.ta.SetHeight(max(h-2, 1))
}

// Update forwards a message to the textarea.
func (e *Editor) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	e.ta, cmd = e.ta.Update(msg)
	return cmd
}

// View renders the title, the textarea and a hint line.
func (e Editor) View(width, height int) string {
	st := &e.c.Styles
	lines := []string{st.Title.Render(kit.Pad(e.title, width))}
	body := strings.Split(e.ta.View(), "\n")
	for _, l := range body {
		if len(lines) >= height-1 {
			break
		}
		lines = append(lines, kit.Pad(l, width))
	}
	for len(lines) < height-1 {
		lines = append(lines, "")
	}
	hint := "ctrl+s save · esc cancel"
	if e.Dirty() {
		hint += " · unsaved changes"
	}
	lines = append(lines, st.Dim.Render(kit.Pad(hint, width)))
	return strings.Join(lines[:max(height, 1)], "\n")
}
