package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/kit"
	"github.com/triage-tools/triage/internal/ui/roster"
)

// Per-analyst workbench state kept in the store (Store.UIState), so that a
// session — local or SSH — can pick up where the analyst left off:
//
//	view/ANALYST/MAILBOX     the filter, sort and selected message (JSON viewState)
//	filters/ANALYST/NAME     a saved filter query (:save NAME)
//	drafts/ANALYST/MSGID     an unsaved note (JSON draft), kept when the
//	                         session ends with the note editor open
//
// ANALYST and MAILBOX are path-escaped. State is read once when a session
// starts and written by commands (saved filters, drafts cleared on save)
// and when the session ends (Persist).

// maxSaved bounds the saved filters and drafts read per analyst.
const maxSaved = 200

type viewState struct {
	Filter   string `json:"filter,omitempty"`
	Sort     string `json:"sort,omitempty"`
	Selected string `json:"selected,omitempty"`
}

type draft struct {
	NoteID string `json:"note_id,omitempty"`
	Text   string `json:"text"`
}

// stateMsg carries the analyst's state read at start.
type stateMsg struct {
	view   *viewState
	saved  map[string]string
	drafts map[string]draft // by message ID
	err    error
}

// stateSavedMsg reports a state write; flash is shown on success.
type stateSavedMsg struct {
	flash string
	err   error
}

// The store keys of the analyst's state (see the top of this file).
func analystKey(c *kit.Common) string { return url.PathEscape(c.Actor.Name) }
func viewKey(c *kit.Common) string {
	return "view/" + analystKey(c) + "/" + url.PathEscape(c.Title)
}
func filterPrefix(c *kit.Common) string           { return "filters/" + analystKey(c) + "/" }
func draftPrefix(c *kit.Common) string            { return "drafts/" + analystKey(c) + "/" }
func draftKey(c *kit.Common, msgID string) string { return draftPrefix(c) + url.PathEscape(msgID) }

// loadState reads the analyst's view, saved filters and drafts.
func loadState(c *kit.Common) tea.Cmd {
	st := c.Store
	vk, fp, dp := viewKey(c), filterPrefix(c), draftPrefix(c)
	return func() tea.Msg {
		out := stateMsg{saved: map[string]string{}, drafts: map[string]draft{}}
		if v, ok, err := st.UIState(vk); err != nil {
			return stateMsg{err: err}
		} else if ok {
			var vs viewState
			if json.Unmarshal(v, &vs) == nil {
				out.view = &vs
			}
		}
		keys, err := st.UIStateKeys(fp, maxSaved)
		if err != nil {
			return stateMsg{err: err}
		}
		for _, k := range keys {
			if v, ok, err := st.UIState(k); err == nil && ok {
				name, _ := url.PathUnescape(strings.TrimPrefix(k, fp))
				out.saved[name] = string(v)
			}
		}
		if keys, err = st.UIStateKeys(dp, maxSaved); err != nil {
			return stateMsg{err: err}
		}
		for _, k := range keys {
			if v, ok, err := st.UIState(k); err == nil && ok {
				var d draft
				if json.Unmarshal(v, &d) == nil {
					id, _ := url.PathUnescape(strings.TrimPrefix(k, dp))
					out.drafts[id] = d
				}
			}
		}
		return out
	}
}

// onState applies the state read at start: saved filters and drafts, and
// the previous view unless the analyst already changed it.
func (m *Model) onState(msg stateMsg) {
	if msg.err != nil {
		m.setErr(fmt.Errorf("loading saved state: %w", msg.err))
		return
	}
	m.drafts = msg.drafts
	m.list.saved = msg.saved
	m.list.invalidate()
	v := msg.view
	if v == nil || m.touched {
		return
	}
	for k := range numSorts {
		if k.String() == v.Sort && k != m.list.sort {
			m.list.setSort(k)
		}
	}
	if v.Filter != "" && m.list.SetFilter(v.Filter) == nil {
		m.filter.SetValue(v.Filter)
		m.layout()
	}
	m.restoreSel = v.Selected
	m.applyRestoreSel()
}

// applyRestoreSel selects the message of the restored view once its row is
// there.
func (m *Model) applyRestoreSel() {
	if m.restoreSel == "" || m.touched {
		m.restoreSel = ""
		return
	}
	if _, ok := m.list.byID[m.restoreSel]; ok {
		m.list.Select(m.restoreSel)
		m.restoreSel = ""
	}
}

