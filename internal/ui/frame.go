package ui

// frameMemo remembers the last frame View rendered. Bubble Tea calls View
// after every message, and in SSH mode every label any analyst commits
// reaches every session: with twenty analysts a session handles twenty
// colleagues' labels for each of its own key presses, and most of them
// change nothing on its screen (a row off screen, the label counts paced
// in pace.go). Rendering the frame again for each was a quadratic share of
// the server's work.
//
// Invalidation: every Update gives the model a fresh frame ID, except one
// whose message provably leaves the screen as it was (sameFrame); View
// reuses the remembered frame only after such an Update and only when the
// frame was rendered for the model's frame ID. The memo is held by pointer,
// so the model's copies share it; View and Update run on the program's one
// goroutine.
type frameMemo struct {
	last uint64 // the last frame ID handed out
	id   uint64 // the frame ID s was rendered for, 0 when none
	s    string
}

// fresh returns a frame ID never handed out before.
func (f *frameMemo) fresh() uint64 {
	f.last++
	return f.last
}

// sameFrame reports whether a message with counts effect e leaves the
// screen exactly as it was: another analyst's label on a row off screen
// while the counts shown are held (quietChange), or learned scores that
// the list neither sorts by nor shows.
func sameFrame(e countsEffect) bool { return e == countsHold || e == countsKeep }

// nextFrame gives the model the frame ID for the state after a message
// with counts effect e.
func (m *Model) nextFrame(e countsEffect) {
	if m.frame == nil {
		return
	}
	m.reuseFrame = sameFrame(e) && m.frameID != 0
	if !m.reuseFrame {
		m.frameID = m.frame.fresh()
	}
}

// frameContent returns the frame for the model: the remembered one when
// the last Update left the screen as it was, else a new rendering (then
// remembered).
func (m *Model) frameContent() string {
	f := m.frame
	if f == nil {
		return m.render()
	}
	if m.reuseFrame && f.id == m.frameID && f.id != 0 {
		return f.s
	}
	s := m.render()
	f.id, f.s = m.frameID, s
	return s
}
