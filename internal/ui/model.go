package ui

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/internal/ui/detail"
	"github.com/triage-tools/triage/internal/ui/kit"
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
		// campaigns is set when rows carry their campaigns (see loadRows).
		campaigns bool
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
		data *detail.Data
		err  error
	}
	labelChange struct {
		id, label, prev string
		ev              store.LabelEvent
	}
	labeledMsg struct {
		undo    bool
		changes []labelChange
		refused []refusal // undo only: messages whose label changed since
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

// refusal is an undo the store refused: cur is the message's current label
// and who set it.
type refusal struct {
	id  string
	cur store.LabelEvent
}

// confirmation is a pending yes/no question.
type confirmation struct {
	prompt string
	yes    func(m *Model) tea.Cmd
	// no, when set, runs on "n" (a question with two answers besides
	// cancel); any other key still cancels.
	no func(m *Model) tea.Cmd
}

// Model is the root model of a workbench session.
type Model struct {
	c *kit.Common

	list   List
	camps  Campaigns // the list's campaign mode (campaigns.go)
	detail detail.Detail
	// The inputs and the help are held by pointer: Bubble Tea copies the
	// model for every message (Update and View take it by value), and these
	// four were nine tenths of its 39 kB.
	editor *NoteEditor
	filter *textinput.Model
	help   *help.Model

	width, height int
	focus         focus
	filtering     bool
	filterBefore  string
	searching     bool // typing a pane search (search.go)
	search        *textinput.Model
	showHelp      bool
	confirm       *confirmation
	err           error
	flash         string

	progress    *ingest.Event
	progressCh  <-chan ingest.Event
	rowsPending bool // the initial Rows() read has not arrived yet
	// ingested is set once the ingest run delivers rows it stored: only
	// then can its end have changed campaigns and learned scores.
	ingested    bool
	changes     <-chan store.Change
	unsub       func()
	detailGen   int
	learnBusy   bool // a learned-scores request is running (learned.go)
	learnAgain  bool // another is due when it answers
	autoAdvance bool
	undo        [][]labelChange

	filterErr  error // the query being typed does not parse
	command    bool  // the input line holds a command (":"), not a filter
	helpOff    int   // first line of the help overlay shown
	drafts     map[string]draft
	touched    bool   // the analyst changed the view: do not restore the saved one
	restoreSel string // message to select once its row arrives
	roster     *Roster
	rosterCh   <-chan struct{}
	unwatch    func()
	online     []string

	memo   *kit.LineMemo // rendered chrome lines
	counts *countsState  // the label counts shown (pace.go)

	frame      *frameMemo // the last frame rendered (frame.go)
	frameID    uint64     // the frame of this state (frame.go)
	reuseFrame bool       // the last Update left the screen as it was
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
	c := &kit.Common{
		Styles:     kit.NewStyles(!opts.LightBackground),
		Keys:       kit.DefaultKeyMap(labels),
		Store:      opts.Store,
		Raw:        opts.Raw,
		Actor:      opts.Actor,
		Labels:     labels,
		Loc:        opts.Location,
		RenderBody: opts.RenderBody,
		Enrich:     opts.Enrich,
		Learned:    opts.Learned,
		Explain:    opts.Explain,
		Title:      opts.Title,
		Online:     opts.Online,
		Pager:      opts.Pager,
		Remote:     opts.Remote || opts.Actor.Source == "ssh",
	}
	if c.Loc == nil {
		c.Loc = time.Local
	}
	if c.RenderBody == nil {
		c.RenderBody = detail.DefaultRenderBody
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
		camps:       newCampaigns(c),
		detail:      detail.New(c),
		editor:      ptr(newNoteEditor(c)),
		filter:      &fi,
		search:      ptr(newSearchInput()),
		help:        ptr(help.New()),
		progressCh:  opts.Progress,
		rowsPending: opts.Store != nil,
		autoAdvance: true,
		memo:        &kit.LineMemo{},
		counts:      &countsState{},
		frame:       &frameMemo{},
	}
	m.setHelpStyles()
	if opts.Store != nil && !opts.NoSubscribe {
		m.changes, m.unsub = opts.Store.Subscribe()
	}
	if opts.Roster != nil {
		m.roster = opts.Roster
		m.rosterCh, m.unwatch = opts.Roster.Watch()
		m.online = opts.Roster.Names()
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
		cmds = append(cmds, loadRows(st))
	}
	if m.progressCh != nil {
		cmds = append(cmds, waitProgress(m.progressCh))
	}
	if m.changes != nil {
		cmds = append(cmds, waitChange(m.changes))
	}
	if m.c.Store != nil {
		cmds = append(cmds, loadState(m.c))
	}
	if m.rosterCh != nil {
		cmds = append(cmds, waitPresence(m.roster, m.rosterCh))
	}
	return tea.Batch(cmds...)
}

// wide reports whether list and detail are shown side by side.
func (m *Model) wide() bool { return m.width >= wideWidth }

// detailVisible reports whether the detail panes are on screen.
func (m *Model) detailVisible() bool { return m.wide() || m.focus == focusDetail }

func (m *Model) setErr(err error) {
	m.err = err
	m.layout()
}

func (m *Model) pageSize() int {
	if m.focus == focusDetail {
		return max(m.detail.BodyHeight()-1, 1)
	}
	return max(m.list.height-1, 1)
}

func (m *Model) move(delta int) {
	if m.focus == focusDetail {
		if delta == -1<<30 || delta == 1<<30 {
			if m.detail.Current() != kit.PaneURLs {
				delta = delta / (1 << 30) * len(m.detail.Lines(m.detail.Current()))
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
	if m.filtering && m.filterErr != nil {
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

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }
