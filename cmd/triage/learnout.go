package main

import (
	"github.com/triage-tools/triage/internal/analysis"
	"github.com/triage-tools/triage/internal/analysis/features"
	"github.com/triage-tools/triage/internal/learn"
	"github.com/triage-tools/triage/store"
)

// namedFeatures extracts the features of a stored message again from its
// raw bytes, with names, for the model's evidence; nil when the message
// cannot be read. The default analyzer is used: a feature its rules would
// not produce stays unnamed.
func namedFeatures(id string, locs []store.Locator) *features.Set {
	raw, err := readRaw(id, locs)
	if err != nil {
		return nil
	}
	f := analysis.New(nil).Analyze(raw).Features
	return &f
}

// explain is the learned part of a stored message for the workbench's
// summary pane: its stored features scored by the store's model, named
// by analysing raw again (when given).
func (env *runEnv) explain(id string, raw []byte) (*learn.Scored, error) {
	m, err := env.st.Model()
	if err != nil {
		return nil, err
	}
	set, ok, err := env.st.Features(id)
	if err != nil {
		return nil, err
	}
	rep, err := env.st.Report(id)
	if err != nil {
		return nil, err
	}
	if !ok {
		sc := learn.ScoreReport(nil, rep.RawScore, &set)
		sc.Model.Note = "not analysed here: no features"
		return &sc, nil
	}
	if raw != nil && m.Trained() {
		named := env.an.Analyze(raw).Features
		set = set.WithNames(&named)
	}
	sc := learn.ScoreReport(m, rep.RawScore, &set)
	return &sc, nil
}
