package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/store"
)

// wideWidth is the terminal width from which the detail panes are shown
// beside the list.
const wideWidth = 140

type focus int

const (
	focusList focus = iota
	focusDetail
)

// Messages. Results of commands carry what they are about; the model drops
// those that no longer apply.
type (
	rowsMsg struct {
		rows []store.Row
		err  error
	}
	progressMsg struct {
		ev ingest.Event
		ok bool
	}
	changeMsg struct {
		ch store.Change
		ok bool
	}
	detailMsg struct {
		gen  int
		data *detailData
		err  error
	}
	labelChange struct {
		id, label, prev string
		ev              store.LabelEvent
	}
	labeledMsg struct {
		undo    bool
		changes []labelChange
		err     error
	}
	noteSavedMsg struct {
		id  string
		err error
	}
	notesMsg struct {
		id    string
		notes []store.Note
		err   error
	}
	labelHistMsg struct {
		id    string
		label string
		hist  []store.LabelEvent
		err   error
	}
)

// confirmation is a pending yes/no question.
type confirmation struct {
	prompt string
	yes    func(m *Model) tea.Cmd
}

// Model is the root model of a workbench session.
type Model struct {
	c *Common

	list   List
	detail Detail
	editor NoteEditor
	filter textinput.Model
	help   help.Model

	width, height int
	focus         focus
	filtering     bool
	filterBefore  string
	showHelp      bool
	confirm       *confirmation
	err           error
	flash         string

	progress    *ingest.Event
	progressCh  <-chan ingest.Event
	changes     <-chan store.Change
	unsub       func()
	detailGen   int
	autoAdvance bool
	undo        [][]labelChange
}

// New returns the root model for opts. It subscribes to store changes
// immediately; Run ends the subscription when the program exits.
func New(opts Options) Model {
	labels := opts.Labels
	if labels == nil && opts.Store != nil {
		labels = opts.Store.LabelSet()
	}
	if labels == nil {
		labels = store.DefaultLabels()
	}
	c := &Common{
		Styles:     NewStyles(!opts.LightBackground),
		Keys:       DefaultKeyMap(labels),
		Store:      opts.Store,
		Raw:        opts.Raw,
		Actor:      opts.Actor,
		Labels:     labels,
		loc:        opts.Location,
		renderBody: opts.RenderBody,
		enrich:     opts.Enrich,
		title:      opts.Title,
		online:     opts.Online,
	}
	if c.loc == nil {
		c.loc = time.Local
	}
	if c.renderBody == nil {
		c.renderBody = defaultRenderBody
	}
	fi := textinput.New()
	fi.Prompt = "/ "
	fi.Placeholder = "sender, subject, domain, host, rule…  score>=70 label:phish label:none rule:url."
	fi.CharLimit = 256
	// A steady cursor: no blink ticks, so idle sessions (also over SSH)
	// never redraw.
	fis := fi.Styles()
	fis.Cursor.Blink = false
	fi.SetStyles(fis)
	m := Model{
		c:           c,
		list:        newList(c),
		detail:      newDetail(c),
		editor:      newNoteEditor(c),
		filter:      fi,
		help:        help.New(),
		progressCh:  opts.Progress,
		autoAdvance: true,
	}
	m.setHelpStyles()
	if opts.Store != nil && !opts.NoSubscribe {
		m.changes, m.unsub = opts.Store.Subscribe()
	}
	m.syncKeys()
	return m
}

func (m *Model) setHelpStyles() {
	st := &m.c.Styles
	m.help.Styles = help.Styles{
		Ellipsis: st.HelpSep, ShortKey: st.HelpKey, ShortDesc: st.HelpDesc, ShortSeparator: st.HelpSep,
		FullKey: st.HelpKey, FullDesc: st.HelpDesc, FullSeparator: st.HelpSep,
	}
}

// Init loads the rows and starts listening for progress and store changes.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if m.c.Store != nil {
		st := m.c.Store
		cmds = append(cmds, func() tea.Msg {
			rows, err := st.Rows()
			return rowsMsg{rows, err}
		})
	}
	if m.progressCh != nil {
		cmds = append(cmds, waitProgress(m.progressCh))
	}
	if m.changes != nil {
		cmds = append(cmds, waitChange(m.changes))
	}
	return tea.Batch(cmds...)
}

