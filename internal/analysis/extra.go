package analysis

// AddFindings adds findings computed outside Analyze (network rules after
// enrichment, online look-ups) to a report: weights and disabled rules from
// cfg.Rules apply as for built-in rules, findings are re-sorted worst first
// and the score is recomputed, so it stays fully explained.
func AddFindings(rep *Report, cfg *Config, fs []Finding) {
	if len(fs) == 0 {
		return
	}
	for _, f := range fs {
		if cfg != nil {
			if o, ok := cfg.Rules[f.Rule]; ok {
				if o.Disabled {
					continue
				}
				if o.Points != nil && f.Points != 0 {
					f.Points = *o.Points
				}
			}
		}
		rep.Findings = append(rep.Findings, f)
	}
	sortFindings(rep.Findings)
	rep.Score = Score(rep.Findings)
}
