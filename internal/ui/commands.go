package ui

import (
	"errors"
	"fmt"

	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/message"
	"github.com/triage-tools/triage/internal/textsafe"
	"github.com/triage-tools/triage/internal/ui/detail"
	"github.com/triage-tools/triage/internal/ui/kit"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/ingest"
	"github.com/triage-tools/triage/store"
)

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

// loadDetail loads what the panes show for id: the report, label, notes
// and the body, reading the raw message once and parsing it once; camp is
// the campaign the list has for id (read from the store when it has
// none). The result is tagged with gen, the selection's generation.
func loadDetail(c *kit.Common, id string, camp store.CampaignRef, gen int) tea.Cmd {
	st, raw, render := c.Store, c.Raw, c.RenderBody
	return func() tea.Msg {
		rep, err := st.Report(id)
		if err != nil {
			return detailMsg{gen: gen, err: fmt.Errorf("loading report: %w", err)}
		}
		d := &detail.Data{ID: id}
		label, hist, _ := st.Label(id)
		d.Label, d.LabelHist = textsafe.Untrusted(label), kit.NewLabelEventViews(hist)
		d.Notes, _ = st.Notes(id)
		d.Locators = detail.Locators(st, id)
		d.NoteViews = kit.NewNoteViews(d.Notes)
		d.Campaign = camp
		if camp.ID == "" {
			d.Campaign = loadCampaignOf(st, id) // counts every member: the list's ref when it has one
		}
		if raw != nil {
			b, err := raw.Raw(id)
			if err != nil {
				d.BodyErr = err
			} else {
				body, links, p := parseAndRender(render, b)
				d.Body, d.Links = textsafe.Untrusted(body), kit.UntrustedAll(links)
				if len(rep.Headers) == 0 && p != nil {
					r := *rep // the store's report is not ours to change
					r.Headers = p.Headers
					rep = &r
				}
			}
		}
		d.Report = kit.NewReportView(rep)
		loadReported(d, st, raw, id, rep)
		d.Indicators = detail.MessageIndicators(id, label, rep)
		// The body is shown defanged: its URLs and the hosts the report
		// knows become non-clickable (done here, off the UI goroutine).
		d.Body = textsafe.Untrusted(kit.DefangText(d.Body.Raw(), kit.KnownHosts(d.Report)))
		return detailMsg{gen: gen, data: d}
	}
}

// parseAndRender parses raw once and renders its body, turning a panic on
// hostile input into a visible note instead of a crash (p is then nil).
func parseAndRender(render func(*message.Parsed) (string, []string), raw []byte) (text string, links []string, p *message.Parsed) {
	defer func() {
		if r := recover(); r != nil {
			text, links, p = fmt.Sprintf("(body could not be rendered: %v)", r), nil, nil
		}
	}()
	p = message.Parse(raw, analysis.DefaultLimits())
	text, links = render(p)
	return text, links, p
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

// setLabels writes label for ids and reports what was committed. Rows
// change only when the result arrives. For an undo, expects holds the label
// each message must still have (the one this analyst set): a message whose
// label changed since is left alone and reported in refused.
func (m *Model) setLabels(ids, labels, expects []string, undo bool) tea.Cmd {
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
			var ev store.LabelEvent
			var err error
			if undo {
				ev, err = st.SetLabelIf(id, labels[i], expects[i], actor)
				if errors.Is(err, store.ErrLabelChanged) {
					res.refused = append(res.refused, refusal{id: id, cur: ev})
					continue
				}
			} else {
				ev, err = st.SetLabel(id, labels[i], actor)
			}
			if err != nil {
				res.err = err
				break
			}
			res.changes = append(res.changes, labelChange{id: id, label: labels[i], prev: prevs[i], ev: ev})
		}
		return res
	}
}

func (m *Model) saveNote() tea.Cmd {
	if m.editor.Empty() {
		m.flash = "empty note not saved"
		return nil
	}
	st, actor := m.c.Store, m.c.Actor
	id, noteID, text := m.editor.MsgID(), m.editor.NoteID(), m.editor.Value()
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
