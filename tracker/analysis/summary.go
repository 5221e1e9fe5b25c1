package analysis

import (
	"fmt"
	"sort"
	"strings"
)

// This file builds the parts of the analysis record that read across
// findings: summary, change rationale, regulatory landscape, jurisdiction
// flags, contract implications, compliance considerations and checklist.

func effectPhrase(c *Category, f *Finding) string {
	label := c.Label
	if label == "" {
		label = c.Name
	}
	switch f.Effect {
	case EffectExpands:
		if f.Direction == OpModified {
			return "expands " + label
		}
		return "adds " + label
	case EffectNarrows:
		if f.Direction == OpRemoved {
			return "removes " + label
		}
		return "narrows " + label
	case EffectRemovesPromise:
		if c.Promise != "" {
			return "removes " + c.Promise
		}
		return "removes a commitment on " + label
	case EffectAddsPromise:
		if c.Promise != "" {
			return "adds " + c.Promise
		}
		return "adds a commitment on " + label
	}
	return "changes " + label
}

// summarise writes the one- or two-sentence summary.
func summarise(res *Result, rules *Rules) string {
	var subst []Hunk
	cosmetic := map[string]bool{}
	for _, h := range res.Hunks {
		if h.Substantive {
			subst = append(subst, h)
		} else if h.Reason != "" {
			cosmetic[h.Reason] = true
		}
	}
	if len(subst) == 0 {
		if len(res.Hunks) == 0 {
			return "No changes."
		}
		var rs []string
		for r := range cosmetic {
			rs = append(rs, r)
		}
		sort.Strings(rs)
		return fmt.Sprintf("Cosmetic changes only (%s); nothing to analyse.", strings.Join(rs, ", "))
	}
	var headings []string
	seen := map[string]bool{}
	for _, h := range subst {
		hd := h.Heading
		if i := strings.Index(hd, " > "); i >= 0 {
			hd = hd[:i]
		}
		if hd != "" && !seen[hd] {
			seen[hd] = true
			headings = append(headings, fmt.Sprintf("%q", hd))
		}
	}
	edits := "edit"
	if len(subst) > 1 {
		edits = "edits"
	}
	s := fmt.Sprintf("%d substantive %s", len(subst), edits)
	switch {
	case len(headings) == 1:
		s += " under " + headings[0]
	case len(headings) > 1 && len(headings) <= 3:
		s += " under " + strings.Join(headings, ", ")
	case len(headings) > 3:
		s += fmt.Sprintf(" under %s and %d other sections", strings.Join(headings[:2], ", "), len(headings)-2)
	}
	if len(res.Findings) == 0 {
		return s + "; no tracked category is engaged."
	}
	// one phrase per category: its highest finding
	best := map[string]*Finding{}
	var order []string
	for k := range res.Findings {
		f := &res.Findings[k]
		b, ok := best[f.Category]
		if !ok {
			order = append(order, f.Category)
		}
		if !ok || levelIndex(f.Exposure) > levelIndex(b.Exposure) {
			best[f.Category] = f
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		return levelIndex(best[order[i]].Exposure) > levelIndex(best[order[j]].Exposure)
	})
	var phrases []string
	for _, id := range order {
		if len(phrases) == 4 {
			break
		}
		f := best[id]
		phrases = append(phrases, fmt.Sprintf("%s (%s)", effectPhrase(rules.Category(id), f), f.Exposure))
	}
	if extra := len(order) - len(phrases); extra > 0 {
		noun := "categories"
		if extra == 1 {
			noun = "category"
		}
		phrases = append(phrases, fmt.Sprintf("and %d more %s", extra, noun))
	}
	return s + ": " + strings.Join(phrases, ", ") + "."
}

// changeRationale explains the change's level from its highest finding.
func changeRationale(res *Result) string {
	if len(res.Findings) == 0 {
		if res.Substantive && res.Exposure == LevelLow {
			return "Low: the substantive edits match no tracked category; read them to confirm they are editorial or clarifying and need no action."
		}
		if res.Substantive {
			return "None: the substantive edits match no tracked category."
		}
		return "None: no substantive change."
	}
	top := &res.Findings[0]
	for k := range res.Findings {
		if levelIndex(res.Findings[k].Exposure) > levelIndex(top.Exposure) {
			top = &res.Findings[k]
		}
	}
	if len(res.Findings) == 1 {
		return fmt.Sprintf("%s Single finding (%s, %s under %q).", top.Rationale, top.Category, top.Direction, top.Heading)
	}
	return fmt.Sprintf("%s Highest of %d findings (%s, %s under %q).", top.Rationale, len(res.Findings), top.Category, top.Direction, top.Heading)
}