// Persist writes what must survive the session: the view (filter, sort,
// selection) and, when the note editor holds unsaved text, a draft. Run
// calls it when the program ends, whatever ended it (quit, ctrl+c, the SSH
// session closing).
func (m Model) Persist() error {
	st := m.c.Store
	if st == nil {
		return nil
	}
	var errs []error
	vs := viewState{Filter: m.list.Filter(), Sort: m.list.sort.String()}
	if r, ok := m.list.Selected(); ok {
		vs.Selected = r.ID
	}
	if b, err := json.Marshal(vs); err == nil {
		errs = append(errs, st.PutUIState(viewKey(m.c), b))
	}
	if m.editor.Active() && m.editor.Dirty() && !m.editor.Empty() {
		b, err := json.Marshal(draft{NoteID: m.editor.NoteID(), Text: m.editor.Value()})
		if err == nil {
			errs = append(errs, st.PutUIState(draftKey(m.c, m.editor.MsgID()), b))
		}
	}
	return errors.Join(errs...)
}

// takeDraft returns and forgets the draft for a new note (noteID "") or
// an edit of noteID on message id.
func (m *Model) takeDraft(id, noteID string) (string, bool) {
	d, ok := m.drafts[id]
	if !ok || d.NoteID != noteID {
		return "", false
	}
	return d.Text, true
}

// dropDraft forgets the draft of message id, in memory and in the store.
func (m *Model) dropDraft(id string) tea.Cmd {
	if _, ok := m.drafts[id]; !ok {
		return nil
	}
	delete(m.drafts, id)
	st, key := m.c.Store, draftKey(m.c, id)
	return func() tea.Msg { return stateSavedMsg{err: st.PutUIState(key, nil)} }
}

var filterName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,31}$`)

// runCommand runs a command line (":save NAME" …) and returns its command.
func (m *Model) runCommand(line string) tea.Cmd {
	f := strings.Fields(line)
	if len(f) == 0 {
		return nil
	}
	verb, args := f[0], f[1:]
	name := ""
	if len(args) == 1 {
		name = strings.ToLower(args[0])
	}
	st := m.c.Store
	switch {
	case verb == "filters" && len(args) == 0:
		names := make([]string, 0, len(m.list.saved))
		for n := range m.list.saved {
			names = append(names, "@"+n)
		}
		slices.Sort(names)
		if len(names) == 0 {
			m.flash = "no saved filters (:save NAME saves the current one)"
		} else {
			m.flash = "saved filters: " + textsafe.Clean(strings.Join(names, " "))
		}
		return nil
	case (verb == "save" || verb == "load" || verb == "delete") && len(args) == 1 && filterName.MatchString(name):
	case verb == "save" || verb == "load" || verb == "delete":
		m.flash = "usage: :" + verb + " NAME (letters, digits, . _ -; at most 32)"
		return nil
	default:
		m.flash = fmt.Sprintf("unknown command %q (commands: save NAME, load NAME, delete NAME, filters)", textsafe.Clean(verb))
		return nil
	}
	key := filterPrefix(m.c) + url.PathEscape(name)
	switch verb {
	case "save":
		q := m.list.Filter()
		if q == "" {
			m.flash = "no filter to save: apply one with / first"
			return nil
		}
		if m.list.saved == nil {
			m.list.saved = map[string]string{}
		}
		m.list.saved[name] = q
		m.list.invalidate()
		return func() tea.Msg {
			return stateSavedMsg{flash: "saved filter @" + name, err: st.PutUIState(key, []byte(q))}
		}
	case "load":
		q, ok := m.list.saved[name]
		if !ok {
			m.flash = fmt.Sprintf("no saved filter %q (:filters lists them)", name)
			return nil
		}
		m.touched = true
		m.setFilter(q)
		m.flash = "filter @" + name
		return nil
	}
	if _, ok := m.list.saved[name]; !ok {
		m.flash = fmt.Sprintf("no saved filter %q", name)
		return nil
	}
	delete(m.list.saved, name)
	m.list.invalidate()
	return func() tea.Msg {
		return stateSavedMsg{flash: "deleted filter @" + name, err: st.PutUIState(key, nil)}
	}
}

// Roster is the set of analysts connected to one server, shared by its
// sessions (roster.Roster).
type Roster = roster.Roster

// NewRoster returns an empty roster.
func NewRoster() *Roster { return roster.New() }

// presenceMsg carries the connected analysts.
type presenceMsg struct {
	names []string
	ok    bool
}

func waitPresence(r *Roster, ch <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		_, ok := <-ch
		return presenceMsg{names: r.Names(), ok: ok}
	}
}
