package detail

import (
	"fmt"

	"github.com/triage-tools/triage/internal/ui/kit"
)

// notes builds the Notes pane: every note with its author and time, and
// the earlier versions of edited notes.
func (d *Detail) notes(b *kit.LineBuilder) {
	st := &d.c.Styles
	ns := d.data.NoteViews
	if len(ns) == 0 {
		b.Raw(st.Dim.Render(fmt.Sprintf("no notes · %s adds one", d.c.Keys.NewNote.Help().Key)))
		return
	}
	noun := "notes"
	if len(ns) == 1 {
		noun = "note"
	}
	b.Raw(st.Dim.Render(fmt.Sprintf("%d %s · %s adds one, %s edits the last", len(ns), noun,
		d.c.Keys.NewNote.Help().Key, d.c.Keys.EditNote.Help().Key)))
	for _, n := range ns {
		b.Blank()
		edited := ""
		if len(n.History) > 0 {
			edited = fmt.Sprintf(" · edited %d×", len(n.History))
		}
		b.Raw(st.Bold.Render(actorName(n.Author)) + st.Dim.Render(" · "+d.c.Timestamp(n.Time)+edited))
		b.Text("  ", "  ", n.Text)
		for i := len(n.History) - 1; i >= 0; i-- {
			v := n.History[i]
			b.Raw(st.Dim.Render("  earlier: " + actorName(v.Author) + " · " + d.c.Timestamp(v.Time)))
			b.Text(st.Dim.Render("  │ "), st.Dim.Render("  │ "), v.Text)
		}
	}
}