func waitProgress(ch <-chan ingest.Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		return progressMsg{ev, ok}
	}
}

func waitChange(ch <-chan store.Change) tea.Cmd {
	return func() tea.Msg {
		c, ok := <-ch
		return changeMsg{c, ok}
	}
}

// wide reports whether list and detail are shown side by side.
func (m *Model) wide() bool { return m.width >= wideWidth }

// detailVisible reports whether the detail panes are on screen.
func (m *Model) detailVisible() bool { return m.wide() || m.focus == focusDetail }

// Update routes a message and returns the commands to run.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	cmds = append(cmds, m.update(msg))
	cmds = append(cmds, m.ensureDetail())
	m.syncKeys()
	return m, tea.Batch(cmds...)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return nil
	case tea.BackgroundColorMsg:
		m.c.Styles = NewStyles(msg.IsDark())
		m.c.stylesGen++
		m.setHelpStyles()
		m.detail.rebuild()
		return nil
	case rowsMsg:
		if msg.err != nil {
			m.setErr(fmt.Errorf("loading messages: %w", msg.err))
			return nil
		}
		m.list.Add(msg.rows)
		return nil
	case progressMsg:
		return m.onProgress(msg)
	case changeMsg:
		return m.onChange(msg)
	case detailMsg:
		if msg.gen != m.detailGen {
			return nil // stale: the selection moved on
		}
		m.detail.SetData(msg.data, msg.err)
		return nil
	case labeledMsg:
		return m.onLabeled(msg)
	case noteSavedMsg:
		if msg.err != nil {
			m.setErr(fmt.Errorf("saving note: %w", msg.err))
			return nil // the editor stays open with the text
		}
		m.editor.Close()
		m.flash = "note saved"
		return m.loadNotes(msg.id)
	case notesMsg:
		if msg.err != nil {
			m.setErr(fmt.Errorf("loading notes: %w", msg.err))
			return nil
		}
		m.detail.SetNotes(msg.id, msg.notes)
		return nil
	case labelHistMsg:
		if msg.err == nil {
			m.detail.SetLabel(msg.id, msg.label, msg.hist)
		}
		return nil
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.PasteMsg:
		if m.editor.Active() {
			return m.editor.Update(msg)
		}
		if m.filtering {
			return m.updateFilter(msg)
		}
		return nil
	}
	// Cursor blinks and other internal messages of the inputs.
	if m.editor.Active() {
		return m.editor.Update(msg)
	}
	if m.filtering {
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		return cmd
	}
	return nil
}

func (m *Model) setErr(err error) {
	m.err = err
	m.layout()
}

func (m *Model) onProgress(msg progressMsg) tea.Cmd {
	if !msg.ok {
		m.progress = nil
		m.progressCh = nil
		return nil
	}
	ev := msg.ev
	if len(ev.Rows) > 0 {
		m.list.Add(ev.Rows)
	}
	if ev.Err != nil {
		src := ev.Source
		if src == "" {
			src = "mailbox"
		}
		m.setErr(fmt.Errorf("%s: %w", textsafe.Clean(src), ev.Err))
	}
	if ev.Finished {
		m.progress = nil
		m.progressCh = nil
		return nil
	}
	ev.Rows = nil
	m.progress = &ev
	return waitProgress(m.progressCh)
}

func (m *Model) onChange(msg changeMsg) tea.Cmd {
	if !msg.ok {
		m.changes = nil
		return nil
	}
	ch := msg.ch
	var cmd tea.Cmd
	switch ch.Kind {
	case "label":
		m.list.SetLabel(ch.ID, ch.Label)
		if m.detail.ID() == ch.ID {
			cmd = m.loadLabel(ch.ID)
		}
	case "note":
		if m.detail.ID() == ch.ID {
			cmd = m.loadNotes(ch.ID)
		}
	}
	return tea.Batch(cmd, waitChange(m.changes))
}

