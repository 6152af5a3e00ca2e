package campaigns

import (
	"github.com/triage-tools/triage/internal/iocs"
	"github.com/triage-tools/triage/internal/ui/kit"
)

// Indicators returns the indicators of the members of campaign id as
// defanged text (iocs.Text), collected as `triage iocs --campaign` does;
// members whose report cannot be read are left out.
func Indicators(st kit.Store, id string, members []string) string {
	c := iocs.New(nil, nil)
	for _, mid := range members {
		rep, err := st.Report(mid)
		if err != nil || rep == nil {
			continue
		}
		label, _, _ := st.Label(mid)
		c.Add(iocs.Message{ID: mid, Label: label, Campaigns: []string{id}, Time: rep.Summary.Date, Report: rep})
	}
	return iocs.Text(c.Indicators())
}
