package main

import (
	"fmt"

	"policywatch/tracker/analysis"
)

// A second analyst's labels of pairs or sentences already labelled, read
// to measure how far two analysts agree under the scores the analysis is
// given: the ceiling the targets should be read against.

// loadRaterPairs reads a second analyst's change labels, by old and new path.
func loadRaterPairs(path string) (map[[2]string]label, error) {
	ls, err := loadLabels(path)
	if err != nil {
		return nil, fmt.Errorf("second analyst: %w", err)
	}
	out := make(map[[2]string]label, len(ls))
	for _, l := range ls {
		out[[2]string{l.Old, l.New}] = l
	}
	return out, nil
}

// asResult turns an analyst's label into what the scoring reads of an
// analysis: one finding per category of a must-set, the analyst's level.
func (l label) asResult() analysis.Result {
	res := analysis.Result{Substantive: l.Substantive, Exposure: analysis.LevelNone}
	if l.Substantive {
		res.Exposure = analysis.LevelLow
		if l.Exposure != "" {
			res.Exposure = analysis.Level(l.Exposure)
		}
	}
	seen := map[string]bool{}
	for _, set := range l.Must {
		for _, id := range set {
			if !seen[id] {
				seen[id] = true
				res.Findings = append(res.Findings, analysis.Finding{Category: id})
			}
		}
	}
	return res
}

// loadRaterClauses reads a second analyst's clause labels and returns each
// sentence's categories by its text.
func loadRaterClauses(path string, rules *analysis.Rules) (map[string][]string, error) {
	known := map[string]bool{}
	for _, c := range rules.Categories {
		known[c.ID] = true
	}
	items, err := loadClauses(path, known)
	if err != nil {
		return nil, fmt.Errorf("second analyst's clause labels: %w", err)
	}
	out := make(map[string][]string, len(items))
	for _, it := range items {
		out[it.Text] = append([]string{}, it.Categories...)
	}
	return out, nil
}