func (m *Model) onLabeled(msg labeledMsg) tea.Cmd {
	var cmds []tea.Cmd
	for _, ch := range msg.changes {
		m.list.SetLabel(ch.id, ch.label)
		if m.detail.ID() == ch.id {
			cmds = append(cmds, m.loadLabel(ch.id))
		}
	}
	if msg.err != nil {
		m.setErr(fmt.Errorf("labeling: %w", msg.err))
	}
	if len(msg.changes) == 0 {
		return tea.Batch(cmds...)
	}
	if msg.undo {
		m.flash = fmt.Sprintf("undone: %d message(s) restored", len(msg.changes))
		m.list.Select(msg.changes[0].id)
		return tea.Batch(cmds...)
	}
	m.undo = append(m.undo, msg.changes)
	if len(m.undo) > 100 {
		m.undo = m.undo[1:]
	}
	m.list.ClearMarks()
	label := msg.changes[0].label
	if label == "" {
		label = "no label"
	}
	m.flash = fmt.Sprintf("%d message(s) → %s", len(msg.changes), label)
	if m.autoAdvance {
		if r, ok := m.list.Selected(); ok && r.Label != "" {
			m.list.NextUnlabeled()
		}
	}
	return tea.Batch(cmds...)
}

// ensureDetail starts loading the selected message when the panes are
// visible and show another message.
func (m *Model) ensureDetail() tea.Cmd {
	if !m.detailVisible() || m.c.Store == nil {
		return nil
	}
	r, ok := m.list.Selected()
	if !ok || m.detail.ID() == r.ID {
		return nil
	}
	m.detailGen++
	m.detail.SetLoading(r.ID)
	return loadDetail(m.c, r.ID, m.detailGen)
}

func loadDetail(c *Common, id string, gen int) tea.Cmd {
	st, raw, render := c.Store, c.Raw, c.renderBody
	return func() tea.Msg {
		rep, err := st.Report(id)
		if err != nil {
			return detailMsg{gen: gen, err: fmt.Errorf("loading report: %w", err)}
		}
		d := &detailData{ID: id, Report: rep}
		d.Label, d.LabelHist, _ = st.Label(id)
		d.Notes, _ = st.Notes(id)
		if raw != nil {
			b, err := raw.Raw(id)
			if err != nil {
				d.BodyErr = err
			} else {
				d.Body, d.Links = safeRender(render, b)
			}
		}
		return detailMsg{gen: gen, data: d}
	}
}

// safeRender runs a body renderer, turning a panic on hostile input into a
// visible note instead of a crash.
func safeRender(render func([]byte) (string, []string), raw []byte) (text string, links []string) {
	defer func() {
		if r := recover(); r != nil {
			text, links = fmt.Sprintf("(body could not be rendered: %v)", r), nil
		}
	}()
	return render(raw)
}

func (m *Model) loadNotes(id string) tea.Cmd {
	st := m.c.Store
	return func() tea.Msg {
		n, err := st.Notes(id)
		return notesMsg{id, n, err}
	}
}

func (m *Model) loadLabel(id string) tea.Cmd {
	st := m.c.Store
	return func() tea.Msg {
		l, h, err := st.Label(id)
		return labelHistMsg{id, l, h, err}
	}
}

// setLabels writes label for ids (prevs are their current labels, for undo)
// and reports what was committed. Rows change only when the result arrives.
func (m *Model) setLabels(ids, labels []string, undo bool) tea.Cmd {
	if len(ids) == 0 || m.c.Store == nil {
		return nil
	}
	st, actor := m.c.Store, m.c.Actor
	prevs := make([]string, len(ids))
	for i, id := range ids {
		prevs[i] = m.list.Label(id)
	}
	return func() tea.Msg {
		res := labeledMsg{undo: undo}
		for i, id := range ids {
			ev, err := st.SetLabel(id, labels[i], actor)
			if err != nil {
				res.err = err
				break
			}
			res.changes = append(res.changes, labelChange{id: id, label: labels[i], prev: prevs[i], ev: ev})
		}
		return res
	}
}

