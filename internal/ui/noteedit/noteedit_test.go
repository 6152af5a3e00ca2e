package noteedit

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/kit"
)

func TestEditorDraftAndDirty(t *testing.T) {
	e := New(&kit.Common{Styles: kit.NewStyles(true)})
	if e.Active() {
		t.Fatal("a new editor is active")
	}
	e.SetSize(60, 8)
	e.Open("m1", "n2", "first text", textsafe.Untrusted("Pay \x1b[2Jnow"))
	if !e.Active() || e.MsgID() != "m1" || e.NoteID() != "n2" || e.Dirty() {
		t.Fatalf("after Open: active %v, msg %q, note %q, dirty %v", e.Active(), e.MsgID(), e.NoteID(), e.Dirty())
	}
	e.SetValue("restored draft")
	if e.Value() != "restored draft" || !e.Dirty() || e.Empty() {
		t.Fatalf("after SetValue: %q dirty %v empty %v", e.Value(), e.Dirty(), e.Empty())
	}
	v := ansi.Strip(e.View(60, 8))
	if lines := strings.Split(v, "\n"); len(lines) != 8 || !strings.HasPrefix(lines[0], "Edit note · Pay ‹CSI›") ||
		!strings.Contains(lines[7], "unsaved changes") || strings.Contains(v, "\x1b[2J") {
		t.Fatalf("view:\n%s", v)
	}
	e.Close()
	if e.Active() || e.Value() != "" {
		t.Fatalf("after Close: active %v, value %q", e.Active(), e.Value())
	}
}
