package ui

import "fmt"

// notes builds the Notes pane: every note with its author and time, and
// the earlier versions of edited notes.
func (d *Detail) notes(b *lineBuilder) {
	st := &d.c.Styles
	ns := d.data.NoteViews
	if len(ns) == 0 {
		b.raw(st.Dim.Render(fmt.Sprintf("no notes · %s adds one", d.c.Keys.NewNote.Help().Key)))
		return
	}
	noun := "notes"
	if len(ns) == 1 {
		noun = "note"
	}
	b.raw(st.Dim.Render(fmt.Sprintf("%d %s · %s adds one, %s edits the last", len(ns), noun,
		d.c.Keys.NewNote.Help().Key, d.c.Keys.EditNote.Help().Key)))
	for _, n := range ns {
		b.blank()
		edited := ""
		if len(n.History) > 0 {
			edited = fmt.Sprintf(" · edited %d×", len(n.History))
		}
		b.raw(st.Bold.Render(actorName(n.Author)) + st.Dim.Render(" · "+d.c.timestamp(n.Time)+edited))
		b.text("  ", "  ", n.Text)
		for i := len(n.History) - 1; i >= 0; i-- {
			v := n.History[i]
			b.raw(st.Dim.Render("  earlier: " + actorName(v.Author) + " · " + d.c.timestamp(v.Time)))
			b.text(st.Dim.Render("  │ "), st.Dim.Render("  │ "), v.Text)
		}
	}
}