func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.c.Keys
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	if m.confirm != nil {
		c := m.confirm
		m.confirm = nil
		if key.Matches(msg, k.Confirm) {
			return c.yes(m)
		}
		m.flash = "cancelled"
		return nil
	}
	if m.editor.Active() {
		switch {
		case key.Matches(msg, k.SaveNote):
			return m.saveNote()
		case key.Matches(msg, k.CancelNote):
			if m.editor.Dirty() {
				m.confirm = &confirmation{prompt: "discard the unsaved note? (y/n)", yes: func(m *Model) tea.Cmd {
					m.editor.Close()
					m.flash = "note discarded"
					return nil
				}}
				return nil
			}
			m.editor.Close()
			return nil
		}
		return m.editor.Update(msg)
	}
	if m.filtering {
		switch {
		case key.Matches(msg, k.FilterAccept):
			m.filtering = false
			m.filter.Blur()
			m.layout()
			return nil
		case key.Matches(msg, k.FilterCancel):
			m.filtering = false
			m.filter.Blur()
			m.filter.SetValue(m.filterBefore)
			m.list.SetFilter(m.filterBefore)
			m.layout()
			return nil
		}
		return m.updateFilter(msg)
	}
	if m.showHelp {
		if key.Matches(msg, k.Quit) {
			return tea.Quit
		}
		m.showHelp = false
		return nil
	}
	m.flash = ""
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = true
	case key.Matches(msg, k.Dismiss):
		m.err = nil
		m.layout()
	case key.Matches(msg, k.Back):
		m.focus = focusList
		m.layout()
	case key.Matches(msg, k.Open):
		m.focus = focusDetail
		m.layout()
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-m.pageSize())
	case key.Matches(msg, k.PageDown):
		m.move(m.pageSize())
	case key.Matches(msg, k.Top):
		m.move(-1 << 30)
	case key.Matches(msg, k.Bottom):
		m.move(1 << 30)
	case key.Matches(msg, k.Filter):
		m.filtering = true
		m.filterBefore = m.list.Filter()
		m.filter.SetValue(m.filterBefore)
		m.filter.CursorEnd()
		m.layout()
		return m.filter.Focus()
	case key.Matches(msg, k.Unlabeled):
		m.setFilter(toggleToken(m.list.Filter(), "label:none"))
	case key.Matches(msg, k.MinScore):
		m.setFilter(cycleMinScore(m.list.Filter()))
	case key.Matches(msg, k.Sort):
		m.list.CycleSort()
		m.flash = "sorted by " + sortNames[m.list.sort]
	case key.Matches(msg, k.NextPane):
		m.detail.SetPane(m.detail.Pane() + 1)
	case key.Matches(msg, k.PrevPane):
		m.detail.SetPane(m.detail.Pane() - 1)
	case key.Matches(msg, k.Mark):
		m.list.ToggleMark()
	case key.Matches(msg, k.MarkAll):
		m.list.MarkAll()
	case key.Matches(msg, k.AutoAdvance):
		m.autoAdvance = !m.autoAdvance
		m.flash = "auto-advance " + onOff(m.autoAdvance)
	case key.Matches(msg, k.Undo):
		last := m.undo[len(m.undo)-1]
		m.undo = m.undo[:len(m.undo)-1]
		ids := make([]string, len(last))
		labels := make([]string, len(last))
		for i, c := range last {
			ids[i], labels[i] = c.id, c.prev
		}
		return m.setLabels(ids, labels, true)
	case key.Matches(msg, k.ClearLabel):
		return m.labelTargets("")
	case key.Matches(msg, k.CopyURL):
		if u, ok := m.detail.SelectedURL(); ok {
			s := u.Defanged
			if s == "" {
				s = defang(u.URL)
			}
			m.flash = "copied defanged URL"
			return tea.SetClipboard(s)
		}
	case key.Matches(msg, k.CopyRawURL):
		if u, ok := m.detail.SelectedURL(); ok {
			raw := u.URL
			if raw == "" {
				raw = u.Raw
			}
			m.confirm = &confirmation{
				prompt: "copy the LIVE URL " + textsafe.Truncate(defang(raw), 40) + " to the clipboard? (y/n)",
				yes: func(m *Model) tea.Cmd {
					m.flash = "copied raw URL — handle with care"
					return tea.SetClipboard(textsafe.Clean(raw))
				},
			}
		}
	case key.Matches(msg, k.ToggleRaw):
		m.detail.ToggleRaw()
	case key.Matches(msg, k.NewNote):
		if r, ok := m.list.Selected(); ok {
			m.layout()
			return m.editor.Open(r.ID, "", "", r.Subject)
		}
	case key.Matches(msg, k.EditNote):
		if n, ok := m.detail.LastNote(); ok {
			r, _ := m.list.Selected()
			m.layout()
			return m.editor.Open(m.detail.ID(), n.ID, n.Text, r.Subject)
		}
	default:
		for i, b := range k.Panes {
			if key.Matches(msg, b) {
				m.detail.SetPane(i)
				if !m.wide() {
					m.focus = focusDetail
					m.layout()
				}
				return nil
			}
		}
		for i, b := range k.Labels {
			if key.Matches(msg, b) {
				return m.labelTargets(m.c.Labels[i])
			}
		}
	}
	return nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func (m *Model) labelTargets(label string) tea.Cmd {
	ids := m.list.Targets()
	labels := make([]string, len(ids))
	for i := range labels {
		labels[i] = label
	}
	return m.setLabels(ids, labels, false)
}

