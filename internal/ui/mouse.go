package ui

import tea "charm.land/bubbletea/v2"

// wheelStep is how many rows or lines one wheel notch moves.
const wheelStep = 3

// onMouse handles the wheel (scrolls the list or the pane under the
// pointer) and a left click on a list row (selects it). Mouse input is
// ignored while a question, the note editor, the filter input or the help
// overlay is up: the keyboard does everything, the mouse is a shortcut.
func (m *Model) onMouse(msg tea.MouseMsg) tea.Cmd {
	if m.confirm != nil || m.editor.Active() || m.filtering || m.showHelp || m.width <= 0 {
		return nil
	}
	ms := msg.Mouse()
	top, _ := m.chrome()
	overDetail := m.focus == focusDetail
	if m.wide() {
		overDetail = ms.X > m.listWidth()
	}
	switch msg.(type) {
	case tea.MouseWheelMsg:
		delta := 0
		switch ms.Button {
		case tea.MouseWheelUp:
			delta = -wheelStep
		case tea.MouseWheelDown:
			delta = wheelStep
		default:
			return nil
		}
		if overDetail {
			if m.detailVisible() {
				m.detail.Scroll(delta)
			}
			return nil
		}
		m.list.Move(delta)
	case tea.MouseClickMsg:
		if ms.Button != tea.MouseLeft || overDetail {
			return nil
		}
		if p, ok := m.list.RowAt(ms.Y - top - 1); ok {
			m.list.Move(p - m.list.cursor)
		}
	}
	return nil
}

// RowAt returns the position in the shown rows of the row drawn on line y
// of the list's rows (0 = first row under the column header), as View
// draws them.
func (l *List) RowAt(y int) (int, bool) {
	rowsH := l.height
	if y < 0 || y >= rowsH || len(l.shown) == 0 {
		return 0, false
	}
	off := max(0, min(l.offset, len(l.shown)-rowsH))
	if l.cursor >= off+rowsH {
		off = l.cursor - rowsH + 1
	}
	p := off + y
	return p, p < len(l.shown)
}
