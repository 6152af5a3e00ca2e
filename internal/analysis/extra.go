package analysis

// AddFindings adds findings computed outside Analyze (network rules after
// enrichment, online look-ups) to a report and scores them from the
// analyzer's rule table: a finding of a rule the table has gets the rule's
// weight if it is the first of its rule among fs, and 0 (evidence only,
// like a repeated built-in rule) otherwise, whatever Points it carried;
// findings of disabled rules are dropped; findings of rules outside the
// table keep their points. Findings are then re-sorted worst first and the
// score is recomputed, so it stays fully explained.
func (an *Analyzer) AddFindings(rep *Report, fs []Finding) {
	if len(fs) == 0 {
		return
	}
	scored := map[string]bool{}
	for _, f := range fs {
		if r := an.rules[f.Rule]; r != nil {
			if r.Disabled {
				continue
			}
			f.Points = 0
			if !scored[f.Rule] {
				f.Points = r.Points
				scored[f.Rule] = true
			}
		}
		rep.Findings = append(rep.Findings, f)
	}
	sortFindings(rep.Findings)
	rep.RawScore = RawScore(rep.Findings)
	rep.Score = Score(rep.Findings)
}