func (m *Model) saveNote() tea.Cmd {
	if m.editor.Empty() {
		m.flash = "empty note not saved"
		return nil
	}
	st, actor := m.c.Store, m.c.Actor
	id, noteID, text := m.editor.msgID, m.editor.noteID, m.editor.Value()
	return func() tea.Msg {
		var err error
		if noteID == "" {
			_, err = st.AddNote(id, text, actor)
		} else {
			_, err = st.EditNote(id, noteID, text, actor)
		}
		return noteSavedMsg{id, err}
	}
}

func (m *Model) updateFilter(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	before := m.filter.Value()
	m.filter, cmd = m.filter.Update(msg)
	if v := m.filter.Value(); v != before {
		m.list.SetFilter(v)
	}
	return cmd
}

func (m *Model) setFilter(q string) {
	m.filter.SetValue(q)
	m.list.SetFilter(q)
	m.layout()
}

func (m *Model) pageSize() int {
	if m.focus == focusDetail {
		return max(m.detail.bodyHeight()-1, 1)
	}
	return max(m.list.height-1, 1)
}

func (m *Model) move(delta int) {
	if m.focus == focusDetail {
		if delta == -1<<30 || delta == 1<<30 {
			if m.detail.Pane() != PaneURLs {
				delta = delta / (1 << 30) * len(m.detail.lines[m.detail.Pane()])
			}
		}
		m.detail.Scroll(delta)
		return
	}
	m.list.Move(delta)
}

// chrome returns the lines above and below the body.
func (m *Model) chrome() (top, bottom int) {
	top = 1
	if m.filtering || m.list.Filter() != "" {
		top++
	}
	if m.err != nil {
		top++
	}
	return top, 3
}

// layout sizes the children for the current window and state.
func (m *Model) layout() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	top, bottom := m.chrome()
	bodyH := max(m.height-top-bottom, 1)
	m.help.SetWidth(m.width)
	m.filter.SetWidth(max(m.width-4, 10))
	if m.wide() {
		lw := m.listWidth()
		dw := m.width - lw - 1
		m.list.SetHeight(bodyH - 1)
		m.detail.SetSize(dw, bodyH)
		m.editor.SetSize(dw, bodyH)
		return
	}
	m.list.SetHeight(bodyH - 1)
	m.detail.SetSize(m.width, bodyH)
	m.editor.SetSize(m.width, bodyH)
}

func (m *Model) listWidth() int { return m.width * 45 / 100 }