// categoryOrder lists the categories found, highest exposure first, then
// in DESIGN order.
func categoryOrder(res *Result) ([]string, map[string]Level) {
	lvl := map[string]Level{}
	for _, f := range res.Findings {
		if levelIndex(f.Exposure) > levelIndex(lvl[f.Category]) {
			lvl[f.Category] = f.Exposure
		}
	}
	rank := map[string]int{}
	for i, id := range CategoryIDs {
		rank[id] = i
	}
	var ids []string
	for id := range lvl {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := levelIndex(lvl[ids[i]]), levelIndex(lvl[ids[j]])
		if a != b {
			return a > b
		}
		ra, okA := rank[ids[i]]
		rb, okB := rank[ids[j]]
		if okA != okB {
			return okA
		}
		if ra != rb {
			return ra < rb
		}
		return ids[i] < ids[j]
	})
	return ids, lvl
}

// buildRecord fills the record parts that read across findings.
func buildRecord(res *Result, rules *Rules, opts *Options) {
	res.Summary = summarise(res, rules)
	res.Rationale = changeRationale(res)
	ids, lvl := categoryOrder(res)

	type flag struct {
		level int
		cats  map[string]bool
		fws   map[string]bool
	}
	flags := map[string]*flag{}
	landIdx := map[string]int{}
	for _, id := range ids {
		c := rules.Category(id)
		for _, p := range c.Provisions {
			if !p.Verified {
				continue
			}
			fw := rules.Frameworks[p.Framework]
			if !inScope(opts, fw.Jurisdiction) {
				continue
			}
			key := fw.Name + "\x00" + p.Citation
			if k, ok := landIdx[key]; ok {
				res.Landscape[k].Categories = appendUnique(res.Landscape[k].Categories, id)
			} else {
				landIdx[key] = len(res.Landscape)
				res.Landscape = append(res.Landscape, Provision{
					Framework: fw.Name, Citation: p.Citation, Title: p.Title, Why: p.Why,
					Jurisdictions: []string{fw.Jurisdiction}, Categories: []string{id},
				})
			}
			fl := flags[fw.Jurisdiction]
			if fl == nil {
				fl = &flag{level: -1, cats: map[string]bool{}, fws: map[string]bool{}}
				flags[fw.Jurisdiction] = fl
			}
			fl.cats[id] = true
			fl.fws[fw.Name] = true
			if l := levelIndex(lvl[id]); l > fl.level {
				fl.level = l
			}
		}
		res.ContractImplications = append(res.ContractImplications, c.ContractImplications...)
		res.ComplianceConsiderations = append(res.ComplianceConsiderations, c.ComplianceConsiderations...)
		for _, t := range c.Checklist {
			res.Checklist = append(res.Checklist, ChecklistItem{Category: id, Text: t})
		}
	}
	for _, code := range JurisdictionCodes {
		fl := flags[code]
		if fl == nil {
			continue
		}
		res.Flags = append(res.Flags, JurisdictionFlag{Code: code, Exposure: levelNames[fl.level], Categories: sortedKeys(fl.cats), Frameworks: sortedKeys(fl.fws)})
	}
	if len(ids) > 0 && opts.Profile != nil {
		switch opts.Profile.Role {
		case "processor":
			res.ContractImplications = append(res.ContractImplications, "The organisation acts as processor: check that its controller instructions and sub-processor terms still cover the platform's new wording, and tell affected controllers.")
		case "joint-controller":
			res.ContractImplications = append(res.ContractImplications, "The organisation is joint controller with the platform: revisit the joint-controller arrangement (allocation of notice and rights duties) against the new wording.")
		case "controller":
			res.ContractImplications = append(res.ContractImplications, "The organisation is controller for the data it puts on the platform: check whether the platform still acts only as its processor or now uses the data for its own purposes.")
		}
	}
	if res.Exposure == "high" {
		res.ComplianceConsiderations = append(res.ComplianceConsiderations, "High exposure: refresh the DPIA or US risk assessment for the affected processing and record the decision (accept, configure, negotiate or exit) with an owner.")
	}
}

func appendUnique(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
