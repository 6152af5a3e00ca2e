package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/triage-tools/triage/internal/ui/campaigns"
)

// maxCampaignIOCMembers bounds the members whose reports I reads for a
// campaign's indicators (`triage iocs --campaign` takes them all).
const maxCampaignIOCMembers = 1000

// campaignIOCsMsg carries the indicators of campaign id as defanged text,
// read for generation gen of the campaign copy; read is the number of
// member reports read, of size.
type campaignIOCsMsg struct {
	gen        int
	id         string
	text       string
	read, size int
}

// copyCampaignIndicators reads the reports of the selected campaign's
// members (at most maxCampaignIOCMembers) off the UI goroutine and
// collects their indicators as `triage iocs --campaign` does, as the text
// I copies for a message (iocs.Text). The clipboard is set when the
// result arrives (onCampaignIOCs); an older request's result is dropped.
func (m *Model) copyCampaignIndicators() tea.Cmd {
	c, ok := m.camps.Selected()
	if !ok {
		return nil
	}
	m.camps.iocGen++
	gen, id, st := m.camps.iocGen, c.ID, m.c.Store
	members := c.Members[:min(len(c.Members), maxCampaignIOCMembers)]
	size := c.Size()
	m.flash = fmt.Sprintf("collecting the indicators of %s…", id)
	return func() tea.Msg {
		return campaignIOCsMsg{gen: gen, id: id, size: size, read: len(members), text: campaigns.Indicators(st, id, members)}
	}
}

// onCampaignIOCs copies a campaign's indicators (OSC 52) and flashes
// their count.
func (m *Model) onCampaignIOCs(msg campaignIOCsMsg) tea.Cmd {
	if msg.gen != m.camps.iocGen {
		return nil
	}
	if msg.text == "" {
		m.flash = "no indicators in campaign " + msg.id
		return nil
	}
	m.flash = fmt.Sprintf("copied %d indicators of %s (defanged)", strings.Count(msg.text, "\n"), msg.id)
	if msg.read < msg.size {
		m.flash += fmt.Sprintf(" from its first %d of %d messages (triage iocs --campaign %s for all)", msg.read, msg.size, msg.id)
	}
	return tea.SetClipboard(msg.text)
}