// syncKeys enables exactly the bindings that can act now, so help is honest
// and disabled keys never fire.
// helpRows lays the help columns out in as many rows as the width needs:
// columns are packed left to right while they fit, so a narrow terminal
// gets every binding instead of a row cut at its right edge.
func helpRows(hm help.Model, groups [][]key.Binding, width int) []string {
	hm.SetWidth(0) // measure untruncated; rows are packed to fit instead
	var out []string
	var row [][]key.Binding
	flush := func() {
		if len(row) > 0 {
			out = append(out, strings.Split(hm.FullHelpView(row), "\n")...)
			row = nil
		}
	}
	for _, g := range groups {
		row = append(row, g)
		if len(row) > 1 && ansi.StringWidth(strings.Split(hm.FullHelpView(row), "\n")[0]) > width {
			row = row[:len(row)-1]
			flush()
			row = append(row, g)
		}
	}
	flush()
	return out
}

// keysUnderHelp is the keymap of the screen the help overlay covers: the
// overlay itself only takes ? and q, but it describes what works once it
// is closed. It works on a copy, leaving m's keymap alone.
func (m Model) keysUnderHelp() KeyMap {
	c := *m.c
	c.Keys.Labels = slices.Clone(c.Keys.Labels) // shared backing array otherwise
	m.c = &c
	m.showHelp = false
	m.syncKeys()
	return c.Keys
}

func (m *Model) syncKeys() {
	k := &m.c.Keys
	for _, b := range k.all() {
		b.SetEnabled(false)
	}
	on := func(bs ...*key.Binding) {
		for _, b := range bs {
			b.SetEnabled(len(b.Keys()) > 0)
		}
	}
	switch {
	case m.confirm != nil:
		on(&k.Confirm, &k.Dismiss)
		return
	case m.editor.Active():
		on(&k.SaveNote, &k.CancelNote)
		return
	case m.filtering:
		on(&k.FilterAccept, &k.FilterCancel)
		return
	case m.showHelp:
		on(&k.Help, &k.Quit)
		return
	}
	on(&k.Help, &k.Quit, &k.Filter, &k.Unlabeled, &k.MinScore, &k.Sort, &k.AutoAdvance)
	if m.err != nil {
		on(&k.Dismiss)
	}
	_, selected := m.list.Selected()
	if selected || m.focus == focusDetail {
		on(&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom)
	}
	if m.focus == focusDetail {
		if m.err == nil {
			on(&k.Back)
		}
	} else if selected {
		on(&k.Open, &k.Mark, &k.MarkAll)
	}
	if selected {
		on(&k.NextPane, &k.PrevPane, &k.ClearLabel, &k.NewNote)
		for i := range k.Panes {
			on(&k.Panes[i])
		}
		for i := range k.Labels {
			on(&k.Labels[i])
		}
	}
	if len(m.undo) > 0 {
		on(&k.Undo)
	}
	if m.detailVisible() && m.detail.data != nil {
		switch m.detail.Pane() {
		case PaneURLs:
			if _, ok := m.detail.SelectedURL(); ok {
				on(&k.CopyURL, &k.CopyRawURL)
			}
		case PaneHeaders:
			on(&k.ToggleRaw)
		case PaneNotes:
			if m.detail.HasNotes() {
				on(&k.EditNote)
			}
		}
	}
}

// View renders the whole screen. It is a pure function of the model.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "triage"
	return v
}

func (m Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return "triage: starting…"
	}
	st := &m.c.Styles
	w := m.width
	lines := make([]string, 0, m.height)
	lines = append(lines, m.titleLine())
	if m.filtering {
		lines = append(lines, pad(m.filter.View(), w))
	} else if f := m.list.Filter(); f != "" {
		lines = append(lines, st.Dim.Render(pad("filter: "+textsafe.Clean(f)+"   (/ edits, esc in filter cancels)", w)))
	}
	if m.err != nil {
		lines = append(lines, st.Error.Render(pad("error: "+textsafe.Clean(m.err.Error())+"  · esc dismisses", w)))
	}
	top, bottom := m.chrome()
	bodyH := max(m.height-top-bottom, 1)
	lines = append(lines, m.body(bodyH)...)
	lines = append(lines, m.statusLine(), m.labelLine())
	switch {
	case m.confirm != nil:
		lines = append(lines, st.Error.Render(pad(m.confirm.prompt, w)))
	case m.flash != "":
		lines = append(lines, st.Flash.Render(pad(m.flash, w)))
	default:
		lines = append(lines, pad(m.help.ShortHelpView(m.c.Keys.ShortHelp()), w))
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

func (m Model) body(h int) []string {
	w := m.width
	if m.showHelp {
		hm := m.help
		hm.ShowAll = true
		out := []string{m.c.Styles.Heading.Render("Keys") + "  (any key closes)", ""}
		out = append(out, helpRows(hm, m.keysUnderHelp().FullHelp(), w)...)
		return fit(out, w, h)
	}
	if m.wide() {
		lw := m.listWidth()
		dw := w - lw - 1
		left := strings.Split(m.list.View(lw, h), "\n")
		var right []string
		if m.editor.Active() {
			right = strings.Split(m.editor.View(dw, h), "\n")
		} else {
			right = strings.Split(m.detail.View(dw, h), "\n")
		}
		sep := m.c.Styles.Border.Render("│")
		if m.focus == focusDetail {
			sep = m.c.Styles.Key.Render("┃")
		}
		out := make([]string, h)
		for i := range out {
			var l, r string
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			out[i] = pad(l, lw) + sep + r
		}
		return out
	}
	var s string
	switch {
	case m.editor.Active():
		s = m.editor.View(w, h)
	case m.focus == focusDetail:
		s = m.detail.View(w, h)
	default:
		s = m.list.View(w, h)
	}
	return fit(strings.Split(s, "\n"), w, h)
}

// fit pads or cuts lines to exactly h lines of at most w columns.
func fit(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			l := lines[i]
			if ansi.StringWidth(l) > w {
				l = ansi.Truncate(l, w, "")
			}
			out[i] = l
		}
	}
	return out
}

func (m Model) titleLine() string {
	st := &m.c.Styles
	left := "triage"
	if m.c.title != "" {
		left += " · " + textsafe.Clean(m.c.title)
	}
	if m.c.online {
		left += " · ONLINE look-ups on"
	}
	right := ""
	if p := m.progress; p != nil {
		if p.Total > 0 {
			right = fmt.Sprintf("analysing %s/%s · %s msg/s", commas(p.Done), commas(p.Total), commas(int(p.Rate)))
		} else {
			right = fmt.Sprintf("analysing %s · %s msg/s", commas(p.Done), commas(int(p.Rate)))
		}
	}
	lw := m.width - ansi.StringWidth(right) - 1
	out := st.Title.Render(pad(left, max(lw, 0)))
	if right != "" {
		out += " " + st.Progress.Render(right)
	}
	return out
}

func (m Model) statusLine() string {
	total, shown, marked := m.list.Counts()
	s := fmt.Sprintf("%s msgs · %s shown", commas(total), commas(shown))
	if marked > 0 {
		s += fmt.Sprintf(" · %s marked", commas(marked))
	}
	s += " · sort " + sortNames[m.list.sort] + " · auto-advance " + onOff(m.autoAdvance)
	if m.focus == focusDetail || m.wide() {
		s += " · pane " + paneNames[m.detail.Pane()]
	}
	return m.c.Styles.Status.Render(pad(s, m.width))
}

// labelLine shows each label's key and count, and the unlabeled count.
func (m Model) labelLine() string {
	st := &m.c.Styles
	var parts []string
	for i, l := range m.c.Labels {
		kb := m.c.Keys.Labels[i]
		k := "·"
		if len(kb.Keys()) > 0 {
			k = kb.Keys()[0]
		}
		parts = append(parts, st.Key.Render(k)+":"+textsafe.Clean(l)+" "+strconv.Itoa(m.list.labelCount[l]))
	}
	parts = append(parts, "unlabeled "+strconv.Itoa(m.list.labelCount[""]))
	return pad(strings.Join(parts, "  "), m.width)
}

func commas(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
